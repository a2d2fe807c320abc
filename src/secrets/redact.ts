import { MIN_SECRET_LENGTH, SECRET_ENV_NAME, SECRET_SHAPES } from './patterns.js';

export const REDACTED = '[REDACTED]';

/**
 * Removes secrets from text before it reaches a log, a report, a prompt or a patch file: the values of
 * secret-looking environment variables, values registered at run time, and known token shapes.
 */
export class Redactor {
  private readonly values = new Set<string>();

  static fromEnv(env: NodeJS.ProcessEnv): Redactor {
    const redactor = new Redactor();
    for (const [name, value] of Object.entries(env)) {
      if (value !== undefined && SECRET_ENV_NAME.test(name)) redactor.add(value);
    }
    return redactor;
  }

  add(value: string): void {
    const trimmed = value.trim();
    if (trimmed.length >= MIN_SECRET_LENGTH) this.values.add(trimmed);
  }

  /** The registered values, longest first; the CI adapters mask them in the pipeline log too. */
  knownValues(): string[] {
    return [...this.values].sort((a, b) => b.length - a.length);
  }

  redact(text: string): string {
    let result = text;
    for (const value of this.knownValues()) {
      if (result.includes(value)) result = result.split(value).join(REDACTED);
    }
    for (const shape of SECRET_SHAPES) {
      result = result.replace(shape.pattern, REDACTED);
    }
    return result;
  }

  /** Redacts every string inside a JSON-like value; returns a copy. */
  redactDeep<T>(value: T): T {
    return this.walk(value) as T;
  }

  private walk(value: unknown): unknown {
    if (typeof value === 'string') return this.redact(value);
    if (Array.isArray(value)) return value.map((item) => this.walk(item));
    if (value !== null && typeof value === 'object') {
      const copy: Record<string, unknown> = {};
      for (const [key, inner] of Object.entries(value)) copy[key] = this.walk(inner);
      return copy;
    }
    return value;
  }
}
