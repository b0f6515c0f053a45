import type { Entry } from '../../domain/cd-register/page';
import { ENTRY_KIND_LABELS } from '../../domain/cd-register/entries';
import { formatClinicTime, clinicDate } from '../../domain/time/clinic-time';
import { Temporal } from 'temporal-polyfill';
import { inArray } from 'drizzle-orm';
import type { Orm } from '../../store/database';
import { staff } from '../../store/schema';
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

export function pageCsv(item: CdItem, entries: Entry[], names: Map<string, string>, timeZone: string): string {
  const header = ['Entry', 'Date', 'Time', 'Kind', 'Details', 'In', 'Out', 'Balance', 'Recorded by', 'Witness', 'Recorded at', 'Late entry', 'Note', 'Hash'];
  const rows = entries.map((e) => {
    const at = Temporal.Instant.from(e.occurredAt);
    const out = entryOut(e, names);
    return [
      e.seq,
      clinicDate(at, timeZone).toString(),
      formatClinicTime(at, timeZone),
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
    ].map((v) => csvCell(v as string | number));
  });
  const title = csvCell(`${pageName(item)} — ${item.location}`);
  return [title, header.join(','), ...rows.map((r) => r.join(','))].join('\r\n') + '\r\n';
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

export function pageHtml(clinicName: string, item: CdItem, entries: Entry[], names: Map<string, string>, timeZone: string, printedAt: Temporal.Instant): string {
  const rows = entries
    .map((e) => {
      const at = Temporal.Instant.from(e.occurredAt);
      const out = entryOut(e, names);
      return `<tr><td>${e.seq}</td><td>${clinicDate(at, timeZone)} ${formatClinicTime(at, timeZone)}${out.lateEntry ? '<br><em>late entry</em>' : ''}</td><td>${escapeHtml(ENTRY_KIND_LABELS[e.details.kind])}</td><td>${escapeHtml(describeEntry(e))}${e.note ? `<br><small>${escapeHtml(e.note)}</small>` : ''}</td><td class="n">${e.quantityChange > 0 ? e.quantityChange : ''}</td><td class="n">${e.quantityChange < 0 ? -e.quantityChange : ''}</td><td class="n"><strong>${e.balanceAfter}</strong></td><td>${escapeHtml(out.recordedByName)}</td><td>${escapeHtml(out.witnessName ?? '')}</td><td class="h">${e.hash.slice(0, 12)}</td></tr>`;
    })
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>CD register: ${escapeHtml(pageName(item))}</title>
<style>
body{font:11pt system-ui,sans-serif;margin:1.5cm} h1{font-size:14pt;margin:0} p{margin:.2em 0 1em}
table{border-collapse:collapse;width:100%} th,td{border:1px solid #444;padding:3px 5px;vertical-align:top;font-size:9.5pt}
th{background:#eee} td.n{text-align:right} td.h{font-family:monospace;font-size:8pt}
@media print{@page{size:A4 landscape;margin:1cm} body{margin:0}}
</style></head><body>
<h1>Controlled drugs register — ${escapeHtml(pageName(item))}</h1>
<p>${escapeHtml(clinicName)} · ${escapeHtml(item.location)} · balance ${entries.at(-1)?.balanceAfter ?? 0} ampoules · printed ${clinicDate(printedAt, timeZone)} ${formatClinicTime(printedAt, timeZone)} (${escapeHtml(timeZone)})</p>
<table><thead><tr><th>No.</th><th>Date and time</th><th>Entry</th><th>Details</th><th>In</th><th>Out</th><th>Balance</th><th>By</th><th>Witness</th><th>Hash</th></tr></thead>
<tbody>
${rows}
</tbody></table>
</body></html>
`;
}
