import type { App } from '../../src/server/context';
import type { Response, TestApp, TestClinic, TestStaff } from './test-app';
import { referredPerson } from './clinical';
import { dosingClinic, fine, openSession, prep } from './dosing';
import { witnessOf } from './cd';

export const PORTAL_COOKIE = 'openhat_portal';
export const TEMPORARY = 'first temporary phrase';
export const OWN_PASSWORD = 'my own long phrase here';
export const consent = { explained: true, sharedPhoneWarningGiven: true };

/** A phone's browser on the portal: keeps the portal cookie and sends the portal's CSRF token with writes. */
export class PortalClient {
  cookie: string | null = null;
  csrfToken: string | null = null;
  /** The Set-Cookie attributes of the last portal cookie set (for the cookie's flags). */
  lastSetCookie: string | null = null;
  ip = '198.51.100.44';

  constructor(readonly app: App) {}

  async request<T = any>(method: 'GET' | 'POST' | 'PUT' | 'PATCH', url: string, body?: unknown, headers: Record<string, string> = {}): Promise<Response<T>> {
    const res = await this.app.inject({
      method,
      url,
      remoteAddress: this.ip,
      headers: {
        'user-agent': 'phone',
        ...(this.cookie ? { cookie: `${PORTAL_COOKIE}=${this.cookie}` } : {}),
        ...(this.csrfToken && method !== 'GET' ? { 'x-csrf-token': this.csrfToken } : {}),
        ...headers,
      },
      ...(body !== undefined ? { payload: body as object } : {}),
    });
    const set = res.cookies.find((c) => c.name === PORTAL_COOKIE);
    if (set) {
      this.cookie = set.value || null;
      const raw = res.headers['set-cookie'];
      this.lastSetCookie = (Array.isArray(raw) ? raw : [raw ?? '']).find((c) => c.startsWith(`${PORTAL_COOKIE}=`)) ?? null;
    }
    const parsed = res.body && res.headers['content-type']?.toString().includes('json') ? JSON.parse(res.body) : res.body;
    if (parsed && typeof parsed === 'object' && 'csrfToken' in parsed) this.csrfToken = parsed.csrfToken;
    return { status: res.statusCode, body: parsed as T, headers: res.headers };
  }

  get = <T = any>(url: string) => this.request<T>('GET', url);
  post = <T = any>(url: string, body: unknown = {}, headers?: Record<string, string>) => this.request<T>('POST', url, body, headers);

  signIn(username: string, password: string) {
    return this.post('/api/v1/portal/login', { username, password });
  }
}

/** Switch the clinic's portal on (or set it), as an administrator would, through the API. */
export async function setPortal(clinic: TestClinic, portal: { enabled: boolean; sessionMinutes: number } = { enabled: true, sessionMinutes: 15 }) {
  const clinicNow = (await clinic.admin.client.get(clinic.url())).body;
  const res = await clinic.admin.client.put(clinic.url('/settings'), {
    settings: { ...clinicNow.settings, portal },
    reason: `portal ${portal.enabled ? 'on' : 'off'}`,
    expectedVersion: clinicNow.settingsVersion,
  });
  if (res.status !== 200) throw new Error(`settings: ${JSON.stringify(res.body)}`);
}

export async function openAccount(clinic: TestClinic, staff: TestStaff, serviceUserId: string, username: string) {
  const res = await staff.client.post(clinic.url(`/service-users/${serviceUserId}/portal-account`), { username, temporaryPassword: TEMPORARY, consent });
  if (res.status !== 201) throw new Error(`account: ${JSON.stringify(res.body)}`);
  return res.body;
}

/** Signed in to the portal with their own password (the temporary one changed). */
export async function portalUser(t: TestApp, username: string): Promise<PortalClient> {
  const phone = new PortalClient(t.app);
  const signed = await phone.signIn(username, TEMPORARY);
  if (signed.status !== 200) throw new Error(`portal sign-in: ${JSON.stringify(signed.body)}`);
  const changed = await phone.post('/api/v1/portal/password', { currentPassword: TEMPORARY, newPassword: OWN_PASSWORD });
  if (changed.status !== 200) throw new Error(`portal password: ${JSON.stringify(changed.body)}`);
  return phone;
}

/**
 * A clinic with the portal on, two people in treatment (IV 100 mg AM and PM) with a dose given to
 * each this morning, and a portal account for each. Set the clock (a morning) first.
 */
export async function portalClinic(t: TestApp) {
  const dc = await dosingClinic(t, 2);
  const { clinic, nurse, hca, item, persons } = dc;
  await setPortal(clinic);
  const sessionId = await openSession(clinic, nurse, hca);
  const doseIds: string[] = [];
  for (const p of persons) {
    const a = await nurse.client.post(clinic.url(`/sessions/${sessionId}/assessments`), { serviceUserId: p.serviceUserId, findings: fine });
    if (a.status !== 201) throw new Error(JSON.stringify(a.body));
    const doseId = a.body.doseId as string;
    const mg = a.body.allowance.maxMg as number;
    const prepared = await nurse.client.post(clinic.url(`/doses/${doseId}/preparation`), prep(item, hca, mg));
    if (prepared.status !== 201) throw new Error(JSON.stringify(prepared.body));
    const given = await nurse.client.post(clinic.url(`/doses/${doseId}/administration`), { route: 'iv', sites: ['left arm'], attempts: 1, givenMg: mg, witness: witnessOf(hca) });
    if (given.status !== 201) throw new Error(JSON.stringify(given.body));
    doseIds.push(doseId);
  }
  const tag = clinic.clinicId.slice(-6);
  const usernames = [`kite-${tag}`, `oak-${tag}`];
  await openAccount(clinic, nurse, persons[0]!.serviceUserId, usernames[0]!);
  await openAccount(clinic, nurse, persons[1]!.serviceUserId, usernames[1]!);
  return { ...dc, sessionId, doseIds, usernames };
}

/** Someone referred but not yet in treatment. */
export const notInTreatment = (clinic: TestClinic) => referredPerson(clinic, { familyName: 'Waiting', givenName: 'Wendy', preferredName: null });
