/** The API from the test, as a member of staff would use it: for setting up what the browser then works with. */
export class ApiClient {
  cookie = '';
  csrf = '';
  staffId = '';

  constructor(readonly base: string) {}

  async call<T = any>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await fetch(`${this.base}${path}`, {
      method,
      headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...(this.cookie ? { cookie: this.cookie } : {}), ...(this.csrf && method !== 'GET' ? { 'x-csrf-token': this.csrf } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const setCookie = res.headers.get('set-cookie');
    if (setCookie) this.cookie = setCookie.split(';')[0]!;
    const json = await res.json().catch(() => null);
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
    if (json && typeof json === 'object' && 'csrfToken' in json) this.csrf = (json as { csrfToken: string }).csrfToken;
    return json as T;
  }

  async signIn(email: string, password: string) {
    const info = await this.call('POST', '/api/v1/auth/login', { email, password });
    this.staffId = info.staff.staffId;
    return info;
  }

  get = <T = any>(path: string) => this.call<T>('GET', path);
  post = <T = any>(path: string, body: unknown = {}) => this.call<T>('POST', path, body);
  put = <T = any>(path: string, body: unknown) => this.call<T>('PUT', path, body);
  patch = <T = any>(path: string, body: unknown) => this.call<T>('PATCH', path, body);
}
