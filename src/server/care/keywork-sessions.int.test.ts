import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresSkipped } from '../../../test/support/test-database';
import { TestApp } from '../../../test/support/test-app';
import { licensedPrescriber, personInInduction } from '../../../test/support/clinical';

describe.skipIf(postgresSkipped())('key-work sessions', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await TestApp.open();
  });
  afterAll(async () => t?.close());

  async function setUp() {
    t.clock.set('2026-03-02T10:00:00Z');
    const clinic = await t.newClinic();
    const doctor = await licensedPrescriber(t, clinic);
    const person = await personInInduction(t, clinic, doctor);
    const keyworker = await t.newStaff(clinic.clinicId, ['keyworker']);
    return { clinic, person, keyworker, path: clinic.url(`/service-users/${person.serviceUserId}/keywork-sessions`) };
  }

  const session = { attendance: 'attended', durationMinutes: 50, topics: ['housing', 'drug_use'], notes: 'Went through the housing form together.', nextSessionOn: '2026-03-09' };

  it('records sessions that took place and sessions missed; a missed one needs no notes', async () => {
    const { clinic, keyworker, path } = await setUp();
    const held = await keyworker.client.post(path, session);
    expect(held.status, JSON.stringify(held.body)).toBe(201);
    expect(held.body).toMatchObject({ kind: 'keywork_session', effectiveDate: '2026-03-02', data: session });
    const dna = await keyworker.client.post(path, { attendance: 'did_not_attend', effectiveDate: '2026-02-23', nextSessionOn: '2026-03-02' });
    expect(dna.status, JSON.stringify(dna.body)).toBe(201);
    expect(dna.body.data).toEqual({ attendance: 'did_not_attend', durationMinutes: null, topics: [], notes: null, nextSessionOn: '2026-03-02' });
    expect((await keyworker.client.get(path)).body.records.map((r: { effectiveDate: string }) => r.effectiveDate)).toEqual(['2026-03-02', '2026-02-23']);
    const fixed = await keyworker.client.post(clinic.url(`/keywork-sessions/${held.body.recordId}/corrections`), { reason: 'it was 40 minutes', data: { ...session, durationMinutes: 40 } });
    expect(fixed.status).toBe(201);
    expect(fixed.body).toMatchObject({ version: 2, data: { durationMinutes: 40 } });
  });

  it('refuses a session without its length or notes, bad topics, and a next session not after this one; writes nothing', async () => {
    const { keyworker, path } = await setUp();
    const noLength = await keyworker.client.post(path, { ...session, durationMinutes: undefined });
    expect(noLength.status).toBe(400);
    expect(noLength.body.error.field).toBe('durationMinutes');
    const noNotes = await keyworker.client.post(path, { ...session, notes: '  ' });
    expect(noNotes.body.error.field).toBe('notes');
    const long = await keyworker.client.post(path, { ...session, durationMinutes: 300 });
    expect(long.body.error.field).toBe('durationMinutes');
    const topic = await keyworker.client.post(path, { ...session, topics: ['housing', 'weather'] });
    expect(topic.body.error.field).toBe('topics[1]');
    const next = await keyworker.client.post(path, { ...session, nextSessionOn: '2026-03-02' });
    expect(next.status).toBe(422);
    expect(next.body.error).toMatchObject({ code: 'next_session_not_after', field: 'nextSessionOn' });
    expect((await keyworker.client.get(path)).body.records).toEqual([]);
  });

  it('HCAs and the CD accountable officer read but do not record', async () => {
    const { clinic, path } = await setUp();
    for (const role of ['hca', 'cd_accountable'] as const) {
      const s = await t.newStaff(clinic.clinicId, [role]);
      expect((await s.client.post(path, session)).status).toBe(403);
      expect((await s.client.get(path)).status).toBe(200);
    }
    const nurse = await t.newStaff(clinic.clinicId, ['nurse']);
    expect((await nurse.client.post(path, session)).status).toBe(201);
  });
});
