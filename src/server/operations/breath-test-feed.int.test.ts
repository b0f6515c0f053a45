import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresSkipped } from '../../../test/support/test-database';
import { TestApp, type TestClinic } from '../../../test/support/test-app';
import { record } from '../../../test/support/clinical';
import { dosingClinic, fine, openSession } from '../../../test/support/dosing';

/** A recent breath test (a care record) stands in for a reading at the pre-dose assessment. */
describe.skipIf(postgresSkipped())('breath tests feed the pre-dose assessment', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await TestApp.open();
  });
  afterAll(async () => t?.close());

  async function flagAlcohol(clinic: TestClinic, serviceUserId: string, i: number) {
    const res = await clinic.admin.client.put(clinic.url(`/service-users/${serviceUserId}`), {
      expectedVersion: 1,
      reason: 'identified alcohol use',
      record: record({ familyName: `Person${i}`, givenName: `P${i}`, preferredName: null, alcohol: { knownUse: true, notes: null } }),
    });
    if (res.status !== 200) throw new Error(JSON.stringify(res.body));
  }

  it('a test 10 minutes before an assessment with no reading counts as if typed in; one 90 minutes old does not', async () => {
    t.clock.set('2026-03-02T07:20:00Z');
    const { clinic, nurse, hca, persons } = await dosingClinic(t, 2);
    const [recent, stale] = persons.map((p) => p.serviceUserId) as [string, string];
    await flagAlcohol(clinic, recent, 0);
    await flagAlcohol(clinic, stale, 1);
    const breath = (id: string, body: object) => hca.client.post(clinic.url(`/service-users/${id}/breath-tests`), { reason: 'daily_required', ...body });

    t.clock.set('2026-03-02T07:30:00Z');
    expect((await breath(stale, { reading: { value: 0, unit: 'mg_per_l_breath' } })).status).toBe(201);
    t.clock.set('2026-03-02T08:50:00Z');
    await hca.client.signIn(hca.email);
    // Taken at 08:50: no occurredAt, so the time it was recorded.
    const test = await breath(recent, { reading: { value: 30, unit: 'ug_per_100ml_breath' } });
    expect(test.status, JSON.stringify(test.body)).toBe(201);
    expect(test.body.data.mgPerL).toBe(0.3);

    t.clock.set('2026-03-02T09:00:00Z');
    await nurse.client.signIn(nurse.email);
    await hca.client.signIn(hca.email);
    const sessionId = await openSession(clinic, nurse, hca);
    const reduced = await nurse.client.post(clinic.url(`/sessions/${sessionId}/assessments`), { serviceUserId: recent, findings: fine });
    expect(reduced.status, JSON.stringify(reduced.body)).toBe(201);
    expect(reduced.body.decision.outcome).toBe('give_reduced');
    expect(reduced.body.decision.reasons.map((r: { rule: string }) => r.rule)).toEqual(['breath_alcohol_reduce']);
    const assessed = reduced.body.events.at(-1);
    expect(assessed.findings).toMatchObject({ breathAlcoholMgPerL: 0.3, breathTestRequired: true });
    expect(assessed.breathTest).toEqual({ recordId: test.body.recordId, mgPerL: 0.3, at: '2026-03-02T08:50:00Z' });
    expect(reduced.body.allowance.maxMg).toBeLessThan(60);

    const refused = await nurse.client.post(clinic.url(`/sessions/${sessionId}/assessments`), { serviceUserId: stale, findings: fine });
    expect(refused.status, JSON.stringify(refused.body)).toBe(201);
    expect(refused.body.stage).toBe('refused');
    expect(refused.body.events.at(-1)).toMatchObject({ type: 'refused', reasons: [{ rule: 'breath_test_required' }] });
    expect(refused.body.events.at(-2).breathTest).toBeUndefined();
    expect(refused.body.events.at(-2).findings.breathAlcoholMgPerL).toBeNull();

    // A reading typed in at the hatch is the one that counts.
    const typed = await nurse.client.post(clinic.url(`/sessions/${sessionId}/assessments`), { serviceUserId: stale, findings: fine, breathAlcohol: { value: 0, unit: 'mg_per_l_breath' } });
    expect(typed.body).toMatchObject({ stage: 'assessed', decision: { outcome: 'give' } });
    expect(typed.body.events.at(-1).breathTest).toBeUndefined();
  });

  it('a high test refuses anyone, flagged or not; a late entry never uses a test taken after it', async () => {
    t.clock.set('2026-03-02T08:40:00Z');
    const { clinic, nurse, hca, persons } = await dosingClinic(t, 2);
    const [notFlagged, flagged] = persons.map((p) => p.serviceUserId) as [string, string];
    await flagAlcohol(clinic, flagged, 1);
    const high = await nurse.client.post(clinic.url(`/service-users/${notFlagged}/breath-tests`), { reading: { value: 0.55, unit: 'mg_per_l_breath' }, reason: 'on_request', occurredAt: '2026-03-02T08:30:00Z' });
    expect(high.status, JSON.stringify(high.body)).toBe(201);
    const sessionId = await openSession(clinic, nurse, hca);
    const refused = await nurse.client.post(clinic.url(`/sessions/${sessionId}/assessments`), { serviceUserId: notFlagged, findings: fine });
    expect(refused.body.stage).toBe('refused');
    expect(refused.body.events.at(-1).reasons.map((r: { rule: string }) => r.rule)).toEqual(['breath_alcohol_too_high']);
    expect(refused.body.events.at(-2).breathTest.recordId).toBe(high.body.recordId);

    // At 09:20 the nurse enters an assessment that happened at 09:00; the breath test was at 09:10.
    t.clock.set('2026-03-02T09:10:00Z');
    await nurse.client.signIn(nurse.email);
    expect((await nurse.client.post(clinic.url(`/service-users/${flagged}/breath-tests`), { reading: { value: 0, unit: 'mg_per_l_breath' }, reason: 'daily_required' })).status).toBe(201);
    t.clock.set('2026-03-02T09:20:00Z');
    const late = await nurse.client.post(clinic.url(`/sessions/${sessionId}/assessments`), { serviceUserId: flagged, findings: fine, occurredAt: '2026-03-02T09:00:00Z' });
    expect(late.status, JSON.stringify(late.body)).toBe(201);
    expect(late.body.events.at(-1).reasons.map((r: { rule: string }) => r.rule)).toEqual(['breath_test_required']);
    // Assessed now, the same test counts.
    const now = await nurse.client.post(clinic.url(`/sessions/${sessionId}/assessments`), { serviceUserId: flagged, findings: fine });
    expect(now.body).toMatchObject({ stage: 'assessed', decision: { outcome: 'give' } });
  });
});
