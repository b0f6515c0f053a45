import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresSkipped } from '../../../test/support/test-database';
import { TestApp, type TestClinic, type TestStaff } from '../../../test/support/test-app';
import { licensedPrescriber, personInInduction, referredPerson } from '../../../test/support/clinical';
import { queryAudit } from '../../store/audit-log';
import { setRoles } from '../../store/staff';
import { inTransaction, SYSTEM_ACTOR } from '../../store/transaction';
import { containsRun, pdfText, pdfTextPages } from '../../../test/support/pdf-text';

/** A valid NHS number (modulus 11 check digit) from nine digits, or null when that stem has none. */
function nhsNumber(stem: string): string | null {
  const sum = [...stem].reduce((s, d, i) => s + Number(d) * (10 - i), 0);
  const check = 11 - (sum % 11);
  if (check === 10) return null;
  return `${stem}${check === 11 ? 0 : check}`;
}
function nhsNumbers(count: number, start: number): string[] {
  const out: string[] = [];
  for (let n = start; out.length < count; n++) {
    const v = nhsNumber(String(n).padStart(9, '0'));
    if (v) out.push(v);
  }
  return out;
}

/** A GET as the given member of staff, keeping the body's bytes (the test client reads bodies as text). */
async function getRaw(who: TestStaff, url: string) {
  const res = await who.client.app.inject({ method: 'GET', url, remoteAddress: who.client.ip, headers: { 'user-agent': who.client.userAgent, ...(who.client.cookie ? { cookie: who.client.cookie } : {}) } });
  return { status: res.statusCode, headers: res.headers, body: res.rawPayload };
}

const grant = (t: TestApp, at: TestClinic, who: TestStaff, roles: ('commissioner' | 'admin')[]) =>
  inTransaction(t.db, t.clock, SYSTEM_ACTOR, (w) => setRoles(w, at.clinicId, who.staffId, roles));

describe.skipIf(postgresSkipped())('commissioner reports', () => {
  let t: TestApp;
  let clinic: TestClinic;
  let other: TestClinic;
  let commissioner: TestStaff;
  const identifiers: string[] = [];

  beforeAll(async () => {
    t = await TestApp.open();
    t.clock.set('2026-03-02T09:00:00Z');
    clinic = await t.newClinic('Northside HAT');
    other = await t.newClinic('Southside HAT');
    const doctor = await licensedPrescriber(t, clinic);
    const numbers = nhsNumbers(7, 943_476_591);
    for (let i = 0; i < 6; i++) {
      const given = `Zebedee${'QXJKVW'[i]}ina`;
      const family = `Quillfeather${i}son`;
      const dob = `1971-0${i + 1}-2${i}`;
      identifiers.push(given, family, dob, numbers[i]!, `${numbers[i]!.slice(0, 3)} ${numbers[i]!.slice(3, 6)} ${numbers[i]!.slice(6)}`);
      await personInInduction(t, clinic, doctor, { givenName: given, familyName: family, preferredName: null, dateOfBirth: dob, nhsNumber: numbers[i] });
    }
    identifiers.push('Marmaduke', 'Thistlewaite', '1966-11-04', numbers[6]!);
    await referredPerson(clinic, { givenName: 'Marmaduke', familyName: 'Thistlewaite', preferredName: null, dateOfBirth: '1966-11-04', nhsNumber: numbers[6] });
    const otherDoctor = await licensedPrescriber(t, other);
    await personInInduction(t, other, otherDoctor, { givenName: 'Ottoline', familyName: 'Vexworthy', preferredName: null, dateOfBirth: '1990-02-14' });
    identifiers.push('Ottoline', 'Vexworthy', '1990-02-14');
    commissioner = await t.newStaff(clinic.clinicId, ['commissioner']);
  });
  afterAll(async () => t?.close());

  it('gives a commissioner the clinic\'s figures, with small counts suppressed', async () => {
    const res = await commissioner.client.get(clinic.url('/reports?from=2026-01-01&to=2026-03-02'));
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const r = res.body.report;
    expect(res.body.name).toBe('Northside HAT');
    expect(r).toMatchObject({ from: '2026-01-01', to: '2026-03-02', threshold: 5 });
    // six in induction; nobody accepted or in maintenance
    expect(r.places.table.cells).toEqual([[0], [6], [0]]);
    expect(r.places.table.total).toBe(6);
    expect(r.places.commissioned).toBe(15);
    expect(r.places.occupancyPercent).toBe(40);
    // seven referred today: six started, one still waiting (<5) — and with the total 7 shown, the 6 is hidden too
    expect(r.referrals.table.cells[0]).toEqual(['*', '<5', 0]);
    expect(r.referrals.table.total).toBe(7);
    expect(r.referrals.inductions).toBe(6);
    expect(r.referrals.medianWaitDays).toBe(0);
    expect(r.retention.curve[0]).toEqual({ day: 0, atRisk: 6, retainedPercent: 100 });
  });

  it('refuses a bad period naming the field', async () => {
    const bad = await commissioner.client.get(clinic.url('/reports?from=2026-02-30'));
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('from');
    const backwards = await commissioner.client.get(clinic.url('/reports?from=2026-03-01&to=2026-02-01'));
    expect(backwards.status).toBe(400);
    expect(JSON.stringify(backwards.body)).toContain('from');
    const notADate = await commissioner.client.get(clinic.url('/reports?to=yesterday'));
    expect(notADate.status).toBe(400);
    expect(JSON.stringify(notADate.body)).toContain('to');
    const badPdf = await commissioner.client.get(clinic.url('/reports.pdf?from=2026-02-30'));
    expect(badPdf.status).toBe(400);
    expect(JSON.stringify(badPdf.body)).toContain('from');
  });

  it('is for commissioners and administrators only; other clinics are not found', async () => {
    const nurse = await t.newStaff(clinic.clinicId, ['nurse']);
    expect((await nurse.client.get(clinic.url('/reports'))).status).toBe(403);
    expect((await nurse.client.get(clinic.url('/reports.csv'))).status).toBe(403);
    expect((await nurse.client.get(clinic.url('/reports.pdf'))).status).toBe(403);
    expect((await commissioner.client.get(other.url('/reports'))).status).toBe(404);
    expect((await commissioner.client.get(other.url('/reports.pdf'))).status).toBe(404);
    expect((await t.client().get(clinic.url('/reports.pdf'))).status).toBe(401);
    expect((await t.client().get('/api/v1/reports.pdf')).status).toBe(401);
    expect((await clinic.admin.client.get(clinic.url('/reports'))).status).toBe(200);
    expect((await t.client().get(clinic.url('/reports'))).status).toBe(401);
    // across clinics, a nurse sees no clinic's reports
    expect((await nurse.client.get('/api/v1/reports')).body).toEqual({ reports: [] });
    const nothing = await getRaw(nurse, '/api/v1/reports.pdf');
    expect(nothing.status).toBe(200);
    const text = pdfText(nothing.body);
    expect(text.join(' ')).toContain('nothing to report');
    expect(text.join(' ')).not.toContain('Northside HAT');
  });

  it('the PDF file carries the same suppressed figures, is the same for the same moment, and is audited', async () => {
    const q = '?from=2026-01-01&to=2026-03-02';
    const json = (await commissioner.client.get(clinic.url(`/reports${q}`))).body.report;
    const res = await getRaw(commissioner, clinic.url(`/reports.pdf${q}`));
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['content-disposition']).toBe('attachment; filename="report-2026-01-01-2026-03-02.pdf"');
    expect(res.body.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const pages = pdfTextPages(res.body);
    const text = pages.flat();
    // the title block: the clinic, the period, when (clinic time), the threshold
    expect(containsRun(text, ['Scope', 'Northside HAT'])).toBe(true);
    expect(containsRun(text, ['Period', '2026-01-01 to 2026-03-02'])).toBe(true);
    expect(containsRun(text, ['Generated', '2026-03-02 09:00 (Europe/London)'])).toBe(true);
    expect(text.join(' ')).toContain('Counts from 1 to 4 are shown as “<5”');
    // the referrals row as in the JSON and the CSV: 6 started hidden (*), 1 waiting shown as <5, total 7
    expect(json.referrals.table.cells[0]).toEqual(['*', '<5', 0]);
    expect(containsRun(text, ['Referred in the period', '*', '<5', '0', '7'])).toBe(true);
    expect(containsRun(text, ['Induction', '6'])).toBe(true);
    expect(containsRun(text, ['Number at risk', ...json.retention.curve.map((p: { atRisk: unknown }) => String(p.atRisk))])).toBe(true);
    pages.forEach((lines, i) => expect(lines).toContain(`Page ${i + 1} of ${pages.length}`));
    // reproducible: the same report at the same moment is the same file
    expect((await getRaw(commissioner, clinic.url(`/reports.pdf${q}`))).body.equals(res.body)).toBe(true);

    const audit = await queryAudit(t.db.orm, { clinicId: clinic.clinicId, entityType: 'report', limit: 50 });
    expect(audit.find((a) => (a.details as { format: string }).format === 'pdf')?.details).toEqual({ format: 'pdf', from: '2026-01-01', to: '2026-03-02' });

    // across clinics: each clinic and all combined, in one file
    const both = await t.newStaff(clinic.clinicId, ['commissioner']);
    await grant(t, other, both, ['commissioner']);
    const all = await getRaw(both, `/api/v1/reports.pdf${q}`);
    expect(all.status).toBe(200);
    expect(all.headers['content-type']).toBe('application/pdf');
    expect(all.headers['content-disposition']).toBe('attachment; filename="reports.pdf"');
    const allText = pdfText(all.body);
    expect(containsRun(allText, ['Scope', 'All clinics'])).toBe(true);
    for (const name of ['Northside HAT', 'Southside HAT', 'All clinics combined']) expect(allText).toContain(name);
    const across = await queryAudit(t.db.orm, { clinicId: null, entityType: 'report', limit: 50 });
    expect(across.some((a) => a.staffId === both.staffId && (a.details as { format: string }).format === 'pdf')).toBe(true);
  });

  it('across clinics: only where the caller is a commissioner or administrator, each and combined', async () => {
    const one = await commissioner.client.get('/api/v1/reports');
    expect(one.status).toBe(200);
    expect(one.body.reports.map((r: { name: string }) => r.name)).toEqual(['Northside HAT']);

    const both = await t.newStaff(clinic.clinicId, ['commissioner']);
    await grant(t, other, both, ['commissioner']);
    const res = await both.client.get('/api/v1/reports?from=2026-01-01&to=2026-03-02');
    expect(res.body.reports.map((r: { name: string }) => r.name)).toEqual(['Northside HAT', 'Southside HAT', 'All clinics combined']);
    const [, south, combined] = res.body.reports;
    expect(south.report.places.table.cells).toEqual([[0], ['<5'], [0]]);
    expect(combined.report.places.table.cells).toEqual([[0], [7], [0]]);
    expect(combined.report.places.commissioned).toBe(30);

    const deploymentAdmin = await t.newStaff(null, [], { deploymentAdmin: true });
    const all = await deploymentAdmin.client.get('/api/v1/reports');
    expect(all.body.reports.map((r: { name: string }) => r.name)).toEqual(expect.arrayContaining(['Northside HAT', 'Southside HAT', 'All clinics combined']));
  });

  it('CSV and the printable page carry the same suppressed figures, and reads are audited', async () => {
    const csv = await commissioner.client.get(clinic.url('/reports.csv?from=2026-01-01&to=2026-03-02'));
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.body).toContain('Northside HAT,2026-01-01,2026-03-02,Referrals,Referred in the period,Still waiting,<5');
    expect(csv.body).toContain('Northside HAT,2026-01-01,2026-03-02,Places used,Induction,People,6');
    const html = await commissioner.client.get(clinic.url('/reports/print?from=2026-01-01&to=2026-03-02'));
    expect(html.status).toBe(200);
    expect(html.headers['content-type']).toContain('text/html');
    expect(html.body).toContain('<svg');
    expect(html.body).toContain('&lt;5');
    const audit = await queryAudit(t.db.orm, { clinicId: clinic.clinicId, entityType: 'report', limit: 50 });
    expect(audit.map((a) => (a.details as { format: string }).format)).toEqual(expect.arrayContaining(['json', 'csv', 'html']));
  });

  it('never puts a name, date of birth or NHS number in any report output', async () => {
    const both = await t.newStaff(clinic.clinicId, ['commissioner', 'admin']);
    await grant(t, other, both, ['admin']);
    const urls = [
      clinic.url('/reports'), clinic.url('/reports.csv'), clinic.url('/reports/print'), clinic.url('/reports.pdf'),
      clinic.url('/reports?from=2025-03-03&to=2026-03-02'),
      '/api/v1/reports', '/api/v1/reports.csv', '/api/v1/reports/print', '/api/v1/reports.pdf',
    ];
    for (const url of urls) {
      const res = await both.client.get(url);
      expect(res.status, url).toBe(200);
      let text = (typeof res.body === 'string' ? res.body : JSON.stringify(res.body)).toLowerCase();
      if (url.includes('.pdf')) {
        // the text drawn on the pages, and the file's own bytes (its metadata)
        const pdf = (await getRaw(both, url)).body;
        const drawn = pdfText(pdf).join('\n');
        expect(drawn, url).toContain('Places used');
        text = `${drawn}\n${pdf.toString('latin1')}`.toLowerCase();
      }
      for (const id of identifiers) expect(text, `${url} contains ${id}`).not.toContain(id.toLowerCase());
      // nor any service user's id
      expect(text).not.toMatch(/serviceuserid/);
    }
  });
});
