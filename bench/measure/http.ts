/* eslint-disable @typescript-eslint/no-explicit-any -- a benchmark harness: JSON answers and SQL rows read loosely */
/**
 * A signed-in staff member over real HTTP (fetch, keep-alive): the session cookie and the CSRF
 * token sent with every write, as the web app does.
 */
export class HttpClient {
  private cookie = '';
  private csrf = '';

  constructor(readonly base: string) {}

  async signIn(email: string, password: string): Promise<void> {
    const res = await fetch(`${this.base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json', 'user-agent': 'openhat-bench' }, body: JSON.stringify({ email, password }) });
    const body = (await res.json()) as { csrfToken?: string; secondFactor?: unknown };
    if (res.status !== 200 || body.secondFactor) throw new Error(`sign-in ${email}: ${res.status} ${JSON.stringify(body)}`);
    const set = res.headers.getSetCookie().find((c) => c.startsWith('openhat_session='));
    if (!set) throw new Error('sign-in: no session cookie');
    this.cookie = set.split(';')[0]!;
    this.csrf = body.csrfToken ?? '';
  }

  async request(method: 'GET' | 'POST', path: string, body?: unknown): Promise<{ status: number; body: any }> {
    const res = await fetch(`${this.base}${path}`, {
      method,
      headers: {
        cookie: this.cookie,
        'user-agent': 'openhat-bench',
        ...(method !== 'GET' ? { 'x-csrf-token': this.csrf, 'content-type': 'application/json' } : {}),
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      // Past five minutes a read has failed its target by far; say so rather than wait.
      signal: AbortSignal.timeout(300_000),
    });
    const text = await res.text();
    return { status: res.status, body: text && res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text };
  }

  get = (path: string) => this.request('GET', path);
  post = (path: string, body: unknown) => this.request('POST', path, body);
}

export async function expectOk(what: string, p: Promise<{ status: number; body: any }>): Promise<any> {
  const res = await p;
  if (res.status >= 300) throw new Error(`${what}: ${res.status} ${JSON.stringify(res.body).slice(0, 500)}`);
  return res.body;
}
