import { readFileSync } from 'node:fs';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresSkipped } from '../../../test/support/test-database';
import { TEST_PASSWORD, TestApp, type TestClinic, type TestStaff } from '../../../test/support/test-app';
import { licensedPrescriber, personInInduction, referredPerson } from '../../../test/support/clinical';
import { queryAudit } from '../../store/audit-log';
import { careImports, episodes, prescriptionVersions, serviceUsers } from '../../store/schema';

const fixture = (name: string) => readFileSync(new URL(`../../../test/fixtures/imports/${name}`, import.meta.url), 'utf8');
const rowsAndFields = (rejected: { row: number; field: string }[]) => rejected.map((p) => [p.row, p.field]);

describe.skipIf(postgresSkipped())('imports of service users and prescriptions', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await TestApp.open();
  });
  afterAll(async () => t?.close());

  const written = async (clinic: TestClinic) => ({
    people: (await t.db.orm.select().from(serviceUsers).where(eq(serviceUsers.clinicId, clinic.clinicId))).length,
    episodes: (await t.db.orm.select().from(episodes).where(eq(episodes.clinicId, clinic.clinicId))).length,
    prescriptions: (await t.db.orm.select().from(prescriptionVersions).where(eq(prescriptionVersions.clinicId, clinic.clinicId))).length,
    imports: (await t.db.orm.select().from(careImports).where(eq(careImports.clinicId, clinic.clinicId))).length,
  });

  describe('service users', () => {
    async function setting() {
      t.clock.set('2026-03-10T10:00:00Z');
      const clinic = await t.newClinic();
      const send = (who: TestStaff, file: string, mode: string, dryRun = false) => who.client.post(clinic.url('/imports/service-users'), { fileName: file, csv: fixture(file), mode, dryRun });
      return { clinic, send };
    }

    it('a good file: a dry run writes nothing; the import creates each person as the API does, with their referral', async () => {
      const { clinic, send } = await setting();
      const check = await send(clinic.admin, 'service-users-good.csv', 'all_or_nothing', true);
      expect(check.status, JSON.stringify(check.body)).toBe(200);
      expect(check.body).toMatchObject({ kind: 'service_users', outcome: 'would_import', rowsTotal: 3, rowsValid: 3, rowsRejected: 0, importId: null, created: [] });
      expect(await written(clinic)).toEqual({ people: 0, episodes: 0, prescriptions: 0, imports: 0 });

      const res = await send(clinic.admin, 'service-users-good.csv', 'all_or_nothing');
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      expect(res.body).toMatchObject({ outcome: 'imported', rowsImported: 3, rejected: [] });
      expect(await written(clinic)).toEqual({ people: 3, episodes: 2, prescriptions: 0, imports: 1 });

      const jo = res.body.created.find((c: { row: number }) => c.row === 2);
      const detail = await clinic.admin.client.get(clinic.url(`/service-users/${jo.serviceUserId}`));
      expect(detail.status).toBe(200);
      expect(detail.body.record).toMatchObject({ familyName: 'Bloggs', nhsNumber: '9990000018', alcohol: { knownUse: true } });
      expect(detail.body.episode).toMatchObject({ state: 'referred' });
      const audit = await queryAudit(t.db.orm, { clinicId: clinic.clinicId, entityType: 'service_users_import', limit: 5 });
      expect(audit).toEqual([expect.objectContaining({ action: 'import', entityId: res.body.importId })]);

      // Importing the same file again: every NHS number is now at the clinic.
      const again = await send(clinic.admin, 'service-users-good.csv', 'valid_rows_only');
      expect(again.status).toBe(201);
      expect(rowsAndFields(again.body.rejected)).toEqual([
        [2, 'nhs_number'],
        [3, 'nhs_number'],
      ]);
      expect(again.body.rowsImported).toBe(1); // row 4 has no NHS number: a new person, as the API would make
    });

    it('a bad file is refused in either mode with every problem by row and column', async () => {
      const { clinic, send } = await setting();
      const res = await send(clinic.admin, 'service-users-bad.csv', 'all_or_nothing');
      expect(res.status).toBe(422);
      expect(res.body.error.code).toBe('import_has_errors');
      expect(rowsAndFields(res.body.report.rejected)).toEqual([
        [2, 'family_name'],
        [3, 'date_of_birth'],
        [4, 'nhs_number'],
        [5, 'date_of_birth'],
        [6, 'address_line_1'],
        [7, 'no_fixed_abode'],
        [8, 'episode_state'],
        [9, 'referral_source'],
        [9, 'referral_date'],
      ]);
      const partly = await send(clinic.admin, 'service-users-bad.csv', 'valid_rows_only');
      expect(partly.status).toBe(201);
      expect(partly.body).toMatchObject({ rowsImported: 0, rowsRejected: 8 });
      expect(await written(clinic)).toEqual({ people: 0, episodes: 0, prescriptions: 0, imports: 1 });

      const columns = await send(clinic.admin, 'service-users-bad-columns.csv', 'valid_rows_only');
      expect(columns.status).toBe(422);
      expect(columns.body.error.code).toBe('import_file_invalid');
      expect(rowsAndFields(columns.body.report.rejected)).toEqual([
        [1, 'surname'],
        [1, 'family_name'],
        [1, 'date_of_birth'],
      ]);
      expect(await written(clinic)).toEqual({ people: 0, episodes: 0, prescriptions: 0, imports: 1 });
    });

    it('a mixed file: all or nothing writes nothing; valid rows only writes exactly the valid rows', async () => {
      const { clinic, send } = await setting();
      await referredPerson(clinic, { nhsNumber: '9990000077' });
      const before = await written(clinic);
      const refused = await send(clinic.admin, 'service-users-mixed.csv', 'all_or_nothing');
      expect(refused.status).toBe(422);
      expect(await written(clinic)).toEqual(before);
      const res = await send(clinic.admin, 'service-users-mixed.csv', 'valid_rows_only');
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      expect(res.body.created.map((c: { row: number }) => c.row)).toEqual([2, 8]);
      expect(rowsAndFields(res.body.rejected)).toEqual([
        [4, 'date_of_birth'],
        [5, 'nhs_number'],
        [6, 'nhs_number'],
        [7, 'nhs_number'],
      ]);
      expect(await written(clinic)).toEqual({ ...before, people: before.people + 2, episodes: before.episodes + 1, imports: 1 });
      const list = await clinic.admin.client.get(clinic.url('/imports'));
      expect(list.status).toBe(200);
      expect(list.body.imports).toEqual([expect.objectContaining({ importId: res.body.importId, kind: 'service_users', fileName: 'service-users-mixed.csv', rowsTotal: 6, rowsImported: 2 })]);
    });

    it('only an administrator imports people; bad requests name the field', async () => {
      const { clinic, send } = await setting();
      for (const role of ['nurse', 'prescriber', 'keyworker', 'commissioner'] as const) {
        const s = await t.newStaff(clinic.clinicId, [role]);
        expect((await send(s, 'service-users-good.csv', 'all_or_nothing', true)).status).toBe(403);
      }
      const noMode = await clinic.admin.client.post(clinic.url('/imports/service-users'), { csv: fixture('service-users-good.csv') });
      expect(noMode.status).toBe(400);
      expect(noMode.body.error.field).toBe('mode');
      expect(await written(clinic)).toEqual({ people: 0, episodes: 0, prescriptions: 0, imports: 0 });
    });
  });

  describe('prescriptions', () => {
    async function setting() {
      t.clock.set('2026-03-02T09:00:00Z');
      const clinic = await t.newClinic();
      const doctor = await licensedPrescriber(t, clinic);
      const a = await personInInduction(t, clinic, doctor, { nhsNumber: '9990000018' });
      const b = await personInInduction(t, clinic, doctor, { nhsNumber: '9990000026' });
      await referredPerson(clinic, { nhsNumber: '9990000034' });
      await doctor.client.signIn(doctor.email);
      const send = (who: TestStaff, file: string, mode: string, dryRun = false, password = TEST_PASSWORD) =>
        who.client.post(clinic.url('/imports/prescriptions'), { fileName: file, csv: fixture(file), mode, dryRun, signature: { password } });
      return { clinic, doctor, a, b, send };
    }

    it('a good file: dry run writes nothing; the import signs each prescription through the API workflow', async () => {
      const { clinic, doctor, a, send } = await setting();
      const before = await written(clinic);
      const check = await send(doctor, 'prescriptions-good.csv', 'all_or_nothing', true);
      expect(check.status, JSON.stringify(check.body)).toBe(200);
      expect(check.body).toMatchObject({ kind: 'prescriptions', outcome: 'would_import', rowsValid: 2, rejected: [], created: [] });
      expect(await written(clinic)).toEqual(before);

      const res = await send(doctor, 'prescriptions-good.csv', 'all_or_nothing');
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      expect(res.body).toMatchObject({ outcome: 'imported', rowsImported: 2 });
      expect(await written(clinic)).toEqual({ ...before, prescriptions: 2, imports: 1 });
      const rx = await doctor.client.get(clinic.url(`/service-users/${a.serviceUserId}/prescriptions`));
      expect(rx.body.inForce).toMatchObject({ signedBy: doctor.staffId, content: { status: 'active', diamorphine: { ivDoseMg: 90, sessions: ['AM', 'PM'] } } });
      expect(rx.body.inForce.reason).toMatch(/imported from prescriptions-good.csv \(row 2\): from paper chart/);
    });

    it('a mixed file: a row above the first-dose limit is refused by the rule; all or nothing writes nothing', async () => {
      const { clinic, doctor, b, send } = await setting();
      const before = await written(clinic);
      const res = await send(doctor, 'prescriptions-mixed.csv', 'all_or_nothing');
      expect(res.status).toBe(422);
      expect(res.body.error.code).toBe('import_has_errors');
      const row3 = res.body.report.rejected.filter((p: { row: number }) => p.row === 3);
      expect(row3).toContainEqual(expect.objectContaining({ rule: 'first_dose_limit', field: 'titration_start_mg', message: expect.stringMatching(/first dose/) }));
      expect(res.body.report.rejected).toContainEqual(expect.objectContaining({ row: 4, field: 'nhs_number' }));
      expect(await written(clinic)).toEqual(before);

      const partly = await send(doctor, 'prescriptions-mixed.csv', 'valid_rows_only');
      expect(partly.status, JSON.stringify(partly.body)).toBe(201);
      expect(partly.body.created.map((c: { row: number }) => c.row)).toEqual([2]);
      expect(await written(clinic)).toEqual({ ...before, prescriptions: 1, imports: 1 });
      const bRx = await doctor.client.get(clinic.url(`/service-users/${b.serviceUserId}/prescriptions`));
      expect(bRx.body.versions).toEqual([]);
    });

    it('a bad file: shape problems and a person not in treatment, refused with nothing written', async () => {
      const { clinic, doctor, send } = await setting();
      const before = await written(clinic);
      const partly = await send(doctor, 'prescriptions-bad.csv', 'valid_rows_only');
      expect(partly.status).toBe(201);
      expect(partly.body.rowsImported).toBe(0);
      expect(rowsAndFields(partly.body.rejected).map(([r]) => r)).toEqual(expect.arrayContaining([2, 3, 4, 5, 6]));
      expect(await written(clinic)).toEqual({ ...before, imports: 1 });

      // C is referred only: the episode rule refuses, as through the API.
      const csv = 'nhs_number,sessions,iv_dose_mg,start_date,review_date,titration_start_mg\n9990000034,AM,30,2026-03-02,2026-03-09,30\n';
      const c = await doctor.client.post(clinic.url('/imports/prescriptions'), { csv, mode: 'all_or_nothing', signature: { password: TEST_PASSWORD } });
      expect(c.status).toBe(422);
      expect(c.body.report.rejected).toEqual([expect.objectContaining({ row: 2, rule: 'not_in_treatment' })]);
      expect(await written(clinic)).toEqual({ ...before, imports: 1 });

      // A dose far above the clinic's maximum single dose: refused by that rule, naming the column.
      const big = 'nhs_number,sessions,iv_dose_mg,start_date,review_date,titration_start_mg,titration_steps\n9990000018,AM PM,5000,2026-03-02,2026-03-09,30,2026-03-05:5000\n';
      const tooMuch = await doctor.client.post(clinic.url('/imports/prescriptions'), { csv: big, mode: 'valid_rows_only', dryRun: true, signature: { password: TEST_PASSWORD } });
      expect(tooMuch.status).toBe(200);
      expect(tooMuch.body.outcome).toBe('would_import');
      expect(tooMuch.body.rowsValid).toBe(0);
      expect(tooMuch.body.rejected).toContainEqual(expect.objectContaining({ row: 2, field: 'iv_dose_mg', rule: 'max_single_dose' }));
      expect(await written(clinic)).toEqual({ ...before, imports: 1 });
    });

    it('the prescriber signs with their own password; only prescribers import prescriptions', async () => {
      const { clinic, doctor, send } = await setting();
      const before = await written(clinic);
      const wrong = await send(doctor, 'prescriptions-good.csv', 'all_or_nothing', false, 'not the password');
      expect(wrong.status).toBe(400);
      expect(wrong.body.error.field).toBe('signature.password');
      expect((await send(clinic.admin, 'prescriptions-good.csv', 'all_or_nothing')).status).toBe(403);
      const nurse = await t.newStaff(clinic.clinicId, ['nurse']);
      expect((await send(nurse, 'prescriptions-good.csv', 'all_or_nothing')).status).toBe(403);
      expect((await nurse.client.get(clinic.url('/imports'))).status).toBe(403);
      expect((await doctor.client.get(clinic.url('/imports'))).status).toBe(200);
      // An unlicensed prescriber is refused by the licence rule on every row.
      const unlicensed = await t.newStaff(clinic.clinicId, ['prescriber']);
      const res = await send(unlicensed, 'prescriptions-good.csv', 'all_or_nothing');
      expect(res.status).toBe(422);
      expect(res.body.report.rejected.length).toBeGreaterThanOrEqual(2);
      expect(await written(clinic)).toEqual(before);
    });
  });
});
