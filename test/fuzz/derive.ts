import type { JsonSchema } from './routes';

/**
 * A body that satisfies a JSON schema, built from the schema alone: every property (required or
 * not, so that the mutations reach them all), the first enum value, the smallest allowed number,
 * dates and ids from the seeded clinic. Good enough for most routes; the example table overrides
 * the rest.
 */
export interface Ids {
  [name: string]: string;
}

const KNOWN_PATTERNS: [RegExp, string][] = [
  [/HH:MM|\[01\]\\d\|2\[0-3\]\):\[0-5\]\\d\$|\^\(\[01\]/, '09:00'],
];

export function deriveValue(schema: JsonSchema | undefined, name: string, ids: Ids, depth = 0): unknown {
  if (!schema || depth > 12) return null;
  if ('const' in schema) return schema.const;
  if (Array.isArray(schema.enum)) return schema.enum[0];
  if (schema.default !== undefined && typeof schema.default !== 'object') return schema.default;
  for (const alt of ['anyOf', 'oneOf'] as const) {
    if (Array.isArray(schema[alt])) {
      const options = (schema[alt] as JsonSchema[]).filter((s) => s.type !== 'null');
      return deriveValue(options[0] ?? schema[alt][0], name, ids, depth + 1);
    }
  }
  if (Array.isArray(schema.allOf)) return deriveValue(Object.assign({}, ...schema.allOf), name, ids, depth + 1);
  const type = Array.isArray(schema.type) ? schema.type.find((t: string) => t !== 'null') : schema.type;
  switch (type) {
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const [key, sub] of Object.entries((schema.properties ?? {}) as Record<string, JsonSchema>)) {
        out[key] = deriveValue(sub, key, ids, depth + 1);
      }
      return out;
    }
    case 'array': {
      if (Array.isArray(schema.prefixItems)) return (schema.prefixItems as JsonSchema[]).map((item) => deriveValue(item, name, ids, depth + 1));
      const min = Math.max(1, schema.minItems ?? 1);
      return Array.from({ length: Math.min(min, 3) }, () => deriveValue(schema.items, name, ids, depth + 1));
    }
    case 'integer':
    case 'number': {
      const lo = schema.minimum ?? (schema.exclusiveMinimum !== undefined ? schema.exclusiveMinimum + 1 : undefined);
      const hi = schema.maximum;
      if (lo !== undefined) return Math.max(lo, Math.min(hi ?? lo + 1, lo + 1));
      return hi !== undefined ? Math.min(hi, 1) : 1;
    }
    case 'boolean':
      return false;
    case 'string':
      return deriveString(schema, name, ids);
    default:
      return null;
  }
}

function deriveString(schema: JsonSchema, name: string, ids: Ids): string {
  if (ids[name]) return ids[name]!;
  if (name === 'session' || name === 'sessionCode') return 'AM';
  if (schema.format === 'date-time') return '2026-03-02T09:00:00Z';
  if (schema.format === 'date') return '2026-03-02';
  if (schema.format === 'uuid' || /Id$/.test(name)) return ids[name] ?? ids.serviceUserId!;
  if (schema.format === 'email') return 'someone@clinic.test';
  if (typeof schema.pattern === 'string') {
    for (const [re, value] of KNOWN_PATTERNS) if (re.test(schema.pattern)) return value;
    if (schema.pattern.includes('[A-Z]')) return 'AM';
  }
  const min = schema.minLength ?? 1;
  const text = `fuzz ${name}`;
  return text.length >= min ? text.slice(0, schema.maxLength ?? text.length) : text.padEnd(min, '.');
}
