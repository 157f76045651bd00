/**
 * Renders a zod schema as readable Markdown for the event reference:
 * `string (UUID)`, `number (-90…90)`, `"a" | "b"`, nested objects as
 * indented field lists, optional fields and defaults marked. Works on the
 * schema's JSON Schema, so it sees what a client sends (`io: 'input'`) or
 * receives (`io: 'output'`), never zod internals. Regular expressions are
 * never shown: a pattern-checked string shows its description instead.
 */
import { z } from 'zod';

type Json = Record<string, unknown> & {
  type?: string | string[];
  description?: string;
  properties?: Record<string, Json>;
  required?: string[];
  anyOf?: Json[];
  oneOf?: Json[];
  items?: Json | false;
  prefixItems?: Json[];
  enum?: unknown[];
  additionalProperties?: Json | boolean;
};

export interface RenderOptions {
  io: 'input' | 'output';
  /** Enum values rendered as one name instead of a long list (the error codes). */
  namedEnums?: readonly { values: readonly string[]; name: string }[];
}

interface Rendered { text: string; description?: string | undefined; children: string[] }

const FORMATS: Record<string, string> = { uuid: 'UUID', 'date-time': 'ISO-8601 time', email: 'e-mail address', uri: 'URL' };

const code = (v: unknown) => '`' + JSON.stringify(v) + '`';
const indent = (lines: string[]) => lines.map((l) => '  ' + l);

function range(rawMin: unknown, rawMax: unknown, unit = ''): string | undefined {
  // `int()` bounds every integer by the safe range: not worth a mention.
  const min = rawMin === Number.MIN_SAFE_INTEGER ? undefined : rawMin;
  const max = rawMax === Number.MAX_SAFE_INTEGER ? undefined : rawMax;
  if (typeof min === 'number' && typeof max === 'number') return min === max ? `exactly ${min}${unit}` : `${min}…${max}${unit}`;
  if (typeof min === 'number') return `≥ ${min}${unit}`;
  if (typeof max === 'number') return `≤ ${max}${unit}`;
  return undefined;
}

function withBits(base: string, bits: (string | undefined)[]): string {
  const shown = bits.filter((b): b is string => Boolean(b));
  return shown.length ? `${base} (${shown.join(', ')})` : base;
}

function renderNode(node: Json, opts: RenderOptions): Rendered {
  // `["number", "null"]` is how a nullable primitive comes out.
  if (Array.isArray(node.type)) return renderUnion(node.type.map((type) => ({ ...node, type })), node.description, opts);
  const description = node.description;
  const options = node.anyOf ?? node.oneOf;
  if (options) return renderUnion(options, description, opts);
  if ('const' in node) return { text: code(node.const), description, children: [] };
  if (node.enum) {
    const named = opts.namedEnums?.find((n) => n.values.length === node.enum!.length && n.values.every((v) => node.enum!.includes(v)));
    return { text: named ? named.name : node.enum.map(code).join(' | '), description, children: [] };
  }
  switch (node.type) {
    case 'string': {
      const format = typeof node.format === 'string' ? FORMATS[node.format] ?? node.format : undefined;
      const pattern = !format && typeof node.pattern === 'string' ? 'restricted characters' : undefined;
      const length = format ? undefined : range(node.minLength, node.maxLength, ' chars');
      return { text: withBits('string', [format, length, pattern]), description, children: [] };
    }
    case 'number':
    case 'integer': {
      const type = node.type;
      const min = node.exclusiveMinimum !== undefined ? `> ${String(node.exclusiveMinimum)}` : undefined;
      const max = node.exclusiveMaximum !== undefined ? `< ${String(node.exclusiveMaximum)}` : undefined;
      return { text: withBits(type, [range(node.minimum, node.maximum), min, max]), description, children: [] };
    }
    case 'boolean':
      return { text: 'boolean', description, children: [] };
    case 'null':
      return { text: 'null', description, children: [] };
    case 'array':
      return renderArray(node, description, opts);
    case 'object':
      return renderObject(node, description, opts);
    default:
      return { text: 'any JSON value', description, children: [] };
  }
}

function renderUnion(options: Json[], description: string | undefined, opts: RenderOptions): Rendered {
  const nonNull = options.filter((o) => o.type !== 'null');
  const orNull = nonNull.length < options.length ? ' | null' : '';
  // `{}` branches are what zod emits for `undefined`: the field may be left out, nothing to show.
  const shown = nonNull.filter((o) => Object.keys(o).length > 0).map((o) => renderNode(o, opts));
  if (shown.length === 1) return { ...shown[0]!, text: shown[0]!.text + orNull, description: description ?? shown[0]!.description };
  if (shown.every((r) => r.children.length === 0)) {
    return { text: shown.map((r) => r.text).join(' | ') + orNull, description, children: [] };
  }
  const children = shown.flatMap((r) => [`- ${r.text}${r.description ? ` — ${r.description}` : ''}`, ...indent(r.children)]);
  return { text: `one of${orNull ? ' (or null)' : ''}:`, description, children };
}

function renderArray(node: Json, description: string | undefined, opts: RenderOptions): Rendered {
  if (node.prefixItems) {
    return { text: `[${node.prefixItems.map((i) => renderNode(i, opts).text).join(', ')}]`, description, children: [] };
  }
  const item = node.items ? renderNode(node.items, opts) : { text: 'any JSON value', children: [] };
  const count = range(node.minItems, node.maxItems, ' items');
  const itemText = item.text === 'object' ? 'objects' : item.text;
  return { text: `array${count ? ` (${count})` : ''} of ${itemText}`, description: description ?? item.description, children: item.children };
}

function renderObject(node: Json, description: string | undefined, opts: RenderOptions): Rendered {
  const props = Object.entries(node.properties ?? {});
  if (props.length === 0) {
    return { text: node.additionalProperties ? 'object (free-form JSON)' : 'empty object', description, children: [] };
  }
  return { text: 'object', description, children: fieldLines(node, opts) };
}

/** One bullet per field, nested fields indented under their parent. */
function fieldLines(node: Json, opts: RenderOptions): string[] {
  const required = new Set(node.required ?? []);
  return Object.entries(node.properties ?? {}).flatMap(([name, prop]) => {
    const r = renderNode(prop, opts);
    const flags = [
      required.has(name) ? undefined : 'optional',
      'default' in prop ? `default ${code(prop.default)}` : undefined,
    ].filter(Boolean);
    const desc = prop.description ?? r.description;
    return [`- \`${name}\`${flags.length ? ` (${flags.join(', ')})` : ''}: ${r.text}${desc ? ` — ${desc}` : ''}`, ...indent(r.children)];
  });
}

/** Markdown lines describing a payload: a field list for an object, else one line with its type. */
export function renderSchema(schema: z.ZodType, opts: RenderOptions): string[] {
  const json = z.toJSONSchema(schema, { io: opts.io, unrepresentable: 'any' }) as Json;
  if (json.type === 'object' && json.properties && Object.keys(json.properties).length > 0) return fieldLines(json, opts);
  const r = renderNode(json, opts);
  return [`- ${r.text}${r.description ? ` — ${r.description}` : ''}`, ...indent(r.children)];
}
