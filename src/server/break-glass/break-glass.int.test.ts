import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresSkipped } from '../../../test/support/test-database';
import { TestApp, type TestClinic, type TestStaff } from '../../../test/support/test-app';
import { referredPerson } from '../../../test/support/clinical';
import { BREAK_GLASS_HOURS } from '../../domain/staff/break-glass';

const REASON = 'Collapsed in our waiting room; needs current prescription and alerts';
const NHS = '9434765919';

describe.skipIf(postgresSkipped())('break-glass (emergency access)', () => {
  let t: TestApp;
  let home: TestClinic; // where the clinician works
  let there: TestClinic; // where the person is in treatment
  let nurse: TestStaff;
  let person: string;
  let other: string;
  beforeAll(async () => {
    t = await TestApp.open();
    home = await t.newClinic();
    there = await t.newClinic();
    nurse = await t.newStaff(home.clinicId, ['nurse']);
    person = (await referredPerson(there, { familyName: 'Glassbreak', nhsNumber: NHS })).serviceUserId;
    other = (await referredPerson(there, { familyName: 'Untouched' })).serviceUserId;
  });
  afterAll(async () => t?.close());

  const ask = (who: TestStaff, body: Record<string, unknown>, from = home) => who.client.post(from.url('/emergency-access'), body);
  const record = (who: TestStaff, id: string, path = '') => who.client.get(there.url(`/service-users/${id}${path}`));

  it('without a reason: 400 naming the field, nothing granted', async () => {
    const res = await ask(nurse, { recordClinicId: there.clinicId, serviceUserId: person });
    expect(res.status).toBe(400);
    expect(res.body.error.field).toBe('reason');
    const short = await ask(nurse, { recordClinicId: there.clinicId, serviceUserId: person, reason: 'emergency' });
    expect(short.status).toBe(400);
    expect(short.body.error.field).toBe('reason');
    const neither = await ask(nurse, { recordClinicId: there.clinicId, reason: REASON });
    expect(neither.status).toBe(400);
    expect(neither.body.error.field).toBe('serviceUserId');
    expect((await record(nurse, person)).status).toBe(404);
  });

  it('before a grant the record is out of reach, as if the clinic did not exist', async () => {
    const res = await record(nurse, person);
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('clinic_not_found');
  });

  it('a grant opens that record (read-only) for that clinician only, until it expires; audited and listed to the admins', async () => {
    const granted = await ask(nurse, { recordClinicId: there.clinicId, nhsNumber: '943 476 5919', reason: `  ${REASON}  ` });
    expect(granted.status, JSON.stringify(granted.body)).toBe(201);
    expect(granted.body).toMatchObject({ recordClinicId: there.clinicId, serviceUserId: person, staffId: nurse.staffId, fromClinicId: home.clinicId, reason: REASON, active: true });
    expect(Date.parse(granted.body.expiresAt) - Date.parse(granted.body.grantedAt)).toBe(BREAK_GLASS_HOURS * 3_600_000);

    // The record and its parts are readable...
    const read = await record(nurse, person);
    expect(read.status, JSON.stringify(read.body)).toBe(200);
    expect(read.body.record.familyName).toBe('Glassbreak');
    expect((await record(nurse, person, '/prescriptions')).status).toBe(200);
    expect((await record(nurse, person, '/history')).status).toBe(200);
    // ...but not anyone else's there, not the clinic's lists, and nothing may be written.
    expect((await record(nurse, other)).status).toBe(404);
    expect((await nurse.client.get(there.url('/service-users'))).status).toBe(404);
    expect((await nurse.client.get(there.url('/dose-list'))).status).toBe(404);
    const write = await nurse.client.put(there.url(`/service-users/${person}`), { record: {}, reason: 'x' });
    expect(write.status).toBe(404);
    // Another nurse at the same home clinic has no grant.
    const colleague = await t.newStaff(home.clinicId, ['nurse']);
    expect((await record(colleague, person)).status).toBe(404);

    // Loudly audited at the record's clinic: the grant with its reason, and the read as usual.
    const audit = (await there.admin.client.get(there.url('/audit?limit=200'))).body.events as { action: string; staffId: string; entityId: string; details: any }[];
    const glass = audit.filter((e) => e.action === 'break_glass');
    expect(glass).toHaveLength(1);
    expect(glass[0]).toMatchObject({ staffId: nurse.staffId, entityId: person, details: { reason: REASON, grantId: granted.body.grantId } });
    expect(audit.some((e) => e.action === 'read' && e.staffId === nurse.staffId && e.entityId === person)).toBe(true);

    // Reported to the administrators of the record's clinic (and only to them).
    const list = await there.admin.client.get(there.url('/break-glass'));
    expect(list.status).toBe(200);
    expect(list.body.grants).toHaveLength(1);
    expect(list.body.grants[0]).toMatchObject({ grantId: granted.body.grantId, staffId: nurse.staffId, serviceUserId: person, reason: REASON, active: true });
    expect((await home.admin.client.get(home.url('/break-glass'))).body.grants).toEqual([]);
    expect((await nurse.client.get(home.url('/emergency-access'))).body.grants[0].grantId).toBe(granted.body.grantId);
    // ...and on their work list, to check it was needed: a warning while it is open.
    const emergencyList = async () => (await there.admin.client.get(there.url('/work-lists?list=emergency_access'))).body.lists[0].items;
    const [item] = await emergencyList();
    expect(item).toMatchObject({ list: 'emergency_access', serviceUserId: person, displayName: expect.stringContaining('Glassbreak'), severity: 'warning', recordId: granted.body.grantId });
    expect(item.text).toContain(REASON);
    expect(item.text).toContain('open until');
    expect((await home.admin.client.get(home.url('/work-lists?list=emergency_access'))).body.lists[0].items).toEqual([]);
    expect((await nurse.client.get(there.url('/work-lists?list=emergency_access'))).status).toBe(404);

    // After expiry: out of reach again; the list still shows it, no longer active.
    t.clock.advance({ hours: BREAK_GLASS_HOURS });
    for (const who of [nurse, there.admin]) expect((await who.client.signIn(who.email)).status).toBe(200); // sessions idled out meanwhile
    expect((await record(nurse, person)).status).toBe(404);
    const after = await there.admin.client.get(there.url('/break-glass'));
    expect(after.body.grants[0].active).toBe(false);
    // Still on the work list for a week, now to review; after seven days it leaves it.
    expect((await emergencyList())[0]).toMatchObject({ severity: 'info', recordId: granted.body.grantId });
    t.clock.advance({ days: 7 });
    for (const who of [nurse, there.admin, home.admin]) expect((await who.client.signIn(who.email)).status).toBe(200);
    expect(await emergencyList()).toEqual([]);
  });

  it('a commissioner or an administrator (non-clinical roles) may not break the glass', async () => {
    for (const roles of [['commissioner'], ['admin'], ['cd_accountable'], ['hca']] as const) {
      const who = await t.newStaff(home.clinicId, [...roles]);
      const res = await ask(who, { recordClinicId: there.clinicId, serviceUserId: person, reason: REASON });
      expect(res.status, roles.join()).toBe(403);
      expect(res.body.error.code).toBe('forbidden');
      expect((await record(who, person)).status).toBe(404);
    }
  });

  it('someone who already works at that clinic is told to use their own access (422); an unknown person is 404', async () => {
    const both = await t.newStaff(home.clinicId, ['nurse']);
    await t.newStaff(there.clinicId, []); // (no effect: roles are per person)
    const { setRoles } = await import('../../store/staff');
    const { inTransaction, SYSTEM_ACTOR } = await import('../../store/transaction');
    await inTransaction(t.db, t.clock, SYSTEM_ACTOR, async (w) => {
      await setRoles(w, there.clinicId, both.staffId, ['hca']);
      await w.audit({ clinicId: there.clinicId, action: 'test', entityType: 'staff' });
    });
    const res = await ask(both, { recordClinicId: there.clinicId, serviceUserId: person, reason: REASON });
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('break_glass_not_needed');
    const unknown = await ask(nurse, { recordClinicId: there.clinicId, serviceUserId: '00000000-0000-7000-8000-000000000000', reason: REASON });
    expect(unknown.status).toBe(404);
    const noClinic = await ask(nurse, { recordClinicId: '00000000-0000-7000-8000-000000000000', serviceUserId: person, reason: REASON });
    expect(noClinic.status).toBe(404);
  });

  it('grants cannot be changed or deleted (append-only)', async () => {
    await expect(t.db.query('UPDATE break_glass_grants SET reason = reason')).rejects.toThrow();
    await expect(t.db.query('DELETE FROM break_glass_grants')).rejects.toThrow();
  });
});
