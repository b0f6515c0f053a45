import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresSkipped } from '../../../test/support/test-database';
import { TestApp, type TestClinic } from '../../../test/support/test-app';
import { licensedPrescriber, personInInduction } from '../../../test/support/clinical';
import { harmReductionRules } from '../../domain/care/harm-reduction';
import { onePersonInCare } from './people-in-care';

describe.skipIf(postgresSkipped())('injection-site problems', () => {
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
    const nurse = await t.newStaff(clinic.clinicId, ['nurse']);
    return { clinic, person, nurse, doctor, path: clinic.url(`/service-users/${person.serviceUserId}/injection-site-problems`) };
  }

  /** What the rules say about the person now: wound-care items and alerts at the hatch. */
  async function rules(clinic: TestClinic, serviceUserId: string) {
    const found = (await onePersonInCare(t.db.orm, clinic.clinicId, serviceUserId, t.clock.now()))!;
    const input = { person: found.person, settings: found.settings, today: found.today, now: t.clock.now() };
    return { items: harmReductionRules.workItems(input).filter((i) => i.list === 'wound_care_open'), alerts: harmReductionRules.alerts(input) };
  }

  const abscess = { site: 'left forearm', problem: 'abscess', description: 'Hot, red, fluctuant swelling, 3 cm', severity: 'moderate', status: 'open' };

  it('an open problem is on the wound-care list and alerts at the hatch; a referral and then a resolution (each a correction) follow through', async () => {
    const { clinic, person, nurse, path } = await setUp();
    const made = await nurse.client.post(path, abscess);
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    expect(made.body.data).toMatchObject({ ...abscess, resolvedOn: null, referral: null });
    const id = made.body.recordId;
    expect(await rules(clinic, person.serviceUserId)).toEqual({
      items: [expect.objectContaining({ severity: 'warning', dueOn: '2026-03-02', overdue: false, recordId: id, text: expect.stringContaining('not referred for wound care') })],
      alerts: [{ kind: 'injection_site', severity: 'warning', text: 'Open abscess at left forearm (since 2026-03-02, moderate): do not inject there' }],
    });

    const referred = await nurse.client.post(clinic.url(`/injection-site-problems/${id}/corrections`), {
      reason: 'referred to the wound clinic',
      data: { ...abscess, referral: { to: 'wound_clinic', referredOn: '2026-03-02' } },
    });
    expect(referred.status, JSON.stringify(referred.body)).toBe(201);
    expect((await rules(clinic, person.serviceUserId)).items).toMatchObject([{ severity: 'info', text: expect.stringContaining('referred to the wound clinic on 2026-03-02') }]);

    const resolved = await nurse.client.post(clinic.url(`/injection-site-problems/${id}/corrections`), {
      reason: 'healed, seen by wound clinic',
      data: { ...abscess, referral: { to: 'wound_clinic', referredOn: '2026-03-02' }, status: 'resolved', resolvedOn: '2026-03-02' },
    });
    expect(resolved.status, JSON.stringify(resolved.body)).toBe(201);
    expect(await rules(clinic, person.serviceUserId)).toEqual({ items: [], alerts: [] });
    const versions = (await nurse.client.get(clinic.url(`/injection-site-problems/${id}`))).body.versions;
    expect(versions.map((v: { data: { status: string }; reason: string | null }) => [v.data.status, v.reason])).toEqual([
      ['open', null],
      ['open', 'referred to the wound clinic'],
      ['resolved', 'healed, seen by wound clinic'],
    ]);
  });

  it('a suspected DVT is a danger on the list and at the hatch', async () => {
    const { clinic, person, nurse, path } = await setUp();
    expect((await nurse.client.post(path, { ...abscess, problem: 'dvt', site: 'right leg', severity: 'mild', description: 'Swollen calf, painful' })).status).toBe(201);
    const { items, alerts } = await rules(clinic, person.serviceUserId);
    expect(items).toMatchObject([{ severity: 'danger' }]);
    expect(alerts).toEqual([{ kind: 'injection_site', severity: 'danger', text: 'Suspected DVT in right leg (since 2026-03-02): no injection in that limb' }]);
  });

  it('refuses bad input and dates out of order, naming the field; writes nothing', async () => {
    const { clinic, nurse, path } = await setUp();
    const noDate = await nurse.client.post(path, { ...abscess, status: 'resolved' });
    expect(noDate.status).toBe(400);
    expect(noDate.body.error.field).toBe('resolvedOn');
    const noSite = await nurse.client.post(path, { ...abscess, site: '' });
    expect(noSite.body.error.field).toBe('site');
    const kind = await nurse.client.post(path, { ...abscess, problem: 'bruise' });
    expect(kind.body.error.field).toBe('problem');
    const early = await nurse.client.post(path, { ...abscess, status: 'resolved', resolvedOn: '2026-02-28', effectiveDate: '2026-03-01' });
    expect(early.status).toBe(422);
    expect(early.body.error).toMatchObject({ code: 'resolved_before_found', field: 'resolvedOn' });
    const future = await nurse.client.post(path, { ...abscess, referral: { to: 'gp', referredOn: '2026-03-03' } });
    expect(future.status).toBe(422);
    expect(future.body.error).toMatchObject({ code: 'date_in_future', field: 'referral.referredOn' });
    expect((await nurse.client.get(path)).body.records).toEqual([]);
    expect((await nurse.client.post(clinic.url('/injection-site-problems/00000000-0000-7000-8000-000000000000/corrections'), { reason: 'x y z', data: abscess })).status).toBe(404);
  });

  it('HCAs record; the CD accountable officer only reads; no one away is on the list, but the alert stays', async () => {
    const { clinic, person, doctor, path } = await setUp();
    const hca = await t.newStaff(clinic.clinicId, ['hca']);
    expect((await hca.client.post(path, abscess)).status).toBe(201);
    const cd = await t.newStaff(clinic.clinicId, ['cd_accountable']);
    expect((await cd.client.post(path, abscess)).status).toBe(403);
    expect((await cd.client.get(path)).body.records).toHaveLength(1);
    const away = await doctor.client.post(person.ep('/absences'), { kind: 'hospital', liaison: 'Ward 12' });
    expect(away.status, JSON.stringify(away.body)).toBe(200);
    const { items, alerts } = await rules(clinic, person.serviceUserId);
    expect(items).toEqual([]);
    expect(alerts).toHaveLength(1);
  });
});
