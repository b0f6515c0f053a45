import { HOTP, Secret } from 'otpauth';
import { timeStep } from '../../src/domain/auth/totp';

/**
 * What a test knows of each person's authenticator app: the secret their enrolment returned, the
 * recovery codes, and the last time step whose code it answered. The server refuses a code for a
 * step at or before the last one accepted, so a person signing in again at the same (test-clock)
 * instant answers with the next step the ±1 window allows, and, when the window is used up (a test
 * that signs the same person in many times, or moves the clock back), with a recovery code.
 */
export interface SecondFactorKeyring {
  /** The server's "now", in epoch milliseconds. */
  clock: () => number;
  people: Map<string, { secret: string; lastStep: number; recoveryCodes: string[] }>;
}

export function totpCode(secret: string, step: number): string {
  return HOTP.generate({ secret: Secret.fromBase32(secret), counter: step, digits: 6, algorithm: 'SHA1' });
}

/** The next answer for this person: a TOTP code for a step the server still accepts, or a recovery code. */
export function nextAnswer(keyring: SecondFactorKeyring, email: string): { code: string } | { recoveryCode: string } {
  const person = keyring.people.get(email.toLowerCase());
  if (!person) throw new Error(`test support: no second-factor secret known for ${email} (enrol them through the API first)`);
  const current = timeStep(keyring.clock());
  const step = [current - 1, current, current + 1].find((s) => s > person.lastStep);
  if (step !== undefined) {
    person.lastStep = step;
    return { code: totpCode(person.secret, step) };
  }
  const recoveryCode = person.recoveryCodes.shift();
  if (!recoveryCode) throw new Error(`test support: ${email} has signed in too often at one instant; advance the clock`);
  return { recoveryCode };
}

interface Poster {
  post(url: string, body?: unknown): Promise<{ status: number; body: any }>;
}

/** After a 200 from the login with a secondFactor flag: enrol or answer, and return the final response. */
export async function answerSecondFactor<R extends { status: number; body: any }>(client: Poster, keyring: SecondFactorKeyring, email: string, login: R): Promise<R> {
  const key = email.toLowerCase();
  if (login.body.secondFactor === 'enrolment_required') {
    const enrolment = await client.post('/api/v1/auth/second-factor/enrolment');
    if (enrolment.status !== 200) return enrolment as R;
    const current = timeStep(keyring.clock());
    keyring.people.set(key, { secret: enrolment.body.secret, lastStep: current - 1, recoveryCodes: [] });
    const confirmed = await client.post('/api/v1/auth/second-factor/enrolment/confirm', { code: totpCode(enrolment.body.secret, current - 1) });
    if (confirmed.status === 200) keyring.people.get(key)!.recoveryCodes = [...confirmed.body.recoveryCodes];
    return confirmed as R;
  }
  const first = await client.post('/api/v1/auth/second-factor/verify', nextAnswer(keyring, email));
  // Against a real server (browser tests) its clock is only estimated here: near a step's edge the
  // guess can be one step out, so try the next step once.
  if (first.status === 401 && ['second_factor_invalid', 'second_factor_reused'].includes(first.body?.error?.code)) {
    return (await client.post('/api/v1/auth/second-factor/verify', nextAnswer(keyring, email))) as R;
  }
  return first as R;
}

const processKeyrings = new Map<string, SecondFactorKeyring>();

/**
 * Sign in to a server running as a process (real clock) over HTTP, passing the second factor if
 * asked: answers the final session and the headers (cookie, CSRF token) for further requests.
 */
export async function signInOverHttp(base: string, email: string, password: string): Promise<{ login: any; session: any; headers: Record<string, string> }> {
  let keyring = processKeyrings.get(base);
  if (!keyring) processKeyrings.set(base, (keyring = { clock: () => Date.now(), people: new Map() }));
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  const post = async (path: string, body: unknown = {}) => {
    const res = await fetch(`${base}${path}`, { method: 'POST', headers, body: JSON.stringify(body) });
    const cookie = res.headers.get('set-cookie');
    if (cookie) headers.cookie = cookie.split(';')[0]!;
    const json: any = await res.json().catch(() => null);
    if (res.ok && json?.csrfToken) headers['x-csrf-token'] = json.csrfToken;
    return { status: res.status, body: json };
  };
  const login = await post('/api/v1/auth/login', { email, password });
  const final = login.status === 200 && login.body.secondFactor ? await answerSecondFactor({ post }, keyring, email, login) : login;
  return { login: login.body, session: final.body, headers };
}
