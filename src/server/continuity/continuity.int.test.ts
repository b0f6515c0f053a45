import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresSkipped } from '../../../test/support/test-database';
import { TestApp, TEST_PASSWORD, type TestClinic, type TestStaff } from '../../../test/support/test-app';
import { licensedPrescriber, personInInduction, referredPerson, starting } from '../../../test/support/clinical';
import { continuityRules } from '../../domain/continuity/continuity-rules';
import { clinicCare } from '../care/people-in-care';

describe.skipIf(postgresSkipped())('continuity planning', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await TestApp.open();
  });
  afterAll(async () => t?.close());

  const peers = [
    { name: 'Lee Peer', role: 'peer champion', contact: '01642 000000', availability: 'Tuesdays 10:00–12:00' },
    { name: 'Tees Mutual Aid', role: 'mutual-aid group', contact: 'tees@example.org', availability: null },
  ];

  async function setFunding(clinic: TestClinic, continuity: { fundedUntil: string | null; noticeMonths: number }, peerSupport = peers) {
    await clinic.admin.client.signIn(clinic.admin.email);
    const current = await clinic.admin.client.get(clinic.url());
    const res = await clinic.admin.client.put(clinic.url('/settings'), {
      expectedVersion: current.body.settingsVersion,
      reason: 'funding agreed by the commissioners',
      settings: { ...current.body.settings, continuity, peerSupport },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
  }

  const signInAgain = async (...staff: TestStaff[]) => {
    for (const s of staff) await s.client.signIn(s.email);
  };

  /** A clinic with two people in treatment on IV 90 mg twice a day (after titration), one only referred. */
  async function setUp() {
    t.clock.set('2026-03-02T10:00:00Z');
    const clinic = await t.newClinic();
    const doctor = await licensedPrescriber(t, clinic);
    const nurse = await t.newStaff(clinic.clinicId, ['nurse']);
    const people = [];
    for (const name of ['Ann', 'Bob']) {
      const p = await personInInduction(t, clinic, doctor, { givenName: name, preferredName: null, familyName: 'Tester' });
      const rx = await doctor.client.post(clinic.url(`/service-users/${p.serviceUserId}/prescriptions`), starting());
      expect(rx.status, JSON.stringify(rx.body)).toBe(201);
      people.push(p);
    }
    const referred = await referredPerson(clinic, { givenName: 'Cat', preferredName: null });
    return { clinic, doctor, nurse, people, referred };
  }

  const planPath = (clinic: TestClinic, serviceUserId: string) => clinic.url(`/service-users/${serviceUserId}/continuity-plans`);

  it('status: open-ended by default; funded, then notice from six months before, then ended — with the banner for every member of staff', async () => {
    const { clinic, nurse } = await setUp();
    const commissioner = await t.newStaff(clinic.clinicId, ['commissioner']);
    expect((await nurse.client.get(clinic.url('/continuity/status'))).body).toEqual({
      today: '2026-03-02',
      status: { fundedUntil: null, noticeFrom: null, state: 'open_ended', daysLeft: null },
      warning: null,
    });
    await setFunding(clinic, { fundedUntil: '2026-12-31', noticeMonths: 6 });
    expect((await commissioner.client.get(clinic.url('/continuity/status'))).body).toMatchObject({ status: { state: 'funded', noticeFrom: '2026-06-30', daysLeft: 304 }, warning: null });
    // The list of people is not for the commissioner (anonymous figures only).
    expect((await commissioner.client.get(clinic.url('/continuity'))).status).toBe(403);

    t.clock.set('2026-06-30T08:00:00Z');
    await signInAgain(nurse, commissioner);
    const notice = await commissioner.client.get(clinic.url('/continuity/status'));
    expect(notice.body).toMatchObject({ today: '2026-06-30', status: { state: 'notice', daysLeft: 184 }, warning: expect.stringContaining('Funding for this service is agreed until 2026-12-31 (184 days left)') });

    t.clock.set('2027-01-01T10:00:00Z');
    await signInAgain(nurse);
    expect((await nurse.client.get(clinic.url('/continuity/status'))).body).toMatchObject({ status: { state: 'ended', daysLeft: 0 }, warning: expect.stringContaining('which has passed') });
  });

  it('a bad funding date or notice is refused by the settings, naming the field, and nothing changes', async () => {
    const { clinic } = await setUp();
    const current = await clinic.admin.client.get(clinic.url());
    for (const [continuity, field] of [
      [{ fundedUntil: '31/08/2026', noticeMonths: 6 }, 'settings.continuity.fundedUntil'],
      [{ fundedUntil: '2026-08-31', noticeMonths: 0 }, 'settings.continuity.noticeMonths'],
      [{ fundedUntil: '2026-08-31', noticeMonths: 25 }, 'settings.continuity.noticeMonths'],
    ] as const) {
      const res = await clinic.admin.client.put(clinic.url('/settings'), { expectedVersion: current.body.settingsVersion, reason: 'typo', settings: { ...current.body.settings, continuity } });
      expect(res.status).toBe(400);
      expect(res.body.error.field).toBe(field);
    }
    const bad = await clinic.admin.client.put(clinic.url('/settings'), { expectedVersion: current.body.settingsVersion, reason: 'typo', settings: { ...current.body.settings, peerSupport: [{ name: '', role: 'peer', contact: 'x', availability: null }] } });
    expect(bad.body.error.field).toBe('settings.peerSupport[0].name');
    expect((await clinic.admin.client.get(clinic.url())).body.settingsVersion).toBe(current.body.settingsVersion);
  });

  it('drafts a plan for everyone in treatment without one: refused without a funding date (nothing written), only for admins and prescribers, never twice', async () => {
    const { clinic, doctor, nurse, people, referred } = await setUp();
    const none = await doctor.client.post(clinic.url('/continuity/drafts'));
    expect(none.status).toBe(422);
    expect(none.body.error).toMatchObject({ code: 'no_funding_horizon', field: 'continuity.fundedUntil' });
    expect((await nurse.client.get(planPath(clinic, people[0]!.serviceUserId))).body.records).toEqual([]);

    await setFunding(clinic, { fundedUntil: '2026-08-31', noticeMonths: 6 });
    expect((await nurse.client.post(clinic.url('/continuity/drafts'))).status).toBe(403);

    t.clock.set('2026-03-10T10:00:00Z');
    await signInAgain(doctor, nurse, clinic.admin);
    const made = await clinic.admin.client.post(clinic.url('/continuity/drafts'));
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    expect(made.body.drafted.map((d: { serviceUserId: string }) => d.serviceUserId).sort()).toEqual(people.map((p) => p.serviceUserId).sort());
    expect(made.body.drafted.every((d: { option: string }) => d.option === 'planned_reduction')).toBe(true);

    const plan = (await nurse.client.get(planPath(clinic, people[0]!.serviceUserId))).body.records[0];
    expect(plan).toMatchObject({ kind: 'continuity_plan', version: 1, effectiveDate: '2026-03-10', data: { status: 'draft', fundedUntil: '2026-08-31', option: 'planned_reduction', approval: null, reduction: { route: 'iv', fromDoseMg: 90, toDoseMg: 0 } } });
    const steps = plan.data.reduction.steps as { fromDate: string; doseMg: number }[];
    expect(steps.at(-1)).toEqual({ fromDate: '2026-08-31', doseMg: 0 });
    expect(steps.every((s, i) => s.doseMg < (i === 0 ? 90 : steps[i - 1]!.doseMg))).toBe(true);

    const list = await nurse.client.get(clinic.url('/continuity'));
    expect(list.body.people.map((p: { displayName: string; plan: { state: string } }) => [p.displayName, p.plan.state])).toEqual([
      ['Ann Tester', 'draft'],
      ['Bob Tester', 'draft'],
    ]);
    expect(list.body.people.some((p: { serviceUserId: string }) => p.serviceUserId === referred.serviceUserId)).toBe(false);

    const again = await doctor.client.post(clinic.url('/continuity/drafts'));
    expect(again.body).toMatchObject({ drafted: [], superseded: [] });
    expect(again.body.skipped).toHaveLength(2);
    expect((await nurse.client.get(planPath(clinic, people[0]!.serviceUserId))).body.records).toHaveLength(1);
  });

  it('when the funding date moves, the next drafting withdraws the old plans and drafts new ones', async () => {
    const { clinic, doctor, nurse, people } = await setUp();
    await setFunding(clinic, { fundedUntil: '2026-08-31', noticeMonths: 6 });
    t.clock.set('2026-03-10T10:00:00Z');
    await signInAgain(doctor, nurse);
    const first = await doctor.client.post(clinic.url('/continuity/drafts'));
    await setFunding(clinic, { fundedUntil: '2027-03-31', noticeMonths: 6 });
    await signInAgain(doctor);
    const list = await nurse.client.get(clinic.url('/continuity'));
    expect(list.body.people[0].plan).toMatchObject({ state: 'draft', forCurrentHorizon: false });
    const second = await doctor.client.post(clinic.url('/continuity/drafts'));
    expect(second.body.superseded).toHaveLength(2);
    expect(second.body.superseded[0]).toMatchObject({ fundedUntil: '2026-08-31' });
    const old = await nurse.client.get(clinic.url(`/continuity-plans/${first.body.drafted[0].recordId}`));
    expect(old.body.versions.map((v: { data: { status: string }; reason: string | null }) => [v.data.status, v.reason])).toEqual([
      ['draft', null],
      ['superseded', 'Funding end date changed from 2026-08-31 to 2027-03-31'],
    ]);
    const fresh = (await nurse.client.get(planPath(clinic, people[0]!.serviceUserId))).body.records.find((r: { data: { status: string } }) => r.data.status === 'draft');
    // Drafted before the notice date (2026-09-30): the reduction waits for it.
    expect(fresh.data).toMatchObject({ fundedUntil: '2027-03-31' });
    expect(fresh.data.reduction.steps[0].fromDate >= '2026-09-30').toBe(true);
  });

  it('approval: a prescriber signs with their own password; a wrong password writes nothing; others may not; the prescription is untouched', async () => {
    const { clinic, doctor, nurse, people } = await setUp();
    await setFunding(clinic, { fundedUntil: '2026-08-31', noticeMonths: 6 });
    t.clock.set('2026-03-10T10:00:00Z');
    await signInAgain(doctor, nurse, clinic.admin);
    const made = await doctor.client.post(clinic.url('/continuity/drafts'));
    const recordId = made.body.drafted.find((d: { serviceUserId: string }) => d.serviceUserId === people[0]!.serviceUserId).recordId;
    const approval = clinic.url(`/continuity-plans/${recordId}/approval`);
    const rxBefore = (await doctor.client.get(clinic.url(`/service-users/${people[0]!.serviceUserId}/prescriptions`))).body;

    expect((await nurse.client.post(approval, { signature: { password: TEST_PASSWORD } })).status).toBe(403);
    expect((await clinic.admin.client.post(approval, { signature: { password: TEST_PASSWORD } })).status).toBe(403);
    const noPassword = await doctor.client.post(approval, {});
    expect(noPassword.status).toBe(400);
    expect(noPassword.body.error.field).toBe('signature');
    const wrong = await doctor.client.post(approval, { signature: { password: 'not my password' } });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error).toMatchObject({ code: 'signature_invalid', field: 'signature.password' });
    expect((await nurse.client.get(clinic.url(`/continuity-plans/${recordId}`))).body.versions).toHaveLength(1);

    // Any prescriber at the clinic may approve, signing with their own password.
    const other = await licensedPrescriber(t, clinic);
    const ok = await other.client.post(approval, { signature: { password: TEST_PASSWORD } });
    expect(ok.status, JSON.stringify(ok.body)).toBe(201);
    expect(ok.body).toMatchObject({ version: 2, reason: 'approved', recordedBy: other.staffId, data: { status: 'approved', approval: { approvedBy: other.staffId, approvedOn: '2026-03-10' } } });

    const twice = await doctor.client.post(approval, { signature: { password: TEST_PASSWORD } });
    expect(twice.status).toBe(422);
    expect(twice.body.error.code).toBe('not_a_draft');

    expect((await doctor.client.get(clinic.url(`/service-users/${people[0]!.serviceUserId}/prescriptions`))).body).toEqual(rxBefore);
    const list = await nurse.client.get(clinic.url('/continuity'));
    expect(list.body.people.find((p: { serviceUserId: string }) => p.serviceUserId === people[0]!.serviceUserId).plan).toMatchObject({ state: 'approved', recordId, approvedOn: '2026-03-10', option: 'planned_reduction' });
  });

  it('the care-record routes: a correction cannot approve; bad input names the field; one live plan; a transfer must be named before approval', async () => {
    const { clinic, doctor, nurse, people } = await setUp();
    await setFunding(clinic, { fundedUntil: '2026-08-31', noticeMonths: 6 });
    t.clock.set('2026-03-10T10:00:00Z');
    await signInAgain(doctor, nurse);
    const made = await doctor.client.post(clinic.url('/continuity/drafts'));
    const recordId = made.body.drafted.find((d: { serviceUserId: string }) => d.serviceUserId === people[0]!.serviceUserId).recordId;
    const plan = (await nurse.client.get(clinic.url(`/continuity-plans/${recordId}`))).body.versions[0].data;
    const corrections = clinic.url(`/continuity-plans/${recordId}/corrections`);
    const versions = async () => (await nurse.client.get(clinic.url(`/continuity-plans/${recordId}`))).body.versions.length;

    const sneaky = await doctor.client.post(corrections, { reason: 'approved', data: { ...plan, status: 'approved' } });
    expect(sneaky.status).toBe(422);
    expect(sneaky.body.error).toMatchObject({ code: 'approval_needs_signature', field: 'status' });

    const up = structuredClone(plan);
    up.reduction.steps[1].doseMg = up.reduction.steps[0].doseMg + 5;
    const increase = await doctor.client.post(corrections, { reason: 'typo', data: up });
    expect(increase.status).toBe(422);
    expect(increase.body.error).toMatchObject({ code: 'dose_increase', field: 'reduction.steps[1].doseMg' });

    const bad = await doctor.client.post(corrections, { reason: 'typo', data: { ...plan, option: 'detox' } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.field).toBe('data.option');
    const badCreate = await doctor.client.post(planPath(clinic, people[1]!.serviceUserId), { ...plan, transfer: { kind: 'service', to: 'x', startDate: 'soon' } });
    expect(badCreate.status).toBe(400);
    expect(badCreate.body.error.field).toBe('transfer.startDate');
    expect((await nurse.client.post(corrections, { reason: 'nurse edit', data: plan })).status).toBe(403);
    expect(await versions()).toBe(1);

    const second = await doctor.client.post(planPath(clinic, people[0]!.serviceUserId), plan);
    expect(second.status).toBe(422);
    expect(second.body.error.code).toBe('plan_exists');

    // The prescriber chooses a transfer instead; approval waits until the medicine is named.
    const transfer = { ...plan, option: 'transfer', reduction: null, transfer: { kind: 'medication', to: null, startDate: '2026-08-01' } };
    const changed = await doctor.client.post(corrections, { reason: 'agreed with Ann at review: transfer', data: transfer });
    expect(changed.status, JSON.stringify(changed.body)).toBe(201);
    const unnamed = await doctor.client.post(clinic.url(`/continuity-plans/${recordId}/approval`), { signature: { password: TEST_PASSWORD } });
    expect(unnamed.status).toBe(422);
    expect(unnamed.body.error).toMatchObject({ code: 'transfer_not_named', field: 'transfer.to' });
    await doctor.client.post(corrections, { reason: 'medicine chosen', data: { ...transfer, transfer: { ...transfer.transfer, to: 'oral methadone' } } });
    const ok = await doctor.client.post(clinic.url(`/continuity-plans/${recordId}/approval`), { signature: { password: TEST_PASSWORD } });
    expect(ok.status, JSON.stringify(ok.body)).toBe(201);
    expect(ok.body.data.transfer.to).toBe('oral methadone');

    // Correcting an approved plan makes it a draft again, needing approval again.
    const edited = await doctor.client.post(corrections, { reason: 'start a week earlier', data: { ...ok.body.data, status: 'draft', transfer: { ...ok.body.data.transfer, startDate: '2026-07-25' } } });
    expect(edited.status, JSON.stringify(edited.body)).toBe(201);
    expect(edited.body.data).toMatchObject({ status: 'draft', approval: null });
    // Withdrawing is always allowed.
    const withdrawn = await doctor.client.post(corrections, { reason: 'funding renewed', data: { ...edited.body.data, status: 'superseded' } });
    expect(withdrawn.status).toBe(201);
    expect((await nurse.client.get(clinic.url('/continuity'))).body.people.find((p: { serviceUserId: string }) => p.serviceUserId === people[0]!.serviceUserId).plan.state).toBe('none');
  });

  it('approval refuses a plan for an earlier funding date, and a reduction whose first step has passed', async () => {
    const { clinic, doctor, people } = await setUp();
    await setFunding(clinic, { fundedUntil: '2026-08-31', noticeMonths: 6 });
    t.clock.set('2026-03-10T10:00:00Z');
    await signInAgain(doctor);
    const made = await doctor.client.post(clinic.url('/continuity/drafts'));
    const [a, b] = people.map((p) => made.body.drafted.find((d: { serviceUserId: string }) => d.serviceUserId === p.serviceUserId).recordId);
    t.clock.set('2026-03-31T10:00:00Z');
    await signInAgain(doctor);
    const late = await doctor.client.post(clinic.url(`/continuity-plans/${a}/approval`), { signature: { password: TEST_PASSWORD } });
    expect(late.status).toBe(422);
    expect(late.body.error).toMatchObject({ code: 'plan_dates_passed', field: 'reduction.steps[0].fromDate' });
    await setFunding(clinic, { fundedUntil: '2026-12-31', noticeMonths: 6 });
    await signInAgain(doctor);
    const moved = await doctor.client.post(clinic.url(`/continuity-plans/${b}/approval`), { signature: { password: TEST_PASSWORD } });
    expect(moved.body.error.refusals.map((r: { rule: string }) => r.rule)).toContain('plan_horizon_mismatch');
  });

  it('the letter: plain words, the dates, who to talk to and the peer contacts; a draft is marked; for clinical roles only', async () => {
    const { clinic, doctor, nurse, people } = await setUp();
    const keyworker = await t.newStaff(clinic.clinicId, ['keyworker']);
    expect((await clinic.admin.client.put(clinic.url(`/service-users/${people[0]!.serviceUserId}/keyworker`), { staffId: keyworker.staffId, reason: 'allocation' })).status).toBe(200);
    await setFunding(clinic, { fundedUntil: '2026-08-31', noticeMonths: 6 });
    t.clock.set('2026-03-10T10:00:00Z');
    await signInAgain(doctor, nurse, keyworker, clinic.admin);
    const made = await doctor.client.post(clinic.url('/continuity/drafts'));
    const recordId = made.body.drafted.find((d: { serviceUserId: string }) => d.serviceUserId === people[0]!.serviceUserId).recordId;
    const letter = clinic.url(`/continuity-plans/${recordId}/letter`);

    const draft = await keyworker.client.get(letter);
    expect(draft.status).toBe(200);
    expect(draft.headers['content-type']).toContain('text/html');
    expect(draft.body).toContain('<strong>DRAFT.</strong> Your prescriber has not agreed this plan yet.');

    await doctor.client.post(clinic.url(`/continuity-plans/${recordId}/approval`), { signature: { password: TEST_PASSWORD } });
    const res = await nurse.client.get(letter);
    expect(res.body).not.toContain('DRAFT');
    for (const words of [
      'Dear Ann,',
      'The money for this service is agreed until Monday 31 August 2026.',
      'Your dose will go down slowly, a little at a time.',
      '<td>Now</td><td>90 mg</td>',
      'From Monday 31 August 2026 you will not have diamorphine from us.',
      'This letter does not change your prescription.',
      `Your keyworker: Test keyworker`,
      'Your prescriber: Test prescriber',
      '<strong>Lee Peer</strong> (peer champion). Contact: 01642 000000. When: Tuesdays 10:00–12:00.',
      '<strong>Tees Mutual Aid</strong>',
    ]) {
      expect(res.body).toContain(words);
    }
    const commissioner = await t.newStaff(clinic.clinicId, ['commissioner']);
    expect((await commissioner.client.get(letter)).status).toBe(403);
    const elsewhere = await t.newClinic();
    const outsider = await t.newStaff(elsewhere.clinicId, ['nurse']);
    expect((await outsider.client.get(elsewhere.url(`/continuity-plans/${recordId}/letter`))).status).toBe(404);
    const audit = await clinic.admin.client.get(clinic.url(`/audit?entityType=continuity_plan_letter`));
    expect(audit.body.events.filter((e: { entityId: string }) => e.entityId === recordId)).toHaveLength(2);
  });

  it('peer support: the contacts from the settings, for clinical roles', async () => {
    const { clinic, nurse } = await setUp();
    expect((await nurse.client.get(clinic.url('/peer-support'))).body).toEqual({ contacts: [] });
    await setFunding(clinic, { fundedUntil: null, noticeMonths: 6 });
    await signInAgain(nurse);
    expect((await nurse.client.get(clinic.url('/peer-support'))).body).toEqual({ contacts: peers });
    const commissioner = await t.newStaff(clinic.clinicId, ['commissioner']);
    expect((await commissioner.client.get(clinic.url('/peer-support'))).status).toBe(403);
  });

  it("the prescriber's work list: everyone in treatment without an approved plan, from the notice date", async () => {
    const { clinic, doctor, people } = await setUp();
    const items = async () => {
      const care = await clinicCare(t.db.orm, clinic.clinicId, t.clock.now());
      return care.people.flatMap((person) => continuityRules.workItems({ person, settings: care.settings, today: care.today, now: care.now }));
    };
    await setFunding(clinic, { fundedUntil: '2026-12-31', noticeMonths: 6 });
    expect(await items()).toEqual([]);
    t.clock.set('2026-07-01T10:00:00Z');
    expect((await items()).map((i) => [i.serviceUserId, i.list, i.text])).toEqual(
      expect.arrayContaining(people.map((p) => [p.serviceUserId, 'reviews_due', 'Continuity plan to approve: funding ends 2026-12-31 (183 days left); no plan drafted yet: draft plans on the Continuity page'])),
    );
    await signInAgain(doctor);
    const made = await doctor.client.post(clinic.url('/continuity/drafts'));
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    await doctor.client.post(clinic.url(`/continuity-plans/${made.body.drafted[0].recordId}/approval`), { signature: { password: TEST_PASSWORD } });
    const left = await items();
    expect(left).toHaveLength(1);
    expect(left[0]).toMatchObject({ serviceUserId: made.body.drafted[1].serviceUserId, recordId: made.body.drafted[1].recordId, text: expect.stringContaining('a draft is ready to review') });
  });
});
