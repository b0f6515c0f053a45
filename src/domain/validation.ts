import type { z } from 'zod';

/** One thing wrong with an input, named by the field it concerns (e.g. `sessions[1].start`). */
export interface FieldProblem {
  field: string;
  message: string;
}

export type Checked<T> = { ok: true; value: T } | { ok: false; problems: FieldProblem[] };

export function fieldPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? String(part) : `.${String(part)}`;
  }
  return out;
}

export function zodProblems(error: z.ZodError, prefix = ''): FieldProblem[] {
  return error.issues.map((issue) => {
    const path = fieldPath(issue.path);
    const field = prefix && path ? `${prefix}.${path}` : prefix || path;
    return { field: field || '(body)', message: issue.message };
  });
}

/** Parse with a Zod schema and report problems per field instead of throwing. */
export function checkWith<S extends z.ZodType>(schema: S, input: unknown): Checked<z.output<S>> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return { ok: true, value: parsed.data };
  return { ok: false, problems: zodProblems(parsed.error) };
}
