import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLES, type Role } from '../domain/staff/roles';
import { postgresSkipped, testEngine } from '../../test/support/test-database';
import { TestApp, type TestClinic, type TestStaff } from '../../test/support/test-app';
import { portalClinic, portalUser, type PortalClient } from '../../test/support/portal';
import { permissions, type Rule } from './permissions';

/**
 * The access matrix, generated from the permission table: every route × every role (alone) at its
 * own clinic and at another clinic, a deployment administrator, nobody signed in, and a portal
 * user. Each cell is allowed or denied exactly as the table says: denied is a 401/403 (or, for a
 * clinic you hold no role at, a 404 that does not reveal the clinic) in the error shape; allowed is
 * anything else (a 400 or 404 about the input is fine). Also: a commissioner never receives a
 * field that identifies a service user, from any route a commissioner may call.
 */
type Method = 'GET' | 'POST' | 'PUT' | 'PATCH';
const routes = Object.entries(permissions as Record<string, Rule>).map(([key, rule]) => {
  const [method, url] = key.split(' ') as [Method, string];
  return { key, method, url, rule };
});
/** Routes that end the caller's session run last, so they do not sign the caller out of the rest. */
const endsSession = (url: string) => url.endsWith('/logout');
const ordered = [...routes.filter((r) => !endsSession(r.url)), ...routes.filter((r) => endsSession(r.url))];

/** nobody, each role at its own and at another clinic, a deployment administrator, a portal user. */
const callerCount = 1 + ROLES.length * 2 + 2;

type Who = { kind: 'nobody' } | { kind: 'role'; role: Role; where: 'own' | 'other' } | { kind: 'deployment_admin' } | { kind: 'portal' };

function expected(rule: Rule, who: Who, clinicRoute: boolean): 'allowed' | 'denied' {
  if (rule.access === 'public') return 'allowed';
  switch (who.kind) {
    case 'nobody':
      return 'denied';
    case 'portal':
      return rule.access === 'portal' ? 'allowed' : 'denied';
    case 'deployment_admin':
      return rule.access === 'deployment_admin' || rule.access === 'signed_in' ? 'allowed' : 'denied';
    case 'role':
      if (rule.access === 'signed_in') return 'allowed';
      if (rule.access !== 'clinic') return 'denied';
      if (!clinicRoute || who.where === 'other') return 'denied';
      return rule.roles.includes(who.role) ? 'allowed' : 'denied';
  }
}

const IDENTIFYING_KEYS = /^(familyName|givenName|preferredName|fullName|dateOfBirth|birthDate|nhsNumber|address|postcode|phone|telephone|mobile|email|photo|photoBase64|dataBase64|note|notes|freeText)$/i;
const DISTINCTIVE = ['Zebedeeqx', 'Quixotica', '9434765919', '943 476 5919', '1971-07-23', 'ZZ9 9ZZ', '07700 900123', 'Marmaduke Lane', 'secret-note-zq'];

describe.skipIf(postgresSkipped())('access matrix (generated from the permission table)', () => {
  let t: TestApp;
  let clinic: TestClinic;
  let other: TestClinic;
  const staff = new Map<string, TestStaff>();
  let deploymentAdmin: TestStaff;
  let portal: PortalClient;
  let ids: Record<string, string>;
  let cells = 0;

  beforeAll(async () => {
    t = await TestApp.open({ loginRateLimitPerMinute: 1_000_000 });
    const pc = await portalClinic(t);
    clinic = pc.clinic;
    other = await t.newClinic();
    for (const role of ROLES) {
      staff.set(`${role}@own`, await t.newStaff(clinic.clinicId, [role]));
      staff.set(`${role}@other`, await t.newStaff(other.clinicId, [role]));
    }
    deploymentAdmin = await t.newStaff(null, [], { deploymentAdmin: true });
    portal = await portalUser(t, pc.usernames[0]!);
    const colleague = await t.newStaff(clinic.clinicId, ['keyworker'], { signIn: false });
    ids = {
      clinicId: clinic.clinicId,
      staffId: colleague.staffId,
      serviceUserId: pc.persons[0]!.serviceUserId,
      episodeId: pc.persons[0]!.episodeId,
      sessionId: pc.sessionId,
      doseId: pc.doseIds[0]!,
      itemId: pc.item,
    };
  });
  afterAll(async () => {
    console.log(`access matrix (${testEngine()}): ${cells} route × caller cells checked over ${routes.length} routes`);
    await t?.close();
  });

  const path = (url: string, clinicId: string) =>
    url.replace(/:(\w+)/g, (_, name: string) => (name === 'clinicId' ? clinicId : (ids[name] ?? '00000000-0000-7000-8000-000000000000'))).replace('/*', '/index.html') +
    (url.endsWith('/events') ? '?once=1' : '');

  async function call(who: Who, method: Method, url: string) {
    // Always this clinic's URLs and records; "other" callers hold their role at the other clinic.
    const target = path(url, clinic.clinicId);
    const body = method === 'GET' ? undefined : {};
    if (who.kind === 'nobody') return t.client().request(method, target, body);
    if (who.kind === 'portal') return portal.request(method, target, body);
    const person = who.kind === 'deployment_admin' ? deploymentAdmin : staff.get(`${who.role}@${who.where}`)!;
    return person.client.request(method, target, body);
  }

  function check(key: string, who: Who, rule: Rule, clinicRoute: boolean, res: { status: number; body: any }) {
    cells++;
    const label = `${key} as ${JSON.stringify(who)}: ${res.status} ${JSON.stringify(res.body)?.slice(0, 200)}`;
    const want = expected(rule, who, clinicRoute);
    const code = res.body?.error?.code;
    const denied = res.status === 401 || res.status === 403 || (res.status === 404 && code === 'clinic_not_found');
    if (want === 'allowed') expect(denied, label).toBe(false);
    else {
      expect(denied, label).toBe(true);
      expect(typeof code, label).toBe('string');
      expect(typeof res.body.error.message, label).toBe('string');
    }
  }

  const callers: Who[] = [
    { kind: 'nobody' },
    ...ROLES.flatMap((role) => (['own', 'other'] as const).map((where) => ({ kind: 'role' as const, role, where }))),
    { kind: 'deployment_admin' },
    { kind: 'portal' },
  ];
  if (callers.length !== callerCount) throw new Error('callerCount is out of date');

  it.each(callers.map((who) => ({ who, name: who.kind === 'role' ? `${who.role} at ${who.where} clinic` : who.kind })))(
    'every route, called by $name',
    async ({ who }) => {
      for (const { key, method, url, rule } of ordered) {
        const res = await call(who, method, url);
        check(key, who, rule, url.includes(':clinicId'), res);
      }
    },
    300_000,
  );

  it('a commissioner never receives a field that identifies a service user', async () => {
    // People with distinctive details, so that any leak is found by value as well as by key.
    const dc = clinic.admin.client;
    const created = await dc.post(clinic.url('/service-users'), {
      record: {
        familyName: 'Zebedeeqx',
        givenName: 'Quixotica',
        preferredName: null,
        dateOfBirth: '1971-07-23',
        nhsNumber: '9434765919',
        phone: '07700 900123',
        address: { lines: ['12 Marmaduke Lane'], postcode: 'ZZ9 9ZZ' },
      },
      referral: { source: 'GP', note: 'secret-note-zq' },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const commissioner = await t.newStaff(clinic.clinicId, ['commissioner']);
    const theirs = routes.filter(({ method, rule }) => method === 'GET' && ((rule.access === 'clinic' && rule.roles.includes('commissioner')) || rule.access === 'signed_in'));
    expect(theirs.length).toBeGreaterThan(3);
    const leaksIn = (key: string, body: unknown): string[] => {
      const found: string[] = [];
      const text = typeof body === 'string' ? body : JSON.stringify(body);
      for (const s of DISTINCTIVE) if (text.includes(s)) found.push(`${key}: contains ${s}`);
      const walk = (value: unknown, at: string) => {
        if (Array.isArray(value)) value.forEach((v, i) => walk(v, `${at}[${i}]`));
        else if (value && typeof value === 'object') {
          for (const [k, v] of Object.entries(value)) {
            if (IDENTIFYING_KEYS.test(k) && v !== null && !(Array.isArray(v) && v.length === 0)) found.push(`${key}: ${at}.${k}`);
            walk(v, `${at}.${k}`);
          }
        }
      };
      walk(body, '');
      return found;
    };
    // The search can fail: a clinician's view of the same person is full of what it looks for.
    const clinicianView = await clinic.admin.client.get(clinic.url(`/service-users/${created.body.serviceUserId}`));
    expect(leaksIn('control', clinicianView.body).length).toBeGreaterThan(5);

    const leaks: string[] = [];
    let walked = 0;
    for (const { key, url } of theirs) {
      if (url.endsWith('/events') || url.startsWith('/api/v1/auth/')) continue; // the stream; their own session (their own email)
      const res = await commissioner.client.get(path(url, clinic.clinicId));
      if (res.status >= 400) continue;
      walked++;
      leaks.push(...leaksIn(key, res.body));
    }
    console.log(`commissioner: ${walked} responses walked, ${leaks.length} identifying fields`);
    expect(walked).toBeGreaterThan(0);
    expect(leaks).toEqual([]);
  });
});
