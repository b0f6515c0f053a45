import fc from 'fast-check';

/**
 * What the fuzzer sends: a valid example body with one thing wrong (a field replaced by a hostile
 * value, removed, or an unknown field added), a broken body as a whole (not JSON, the wrong
 * content type, an array, nesting 5,000 deep), or a hostile path parameter.
 */

export const HUGE = 'A'.repeat(100_000);
/** A path parameter sent as it is, not percent-encoded (to send malformed percent-encoding). */
export const RAW = 'raw:';
const RAW_BAD_ENCODING = `${RAW}%E0%A4%A`;

/** Hostile values, by kind. `impossible` ones can never be right for a field of that name. */
export const hostile = {
  wrongType: [null, true, 0, -1, 1.5, '', 'text', [], [1, 'a', null], {}, { nested: { junk: [1, { deeper: null }] } }],
  numbers: [-1, -0.5, 0, 0.0001, 1.5, 99.999, 1e308, -1e308, 2 ** 53 + 2, 1e21],
  numberLike: ['NaN', 'Infinity', '-Infinity', '1e309', '0x10', '12mg', '10 ml', '100 mg', '1,5', ' 5 ', '٣'],
  dates: ['2026-02-30', '2026-13-01', '2026-00-10', '2025-02-29', '2026-3-2', '02/03/2026', '2026-03-02T25:61:00Z', '25:61', '24:00', '9:5', '2026-03-02T09:00:00', '0000-00-00', '+275760-09-13', '2026-03-02T09:00:00+25:00'],
  injection: ["'; DROP TABLE audit_events; --", "1' OR '1'='1", 'Robert"); DELETE FROM doses;--', '<script>alert(1)</script>', '"><img src=x onerror=alert(1)>', '{{7*7}}', '${process.exit(1)}', '../../../../etc/passwd', '%00', '\u0000', '\u202eevil', '\ud800', '🦄💉', 'a\r\nSet-Cookie: x=y'],
  units: ['mg', 'ml', 'µg', 'g', 'kg', 'IU', 'ampoule', '100mg/ml'],
  uuids: ['------------------------------------', '0123456789abcdef0123456789abcdef----', 'not-a-uuid', '00000000-0000-0000-0000-000000000000', '123', 'ffffffff-ffff-ffff-ffff-ffffffffffff', 'g0000000-0000-7000-8000-000000000000', "' OR 1=1 --"],
} as const;

export type Mutation =
  | { kind: 'replace'; path: (string | number)[]; value: unknown; label: string }
  | { kind: 'remove'; path: (string | number)[]; label: string }
  | { kind: 'unknown_field'; path: (string | number)[]; label: string }
  | { kind: 'raw'; payload: string; contentType: string | null; label: string }
  | { kind: 'param'; param: string; value: string; label: string };

/** Every path to a value inside a body (objects and arrays, leaves and branches). */
export function paths(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (value === null || typeof value !== 'object') return [prefix];
  const out: (string | number)[][] = prefix.length > 0 ? [prefix] : [];
  if (Array.isArray(value)) value.forEach((v, i) => out.push(...paths(v, [...prefix, i])));
  else for (const [k, v] of Object.entries(value)) out.push(...paths(v, [...prefix, k]));
  return out;
}

const deep = (n: number) => '['.repeat(n) + ']'.repeat(n);

function valueArb(field: string): fc.Arbitrary<{ value: unknown; label: string }> {
  const pick = (kind: keyof typeof hostile) => fc.constantFrom(...hostile[kind]).map((value) => ({ value: value as unknown, label: `${kind}:${JSON.stringify(value).slice(0, 40)}` }));
  return fc.oneof(
    pick('wrongType'),
    pick('numbers'),
    pick('numberLike'),
    pick('dates'),
    pick('injection'),
    pick('units'),
    pick('uuids'),
    fc.constant({ value: HUGE, label: 'huge string (100k)' }),
    fc.constant({ value: [HUGE], label: 'array of a huge string' }),
    fc.constant({ value: Array.from({ length: 10_000 }, (_, i) => i), label: 'array of 10k numbers' }),
    fc.anything({ maxDepth: 3 }).map((value) => ({ value, label: `anything:${safeLabel(value)}` })),
    fc.string({ unit: 'binary', maxLength: 30 }).map((value) => ({ value, label: `random text:${JSON.stringify(value).slice(0, 30)}` })),
    fc.double().map((value) => ({ value, label: `double:${value}` })),
    fc.integer().map((value) => ({ value, label: `integer:${value}` })),
  ).map((v) => ({ ...v, label: `${field}=${v.label}` }));
}

const safeLabel = (value: unknown) => {
  try {
    return (JSON.stringify(value) ?? String(value)).slice(0, 40);
  } catch {
    return typeof value;
  }
};

const rawBodies: { payload: string; contentType: string | null; label: string }[] = [
  { payload: '{"a":', contentType: 'application/json', label: 'truncated JSON' },
  { payload: 'not json at all', contentType: 'application/json', label: 'not JSON' },
  { payload: "{'single': 'quotes'}", contentType: 'application/json', label: 'JSON with single quotes' },
  { payload: '{}', contentType: 'application/json', label: 'an empty object' },
  { payload: '[]', contentType: 'application/json', label: 'an array body' },
  { payload: 'null', contentType: 'application/json', label: 'null body' },
  { payload: '42', contentType: 'application/json', label: 'a number body' },
  { payload: '"text"', contentType: 'application/json', label: 'a string body' },
  { payload: '', contentType: 'application/json', label: 'empty body with JSON content type' },
  { payload: deep(5_000), contentType: 'application/json', label: 'arrays nested 5000 deep' },
  { payload: '{"__proto__": {"admin": true}, "constructor": {"prototype": {"x": 1}}}', contentType: 'application/json', label: 'prototype pollution' },
  { payload: 'a=1&b=2', contentType: 'application/x-www-form-urlencoded', label: 'form-encoded body' },
  { payload: 'hello', contentType: 'text/plain', label: 'text/plain body' },
  { payload: '<xml/>', contentType: 'application/xml', label: 'XML body' },
  { payload: '--b\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--b--', contentType: 'multipart/form-data; boundary=b', label: 'multipart body' },
  { payload: '{}', contentType: null, label: 'no content type' },
  { payload: '\uFEFF{}', contentType: 'application/json', label: 'byte-order mark' },
];

/** The mutations of one route's example, for fast-check to draw from. */
export function mutationArb(example: unknown, params: string[]): fc.Arbitrary<Mutation> {
  const bodyPaths = example === undefined ? [] : paths(example);
  const options: fc.Arbitrary<Mutation>[] = [fc.constantFrom(...rawBodies).map((r) => ({ kind: 'raw' as const, ...r }))];
  const clinicParams = params.filter((p) => p !== 'clinicId');
  if (clinicParams.length > 0) {
    options.push(
      fc.record({ param: fc.constantFrom(...clinicParams), value: fc.constantFrom(...hostile.uuids, ...hostile.injection.slice(0, 4), '%2e%2e', 'x'.repeat(2000), RAW_BAD_ENCODING, `${RAW}%`) }).map(({ param, value }) => ({
        kind: 'param' as const,
        param,
        value,
        label: `param ${param}=${value.slice(0, 40)}`,
      })),
    );
  }
  if (bodyPaths.length > 0) {
    const pathArb = fc.constantFrom(...bodyPaths);
    const replace = pathArb.chain((path) => valueArb(path.join('.')).map(({ value, label }) => ({ kind: 'replace' as const, path, value, label })));
    // Replacing a field is what finds the bugs: weight it.
    options.push(replace, replace, replace, replace);
    options.push(pathArb.map((path) => ({ kind: 'remove' as const, path, label: `remove ${path.join('.')}` })));
    // Ids in the body are where a loose check lets a bad value through to the database: aim at them.
    const idPaths = bodyPaths.filter((p) => /Id$/.test(String(p[p.length - 1])));
    if (idPaths.length > 0) {
      options.push(
        fc.record({ path: fc.constantFrom(...idPaths), value: fc.constantFrom<string>(...hostile.uuids, ...hostile.injection.slice(0, 3)) }).map(({ path, value }) => ({
          kind: 'replace' as const,
          path,
          value,
          label: `${path.join('.')}=bad id:${JSON.stringify(value).slice(0, 40)}`,
        })),
      );
    }
    const objectPaths = [[], ...bodyPaths].filter((p) => isObjectAt(example, p));
    if (objectPaths.length > 0) {
      options.push(fc.constantFrom(...objectPaths).map((path) => ({ kind: 'unknown_field' as const, path, label: `unknown field at ${path.join('.') || '(body)'}` })));
    }
  }
  return fc.oneof(...options);
}

function isObjectAt(root: unknown, path: (string | number)[]): boolean {
  let at: any = root;
  for (const p of path) at = at?.[p];
  return at !== null && typeof at === 'object' && !Array.isArray(at);
}

/** Apply a body mutation to a copy of the example. */
export function applyMutation(example: unknown, m: Mutation): unknown {
  const copy = structuredClone(example) as any;
  if (m.kind !== 'replace' && m.kind !== 'remove' && m.kind !== 'unknown_field') return copy;
  if (m.path.length === 0) {
    if (m.kind === 'replace') return m.value;
    if (m.kind === 'unknown_field') return { ...copy, fuzzUnknownField: '<script>alert(1)</script>' };
    return undefined;
  }
  let parent = copy;
  for (const p of m.path.slice(0, -1)) parent = parent[p];
  const last = m.path[m.path.length - 1]!;
  if (m.kind === 'replace') parent[last] = m.value;
  else if (m.kind === 'remove') {
    if (Array.isArray(parent)) parent.splice(last as number, 1);
    else delete parent[last];
  } else parent[last] = { ...parent[last], fuzzUnknownField: "'; DROP TABLE doses; --" };
  return copy;
}
