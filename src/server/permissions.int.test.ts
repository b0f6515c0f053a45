import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLES, type Role } from '../domain/staff/roles';
import { postgresSkipped } from '../../test/support/test-database';
import { TestApp, type TestClinic } from '../../test/support/test-app';
import { installAuthorization } from './authorize';
import type { App } from './context';
import { permissions, type Rule } from './permissions';

/**
 * Generated from the permission table: every route, called by nobody, by each role alone, by
 * staff of another clinic and by someone who must change their password first.
 */
const routes = Object.entries(permissions as Record<string, Rule>).map(([key, rule]) => {
  const [method, url] = key.split(' ') as [string, string];
  return { key, method: method as 'GET' | 'POST' | 'PUT' | 'PATCH', url, rule };
});

function allows(rule: Rule, role: Role): boolean {
  switch (rule.access) {
    case 'public':
    case 'signed_in':
      return true;
    case 'deployment_admin':
    case 'portal': // service users only: staff get 403
      return false;
    case 'clinic':
      return rule.roles.includes(role);
  }
}

describe.skipIf(postgresSkipped())('permission table', () => {
  let t: TestApp;
  let clinic: TestClinic;
  let colleague: string;
  beforeAll(async () => {
    t = await TestApp.open({ loginRateLimitPerMinute: 100_000 });
    clinic = await t.newClinic();
    colleague = (await t.newStaff(clinic.clinicId, ['nurse'], { signIn: false })).staffId;
  });
  afterAll(async () => t?.close());

  // The live-update stream would stay open: ask it to greet and end.
  const path = (url: string, clinicId = clinic.clinicId) =>
    url.replace(':clinicId', clinicId).replace(':staffId', colleague) + (url.endsWith('/events') ? '?once=1' : '');

  it.each(routes)('$key: refused without signing in unless public', async ({ method, url, rule }) => {
    const res = await t.client().request(method, path(url), method === 'GET' ? undefined : {});
    if (rule.access === 'public') expect(res.status).not.toBe(401);
    else {
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe('not_signed_in');
    }
  });

  for (const role of ROLES) {
    it.each(routes)(`$key: as ${role} alone`, async ({ method, url, rule }) => {
      const person = await t.newStaff(clinic.clinicId, [role]);
      const res = await person.client.request(method, path(url), method === 'GET' ? undefined : {});
      if (allows(rule, role)) {
        expect(res.status, JSON.stringify(res.body)).not.toBe(401);
        expect(res.status, JSON.stringify(res.body)).not.toBe(403);
        expect(res.body?.error?.code).not.toBe('clinic_not_found');
      } else {
        expect(res.status, JSON.stringify(res.body)).toBe(403);
        expect(res.body.error.code).toBe('forbidden');
      }
    });
  }

  it.each(routes.filter((r) => r.rule.access === 'clinic'))(
    '$key: answers 404 to staff of another clinic, even a deployment administrator',
    async ({ method, url }) => {
      const elsewhere = await t.newClinic();
      const outsider = await t.newStaff(elsewhere.clinicId, [...ROLES], { deploymentAdmin: true });
      const res = await outsider.client.request(method, path(url), method === 'GET' ? undefined : {});
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe('clinic_not_found');
      const missing = await outsider.client.request(
        method,
        path(url, '00000000-0000-7000-8000-000000000000'),
        method === 'GET' ? undefined : {},
      );
      expect(missing.body).toEqual(res.body);
    },
  );

  it.each(routes.filter((r) => r.rule.access === 'deployment_admin'))(
    '$key: allowed to a deployment administrator',
    async ({ method, url }) => {
      const admin = await t.newStaff(clinic.clinicId, [], { deploymentAdmin: true });
      const res = await admin.client.request(method, path(url), method === 'GET' ? undefined : {});
      expect(res.status).not.toBe(401);
      expect(res.status).not.toBe(403);
    },
  );

  it.each(routes.filter((r) => r.rule.access !== 'public'))(
    '$key: while a temporary password must be changed, only sign-out, session and password change work',
    async ({ method, url, rule }) => {
      const person = await t.newStaff(clinic.clinicId, [...ROLES], { mustChangePassword: true, deploymentAdmin: true });
      const res = await person.client.request(method, path(url), method === 'GET' ? undefined : {});
      if (rule.access === 'signed_in' && rule.duringPasswordChange) expect(res.status).not.toBe(403);
      else {
        expect(res.status).toBe(403);
        expect(res.body.error.code).toBe('password_change_required');
      }
    },
  );

  it('a route cannot be added without a rule', async () => {
    const app = Fastify() as unknown as App;
    installAuthorization(app, t.ctx);
    expect(() => app.get('/api/v1/unruled', async () => ({}))).toThrow(/has no rule in src\/server\/permissions.ts/);
  });

  it('a rule cannot name a route that does not exist', async () => {
    const app = Fastify() as unknown as App;
    installAuthorization(app, t.ctx);
    await expect(app.ready()).rejects.toThrow(/rules for routes that do not exist/);
  });
});
