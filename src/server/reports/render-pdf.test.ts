import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Temporal } from 'temporal-polyfill';
import { buildReport, doseCounts, type EpisodeFacts, type Report, type ReportInput } from '../../domain/reporting/report';
import type { SuppressedTable } from '../../domain/reporting/suppression';
import { EPISODE_STATES } from '../../domain/episode/episode-event';
import { containsRun, pdfText as extract, pdfTextPages } from '../../../test/support/pdf-text';
import { reportRows, type NamedReport } from './render';
import { pdfText, reportPdf } from './render-pdf';

/*
 * The PDF renderer on fixed synthetic reports: what the file shows is read back out of its content
 * streams (test/support/pdf-text.ts), so these tests check the drawn text, not the code's intent.
 */

const AT = Temporal.Instant.from('2026-03-02T09:00:00Z');
const ep = (state: EpisodeFacts['state'], referredOn: string, inductionOn: string | null, dischargedOn: string | null = null): EpisodeFacts => ({
  state, referredOn, inductionOn, dischargedOn, dischargeReason: dischargedOn ? 'disengaged' : null,
});

/** 14 people: 9 in maintenance, 3 discharged, 2 still waiting (so a "<5" and a "*" in the referrals row). */
function input(from: string, to: string): ReportInput {
  const episodes: EpisodeFacts[] = [];
  for (let i = 0; i < 9; i++) episodes.push(ep('maintenance', from, `${from.slice(0, 8)}1${i}`));
  for (let i = 0; i < 3; i++) episodes.push(ep('discharged', from, `${from.slice(0, 8)}0${i + 2}`, `${from.slice(0, 8)}2${i + 2}`));
  episodes.push(ep('waiting_list', from, null), ep('assessing', from, null));
  return { from, to, places: 20, threshold: 5, monitoring: { streetHeroinMarkers: ['6-MAM'] }, episodes, doses: doseCounts([], from, to), toxicology: [], outcomes: [] };
}

/** A report over three years, with toxicology figures of every kind (shown, "<5", "*", none) so its table runs over pages. */
function longReport(): Report {
  const r = buildReport(input('2024-01-01', 2026 + '-12-31'));
  r.toxicology = r.toxicology.map((m, i) =>
    i % 4 === 0 ? { ...m, tested: '<5', positive: '<5', positivePercent: '*' } : i % 4 === 1 ? { ...m, tested: 0, positive: 0, positivePercent: null } : { ...m, tested: 10 + i, positive: i % 3, positivePercent: Math.round(((i % 3) / (10 + i)) * 1000) / 10 },
  );
  r.attendance.table = { rows: ['AM', 'PM'], columns: ['Given', 'Refused', 'Missed', 'Not given'], cells: [[210, 7, 12, 0], ['*', '<5', 9, 0]], rowTotals: [229, '*'], columnTotals: ['*', '*', 21, 0], total: 300, smallLabel: '<5' };
  r.attendance.givenPercent = [{ session: 'AM', percent: 91.7 }, { session: 'PM', percent: '*' }];
  return r;
}

const one = (report: Report, name = 'Northside HAT'): NamedReport[] => [{ clinicId: 'c1', name, report }];
const render = (reports: readonly NamedReport[], opts: { compress?: boolean; at?: Temporal.Instant } = {}) =>
  reportPdf(reports, { title: `Heroin-assisted treatment: ${reports[0]?.name ?? 'clinics'}`, scope: reports.length === 1 ? reports[0]!.name : 'All clinics', generatedAt: opts.at ?? AT, timeZone: 'Europe/London', compress: opts.compress });

/** A table's rows as the PDF lays them out, cell by cell (the first column, the cells, the row total). */
function tableRuns(t: SuppressedTable): string[][] {
  const totals = t.columns.length > 1;
  const rows = t.rows.map((row, i) => [row, ...t.cells[i]!.map(String), ...(totals ? [String(t.rowTotals[i])] : [])]);
  if (t.rows.length > 1) rows.push(['Total', ...t.columnTotals.map(String), ...(totals ? [String(t.total)] : [])]);
  return rows;
}

describe('the commissioners\' report as a PDF file', () => {
  it('is an A4 PDF, the same bytes every time for the same reports and time', async () => {
    const r = buildReport(input('2026-01-01', '2026-03-02'));
    const a = await render(one(r));
    const b = await render(one(r));
    expect(a.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(a.subarray(-6).toString('latin1')).toMatch(/%%EOF\s*$/);
    expect(a.toString('latin1')).toMatch(/\/MediaBox \[0 0 595\.28 841\.89\]/);
    expect(a.equals(b)).toBe(true);
    // bookmarks: the clinic, then its sections
    expect(a.toString('latin1')).toContain('/PageMode /UseOutlines');
    for (const title of ['Northside HAT', 'Places used', 'Retention in treatment', 'Treatment Outcomes Profile']) expect(a.toString('latin1')).toContain(`/Title (${title})`);
    // the creation date comes from the time given (so does the file ID)
    expect(a.toString('latin1')).toContain('(D:20260302090000Z)');
    const later = await render(one(r), { at: AT.add({ minutes: 1 }) });
    expect(later.equals(a)).toBe(false);
  });

  it('shows the title block: scope, period, generated at in clinic time, the suppression threshold', async () => {
    const r = buildReport({ ...input('2026-06-01', '2026-07-31'), threshold: 10 });
    const text = extract(await render(one(r), { at: Temporal.Instant.from('2026-07-31T22:30:00Z') }));
    expect(text).toContain('Heroin-assisted treatment: Northside HAT');
    expect(containsRun(text, ['Scope', 'Northside HAT'])).toBe(true);
    expect(containsRun(text, ['Period', '2026-06-01 to 2026-07-31'])).toBe(true);
    // 22:30 UTC is 23:30 in London in summer
    expect(containsRun(text, ['Generated', '2026-07-31 23:30 (Europe/London)'])).toBe(true);
    expect(text.join(' ')).toContain('Counts from 1 to 9 are shown as “<10”');
    // the threshold of 10 hides all of the 2 waiting and the 3 discharged
    expect(containsRun(text, tableRuns(r.referrals.table)[0]!)).toBe(true);
    expect(r.referrals.table.cells[0]).toContain('<10');
  });

  it('draws every table row with its suppressed cells exactly as the CSV has them', async () => {
    const r = longReport();
    for (const compress of [true, false]) {
      const text = extract(await render(one(r), { compress }));
      for (const t of [r.places.table, r.referrals.table, r.retention.table, r.attendance.table]) {
        for (const row of tableRuns(t)) expect(containsRun(text, row), row.join(' | ')).toBe(true);
      }
      // the referrals row hides a small count and the count that would give it away
      expect(r.referrals.table.cells[0]).toEqual(['*', '<5', 0]);
      for (const m of r.toxicology) expect(containsRun(text, [m.month, String(m.tested), String(m.positive), m.positivePercent === null ? '—' : String(m.positivePercent)]), m.month).toBe(true);
      for (const a of r.adverseEvents) expect(containsRun(text, [a.label, String(a.doses)])).toBe(true);
      for (const p of r.retention.curve) expect(containsRun(text, [String(p.day), String(p.atRisk), p.retainedPercent === null ? '—' : String(p.retainedPercent)])).toBe(true);
      // every shown value of the CSV is in the PDF; no hidden-as-small count in the CSV is a number in the PDF's tables
      const csvValues = new Set(reportRows(one(r)).map((row) => row[6]!).filter((v) => v !== ''));
      for (const v of csvValues) expect(text.some((line) => line === v || line.includes(v)), v).toBe(true);
    }
  });

  it('puts the numbers at risk beneath the retention curve', async () => {
    const r = buildReport(input('2026-01-01', '2026-03-02'));
    const text = extract(await render(one(r)));
    const i = text.indexOf('Number at risk');
    expect(i).toBeGreaterThan(0);
    expect(text.slice(i + 1, i + 1 + r.retention.curve.length)).toEqual(r.retention.curve.map((p) => String(p.atRisk)));
    // the day ticks above them
    expect(containsRun(text, [...r.retention.curve.map((p) => String(p.day)), 'Days since induction'])).toBe(true);
  });

  it('breaks a long table across pages under its caption and header again, and numbers every page', async () => {
    const pages = pdfTextPages(await render(one(longReport())));
    expect(pages.length).toBeGreaterThan(2);
    pages.forEach((lines, i) => expect(lines, `page ${i + 1}`).toContain(`Page ${i + 1} of ${pages.length}`));
    const continued = pages.findIndex((lines) => lines.includes('Toxicology by month (continued)'));
    expect(continued).toBeGreaterThan(0);
    expect(pages[continued - 1]).toContain('Toxicology by month');
    expect(containsRun(pages[continued]!, ['Toxicology by month (continued)', 'Month', 'People tested', 'People positive', 'Positive (%)'])).toBe(true);
    // every month once, in order, across the pages
    const flat = pages.flat();
    const months = flat.slice(flat.indexOf('Toxicology by month')).filter((l) => /^\d{4}-\d{2}$/.test(l));
    expect(months).toEqual(longReport().toxicology.map((m) => m.month));
  });

  it('across clinics: each report on its own pages, and a file for someone with no clinic', async () => {
    const r = buildReport(input('2026-01-01', '2026-03-02'));
    const pages = pdfTextPages(await render([...one(r, 'Northside HAT'), { clinicId: 'c2', name: 'Southside HAT', report: r }, { clinicId: null, name: 'All clinics combined', report: r }]));
    const text = pages.flat();
    expect(containsRun(text, ['Scope', 'All clinics'])).toBe(true);
    expect(text).toContain('Northside HAT; Southside HAT; All clinics combined');
    const startPage = (name: string) => pages.findIndex((p) => p.includes(name) && p.indexOf(name) < p.indexOf('Places used'));
    expect(startPage('Southside HAT')).toBeGreaterThan(startPage('Northside HAT'));
    expect(startPage('All clinics combined')).toBeGreaterThan(startPage('Southside HAT'));

    const none = pdfTextPages(await render([]));
    expect(none).toHaveLength(1);
    expect(none[0]!.join(' ')).toContain('nothing to report');
  });

  it('for any clinic: every count table row is drawn as suppressed, and every page is numbered (property)', async () => {
    const day = fc.integer({ min: 0, max: 700 }).map((n) => Temporal.PlainDate.from('2024-06-01').add({ days: n }).toString());
    const episode = fc.record({ state: fc.constantFrom(...EPISODE_STATES), referredOn: day, induction: fc.option(fc.integer({ min: 0, max: 120 })), stay: fc.option(fc.integer({ min: 0, max: 400 })) }).map((e): EpisodeFacts => {
      const inductionOn = e.induction === null ? null : Temporal.PlainDate.from(e.referredOn).add({ days: e.induction }).toString();
      const dischargedOn = inductionOn && e.stay !== null ? Temporal.PlainDate.from(inductionOn).add({ days: e.stay }).toString() : null;
      return ep(dischargedOn ? 'discharged' : e.state, e.referredOn, inductionOn, dischargedOn);
    });
    await fc.assert(
      fc.asyncProperty(fc.array(episode, { maxLength: 40 }), fc.integer({ min: 3, max: 10 }), async (episodes, threshold) => {
        const r = buildReport({ ...input('2025-01-01', '2026-06-30'), episodes, threshold });
        const pages = pdfTextPages(await render(one(r)));
        pages.forEach((lines, i) => expect(lines).toContain(`Page ${i + 1} of ${pages.length}`));
        const text = pages.flat();
        for (const t of [r.places.table, r.referrals.table, r.retention.table]) for (const row of tableRuns(t)) expect(containsRun(text, row), row.join(' | ')).toBe(true);
        if (r.retention.curve.some((p) => typeof p.retainedPercent === 'number')) {
          const i = text.indexOf('Number at risk'); // beneath the chart, before the table's column of that name
          expect(text.slice(i + 1, i + 1 + r.retention.curve.length)).toEqual(r.retention.curve.map((p) => String(p.atRisk)));
        } else expect(text).toContain('Too few people to draw the retention curve.');
      }),
      { numRuns: 25 },
    );
  });

  it('draws any clinic name with the built-in fonts (no garbled glyphs)', async () => {
    expect(pdfText('Zoë’s – “clinic”')).toBe('Zoë’s – “clinic”');
    expect(pdfText('Łódź Čačak')).toBe('Lódz Cacak');
    expect(pdfText('北京 ≥ 5')).toBe('?? >= 5');
    const text = extract(await render(one(buildReport(input('2026-01-01', '2026-03-02')), 'Łódź Zoë')));
    expect(text).toContain('Lódz Zoë');
  });
});
