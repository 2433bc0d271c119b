/**
 * Renders a JSON Schema (as found in the OpenAPI document) as compact,
 * TypeScript-like text for the docs page: `{ id: string /1-64/; note?: string }`.
 * Depth and width are bounded so a pathological schema cannot blow up a page.
 */
export type JsonSchema = Record<string, unknown>;

const MAX_DEPTH = 8;
const INDENT = '  ';

function constraints(schema: JsonSchema): string {
  const parts: string[] = [];
  const { minimum, maximum, minLength, maxLength, minItems, maxItems, format, pattern } = schema;
  if (minimum !== undefined || maximum !== undefined) parts.push(`${minimum ?? ''}..${maximum ?? ''}`);
  if (minLength !== undefined || maxLength !== undefined)
    parts.push(`length ${minLength ?? 0}..${maxLength ?? ''}`);
  if (minItems !== undefined || maxItems !== undefined)
    parts.push(`items ${minItems ?? 0}..${maxItems ?? ''}`);
  if (typeof format === 'string') parts.push(format);
  if (typeof pattern === 'string') parts.push(`/${pattern}/`);
  return parts.length === 0 ? '' : ` (${parts.join(', ')})`;
}

function refName(ref: string): string {
  return ref.slice(ref.lastIndexOf('/') + 1);
}

export function schemaText(schema: unknown, depth = 0): string {
  if (typeof schema !== 'object' || schema === null) return 'unknown';
  const s = schema as JsonSchema;
  if (depth > MAX_DEPTH) return '…';
  if (typeof s.$ref === 'string') return refName(s.$ref);
  if (Array.isArray(s.enum)) return s.enum.map((v) => JSON.stringify(v)).join(' | ');
  if ('const' in s) return JSON.stringify(s.const);
  for (const key of ['anyOf', 'oneOf', 'allOf'] as const) {
    const parts = s[key];
    if (Array.isArray(parts)) {
      return parts.map((p) => schemaText(p, depth + 1)).join(key === 'allOf' ? ' & ' : ' | ');
    }
  }
  const types = Array.isArray(s.type) ? (s.type as string[]) : [s.type as string | undefined];
  const nullable = types.includes('null') || s.nullable === true;
  const main = types.find((t) => t !== 'null');
  const text = typeText(main, s, depth);
  return nullable ? `${text} | null` : text;
}

function typeText(type: string | undefined, s: JsonSchema, depth: number): string {
  if (type === 'array') return `${wrap(schemaText(s.items, depth + 1))}[]${constraints(s)}`;
  if (type === 'object' || s.properties !== undefined) return objectText(s, depth);
  if (type === undefined) return 'unknown';
  return `${type}${constraints(s)}`;
}

function wrap(text: string): string {
  return text.includes(' | ') ? `(${text})` : text;
}

function objectText(s: JsonSchema, depth: number): string {
  const properties = (s.properties ?? {}) as Record<string, unknown>;
  const required = new Set(Array.isArray(s.required) ? (s.required as string[]) : []);
  const entries = Object.entries(properties);
  if (entries.length === 0) {
    const extra = s.additionalProperties;
    return typeof extra === 'object' ? `{ [key: string]: ${schemaText(extra, depth + 1)} }` : '{}';
  }
  const pad = INDENT.repeat(depth + 1);
  const lines = entries.map(([name, value]) => {
    const optional = required.has(name) ? '' : '?';
    const description = (value as JsonSchema | null)?.description;
    const note = typeof description === 'string' ? ` // ${description}` : '';
    return `${pad}${name}${optional}: ${schemaText(value, depth + 1)};${note}`;
  });
  const closed = s.additionalProperties === false ? ' // no other fields' : '';
  return `{${closed}\n${lines.join('\n')}\n${INDENT.repeat(depth)}}`;
}
