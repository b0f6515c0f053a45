import type { Entry } from '../../domain/cd-register/page';
import { ENTRY_KIND_LABELS } from '../../domain/cd-register/entries';
import { formatClinicTime, clinicDate } from '../../domain/time/clinic-time';
import type { Temporal } from 'temporal-polyfill';
import { inArray } from 'drizzle-orm';
import type { Orm } from '../../store/database';
import { staff } from '../../store/schema';
import { clinicStamp } from './clinic-stamp';
import type { CdItem } from '../../store/cd-register';
import { pageName } from '../../store/cd-register';

const DAY_MS = 24 * 60 * 60 * 1000;

export async function staffNames(orm: Orm, ids: (string | null)[]): Promise<Map<string, string>> {
  const wanted = [...new Set(ids.filter((x): x is string => !!x))];
  if (wanted.length === 0) return new Map();
  const rows = await orm.select({ id: staff.staffId, name: staff.displayName }).from(staff).where(inArray(staff.staffId, wanted));
  return new Map(rows.map((r) => [r.id, r.name]));
}

export function entryOut(e: Entry, names: Map<string, string>) {
  return {
    seq: e.seq,
    kind: e.details.kind,
    details: e.details as unknown as Record<string, unknown>,
    quantity: e.quantity,
    quantityChange: e.quantityChange,
    balanceAfter: e.balanceAfter,
    occurredAt: e.occurredAt,
    recordedAt: e.recordedAt,
    lateEntry: Date.parse(e.recordedAt) - Date.parse(e.occurredAt) > DAY_MS,
    recordedBy: e.recordedBy,
    recordedByName: names.get(e.recordedBy) ?? 'unknown',
    witnessId: e.witnessId,
    witnessName: e.witnessId ? (names.get(e.witnessId) ?? 'unknown') : null,
    note: e.note,
    hash: e.hash,
  };
}

export function itemOut(i: CdItem & { balance: number; entries: number }) {
  return { ...i, name: pageName(i), createdAt: i.createdAt.toISOString() };
}

/** Who or what an entry concerns, in the register's words. */
export function describeEntry(e: Entry): string {
  const d = e.details;
  switch (d.kind) {
    case 'receipt':
      return `From ${d.supplier.name}, ${d.supplier.address}; invoice ${d.invoiceReference}`;
    case 'supply_administration':
      return `${d.serviceUser.name}, ${d.serviceUser.address}; prescriber ${d.prescriber.name}; administered by ${d.administeredBy.name}${d.session ? `; session ${d.session}` : ''}`;
    case 'supply_take_home':
      return `${d.serviceUser.name}, ${d.serviceUser.address}; prescriber ${d.prescriber.name}; collected by ${d.collectedBy}; ID asked for: ${d.idRequested ? 'yes' : 'no'}, shown: ${d.idShown ? 'yes' : 'no'}`;
    case 'part_ampoule_waste':
      return `${d.wastedMg} mg${d.wastedMl ? ` (${d.wastedMl} mL)` : ''} not used, denatured${d.fromSeq ? `; from entry ${d.fromSeq}` : ''}`;
    case 'return_to_supplier':
      return `To ${d.supplier.name}, ${d.supplier.address}; reference ${d.reference}`;
    case 'destruction':
      return `${d.reason.replace(/_/g, ' ')}; ${d.method}; Authorised Witness ${d.authorisedWitness.name} (${d.authorisedWitness.role}, ${d.authorisedWitness.authorityNumber})`;
    case 'transfer_out':
      return `To ${d.to} (transfer ${d.transferId.slice(0, 8)})`;
    case 'transfer_in':
      return `From ${d.from} (transfer ${d.transferId.slice(0, 8)})`;
    case 'stock_check':
      return `Counted ${d.countedQuantity}${d.countedQuantity === e.balanceAfter ? ' (agrees)' : ` (register: ${e.balanceAfter}; discrepancy opened)`}`;
    case 'correction':
      return `Corrects entry ${d.correctsSeq}: ${d.reason}`;
  }
}

function csvCell(value: string | number | null): string {
  const text = value === null ? '' : String(value);
  // Formula-looking cells are prefixed so spreadsheets do not execute them.
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

const CSV_HEADER = ['Entry', 'Date', 'Time', 'Kind', 'Details', 'In', 'Out', 'Balance', 'Recorded by', 'Witness', 'Recorded at', 'Late entry', 'Note', 'Hash'];

/** The CSV's first two lines (the page's name, the column names), each ending in CRLF. */
export function csvHead(item: CdItem): string {
  return `${csvCell(`${pageName(item)} — ${item.location}`)}\r\n${CSV_HEADER.join(',')}\r\n`;
}

/** One entry as a CSV line, ending in CRLF. */
export function csvLine(e: Entry, names: Map<string, string>, timeZone: string): string {
  const at = clinicStamp(e.occurredAt, timeZone);
  const out = entryOut(e, names);
  return (
    [
      e.seq,
      at.date,
      at.time,
      ENTRY_KIND_LABELS[e.details.kind],
      describeEntry(e),
      e.quantityChange > 0 ? e.quantityChange : '',
      e.quantityChange < 0 ? -e.quantityChange : '',
      e.balanceAfter,
      out.recordedByName,
      out.witnessName ?? '',
      e.recordedAt,
      out.lateEntry ? 'yes' : '',
      e.note ?? '',
      e.hash,
    ]
      .map((v) => csvCell(v as string | number))
      .join(',') + '\r\n'
  );
}

/** A whole page as CSV at once (the route streams the same text in batches: csvHead, then csvLine per entry). */
export function pageCsv(item: CdItem, entries: Entry[], names: Map<string, string>, timeZone: string): string {
  return csvHead(item) + entries.map((e) => csvLine(e, names, timeZone)).join('');
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** One entry as a row of the printed page (rows are separated by a newline). */
export function htmlRow(e: Entry, names: Map<string, string>, timeZone: string): string {
  const at = clinicStamp(e.occurredAt, timeZone);
  const out = entryOut(e, names);
  return `<tr><td>${e.seq}</td><td>${at.date} ${at.time}${out.lateEntry ? '<br><em>late entry</em>' : ''}</td><td>${escapeHtml(ENTRY_KIND_LABELS[e.details.kind])}</td><td>${escapeHtml(describeEntry(e))}${e.note ? `<br><small>${escapeHtml(e.note)}</small>` : ''}</td><td class="n">${e.quantityChange > 0 ? e.quantityChange : ''}</td><td class="n">${e.quantityChange < 0 ? -e.quantityChange : ''}</td><td class="n"><strong>${e.balanceAfter}</strong></td><td>${escapeHtml(out.recordedByName)}</td><td>${escapeHtml(out.witnessName ?? '')}</td><td class="h">${e.hash.slice(0, 12)}</td></tr>`;
}

/** Which dates a printed page holds, when not the whole page: "2026-10-25", "2026-10-01 to 2026-10-31", "2026-10-01 on". */
export function datesLabel(from?: string, to?: string): string | undefined {
  if (!from && !to) return undefined;
  if (from && to) return from === to ? from : `${from} to ${to}`;
  return from ? `${from} on` : `up to ${to}`;
}

/**
 * The printed page up to and including `<tbody>` and its newline; `balance` is the last printed
 * entry's (null: none printed). Printing some dates says which, and whose balance it is.
 */
export function htmlHead(clinicName: string, item: CdItem, balance: number | null, timeZone: string, printedAt: Temporal.Instant, dates?: string): string {
  const held = dates === undefined
    ? `balance ${balance ?? 0} ampoules`
    : `entries that happened ${escapeHtml(dates)} (clinic dates) · ${balance === null ? 'none' : `balance after the last of them ${balance} ampoules`}`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>CD register: ${escapeHtml(pageName(item))}</title>
<style>
body{font:11pt system-ui,sans-serif;margin:1.5cm} h1{font-size:14pt;margin:0} p{margin:.2em 0 1em}
table{border-collapse:collapse;width:100%} th,td{border:1px solid #444;padding:3px 5px;vertical-align:top;font-size:9.5pt}
th{background:#eee} td.n{text-align:right} td.h{font-family:monospace;font-size:8pt}
@media print{@page{size:A4 landscape;margin:1cm} body{margin:0}}
</style></head><body>
<h1>Controlled drugs register — ${escapeHtml(pageName(item))}</h1>
<p>${escapeHtml(clinicName)} · ${escapeHtml(item.location)} · ${held} · printed ${clinicDate(printedAt, timeZone)} ${formatClinicTime(printedAt, timeZone)} (${escapeHtml(timeZone)})</p>
<table><thead><tr><th>No.</th><th>Date and time</th><th>Entry</th><th>Details</th><th>In</th><th>Out</th><th>Balance</th><th>By</th><th>Witness</th><th>Hash</th></tr></thead>
<tbody>
`;
}

export const HTML_TAIL = `
</tbody></table>
</body></html>
`;

/** A whole printed page at once (the route streams the same text: htmlHead, the rows joined by newlines, HTML_TAIL). */
export function pageHtml(clinicName: string, item: CdItem, entries: Entry[], names: Map<string, string>, timeZone: string, printedAt: Temporal.Instant): string {
  return htmlHead(clinicName, item, entries.at(-1)?.balanceAfter ?? 0, timeZone, printedAt) + entries.map((e) => htmlRow(e, names, timeZone)).join('\n') + HTML_TAIL;
}

/** Staff names for the entries of a batch (looked up once per person, as batches come). */
export type NamesFor = (entries: Entry[]) => Promise<Map<string, string>>;

/** The same text as pageCsv, a batch of entries at a time: never the whole page in memory. */
export async function* streamCsv(item: CdItem, batches: AsyncIterable<Entry[]>, namesFor: NamesFor, timeZone: string): AsyncGenerator<string> {
  yield csvHead(item);
  for await (const batch of batches) {
    const names = await namesFor(batch);
    yield batch.map((e) => csvLine(e, names, timeZone)).join('');
  }
}

/** The same text as pageHtml, a batch of entries at a time; `balance` is the last entry's (known before the rows are). */
export async function* streamHtml(
  clinicName: string,
  item: CdItem,
  balance: number | null,
  batches: AsyncIterable<Entry[]>,
  namesFor: NamesFor,
  timeZone: string,
  printedAt: Temporal.Instant,
  dates?: string,
): AsyncGenerator<string> {
  yield htmlHead(clinicName, item, balance, timeZone, printedAt, dates);
  let first = true;
  for await (const batch of batches) {
    if (batch.length === 0) continue;
    const names = await namesFor(batch);
    yield (first ? '' : '\n') + batch.map((e) => htmlRow(e, names, timeZone)).join('\n');
    first = false;
  }
  yield HTML_TAIL;
}

/** A NamesFor that remembers who it has looked up. */
export function cachedStaffNames(orm: Orm): NamesFor {
  const names = new Map<string, string>();
  return async (entries) => {
    const missing = entries.flatMap((e) => [e.recordedBy, e.witnessId]).filter((id): id is string => !!id && !names.has(id));
    for (const [id, name] of await staffNames(orm, missing)) names.set(id, name);
    return names;
  };
}
