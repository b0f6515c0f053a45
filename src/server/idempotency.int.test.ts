import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresSkipped } from '../../test/support/test-database';
import { TestApp } from '../../test/support/test-app';
import { queryAudit } from '../store/audit-log';

describe.skipIf(postgresSkipped())('Idempotency-Key', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await TestApp.open();
  });
  afterAll(async () => t?.close());

  const newStaffBody = (email: string) => ({ email, displayName: 'Once', roles: ['hca'], temporaryPassword: 'temporary pass phrase' });

  it('a retry gets the first answer and writes nothing more', async () => {
    const clinic = await t.newClinic();
    const key = crypto.randomUUID();
    const first = await clinic.admin.client.post(clinic.url('/staff'), newStaffBody('once@c.test'), { 'idempotency-key': key });
    const retry = await clinic.admin.client.post(clinic.url('/staff'), newStaffBody('once@c.test'), { 'idempotency-key': key });
    expect(first.status).toBe(201);
    expect(retry.status).toBe(201);
    expect(retry.body).toEqual(first.body);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    const creations = await queryAudit(t.db.orm, { clinicId: clinic.clinicId, action: 'create', entityType: 'staff', limit: 10 });
    expect(creations.filter((e) => e.entityId === first.body.staff.staffId)).toHaveLength(1);
  });

  it('refuses the same key for a different request', async () => {
    const clinic = await t.newClinic();
    const key = crypto.randomUUID();
    await clinic.admin.client.post(clinic.url('/staff'), newStaffBody('first@c.test'), { 'idempotency-key': key });
    const other = await clinic.admin.client.post(clinic.url('/staff'), newStaffBody('second@c.test'), { 'idempotency-key': key });
    expect(other.status).toBe(422);
    expect(other.body.error).toMatchObject({ code: 'idempotency_key_reused', field: 'Idempotency-Key' });
    const staff = (await clinic.admin.client.get(clinic.url('/staff'))).body.staff.map((s: { email: string }) => s.email);
    expect(staff).not.toContain('second@c.test');
  });

  it('a failed request stores nothing, so its retry runs again', async () => {
    const clinic = await t.newClinic();
    const key = crypto.randomUUID();
    const bad = await clinic.admin.client.put(clinic.url('/settings'), { expectedVersion: 7, reason: 'x', settings: (await clinic.admin.client.get(clinic.url())).body.settings }, { 'idempotency-key': key });
    expect(bad.status).toBe(409);
    const settings = (await clinic.admin.client.get(clinic.url())).body.settings;
    const good = await clinic.admin.client.put(clinic.url('/settings'), { expectedVersion: 7, reason: 'x', settings }, { 'idempotency-key': key });
    expect(good.status).toBe(409);
  });

  it('concurrent requests with one key write once', async () => {
    const clinic = await t.newClinic();
    const key = crypto.randomUUID();
    const answers = await Promise.all(
      Array.from({ length: 5 }, () => clinic.admin.client.post(clinic.url('/staff'), newStaffBody('racing@c.test'), { 'idempotency-key': key })),
    );
    expect(answers.map((a) => a.status)).toEqual([201, 201, 201, 201, 201]);
    expect(new Set(answers.map((a) => a.body.staff.staffId)).size).toBe(1);
    const creations = await queryAudit(t.db.orm, { clinicId: clinic.clinicId, action: 'create', entityType: 'staff', limit: 10 });
    expect(creations.filter((e) => (e.details as { email: string }).email === 'racing@c.test')).toHaveLength(1);
  });

  it('keys are per person: another person\'s identical key is independent', async () => {
    const clinic = await t.newClinic();
    const other = await t.newStaff(clinic.clinicId, ['admin']);
    const key = crypto.randomUUID();
    const mine = await clinic.admin.client.post(clinic.url('/staff'), newStaffBody('mine@c.test'), { 'idempotency-key': key });
    const theirs = await other.client.post(clinic.url('/staff'), newStaffBody('theirs@c.test'), { 'idempotency-key': key });
    expect(mine.status).toBe(201);
    expect(theirs.status).toBe(201);
    expect(theirs.body.staff.email).toBe('theirs@c.test');
  });

  it('names a malformed key', async () => {
    const clinic = await t.newClinic();
    const res = await clinic.admin.client.post(clinic.url('/staff'), newStaffBody('k@c.test'), { 'idempotency-key': 'short' });
    expect(res.status).toBe(400);
    expect(res.body.error.field).toBe('Idempotency-Key');
  });
});
