import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Temporal } from 'temporal-polyfill';
import { appendToPage, emptyPage, type Entry, type PageHead } from '../../domain/cd-register/page';
import type { CdItem } from '../../store/cd-register';
import { datesLabel, htmlHead, pageCsv, pageHtml, streamCsv, streamHtml } from './output';
import { clinicStamp } from './clinic-stamp';
import { clinicDate, formatClinicTime } from '../../domain/time/clinic-time';

const item: CdItem = {
  clinicId: 'c0000000-0000-4000-8000-000000000000',
  itemId: 'i0000000-0000-4000-8000-000000000000',
  drug: 'Diamorphine hydrochloride',
  form: 'ampoule',
  strengthMg: 100,
  location: 'Safe, "the <main> one"',
  createdAt: new Date('2026-01-01T00:00:00Z'),
  createdBy: null,
};
const names = new Map([
  ['s1', 'Ann "A" Nurse'],
  ['s2', 'Bob, Witness'],
]);

function page(n: number): Entry[] {
  let head: PageHead = emptyPage();
  const out: Entry[] = [];
  for (let i = 0; i < n; i++) {
    const destroy = i % 4 === 3;
    const d = appendToPage(
      head,
      {
        clinicId: item.clinicId,
        itemId: item.itemId,
        details: destroy
          ? { kind: 'destruction', reason: 'expired', authorisedWitness: { name: 'W', role: 'Inspector', authorityNumber: '1' }, method: 'kit' }
          : { kind: 'receipt', supplier: { name: i === 0 ? '=HYPERLINK("x")' : 'Pharma Ltd', address: 'Line 1,\nLine 2' }, invoiceReference: `I-${i}` },
        quantity: destroy ? 1 : 2,
        occurredAt: new Date(Date.parse('2026-10-24T22:00:00Z') + i * 45 * 60_000).toISOString(),
        recordedAt: new Date(Date.parse('2026-10-24T22:00:00Z') + i * 45 * 60_000 + (i % 5 === 0 ? 2 * 86_400_000 : 0)).toISOString(),
        recordedBy: 's1',
        witnessId: destroy ? null : 's2',
        note: i % 3 === 0 ? `=note <${i}>, "quoted"` : null,
      },
      'page',
    );
    if (!d.ok) throw new Error(JSON.stringify(d.refusals));
    out.push(d.value);
    head = { lastSeq: d.value.seq, balance: d.value.balanceAfter, lastHash: d.value.hash, hasSeq: () => true };
  }
  return out;
}

/** The entries cut into batches at the given points. */
async function* batches(entries: Entry[], cuts: number[]): AsyncGenerator<Entry[]> {
  let start = 0;
  for (const cut of [...new Set(cuts)].sort((a, b) => a - b)) {
    yield entries.slice(start, cut);
    start = cut;
  }
  yield entries.slice(start);
}

async function text(pieces: AsyncIterable<string>): Promise<string> {
  let out = '';
  for await (const p of pieces) out += p;
  return out;
}

const namesFor = async () => names;
const printedAt = Temporal.Instant.from('2026-10-27T09:00:00Z');

describe('the register streamed a batch at a time', () => {
  it('is the same CSV and print as the whole page at once, however the entries are cut into batches', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 30 }), fc.array(fc.integer({ min: 0, max: 30 }), { maxLength: 6 }), async (n, cuts) => {
        const entries = page(n);
        const at = cuts.map((c) => Math.min(c, n));
        expect(await text(streamCsv(item, batches(entries, at), namesFor, 'Europe/London'))).toBe(pageCsv(item, entries, names, 'Europe/London'));
        const balance = entries.at(-1)?.balanceAfter ?? 0;
        expect(await text(streamHtml('Clinic <A>', item, balance, batches(entries, at), namesFor, 'Europe/London', printedAt))).toBe(
          pageHtml('Clinic <A>', item, entries, names, 'Europe/London', printedAt),
        );
      }),
      { numRuns: 60 },
    );
  });

  it('keeps the CSV layout: title, column names, one CRLF-ended line per entry, cells quoted and formula-safe', () => {
    const csv = pageCsv(item, page(2), names, 'Europe/London');
    const lines = csv.split('\r\n');
    expect(lines[0]).toBe('"Diamorphine hydrochloride 100 mg ampoule — Safe, ""the <main> one"""');
    expect(lines[1]).toBe('Entry,Date,Time,Kind,Details,In,Out,Balance,Recorded by,Witness,Recorded at,Late entry,Note,Hash');
    expect(lines[2]).toMatch(/^1,2026-10-24,23:00,Received,"From =HYPERLINK\(""x""\), Line 1,\nLine 2; invoice I-0",2,,2,"Ann ""A"" Nurse","Bob, Witness",2026-10-26T22:00:00.000Z,yes,"'=note <0>, ""quoted""",[0-9a-f]{64}$/);
    expect(lines.length).toBe(5);
    expect(lines[4]).toBe('');
  });

  it('prints an empty page with a zero balance and no rows', async () => {
    const html = await text(streamHtml('C', item, 0, batches([], []), namesFor, 'Europe/London', printedAt));
    expect(html).toBe(pageHtml('C', item, [], names, 'Europe/London', printedAt));
    expect(html).toContain('balance 0 ampoules');
    expect(html).toContain('<tbody>\n\n</tbody>');
  });
});

describe('an entry\'s date and time at the clinic, for exports', () => {
  it('is what clinicDate and formatClinicTime say, in any zone, across clock changes', () => {
    const zones = ['Europe/London', 'America/New_York', 'Australia/Lord_Howe', 'Asia/Kathmandu', 'America/Santiago', 'Pacific/Chatham', 'UTC', 'Africa/Casablanca'];
    const edges = ['2026-03-29T00:59:59.999Z', '2026-03-29T01:00:00Z', '2026-10-25T00:59:00Z', '2026-10-25T01:00:00Z', '2026-10-24T23:00:00Z', '2026-12-31T23:59:59.999Z'];
    const check = (ms: number, zone: string) => {
      const at = Temporal.Instant.fromEpochMilliseconds(ms);
      expect(clinicStamp(at.toString(), zone)).toEqual({ date: clinicDate(at, zone).toString(), time: formatClinicTime(at, zone) });
    };
    for (const e of edges) for (const z of zones) check(Date.parse(e), z);
    fc.assert(fc.property(fc.integer({ min: Date.parse('1990-01-01'), max: Date.parse('2070-01-01') }), fc.constantFrom(...zones), check), { numRuns: 3000 });
  });
});

describe('a printed page of some dates', () => {
  it('says which dates, and whose balance it shows', () => {
    expect(datesLabel()).toBeUndefined();
    expect(datesLabel('2026-10-25', '2026-10-25')).toBe('2026-10-25');
    expect(datesLabel('2026-10-01', '2026-10-31')).toBe('2026-10-01 to 2026-10-31');
    expect(datesLabel('2026-10-01')).toBe('2026-10-01 on');
    expect(datesLabel(undefined, '2026-10-31')).toBe('up to 2026-10-31');
    expect(htmlHead('C', item, 12, 'Europe/London', printedAt, '2026-10-25')).toContain('entries that happened 2026-10-25 (clinic dates) · balance after the last of them 12 ampoules · printed 2026-10-27 09:00 (Europe/London)');
    expect(htmlHead('C', item, null, 'Europe/London', printedAt, '2026-10-25')).toContain('entries that happened 2026-10-25 (clinic dates) · none · printed');
    expect(htmlHead('C', item, null, 'Europe/London', printedAt)).toContain('· balance 0 ampoules · printed');
  });
});
