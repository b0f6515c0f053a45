/**
 * The API from the browser: same-origin JSON with the session cookie, the CSRF token on every
 * write, and one error type that carries the field and the rules, so forms can show them beside
 * the field and keep what was typed.
 */
export interface Refusal {
  rule: string;
  message: string;
  field?: string;
}

export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
    readonly problems?: { field: string; message: string }[],
    readonly refusals?: Refusal[],
  ) {
    super(message);
  }

  /** The message for one form field, if the failure names it. */
  forField(field: string): string | undefined {
    const own = [...(this.problems ?? []), ...(this.refusals ?? []).filter((r): r is Refusal & { field: string } => !!r.field)].find(
      (p) => p.field === field || p.field.endsWith(`.${field}`),
    );
    if (own) return own.message;
    return this.field === field ? this.message : undefined;
  }
}

let csrfToken: string | null = null;
export function setCsrfToken(token: string | null) {
  csrfToken = token;
}

/** A response's body (JSON when it says so, else text), or an ApiFailure when it is not a success. */
export async function answerOf(res: Response): Promise<unknown> {
  const text = await res.text();
  const json = text && res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text;
  if (!res.ok) {
    const e = (json as { error?: { code: string; message: string; field?: string; problems?: { field: string; message: string }[]; refusals?: Refusal[] } }).error;
    throw new ApiFailure(res.status, e?.code ?? 'http_error', e?.message ?? `${res.status} ${res.statusText}`, e?.field, e?.problems, e?.refusals);
  }
  return json;
}

export async function api<T = unknown>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
  const res = await fetch(path, {
    method,
    credentials: 'same-origin',
    headers: {
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(csrfToken && method !== 'GET' ? { 'x-csrf-token': csrfToken } : {}),
      ...headers,
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const json = await answerOf(res);
  if (json && typeof json === 'object' && 'csrfToken' in json) setCsrfToken((json as { csrfToken: string }).csrfToken);
  return json as T;
}

export const get = <T>(path: string) => api<T>('GET', path);
export const post = <T>(path: string, body: unknown = {}, headers?: Record<string, string>) => api<T>('POST', path, body, headers);
export const put = <T>(path: string, body: unknown) => api<T>('PUT', path, body);
export const patch = <T>(path: string, body: unknown) => api<T>('PATCH', path, body);
