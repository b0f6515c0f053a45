import { passSecondFactorByApi } from './second-factor';

/** The API from the test, as a member of staff would use it: for setting up what the browser then works with. */
export class ApiClient {
  cookie = '';
  csrf = '';
  staffId = '';

  constructor(readonly base: string) {}

  /** One request; keeps the session cookie and CSRF token; answers the status and body without throwing. */
  async raw(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
    const res = await fetch(`${this.base}${path}`, {
      method,
      headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...(this.cookie ? { cookie: this.cookie } : {}), ...(this.csrf && method !== 'GET' ? { 'x-csrf-token': this.csrf } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const setCookie = res.headers.get('set-cookie');
    if (setCookie) this.cookie = setCookie.split(';')[0]!;
    const json = await res.json().catch(() => null);
    if (res.ok && json && typeof json === 'object' && 'csrfToken' in json) this.csrf = (json as { csrfToken: string }).csrfToken;
    return { status: res.status, body: json };
  }

  async call<T = any>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await this.raw(method, path, body);
    if (res.status < 200 || res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as T;
  }

  /** Signs in, passing the second factor (enrolling at first sign-in) when the server asks for it. */
  async signIn(email: string, password: string) {
    let info = await this.call('POST', '/api/v1/auth/login', { email, password });
    if (info.secondFactor) {
      info = await passSecondFactorByApi(this.base, (path, body) => this.raw('POST', path, body ?? {}), email, info);
    }
    this.staffId = info.staff.staffId;
    return info;
  }

  get = <T = any>(path: string) => this.call<T>('GET', path);
  post = <T = any>(path: string, body: unknown = {}) => this.call<T>('POST', path, body);
  put = <T = any>(path: string, body: unknown) => this.call<T>('PUT', path, body);
  patch = <T = any>(path: string, body: unknown) => this.call<T>('PATCH', path, body);
}

/** A new client signed in as `email`. */
export async function signedInClient(base: string, email: string, password: string): Promise<ApiClient> {
  const client = new ApiClient(base);
  await client.signIn(email, password);
  return client;
}

/**
 * A member of staff as a real clinic makes one: the administrator adds them with a temporary
 * password, and they sign in and choose their own (`password`). Returns how to sign in as them.
 */
export async function addStaff(admin: ApiClient, clinicId: string, key: string, displayName: string, roles: readonly string[], password: string) {
  const email = `${key}@e2e.test`;
  const added = await admin.post(`/api/v1/clinics/${clinicId}/staff`, { email, displayName, roles, temporaryPassword: 'temporary pass phrase' });
  const self = new ApiClient(admin.base);
  await self.signIn(email, 'temporary pass phrase');
  await self.post('/api/v1/auth/password', { currentPassword: 'temporary pass phrase', newPassword: password });
  return { email, staffId: added.staff.staffId as string };
}

/** The prescriber's registration and Home Office licence, which signing a diamorphine prescription needs. */
export async function licensePrescriber(admin: ApiClient, clinicId: string, staffId: string) {
  await admin.patch(`/api/v1/clinics/${clinicId}/staff/${staffId}`, { professionalBody: 'GMC', registrationNumber: '7654321', homeOfficeLicenceNumber: 'HO/1', homeOfficeLicenceExpiry: '2027-12-31' });
}
