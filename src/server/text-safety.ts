import type { App } from './context';
import { badRequest } from './errors';

/**
 * Text PostgreSQL cannot store: the NUL character, and a UTF-16 surrogate without its pair (valid
 * in a JSON string escape, "\ud800", but not in UTF-8). Either used to reach the database and fail
 * there as a 500; the fuzzer found both. Refused up front instead, as a 400 naming the field.
 */
// eslint-disable-next-line no-control-regex -- finding the NUL character is the point
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Deeper than any request openhat takes; deeper still is refused rather than walked. */
export const MAX_DEPTH = 64;

/**
 * The path of the first string (or key) in a value that cannot be stored, if any; `(depth)` for a
 * value nested deeper than MAX_DEPTH. Iterative, so that a hostile body cannot exhaust the stack.
 */
export function unstorableText(root: unknown): string | null {
  const stack: { value: unknown; at: string; depth: number }[] = [{ value: root, at: '', depth: 0 }];
  while (stack.length > 0) {
    const { value, at, depth } = stack.pop()!;
    if (typeof value === 'string') {
      if (UNSTORABLE.test(value)) return at || '(body)';
      continue;
    }
    if (value === null || typeof value !== 'object') continue;
    if (depth >= MAX_DEPTH) return '(depth)';
    const entries: [string, unknown][] = Array.isArray(value) ? value.map((v, i) => [`${at}[${i}]`, v]) : Object.entries(value).map(([k, v]) => [at ? `${at}.${k}` : k, v]);
    if (!Array.isArray(value)) for (const key of Object.keys(value)) if (UNSTORABLE.test(key)) return at ? `${at}.${key}` : key;
    for (let i = entries.length - 1; i >= 0; i--) stack.push({ value: entries[i]![1], at: entries[i]![0], depth: depth + 1 });
  }
  return null;
}

export function installTextSafety(app: App): void {
  app.addHook('preValidation', async (req) => {
    const field = unstorableText(req.body) ?? unstorableText(req.query);
    if (field === '(depth)') throw badRequest('(body)', `is nested more than ${MAX_DEPTH} levels deep`);
    if (field) throw badRequest(field, 'contains a character that cannot be stored (a NUL, or half of a surrogate pair)');
  });
}
