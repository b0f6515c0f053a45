import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { postgresSkipped } from '../../../test/support/test-database';
import { TestApp, type TestClinic, type TestStaff } from '../../../test/support/test-app';
import { allEntries, cdTeam, fillPage, page } from '../../../test/support/cd';
import type { Entry } from '../../domain/cd-register/page';
import { getItem, pageEntries, pageEntriesBetween } from '../../store/cd-register';
import { pageCsv, staffNames } from '../cd/output';

/**
 * A register page of 450 entries read the way staff and inspectors read it: the latest entries,
 * older pages back to the first, the entries of some dates (in the clinic's time zone, across the
 * day the clocks go back in Europe/London), and the whole page as CSV and print.
 */
describe.skipIf(postgresSkipped())('a long register page, a page at a time', () => {
  let t: TestApp;
  let clinic: TestClinic;
  let accountable: TestStaff;
  let nurse: TestStaff;
  let item: string;
  let written: Entry[];
  const N = 450;
  // One entry every 20 minutes from 21 October 2026 (UTC), so that 25 October, when the clocks go
  // back at 02:00 BST, is 25 hours of entries at the clinic; and the last entry is a late entry
  // that happened on the 25th.
  const at = (i: number) => new Date(Date.parse('2026-10-21T00:00:00Z') + i * 20 * 60_000).toISOString();
  const LATE = '2026-10-25T12:10:00Z';
  const occurred = Array.from({ length: N }, (_, i) => (i === N - 1 ? LATE : at(i)));
  // 25 October at the clinic, worked out by hand: 00:00 BST is 23:00 UTC on the 24th; the next
  // midnight (GMT) is 00:00 UTC on the 26th.
  const onThe25th = (iso: string) => iso >= '2026-10-24T23:00:00.000Z' && iso < '2026-10-26T00:00:00.000Z';

  beforeAll(async () => {
    t = await TestApp.open();
    t.clock.set('2026-10-27T09:00:00Z');
    clinic = await t.newClinic();
    ({ accountable, nurse } = await cdTeam(t, clinic));
    item = await page(clinic, accountable);
    written = await fillPage(t, clinic, item, accountable, nurse, occurred);
  });
  afterAll(async () => t?.close());

  const get = (query = '') => accountable.client.get(clinic.url(`/cd/items/${item}/register${query}`));
  const seqs = (entries: { seq: number }[]) => entries.map((e) => e.seq);
  const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

  it('shows the latest 200 entries, with the balance and number of entries of the whole page', async () => {
    const res = await get();
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(seqs(res.body.entries)).toEqual(range(N - 199, N));
    expect(res.body.page).toEqual({ limit: 200, total: N, first: N - 199, last: N, olderBefore: N - 199 });
    const balance = written.reduce((b, e) => b + e.quantityChange, 0);
    expect(balance).toBeGreaterThan(0);
    expect(res.body.item).toMatchObject({ itemId: item, balance, entries: N });
    expect(res.body.entries.at(-1).balanceAfter).toBe(balance);
    expect(res.body.entries[0]).toMatchObject({ seq: N - 199, recordedByName: 'Test cd_accountable' });
    expect(res.body.entries.find((e: any) => e.kind === 'receipt').witnessName).toBe('Test nurse');
  });

  it('pages back to the first entry with no gaps and no repeats, and each balance follows from the one before', async () => {
    const pages: any[][] = [];
    let before: number | null = null;
    do {
      const res = await get(`?limit=97${before === null ? '' : `&before=${before}`}`);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body.entries.length).toBeLessThanOrEqual(97);
      expect(res.body.page.total).toBe(N);
      if (res.body.page.olderBefore !== null) expect(res.body.page.olderBefore).toBe(res.body.page.first);
      pages.unshift(res.body.entries);
      before = res.body.page.olderBefore;
    } while (before !== null && pages.length < 20);
    expect(pages.length).toBe(Math.ceil(N / 97));
    const all = pages.flat();
    expect(seqs(all)).toEqual(range(1, N));
    let balance = 0;
    for (const e of all) {
      balance += e.quantityChange;
      expect(e.balanceAfter, `entry ${e.seq}`).toBe(balance);
    }
    expect(all.map((e) => e.hash)).toEqual(written.map((e) => e.hash));
    // The support helper reads the same way, a thousand at a time.
    expect(seqs((await allEntries(clinic, accountable, item)).entries)).toEqual(range(1, N));
    // Before the first entry there is nothing; before entry 2, only entry 1.
    expect((await get('?before=1')).body).toMatchObject({ entries: [], page: { first: null, last: null, olderBefore: null, total: N } });
    expect(seqs((await get('?before=2')).body.entries)).toEqual([1]);
    // A limit of exactly what is left gives no older page.
    expect((await get('?limit=10&before=11')).body.page).toMatchObject({ first: 1, last: 10, olderBefore: null });
  });

  it('filters by clinic dates, inclusive, across the day the clocks go back (25 October 2026, Europe/London)', async () => {
    const expected = written.filter((e) => onThe25th(e.occurredAt)).map((e) => e.seq);
    // 25 hours of an entry every 20 minutes, and the late entry.
    expect(expected.length).toBe(76);
    const day = await get('?from=2026-10-25&to=2026-10-25');
    expect(day.status, JSON.stringify(day.body)).toBe(200);
    expect(seqs(day.body.entries)).toEqual(expected);
    expect(day.body.page).toEqual({ limit: 200, total: 76, first: expected[0], last: N, olderBefore: null });
    // The page's own balance and count are not filtered.
    expect(day.body.item.entries).toBe(N);
    // Paging within the dates.
    const latest = await get('?from=2026-10-25&to=2026-10-25&limit=30');
    expect(seqs(latest.body.entries)).toEqual(expected.slice(-30));
    expect(latest.body.page).toMatchObject({ total: 76, olderBefore: expected.at(-30) });
    const older = await get(`?from=2026-10-25&to=2026-10-25&limit=30&before=${latest.body.page.olderBefore}`);
    expect(seqs(older.body.entries)).toEqual(expected.slice(-60, -30));
    // From a date on: everything that happened from midnight at the clinic on the 26th.
    const from26 = await get('?from=2026-10-26&limit=1000');
    expect(seqs(from26.body.entries)).toEqual(written.filter((e) => e.occurredAt >= '2026-10-26T00:00:00.000Z').map((e) => e.seq));
    // Up to a date: to the end of the 24th at the clinic (23:00 UTC, still BST).
    const to24 = await get('?to=2026-10-24&limit=1000');
    expect(seqs(to24.body.entries)).toEqual(written.filter((e) => e.occurredAt < '2026-10-24T23:00:00.000Z').map((e) => e.seq));
    // Nothing on a date with no entries.
    expect((await get('?from=2026-11-01&to=2026-11-30')).body).toMatchObject({ entries: [], page: { total: 0, first: null, olderBefore: null } });
  });

  it('refuses bad paging and date values with a 400 naming the field', async () => {
    const cases: [string, string][] = [
      ['?limit=0', 'limit'],
      ['?limit=1001', 'limit'],
      ['?limit=ten', 'limit'],
      ['?limit=2.5', 'limit'],
      ['?before=0', 'before'],
      ['?before=-3', 'before'],
      ['?before=x', 'before'],
      ['?before=99999999999', 'before'],
      ['?from=2026-02-30', 'from'],
      ['?from=25/10/2026', 'from'],
      ['?to=2026-10-25T00:00:00Z', 'to'],
      ['?from=2026-10-26&to=2026-10-25', 'to'],
      ['?format=xml', 'format'],
    ];
    for (const [query, field] of cases) {
      const res = await get(query);
      expect(res.status, query).toBe(400);
      expect(res.body.error, query).toMatchObject({ code: 'validation_failed', field });
    }
  });

  it('exports the whole page as CSV, the same text as all the entries at once, and a date range of it', async () => {
    const csv = await t.app.inject({ method: 'GET', url: clinic.url(`/cd/items/${item}/register?format=csv`), headers: { cookie: accountable.client.cookie! } });
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    const entries = await pageEntries(t.db.orm, clinic.clinicId, item);
    const names = await staffNames(t.db.orm, entries.flatMap((e) => [e.recordedBy, e.witnessId]));
    const itemRow = (await getItem(t.db.orm, clinic.clinicId, item))!;
    expect(csv.body).toBe(pageCsv(itemRow, entries, names, 'Europe/London'));
    const lines = csv.body.split('\r\n');
    expect(lines.length).toBe(N + 3);
    expect(lines.slice(2, -1).map((l) => Number(l.split(',')[0]))).toEqual(range(1, N));

    const day = await t.app.inject({ method: 'GET', url: clinic.url(`/cd/items/${item}/register?format=csv&from=2026-10-25&to=2026-10-25`), headers: { cookie: accountable.client.cookie! } });
    expect(day.headers['content-disposition']).toContain('-2026-10-25-to-2026-10-25.csv');
    const dayEntries = entries.filter((e) => onThe25th(e.occurredAt));
    expect(day.body).toBe(pageCsv(itemRow, dayEntries, names, 'Europe/London'));
    // The paging values are for the screen: the export is every entry of the dates asked for.
    const ignored = await t.app.inject({ method: 'GET', url: clinic.url(`/cd/items/${item}/register?format=csv&limit=5&before=10`), headers: { cookie: accountable.client.cookie! } });
    expect(ignored.body).toBe(csv.body);
  });

  it('prints the whole page, or the dates asked for with the balance after the last of them', async () => {
    const html = await t.app.inject({ method: 'GET', url: clinic.url(`/cd/items/${item}/register?format=html`), headers: { cookie: accountable.client.cookie! } });
    expect(html.headers['content-type']).toContain('text/html');
    expect(html.body.match(/<tr><td>\d+<\/td>/g)!.length).toBe(N);
    expect(html.body).toContain(`balance ${written.at(-1)!.balanceAfter} ampoules`);
    expect(html.body.endsWith('</tr>\n</tbody></table>\n</body></html>\n')).toBe(true);
    const day = await t.app.inject({ method: 'GET', url: clinic.url(`/cd/items/${item}/register?format=html&from=2026-10-24&to=2026-10-24`), headers: { cookie: accountable.client.cookie! } });
    const on24th = written.filter((e) => e.occurredAt >= '2026-10-23T23:00:00.000Z' && e.occurredAt < '2026-10-24T23:00:00.000Z');
    expect(day.body.match(/<tr><td>(\d+)<\/td>/g)!.map((r) => Number(r.replace(/\D/g, '')))).toEqual(seqs(on24th));
    expect(day.body).toContain(`entries that happened 2026-10-24 (clinic dates) · balance after the last of them ${on24th.at(-1)!.balanceAfter} ampoules`);
    const none = await t.app.inject({ method: 'GET', url: clinic.url(`/cd/items/${item}/register?format=html&from=2026-11-01`), headers: { cookie: accountable.client.cookie! } });
    expect(none.body).toContain('entries that happened 2026-11-01 on (clinic dates) · none ·');
    expect(none.body).toContain('<tbody>\n\n</tbody>');
  });

  it('reads in batches by entry number that add up to the whole page', async () => {
    const batches: Entry[][] = [];
    for await (const b of pageEntriesBetween(t.db.orm, clinic.clinicId, item, {}, 64)) batches.push(b);
    expect(batches.map((b) => b.length)).toEqual([...Array(7).fill(64), N - 7 * 64]);
    expect(seqs(batches.flat())).toEqual(range(1, N));
    const upTo = [];
    for await (const b of pageEntriesBetween(t.db.orm, clinic.clinicId, item, { through: 100 }, 64)) upTo.push(...b);
    expect(seqs(upTo)).toEqual(range(1, 100));
  });

  it('reads the latest entries and the next older ones by the primary key (clinic_id, item_id, seq)', async () => {
    // Told not to scan the table, the planner still has an index to answer from; which one it picks is
    // what the page's speed depends on.
    const plan = await t.db.orm.transaction(async (tx) => {
      await tx.execute(sql`SET LOCAL enable_seqscan = off`);
      const res = await tx.execute(
        sql`EXPLAIN SELECT * FROM cd_entries WHERE clinic_id = ${clinic.clinicId} AND item_id = ${item} AND seq < ${300} ORDER BY seq DESC LIMIT 201`,
      );
      return (res as unknown as { rows: Record<string, string>[] }).rows.map((r) => Object.values(r)[0]).join('\n');
    });
    expect(plan).toMatch(/Index Scan Backward using cd_entries_pkey/);
    expect(plan).not.toMatch(/Sort/);
  });

  it('records who read the page, with the dates and paging asked for', async () => {
    await get('?from=2026-10-25&to=2026-10-25&limit=5&before=400');
    const audit = await clinic.admin.client.get(clinic.url('/audit?entityType=cd_register_page&limit=1'));
    expect(audit.status, JSON.stringify(audit.body)).toBe(200);
    expect(audit.body.events[0]).toMatchObject({ action: 'read', staffId: accountable.staffId, entityId: item, details: { format: 'json', from: '2026-10-25', to: '2026-10-25', limit: 5, before: 400 } });
  });
});
