import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresSkipped } from '../../../test/support/test-database';
import { TestApp, type TestClinic, type TestStaff } from '../../../test/support/test-app';
import { licensedPrescriber, personInInduction, starting } from '../../../test/support/clinical';
import { methadoneRules } from '../../domain/care/methadone';
import { queryAudit } from '../../store/audit-log';
import { careImports, careRecords } from '../../store/schema';
import { onePersonInCare } from './people-in-care';

const fixture = (name: string) => readFileSync(new URL(`../../../test/fixtures/pharmacy/${name}`, import.meta.url), 'utf8');

describe.skipIf(postgresSkipped())('pharmacy methadone CSV import', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await TestApp.open();
  });
  afterAll(async () => t?.close());

  /** People A, B and C (test NHS numbers as in test/fixtures/pharmacy/README.md), A on methadone cover; the clock at 10 March. */
  async function setting() {
    t.clock.set('2026-03-02T09:00:00Z');
    const clinic = await t.newClinic();
    const doctor = await licensedPrescriber(t, clinic);
    const a = await personInInduction(t, clinic, doctor, { nhsNumber: '999 000 0018', givenName: 'Alex', preferredName: null });
    const b = await personInInduction(t, clinic, doctor, { nhsNumber: '9990000026', givenName: 'Billie', preferredName: null });
    const c = await personInInduction(t, clinic, doctor, { nhsNumber: '9990000034', givenName: 'Chris', preferredName: null });
    const rx = await doctor.client.post(clinic.url(`/service-users/${a.serviceUserId}/prescriptions`), starting({ reviewDate: '2026-03-20' }));
    if (rx.status !== 201) throw new Error(JSON.stringify(rx.body));
    t.clock.set('2026-03-10T10:00:00Z');
    const nurse = await t.newStaff(clinic.clinicId, ['nurse']);
    await doctor.client.signIn(doctor.email);
    await clinic.admin.client.signIn(clinic.admin.email);
    const send = (who: TestStaff, file: string, mode: string, dryRun = false) => who.client.post(clinic.url('/methadone-collections/imports'), { fileName: file, csv: fixture(file), mode, dryRun });
    return { clinic, doctor, nurse, a, b, c, send };
  }

  /** Everything written for the clinic: every version of every care record, and every import. */
  const written = async (clinic: TestClinic) => ({
    records: (await t.db.orm.select().from(careRecords).where(eq(careRecords.clinicId, clinic.clinicId))).length,
    imports: (await t.db.orm.select().from(careImports).where(eq(careImports.clinicId, clinic.clinicId))).length,
  });
  const rowsAndFields = (rejected: { row: number; field: string }[]) => rejected.map((p) => [p.row, p.field]);

  it('a good file: checked first (nothing written), then imported in one go, pointing at its import', async () => {
    const { clinic, nurse, a, b, send } = await setting();
    const check = await send(nurse, 'good.csv', 'all_or_nothing', true);
    expect(check.status, JSON.stringify(check.body)).toBe(200);
    expect(check.body).toMatchObject({ dryRun: true, outcome: 'would_import', importId: null, rowsTotal: 7, rowsValid: 7, rowsRejected: 0, rowsImported: 0, rejected: [], recordIds: [] });
    expect(await written(clinic)).toEqual({ records: 0, imports: 0 });

    const res = await send(nurse, 'good.csv', 'all_or_nothing');
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const sha256 = createHash('sha256').update(fixture('good.csv'), 'utf8').digest('hex');
    expect(res.body).toMatchObject({ dryRun: false, outcome: 'imported', fileName: 'good.csv', sha256, rowsTotal: 7, rowsValid: 7, rowsImported: 7, rejected: [] });
    expect(res.body.recordIds).toHaveLength(7);
    expect(await written(clinic)).toEqual({ records: 7, imports: 1 });

    const aRecords = (await nurse.client.get(clinic.url(`/service-users/${a.serviceUserId}/methadone-collections`))).body.records;
    expect(aRecords.map((r: { effectiveDate: string; data: { status: string } }) => [r.effectiveDate, r.data.status])).toEqual([
      ['2026-03-06', 'not_collected'],
      ['2026-03-05', 'not_collected'],
      ['2026-03-04', 'not_collected'],
      ['2026-03-03', 'supervised'],
      ['2026-03-02', 'collected'],
    ]);
    expect(aRecords[0]).toMatchObject({ source: 'import', importId: res.body.importId, recordedBy: nurse.staffId, data: { doseMg: 60, pharmacy: 'Boots Linthorpe Road' } });
    const bRecords = (await nurse.client.get(clinic.url(`/service-users/${b.serviceUserId}/methadone-collections`))).body.records;
    expect(bRecords[1].data).toEqual({ status: 'partial', doseMg: 40, collectedMg: 20, pharmacy: 'Lloyds, Newport Road', notes: 'said he spilled some' });

    const list = (await nurse.client.get(clinic.url('/methadone-collections/imports'))).body.imports;
    expect(list).toEqual([expect.objectContaining({ importId: res.body.importId, fileName: 'good.csv', sha256, mode: 'all_or_nothing', rowsTotal: 7, rowsImported: 7, rejected: [], importedBy: nurse.staffId })]);
    const audit = await queryAudit(t.db.orm, { clinicId: clinic.clinicId, entityType: 'methadone_collection_import', limit: 5 });
    expect(audit).toEqual([expect.objectContaining({ action: 'import', entityId: res.body.importId })]);

    // A missed three times running: the alert and the work item, from the imported records.
    const found = (await onePersonInCare(t.db.orm, clinic.clinicId, a.serviceUserId, t.clock.now()))!;
    const input = { person: found.person, settings: found.settings, today: found.today, now: t.clock.now() };
    expect(methadoneRules.alerts(input)).toEqual([expect.objectContaining({ severity: 'danger', text: expect.stringMatching(/^Methadone not collected 3 times running \(last on 2026-03-06; last collected 2026-03-03\)/) })]);
    expect(methadoneRules.workItems(input)).toHaveLength(1);

    // The same file again: every day is already recorded, so nothing is written.
    const again = await send(nurse, 'good.csv', 'all_or_nothing');
    expect(again.status).toBe(422);
    expect(again.body.error.code).toBe('import_has_errors');
    expect(again.body.report.rejected).toHaveLength(7);
    expect(again.body.report.rejected.every((p: { field: string; message: string }) => p.field === 'date' && /already recorded/.test(p.message))).toBe(true);
    expect(await written(clinic)).toEqual({ records: 7, imports: 1 });
  });

  it('a bad file: every row reported with its column; all or nothing writes nothing, valid rows only writes just the import', async () => {
    const { clinic, nurse, send } = await setting();
    const expected = [
      [2, 'nhs_number'],
      [3, 'date'],
      [4, 'date'],
      [5, 'status'],
      [6, 'dose_mg'],
      [7, 'collected_mg'],
      [8, 'collected_mg'],
      [9, 'nhs_number'],
    ];
    const refused = await send(nurse, 'bad.csv', 'all_or_nothing');
    expect(refused.status).toBe(422);
    expect(refused.body.error).toMatchObject({ code: 'import_has_errors', field: 'row 2: nhs_number' });
    expect(refused.body.error.message).toMatch(/8 of 8 row\(s\) have problems, so nothing was imported/);
    expect(rowsAndFields(refused.body.report.rejected)).toEqual(expected);
    expect(refused.body.report).toMatchObject({ outcome: 'refused', importId: null, rowsImported: 0 });
    const messages = Object.fromEntries(refused.body.report.rejected.map((p: { row: number; message: string }) => [p.row, p.message]));
    expect(messages[2]).toBe('no service user at this clinic has this NHS number');
    expect(messages[3]).toBe('is after today (2026-03-10)');
    expect(messages[4]).toMatch(/not a real date/);
    expect(messages[9]).toMatch(/not a valid NHS number/);
    expect(refused.body.error.problems).toHaveLength(8);
    expect(await written(clinic)).toEqual({ records: 0, imports: 0 });

    const partly = await send(nurse, 'bad.csv', 'valid_rows_only');
    expect(partly.status, JSON.stringify(partly.body)).toBe(201);
    expect(partly.body).toMatchObject({ outcome: 'imported', rowsTotal: 8, rowsValid: 0, rowsRejected: 8, rowsImported: 0, recordIds: [] });
    expect(rowsAndFields(partly.body.rejected)).toEqual(expected);
    expect(await written(clinic)).toEqual({ records: 0, imports: 1 });
    const list = (await nurse.client.get(clinic.url('/methadone-collections/imports'))).body.imports;
    expect(rowsAndFields(list[0].rejected)).toEqual(expected);
  });

  it('unknown or missing columns refuse the whole file in either mode, naming the column', async () => {
    const { clinic, nurse, send } = await setting();
    for (const mode of ['all_or_nothing', 'valid_rows_only']) {
      const res = await send(nurse, 'bad-columns.csv', mode);
      expect(res.status).toBe(422);
      expect(res.body.error.code).toBe('import_file_invalid');
      expect(rowsAndFields(res.body.report.rejected)).toEqual([
        [1, 'qty'],
        [1, 'status'],
      ]);
      expect(res.body.error.message).toMatch(/qty is not a column this import knows/);
    }
    const check = await send(nurse, 'bad-columns.csv', 'valid_rows_only', true);
    expect(check.status).toBe(200);
    expect(check.body).toMatchObject({ outcome: 'would_be_refused', rowsValid: 0 });
    expect(await written(clinic)).toEqual({ records: 0, imports: 0 });
  });

  it('a mixed file: all or nothing refuses it untouched; valid rows only imports exactly the valid rows', async () => {
    const { clinic, nurse, a, b, c, send } = await setting();
    // B's collection on 4 March is already recorded at the clinic.
    expect((await nurse.client.post(clinic.url(`/service-users/${b.serviceUserId}/methadone-collections`), { status: 'collected', effectiveDate: '2026-03-04' })).status).toBe(201);
    const before = await written(clinic);
    const rejectedRows = [
      [6, 'date'],
      [7, 'date'],
      [8, 'date'],
      [9, 'nhs_number'],
      [11, 'dose_mg'],
    ];

    const refused = await send(nurse, 'mixed.csv', 'all_or_nothing');
    expect(refused.status).toBe(422);
    expect(rowsAndFields(refused.body.report.rejected)).toEqual(rejectedRows);
    expect(refused.body.report.rejected[0].message).toMatch(/already recorded/);
    expect(refused.body.report.rejected[1].message).toMatch(/also on row 8/);
    expect(await written(clinic)).toEqual(before);

    const check = await send(nurse, 'mixed.csv', 'valid_rows_only', true);
    expect(check.status).toBe(200);
    expect(check.body).toMatchObject({ outcome: 'would_import', rowsTotal: 9, rowsValid: 4, rowsRejected: 5 });
    expect(await written(clinic)).toEqual(before);

    const res = await send(nurse, 'mixed.csv', 'valid_rows_only');
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({ outcome: 'imported', rowsTotal: 9, rowsValid: 4, rowsRejected: 5, rowsImported: 4 });
    expect(rowsAndFields(res.body.rejected)).toEqual(rejectedRows);
    expect(await written(clinic)).toEqual({ records: before.records + 4, imports: 1 });

    const days = async (id: string) =>
      (await nurse.client.get(clinic.url(`/service-users/${id}/methadone-collections`))).body.records.map((r: { effectiveDate: string; source: string; data: { status: string } }) => [r.effectiveDate, r.source, r.data.status]);
    expect(await days(a.serviceUserId)).toEqual([
      ['2026-03-04', 'import', 'not_collected'],
      ['2026-03-03', 'import', 'not_collected'],
      ['2026-03-02', 'import', 'collected'],
    ]);
    expect(await days(b.serviceUserId)).toEqual([['2026-03-04', 'staff', 'collected']]);
    const cRecords = (await nurse.client.get(clinic.url(`/service-users/${c.serviceUserId}/methadone-collections`))).body.records;
    expect(cRecords).toHaveLength(1);
    expect(cRecords[0].data).toMatchObject({ status: 'supervised', doseMg: 50, pharmacy: 'Boots, "Linthorpe"\nRoad', notes: 'multi-line\nnote' });
  });

  it('who may import; bad requests name the field', async () => {
    const { clinic, doctor, send } = await setting();
    const hca = await t.newStaff(clinic.clinicId, ['hca']);
    const keyworker = await t.newStaff(clinic.clinicId, ['keyworker']);
    for (const s of [hca, keyworker]) {
      expect((await send(s, 'good.csv', 'all_or_nothing', true)).status).toBe(403);
      expect((await s.client.get(clinic.url('/methadone-collections/imports'))).status).toBe(403);
    }
    expect((await send(doctor, 'good.csv', 'all_or_nothing', true)).status).toBe(200);
    expect((await send(clinic.admin, 'good.csv', 'all_or_nothing', true)).status).toBe(200);

    const noMode = await doctor.client.post(clinic.url('/methadone-collections/imports'), { csv: fixture('good.csv') });
    expect(noMode.status).toBe(400);
    expect(noMode.body.error.field).toBe('mode');
    const tooBig = await doctor.client.post(clinic.url('/methadone-collections/imports'), { csv: `${'x'.repeat(2 * 1024 * 1024)}\n`, mode: 'all_or_nothing' });
    expect(tooBig.status).toBe(400);
    expect(tooBig.body.error.field).toBe('csv');
    // Multi-byte characters count as bytes, not characters.
    const tooManyBytes = await doctor.client.post(clinic.url('/methadone-collections/imports'), { csv: 'é'.repeat(1024 * 1024 + 1), mode: 'all_or_nothing' });
    expect(tooManyBytes.status).toBe(400);
    expect(tooManyBytes.body.error.field).toBe('csv');
    expect(await written(clinic)).toEqual({ records: 0, imports: 0 });
  });
});
