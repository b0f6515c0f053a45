import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresSkipped } from '../../../test/support/test-database';
import { TestApp, type TestClinic, type TestStaff } from '../../../test/support/test-app';
import { licensedPrescriber, personInInduction, starting } from '../../../test/support/clinical';
import { queryAudit } from '../../store/audit-log';
import { clinicCareRecords } from '../../store/care-records';

const AREAS = [
  { code: 'main', name: 'Main waiting room', capacity: 3, purpose: null },
  { code: 'quiet_room', name: 'Quiet room', capacity: 2, purpose: 'For people stopping street drugs' },
];

/** Slots every 30 min (AM 08:00–11:30: seven slots) with one place each, and two areas. */
async function arrivalClinic(t: TestApp, people: number, arrival: Record<string, unknown> = {}) {
  const clinic = await t.newClinic();
  const current = (await clinic.admin.client.get(clinic.url())).body;
  const settings = { ...current.settings, arrival: { slotsEnabled: true, slotMinutes: 30, peoplePerSlot: 1, waitingAreas: AREAS, ...arrival } };
  const res = await clinic.admin.client.put(clinic.url('/settings'), { expectedVersion: current.settingsVersion, settings, reason: 'arrival slots and a quiet room' });
  if (res.status !== 200) throw new Error(JSON.stringify(res.body));
  const doctor = await licensedPrescriber(t, clinic);
  const ids: string[] = [];
  for (let i = 0; i < people; i++) {
    const p = await personInInduction(t, clinic, doctor, { familyName: `Person${i}`, givenName: `P${i}`, preferredName: null });
    const rx = await doctor.client.post(clinic.url(`/service-users/${p.serviceUserId}/prescriptions`), starting());
    if (rx.status !== 201) throw new Error(JSON.stringify(rx.body));
    ids.push(p.serviceUserId);
  }
  return { clinic, doctor, ids };
}

const plan = (clinic: TestClinic, who: TestStaff, serviceUserId: string, body: Record<string, unknown>) => who.client.post(clinic.url(`/service-users/${serviceUserId}/arrival-plans`), body);

describe.skipIf(postgresSkipped())('arrival slots and waiting areas', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await TestApp.open();
  });
  afterAll(async () => t?.close());

  it('records a standing plan, checked against the sessions, slots and areas as configured', async () => {
    t.clock.set('2026-03-02T07:00:00Z');
    const { clinic, ids } = await arrivalClinic(t, 1);
    const hca = await t.newStaff(clinic.clinicId, ['hca']);
    const good = await plan(clinic, hca, ids[0]!, { preferredSlots: { AM: '08:30', PM: null }, preferredArea: 'quiet_room', separateBecause: 'stopping_street_drugs', notes: 'doing well; wants to avoid old friends' });
    expect(good.status, JSON.stringify(good.body)).toBe(201);
    expect(good.body).toMatchObject({ kind: 'arrival_plan', version: 1, data: { preferredSlots: { AM: '08:30', PM: null }, preferredArea: 'quiet_room', separateBecause: 'stopping_street_drugs' } });

    const before = await queryAudit(t.db.orm, { clinicId: clinic.clinicId, entityType: 'arrival_plan', limit: 50 });
    const notASlot = await plan(clinic, hca, ids[0]!, { preferredSlots: { AM: '08:15' } });
    expect(notASlot.status).toBe(422);
    expect(notASlot.body.error).toMatchObject({ code: 'arrival_slot_unknown', field: 'preferredSlots.AM' });
    const noArea = await plan(clinic, hca, ids[0]!, { preferredArea: 'garden' });
    expect(noArea.body.error).toMatchObject({ code: 'waiting_area_unknown', field: 'preferredArea' });
    const noSession = await plan(clinic, hca, ids[0]!, { preferredSlots: { EVE: '19:00' } });
    expect(noSession.body.error).toMatchObject({ code: 'arrival_session_unknown', field: 'preferredSlots.EVE' });
    const badShape = await plan(clinic, hca, ids[0]!, { separateBecause: 'bored' });
    expect(badShape.status).toBe(400);
    expect(badShape.body.error.field).toBe('separateBecause');
    const badTime = await plan(clinic, hca, ids[0]!, { preferredSlots: { AM: '8.30' } });
    expect(badTime.status).toBe(400);
    expect(badTime.body.error.field).toBe('preferredSlots.AM');
    expect(await queryAudit(t.db.orm, { clinicId: clinic.clinicId, entityType: 'arrival_plan', limit: 50 })).toHaveLength(before.length);
    expect((await hca.client.get(clinic.url(`/service-users/${ids[0]}/arrival-plans`))).body.records).toHaveLength(1);

    // A correction is a new version; the old one stays.
    const corrected = await hca.client.post(clinic.url(`/arrival-plans/${good.body.recordId}/corrections`), { reason: 'prefers the first slot', data: { preferredSlots: { AM: '08:00' }, preferredArea: 'quiet_room', separateBecause: 'stopping_street_drugs' } });
    expect(corrected.status, JSON.stringify(corrected.body)).toBe(201);
    expect((await hca.client.get(clinic.url(`/arrival-plans/${good.body.recordId}`))).body.versions).toHaveLength(2);
  });

  it('allocates everyone expected: preferences where there is room, the nearest slot otherwise, people stopping apart from people using', async () => {
    t.clock.set('2026-03-02T07:00:00Z');
    const { clinic, ids } = await arrivalClinic(t, 5);
    const [a, b, c, d, e] = ids as [string, string, string, string, string];
    const nurse = await t.newStaff(clinic.clinicId, ['nurse']);
    for (const [id, body] of [
      [a, { preferredSlots: { AM: '08:30' }, preferredArea: 'quiet_room', separateBecause: 'stopping_street_drugs' }],
      [b, { preferredSlots: { AM: '08:30' }, preferredArea: 'quiet_room', separateBecause: 'actively_using' }],
      [c, { preferredSlots: { AM: '10:00' }, preferredArea: 'main' }],
      [d, { separateBecause: 'stopping_street_drugs' }],
    ] as const) {
      expect((await plan(clinic, nurse, id, body)).status).toBe(201);
    }
    const res = await nurse.client.get(clinic.url('/arrival-slots?session=AM&date=2026-03-02'));
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const r = res.body;
    expect(r).toMatchObject({ date: '2026-03-02', session: { code: 'AM', start: '08:00', end: '11:30' }, enabled: true, slotMinutes: 30, peoplePerSlot: 1 });
    expect(r.slots.map((s: any) => s.code)).toEqual(['AM-0800', 'AM-0830', 'AM-0900', 'AM-0930', 'AM-1000', 'AM-1030', 'AM-1100']);
    const who = (id: string) => r.people.find((p: any) => p.serviceUserId === id);
    expect(r.people).toHaveLength(5);
    // The two who want 08:30: the one with the lower id has it; the other the nearest (08:00 on a tie).
    const [first, second] = [a, b].sort();
    expect(who(first!)).toMatchObject({ slot: { start: '08:30' }, slotBasis: 'preferred' });
    expect(who(second!)).toMatchObject({ slot: { start: '08:00' }, slotBasis: 'assigned', notes: expect.arrayContaining([expect.stringContaining('Prefers 08:30, but that slot is full')]) });
    expect(who(c)).toMatchObject({ slot: { start: '10:00' }, area: 'main', areaName: 'Main waiting room', areaBasis: 'preferred' });
    // Stopping street drugs: the quiet room; actively using: never with them.
    expect(who(a)).toMatchObject({ area: 'quiet_room', areaBasis: 'preferred', separateBecause: 'stopping_street_drugs' });
    expect(who(d)).toMatchObject({ area: 'quiet_room', separateBecause: 'stopping_street_drugs' });
    expect(who(b)).toMatchObject({ area: 'main', separateBecause: 'actively_using' });
    expect(who(b).notes.join(' ')).toContain('Prefers Quiet room');
    expect(who(e).slot).not.toBeNull();
    expect(r.warnings).toEqual([]);
    expect(r.unallocated).toEqual([]);
    expect(r.areas).toEqual([
      { code: 'main', name: 'Main waiting room', purpose: null, capacity: 3, count: 3 },
      { code: 'quiet_room', name: 'Quiet room', purpose: 'For people stopping street drugs', capacity: 2, count: 2 },
    ]);
    expect(r.slots.every((s: any) => s.count <= 1)).toBe(true);

    const areas = (await nurse.client.get(clinic.url('/waiting-areas?session=AM'))).body;
    expect(areas.areas.map((x: any) => [x.code, x.count, x.capacity])).toEqual([['main', 3, 3], ['quiet_room', 2, 2]]);
    expect(areas.areas[1].people.map((p: any) => p.serviceUserId).sort()).toEqual([a, d].sort());
    expect(areas.withoutArea).toEqual([]);

    const audit = await queryAudit(t.db.orm, { clinicId: clinic.clinicId, entityType: 'arrival_allocation', limit: 5 });
    expect(audit[0]).toMatchObject({ action: 'read', details: { date: '2026-03-02', session: 'AM' } });
  });

  it('lists the people there is no room for, and warns when people stopping must wait with people using', async () => {
    t.clock.set('2026-03-02T07:00:00Z');
    const { clinic, ids } = await arrivalClinic(t, 4, { slotMinutes: 60, peoplePerSlot: 1, waitingAreas: [{ code: 'main', name: 'Main waiting room', capacity: 3, purpose: null }] });
    const nurse = await t.newStaff(clinic.clinicId, ['nurse']);
    await plan(clinic, nurse, ids[0]!, { separateBecause: 'stopping_street_drugs' });
    await plan(clinic, nurse, ids[1]!, { separateBecause: 'actively_using' });
    const r = (await nurse.client.get(clinic.url('/arrival-slots?session=AM'))).body;
    // AM 08:00–11:30 in hours: 08:00, 09:00, 10:00, 11:00 — four places, four people; but three seats.
    expect(r.slots).toHaveLength(4);
    expect(r.unallocated).toEqual([expect.objectContaining({ why: 'every waiting area is full (3 places in 1 areas)' })]);
    expect(r.warnings).toEqual([expect.objectContaining({ rule: 'waiting_apart', area: 'main', message: expect.stringContaining('1 stopping street drugs wait with 1 actively using') })]);
  });

  it('moves a person for the day; refuses a full slot or area, or seating people stopping with people using, writing nothing', async () => {
    t.clock.set('2026-03-02T07:00:00Z');
    const { clinic, ids } = await arrivalClinic(t, 3);
    const [s, u, x] = ids as [string, string, string];
    const hca = await t.newStaff(clinic.clinicId, ['hca']);
    await plan(clinic, hca, s, { preferredSlots: { AM: '08:00' }, preferredArea: 'quiet_room', separateBecause: 'stopping_street_drugs' });
    await plan(clinic, hca, u, { preferredSlots: { AM: '09:00' }, preferredArea: 'main', separateBecause: 'actively_using' });
    await plan(clinic, hca, x, { preferredSlots: { AM: '10:00' }, preferredArea: 'main' });
    const moves = clinic.url('/arrival-slots/moves');
    const changes = async () => (await clinicCareRecords(t.db.orm, clinic.clinicId, ['arrival_change'])).length;
    const audited = async () => (await queryAudit(t.db.orm, { clinicId: clinic.clinicId, entityType: 'arrival_change', limit: 50 })).length;

    const ok = await hca.client.post(moves, { serviceUserId: x, date: '2026-03-02', session: 'AM', slot: '08:30', area: 'quiet_room', reason: 'bus was early; sits quietly' });
    expect(ok.status, JSON.stringify(ok.body)).toBe(201);
    expect(ok.body).toMatchObject({ serviceUserId: x, date: '2026-03-02', session: 'AM', slot: '08:30', area: 'quiet_room', previous: { slot: '10:00', area: 'main' }, reason: 'bus was early; sits quietly', recordedBy: hca.staffId });
    let r = (await hca.client.get(clinic.url('/arrival-slots?session=AM'))).body;
    const who = (id: string) => r.people.find((p: any) => p.serviceUserId === id);
    expect(who(x)).toMatchObject({ slot: { start: '08:30' }, slotBasis: 'moved', area: 'quiet_room', areaBasis: 'moved', lastMove: { reason: 'bus was early; sits quietly' } });
    // Tomorrow is untouched: a move is for one day.
    const tomorrow = (await hca.client.get(clinic.url('/arrival-slots?session=AM&date=2026-03-03'))).body;
    expect(tomorrow.people.find((p: any) => p.serviceUserId === x)).toMatchObject({ slot: { start: '10:00' }, slotBasis: 'preferred' });
    expect(await changes()).toBe(1);
    expect(await audited()).toBe(1);

    // Capacity, separation and existence: 422 naming the rule and the field; nothing written.
    const cases: [Record<string, unknown>, string, string][] = [
      [{ serviceUserId: u, slot: '08:00' }, 'slot_full', 'slot'],
      [{ serviceUserId: u, area: 'quiet_room' }, 'waiting_area_full', 'area'],
      [{ serviceUserId: u, slot: '08:15' }, 'arrival_slot_unknown', 'slot'],
      [{ serviceUserId: u, area: 'garden' }, 'waiting_area_unknown', 'area'],
    ];
    for (const [body, rule, field] of cases) {
      const res = await hca.client.post(moves, { date: '2026-03-02', session: 'AM', reason: 'test', ...body });
      expect(res.status, JSON.stringify(res.body)).toBe(422);
      expect(res.body.error).toMatchObject({ code: rule, field });
    }
    // Moving x back out of the quiet room makes room there, but not for someone actively using.
    await hca.client.post(moves, { serviceUserId: x, date: '2026-03-02', session: 'AM', area: 'main', reason: 'back to the main room' });
    const apart = await hca.client.post(moves, { serviceUserId: u, date: '2026-03-02', session: 'AM', area: 'quiet_room', reason: 'wants quiet' });
    expect(apart.body.error).toMatchObject({ code: 'waiting_apart', field: 'area' });
    expect(apart.body.error.message).toContain('stopping street drugs');
    const full = (await hca.client.post(moves, { serviceUserId: s, date: '2026-03-02', session: 'AM', slot: '08:30', reason: 'swap' })).body;
    expect(full.error).toMatchObject({ code: 'slot_full', message: 'The 08:30 slot is full (1 of 1 places)' });
    expect(await changes()).toBe(2);
    expect(await audited()).toBe(2);
    r = (await hca.client.get(clinic.url('/arrival-slots?session=AM'))).body;
    expect(who(x)).toMatchObject({ slot: { start: '08:30' }, slotBasis: 'moved', area: 'main', areaBasis: 'moved' });
  });

  it('refuses bad moves with 400 naming the field, someone not expected, and moves when slots are off', async () => {
    t.clock.set('2026-03-02T07:00:00Z');
    const { clinic, doctor, ids } = await arrivalClinic(t, 1);
    const nurse = await t.newStaff(clinic.clinicId, ['nurse']);
    const moves = clinic.url('/arrival-slots/moves');
    const base = { serviceUserId: ids[0], date: '2026-03-02', session: 'AM', slot: '09:00', reason: 'came early' };
    for (const [body, field] of [
      [{ ...base, slot: undefined }, 'slot'],
      [{ ...base, date: '2026-02-30' }, 'date'],
      [{ ...base, date: '2026-03-01' }, 'date'],
      [{ ...base, session: 'XX' }, 'session'],
      [{ ...base, session: 'am' }, 'session'],
      [{ ...base, slot: '9am' }, 'slot'],
      [{ ...base, reason: '' }, 'reason'],
      [{ ...base, serviceUserId: 'nobody' }, 'serviceUserId'],
    ] as const) {
      const res = await nurse.client.post(moves, body);
      expect(res.status, `${field}: ${JSON.stringify(res.body)}`).toBe(400);
      expect(res.body.error.field).toBe(field);
    }
    expect((await nurse.client.get(clinic.url('/arrival-slots?session=AM&date=2026-03-01'))).body.error.field).toBe('date');
    expect((await nurse.client.get(clinic.url('/arrival-slots'))).body.error.field).toBe('session');
    const missing = await nurse.client.post(moves, { ...base, serviceUserId: '00000000-0000-7000-8000-000000000000' });
    expect(missing.status).toBe(404);

    // Someone in the clinic but not expected (no prescription yet).
    const newcomer = await personInInduction(t, clinic, doctor, { familyName: 'New', givenName: 'Comer', preferredName: null });
    const notExpected = await nurse.client.post(moves, { ...base, serviceUserId: newcomer.serviceUserId });
    expect(notExpected.status).toBe(422);
    expect(notExpected.body.error).toMatchObject({ code: 'not_expected', field: 'serviceUserId' });

    const current = (await clinic.admin.client.get(clinic.url())).body;
    await clinic.admin.client.put(clinic.url('/settings'), { expectedVersion: current.settingsVersion, settings: { ...current.settings, arrival: { ...current.settings.arrival, slotsEnabled: false } }, reason: 'slots paused' });
    const off = await nurse.client.post(moves, base);
    expect(off.body.error.code).toBe('arrival_slots_off');
    expect((await nurse.client.get(clinic.url('/arrival-slots?session=AM'))).body.enabled).toBe(false);
    expect(await clinicCareRecords(t.db.orm, clinic.clinicId, ['arrival_change'])).toEqual([]);
  });

  it('two staff moving two people into the last place at once: one is refused', async () => {
    t.clock.set('2026-03-02T07:00:00Z');
    const { clinic, ids } = await arrivalClinic(t, 2);
    const [one, two] = [await t.newStaff(clinic.clinicId, ['nurse']), await t.newStaff(clinic.clinicId, ['hca'])];
    await plan(clinic, one, ids[0]!, { preferredSlots: { AM: '08:00' } });
    await plan(clinic, one, ids[1]!, { preferredSlots: { AM: '08:30' } });
    const move = (who: TestStaff, id: string) => who.client.post(clinic.url('/arrival-slots/moves'), { serviceUserId: id, date: '2026-03-02', session: 'AM', slot: '11:00', reason: 'late bus' });
    const results = await Promise.all([move(one, ids[0]!), move(two, ids[1]!)]);
    expect(results.map((r) => r.status).sort()).toEqual([201, 422]);
    expect(results.find((r) => r.status === 422)!.body.error.code).toBe('slot_full');
    const r = (await one.client.get(clinic.url('/arrival-slots?session=AM'))).body;
    expect(r.slots.find((x: any) => x.start === '11:00').count).toBe(1);
    expect(await clinicCareRecords(t.db.orm, clinic.clinicId, ['arrival_change'])).toHaveLength(1);
  });

  it('lets the right roles read, move and report', async () => {
    t.clock.set('2026-03-02T07:00:00Z');
    const { clinic, ids } = await arrivalClinic(t, 1);
    const body = { serviceUserId: ids[0], date: '2026-03-02', session: 'AM', slot: '09:00', reason: 'moved' };
    for (const role of ['admin', 'prescriber', 'nurse', 'hca', 'keyworker', 'cd_accountable', 'commissioner'] as const) {
      const who = await t.newStaff(clinic.clinicId, [role]);
      const read = await who.client.get(clinic.url('/arrival-slots?session=AM'));
      const areas = await who.client.get(clinic.url('/waiting-areas?session=AM'));
      const move = await who.client.post(clinic.url('/arrival-slots/moves'), body);
      const planned = await plan(clinic, who, ids[0]!, {});
      const report = await who.client.get(clinic.url('/reports/travel?from=2026-03-01&to=2026-03-02'));
      const mayRead = role !== 'commissioner';
      const mayArrange = ['admin', 'prescriber', 'nurse', 'hca', 'keyworker'].includes(role);
      const mayReport = ['admin', 'prescriber', 'nurse', 'keyworker'].includes(role);
      expect([role, read.status, areas.status]).toEqual([role, mayRead ? 200 : 403, mayRead ? 200 : 403]);
      expect([role, move.status]).toEqual([role, mayArrange ? 201 : 403]);
      expect([role, planned.status]).toEqual([role, mayArrange ? 201 : 403]);
      expect([role, report.status]).toEqual([role, mayReport ? 200 : 403]);
    }
  });
});
