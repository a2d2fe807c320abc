import type { z } from 'zod';

export type JsonResult<T> = { ok: true; value: T } | { ok: false; error: string };

const MAX_DETAIL = 160;

/**
 * Reads a model's JSON answer ourselves (never the SDK's `.parse()`, which throws): one-line reasons for an
 * empty, truncated, non-JSON or off-schema answer. Tolerates a Markdown fence around the JSON, which
 * compatible servers in `json_object` mode sometimes add.
 */
export function parseJsonAnswer<T>(
  content: string | null | undefined,
  schema: z.ZodType<T>,
  finishReason: string | null | undefined,
): JsonResult<T> {
  const truncated = finishReason === 'length' ? ' (cut off at max_tokens)' : '';
  const text = unfence(content ?? '').trim();
  if (text === '') return { ok: false, error: `model answer is empty${truncated}` };

  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { ok: false, error: `model answer is not valid JSON${truncated}: ${clip(reason)}` };
  }

  const parsed = schema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue === undefined || issue.path.length === 0 ? '(root)' : issue.path.map(String).join('.');
    return { ok: false, error: `model answer does not match the schema: ${path}: ${clip(issue?.message ?? 'invalid')}` };
  }
  return { ok: true, value: parsed.data };
}

function unfence(text: string): string {
  const fenced = /^\s*```[a-zA-Z]*\s*\n([\s\S]*?)\n\s*```\s*$/.exec(text);
  return fenced?.[1] ?? text;
}

function clip(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > MAX_DETAIL ? `${line.slice(0, MAX_DETAIL - 1)}…` : line;
}
