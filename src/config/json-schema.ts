import { z } from 'zod';
import { Config } from './schema.js';

/** The published JSON Schema of config.yaml: draft-07 so that yaml-language-server can use it. */
export function configJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(Config, { target: 'draft-07', io: 'input' }) as Record<string, unknown>;
  return {
    ...schema,
    $id: 'https://fleet-orch.dev/schema/config.schema.json',
    title: 'fleet-orch config.yaml',
  };
}

export function configJsonSchemaText(): string {
  return `${JSON.stringify(configJsonSchema(), null, 2)}\n`;
}
