import { z } from 'zod';

export type JsonSchema = Record<string, unknown>;

/**
 * A payload schema as JSON Schema draft-07, the dialect AsyncAPI schemas
 * extend. Transforms cannot be represented: they become `{}` on the side
 * they produce, so inbound schemas are rendered as input (what a client
 * sends) and outbound ones as output (what it receives).
 */
export function toJsonSchema(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const out = z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'draft-7' }) as JsonSchema;
  delete out.$schema;
  return out;
}

/** Component keys allow `[A-Za-z0-9._-]` only; event names also use `:`. */
export const componentKey = (name: string): string => name.replace(/:/g, '__');
