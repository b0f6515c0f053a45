import { Temporal } from 'temporal-polyfill';
import { GENESIS_HASH, entryHash, type Entry } from '../../src/domain/cd-register/page';
import type { EntryDetails } from '../../src/domain/cd-register/entries';
import { defaultClinicSettings } from '../../src/domain/clinic/clinic-settings';
import type { DoseEvent } from '../../src/domain/dosing/dose-record';
import { doseReportFacts } from '../../src/domain/reporting/report';
import { sessionWindow } from '../../src/domain/time/clinic-time';
import { Rng, deriveSeed } from './rng';
import type { ClinicScaffold } from './scaffold';
import { ATTENDANCE } from './sizes';
import type { Templates } from './template';

/**
 * A clinic's history, day by day: dosing sessions opened and closed, each person's dose (assessed,
 * prepared with its register supply, given, observed, discharged), refusals and missed doses,
 * weekly toxicology, the register's receipts, and an audit row for every write, as the application
 * writes them (with each dose's dose_outcomes row, the reports' summary, computed by the domain). The register page's entries form a valid hash chain with a running balance.
 */

export const COLUMNS = {
  dosing_sessions: ['clinic_id', 'session_id', 'clinic_date', 'session_code', 'window_opens', 'window_closes', 'opened_at', 'opened_by', 'opening'],
  dosing_session_closures: ['clinic_id', 'session_id', 'closed_at', 'closed_by', 'automatic', 'missed'],
  doses: ['clinic_id', 'dose_id', 'service_user_id', 'clinic_date', 'session_code', 'kind', 'session_id', 'created_at'],
  dose_events: ['clinic_id', 'dose_id', 'seq', 'event_type', 'event', 'occurred_at', 'recorded_at', 'recorded_by'],
  dose_outcomes: ['clinic_id', 'dose_id', 'service_user_id', 'clinic_date', 'session_code', 'kind', 'outcome', 'adverse_events', 'naloxone_used', 'last_seq', 'updated_at'],
  cd_entries: ['clinic_id', 'item_id', 'seq', 'kind', 'details', 'quantity', 'quantity_change', 'balance_after', 'occurred_at', 'recorded_at', 'recorded_by', 'witness_id', 'note', 'prev_hash', 'hash'],
  care_records: ['clinic_id', 'record_id', 'version', 'service_user_id', 'kind', 'effective_date', 'occurred_at', 'data', 'entered_in_error', 'reason', 'source', 'import_id', 'recorded_at', 'recorded_by'],
  audit_events: ['audit_id', 'clinic_id', 'occurred_at', 'staff_id', 'action', 'entity_type', 'entity_id', 'ip', 'user_agent', 'request_id', 'details'],
} as const;
export type Table = keyof typeof COLUMNS;
/** In foreign-key order. */
export const TABLES = Object.keys(COLUMNS) as Table[];

export type Rows = Record<Table, string[]>;
export const emptyRows = (): Rows => Object.fromEntries(TABLES.map((t) => [t, []])) as unknown as Rows;

/** A text[] of plain words (no quoting needed) in PostgreSQL's array literal, for COPY. */
class PgWords {
  constructor(readonly words: readonly string[]) {}
  toString() {
    return `{${this.words.join(',')}}`;
  }
}

/** One value in PostgreSQL's COPY text format. */
function v(x: unknown): string {
  if (x === null || x === undefined) return '\\N';
  if (x instanceof PgWords) return x.toString();
  const s = typeof x === 'string' ? x : typeof x === 'object' ? JSON.stringify(x) : String(x);
  return /[\\\t\n\r]/.test(s) ? s.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r') : s;
}
const line = (values: unknown[]) => values.map(v).join('\t');

const iso = (ms: number) => new Date(ms).toISOString();
const isoZ = (ms: number) => Temporal.Instant.fromEpochMilliseconds(ms).toString();

export interface ClinicState {
  seq: number;
  balance: number;
  lastHash: string;
  /** Whether each person missed their last session (no two misses in a row). */
  missedLast: boolean[];
}

export function newClinicState(c: ClinicScaffold): ClinicState {
  return { seq: 0, balance: 0, lastHash: GENESIS_HASH, missedLast: c.people.map(() => false) };
}

export interface Counts {
  doses: number;
  rows: number;
}

/** The clinic's days from `from` to `to` (inclusive), appended to `rows`; the register state carries across calls. */
export function generateDays(c: ClinicScaffold, tpl: Templates, state: ClinicState, from: Temporal.PlainDate, to: Temporal.PlainDate, seed: number, rows: Rows): Counts {
  const settings = defaultClinicSettings('x');
  const rng = new Rng(deriveSeed(seed, `${c.clinicId}/${from.toString()}`));
  const ua = 'Mozilla/5.0 (X11; Linux x86_64) openhat-bench';
  const ip = `10.${c.index % 250}.0.${rng.int(2, 250)}`;
  let doses = 0;
  const audit = (at: number, staffId: string | null, action: string, entityType: string, entityId: string, details: unknown) =>
    rows.audit_events.push(line([rng.uuid7(at), c.clinicId, iso(at), staffId, action, entityType, entityId, staffId ? ip : null, staffId ? ua : 'openhat (system)', staffId ? `req-${rng.uuid7(at).slice(-12)}` : null, details]));
  const cdEntry = (at: number, by: string, witness: string | null, details: EntryDetails, quantity: number, change: number, note: string | null) => {
    const unhashed: Omit<Entry, 'hash'> = {
      clinicId: c.clinicId,
      itemId: c.itemId,
      seq: state.seq + 1,
      details,
      quantity,
      quantityChange: change,
      balanceAfter: state.balance + change,
      occurredAt: iso(at),
      recordedAt: iso(at),
      recordedBy: by,
      witnessId: witness,
      note,
      prevHash: state.lastHash,
    };
    const hash = entryHash(unhashed);
    rows.cd_entries.push(line([c.clinicId, c.itemId, unhashed.seq, details.kind, details, quantity, change, unhashed.balanceAfter, unhashed.occurredAt, unhashed.recordedAt, by, witness, note, unhashed.prevHash, hash]));
    audit(at, by, 'create', 'cd_entry', `${c.itemId}/${unhashed.seq}`, { kind: details.kind, quantity, balanceAfter: unhashed.balanceAfter, witnessId: witness, hash });
    state.seq = unhashed.seq;
    state.balance = unhashed.balanceAfter;
    state.lastHash = hash;
  };

  for (let day = from; Temporal.PlainDate.compare(day, to) <= 0; day = day.add({ days: 1 })) {
    const date = day.toString();
    const nurse = c.nurses[rng.int(0, c.nurses.length - 1)]!;
    const hca = c.hcas[rng.int(0, c.hcas.length - 1)]!;
    for (const def of settings.sessions) {
      const w = sessionWindow(day, def, settings.timeZone);
      const opens = w.opens.epochMilliseconds;
      const closes = w.closes.epochMilliseconds;
      // Stock arrives before the session when the page runs low: a witnessed receipt.
      if (state.balance < c.people.length * 2) {
        const at = opens - 30 * 60_000;
        cdEntry(at, c.admin.staffId, hca.staffId, { ...tpl.receiptDetails, invoiceReference: `INV-${date}-${def.code}` } as EntryDetails, 500, 500, null);
      }
      const sessionId = rng.uuid7(opens);
      rows.dosing_sessions.push(line([c.clinicId, sessionId, date, def.code, iso(opens), iso(closes), iso(opens), nurse.staffId, { ...tpl.sessionOpening, staffOnDuty: [{ roles: ['nurse'], staffId: nurse.staffId }, { roles: ['hca'], staffId: hca.staffId }], cdKeyHolderId: nurse.staffId }]));
      audit(opens, nurse.staffId, 'open', 'dosing_session', sessionId, { clinicDate: date, sessionCode: def.code });
      let missed = 0;
      c.people.forEach((p, i) => {
        const r = rng.next();
        const outcome = state.missedLast[i] || r < ATTENDANCE.dosed ? 'dosed' : r < ATTENDANCE.dosed + ATTENDANCE.refused ? 'refused' : 'missed';
        state.missedLast[i] = outcome === 'missed';
        const t0 = opens + rng.int(0, 150) * 60_000 + rng.int(0, 59_999);
        const doseId = rng.uuid7(outcome === 'missed' ? closes : t0);
        rows.doses.push(line([c.clinicId, doseId, p.serviceUserId, date, def.code, 'dose', sessionId, iso(outcome === 'missed' ? closes : t0)]));
        let seq = 0;
        const steps: DoseEvent[] = [];
        let lastAt = 0;
        const event = (at: number, by: string | null, e: Record<string, unknown>) => {
          seq++;
          const ev = { ...e, at: isoZ(at), by };
          steps.push(ev as unknown as DoseEvent);
          lastAt = at;
          rows.dose_events.push(line([c.clinicId, doseId, seq, e.type, ev, iso(at), iso(at), by]));
          audit(at, by, 'create', 'dose_event', `${doseId}/${seq}`, { type: e.type, serviceUserId: p.serviceUserId, session: `${date} ${def.code}`, kind: 'dose' });
        };
        // The reports' per-dose summary, as appendDoseEvent leaves it after the dose's last step.
        const summary = () => {
          const f = doseReportFacts(steps);
          rows.dose_outcomes.push(line([c.clinicId, doseId, p.serviceUserId, date, def.code, 'dose', f.outcome, new PgWords(f.adverseEvents), f.naloxoneUsed, seq, iso(lastAt)]));
        };
        if (outcome === 'missed') {
          missed++;
          event(closes, null, { type: 'missed' });
          summary();
          return;
        }
        doses++;
        if (outcome === 'refused') {
          event(t0, nurse.staffId, tpl.events.refusedAssessed);
          event(t0, nurse.staffId, tpl.events.refused);
          summary();
          return;
        }
        event(t0, nurse.staffId, tpl.events.assessed);
        const prepAt = t0 + 3 * 60_000;
        cdEntry(
          prepAt,
          nurse.staffId,
          hca.staffId,
          {
            ...tpl.supplyDetails,
            doseId,
            session: def.code,
            serviceUser: { serviceUserId: p.serviceUserId, name: p.name, address: p.address },
            prescriber: { staffId: c.prescriber.staffId, name: c.prescriber.name },
            administeredBy: { staffId: nurse.staffId, name: nurse.name },
          } as EntryDetails,
          1,
          -1,
          null,
        );
        event(prepAt, nurse.staffId, { ...tpl.events.prepared, witnessId: hca.staffId, ampoules: [{ count: 1, itemId: c.itemId, strengthMg: 100 }] });
        event(t0 + 6 * 60_000, nurse.staffId, { ...tpl.events.administered, witnessId: hca.staffId });
        event(t0 + 16 * 60_000, hca.staffId, tpl.events.observed);
        event(t0 + 27 * 60_000, nurse.staffId, tpl.events.discharged);
        summary();
      });
      rows.dosing_session_closures.push(line([c.clinicId, sessionId, iso(closes), nurse.staffId, false, missed]));
      audit(closes, nurse.staffId, 'close', 'dosing_session', sessionId, { automatic: false, missed });
    }
    // Weekly toxicology on Mondays.
    if (day.dayOfWeek === 1) {
      const at = sessionWindow(day, settings.sessions[0]!, settings.timeZone).opens.epochMilliseconds + 60 * 60_000;
      for (const p of c.people) {
        const recordId = rng.uuid7(at);
        const positive = rng.next() < 0.15;
        const data = { ...tpl.toxicologyData, results: [{ unit: null, level: null, result: positive ? 'positive' : 'negative', substance: 'acetylcodeine' }] };
        rows.care_records.push(line([c.clinicId, recordId, 1, p.serviceUserId, 'toxicology', date, null, data, false, null, 'staff', null, iso(at), hca.staffId]));
        audit(at, hca.staffId, 'create', 'toxicology', recordId, { serviceUserId: p.serviceUserId, effectiveDate: date, version: 1 });
      }
    }
  }
  let count = 0;
  for (const t of TABLES) count += rows[t].length;
  return { doses, rows: count };
}

/** A last delivery so the benchmark's own doses have stock: the page ends with at least `atLeast` ampoules. */
export function finalReceipt(c: ClinicScaffold, tpl: Templates, state: ClinicState, at: number, atLeast: number, seed: number, rows: Rows): void {
  if (state.balance >= atLeast) return;
  const rng = new Rng(deriveSeed(seed, `${c.clinicId}/final`));
  const qty = atLeast - state.balance;
  const details = { ...tpl.receiptDetails, invoiceReference: 'INV-BENCH' } as EntryDetails;
  const unhashed: Omit<Entry, 'hash'> = { clinicId: c.clinicId, itemId: c.itemId, seq: state.seq + 1, details, quantity: qty, quantityChange: qty, balanceAfter: state.balance + qty, occurredAt: iso(at), recordedAt: iso(at), recordedBy: c.admin.staffId, witnessId: c.hcas[0]!.staffId, note: null, prevHash: state.lastHash };
  const hash = entryHash(unhashed);
  rows.cd_entries.push(line([c.clinicId, c.itemId, unhashed.seq, 'receipt', details, qty, qty, unhashed.balanceAfter, iso(at), iso(at), c.admin.staffId, c.hcas[0]!.staffId, null, unhashed.prevHash, hash]));
  rows.audit_events.push(line([rng.uuid7(at), c.clinicId, iso(at), c.admin.staffId, 'create', 'cd_entry', `${c.itemId}/${unhashed.seq}`, '10.0.0.1', 'openhat-bench', null, { kind: 'receipt', quantity: qty, balanceAfter: unhashed.balanceAfter, witnessId: c.hcas[0]!.staffId, hash }]));
  state.seq = unhashed.seq;
  state.balance = unhashed.balanceAfter;
  state.lastHash = hash;
}
