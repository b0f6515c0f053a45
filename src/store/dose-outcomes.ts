import { readFileSync } from 'node:fs';
import { and, asc, eq, gte, inArray, lte, sql } from 'drizzle-orm';
import type { AdverseEvent, DoseEvent } from '../domain/dosing/dose-record';
import { doseReportFacts, tallyDoses, type DoseCounts, type DoseFactsGroup, type DoseOutcome } from '../domain/reporting/report';
import type { Database, Orm } from './database';
import { doseEvents, doseOutcomes, doses } from './schema';

/**
 * dose_outcomes (migration 0010): one row per dose summarising its steps for the commissioners'
 * dashboard, so that a report counts rows in SQL instead of folding millions of steps in memory.
 * Derived data: upserted in the same transaction as every step (appendDoseEvent), computed by
 * the domain (doseReportFacts) from the dose's full list of steps; rebuildable from dose_events.
 */

type DoseHead = { clinicId: string; doseId: string; serviceUserId: string; clinicDate: string; sessionCode: string; kind: string };

/** Write (or bring up to date) the dose's row from all its steps, the last of them numbered `lastSeq`; one statement. */
export async function upsertDoseOutcome(tx: Orm, dose: DoseHead, events: readonly DoseEvent[], lastSeq: number, now: Date): Promise<void> {
  const f = doseReportFacts(events);
  const row = {
    clinicId: dose.clinicId,
    doseId: dose.doseId,
    serviceUserId: dose.serviceUserId,
    clinicDate: dose.clinicDate,
    sessionCode: dose.sessionCode,
    kind: dose.kind,
    outcome: f.outcome,
    adverseEvents: f.adverseEvents,
    naloxoneUsed: f.naloxoneUsed,
    lastSeq,
    updatedAt: now,
  };
  await tx
    .insert(doseOutcomes)
    .values(row)
    .onConflictDoUpdate({
      target: [doseOutcomes.clinicId, doseOutcomes.doseId],
      set: { outcome: row.outcome, adverseEvents: row.adverseEvents, naloxoneUsed: row.naloxoneUsed, lastSeq: row.lastSeq, updatedAt: row.updatedAt },
    });
}

/**
 * The clinic's doses dated from–to (clinic dates, inclusive), counted in SQL: one row per group of
 * doses with the same kind, session, outcome, adverse events and naloxone (a few dozen rows for a
 * year of a clinic), then added up by the domain (tallyDoses).
 */
export async function aggregateDoseOutcomes(orm: Orm, clinicId: string, from: string, to: string): Promise<DoseCounts> {
  const rows = await orm
    .select({
      kind: doseOutcomes.kind,
      sessionCode: doseOutcomes.sessionCode,
      outcome: doseOutcomes.outcome,
      adverseEvents: doseOutcomes.adverseEvents,
      naloxoneUsed: doseOutcomes.naloxoneUsed,
      doses: sql<number>`count(*)::int`.mapWith(Number),
    })
    .from(doseOutcomes)
    .where(and(eq(doseOutcomes.clinicId, clinicId), gte(doseOutcomes.clinicDate, from), lte(doseOutcomes.clinicDate, to)))
    .groupBy(doseOutcomes.kind, doseOutcomes.sessionCode, doseOutcomes.outcome, doseOutcomes.adverseEvents, doseOutcomes.naloxoneUsed);
  return tallyDoses(
    rows.map((r): DoseFactsGroup => ({ ...r, outcome: r.outcome as DoseOutcome, adverseEvents: r.adverseEvents as AdverseEvent[] })),
  );
}

/** The backfill SELECT of migration 0010 (the rows the migration wrote for doses that existed then), to run against doses. */
export function backfillSelect(): string {
  const text = readFileSync(new URL('./migrations/0010_dose_outcomes.sql', import.meta.url), 'utf8');
  const start = text.indexOf('SELECT d.clinic_id, d.dose_id');
  const end = text.lastIndexOf(';');
  if (start < 0 || end < start) throw new Error('0010_dose_outcomes.sql: backfill SELECT not found');
  return text.slice(start, end);
}

type DoseRow = typeof doses.$inferSelect;
type OutcomeRow = typeof doseOutcomes.$inferSelect;
interface DoseWithSummary {
  dose: DoseRow;
  stored: OutcomeRow | null;
  steps: DoseEvent[];
}
type Key = { clinicId: string; doseId: string };

/** Up to `batch` doses after `cursor` in key order, each with its stored row and its steps; `lock` takes the doses' row locks (as every dose step does). */
async function doseBatch(orm: Orm, cursor: Key | null, batch: number, lock: boolean): Promise<DoseWithSummary[]> {
  const query = orm
    .select({ dose: doses, stored: doseOutcomes })
    .from(doses)
    .leftJoin(doseOutcomes, and(eq(doseOutcomes.clinicId, doses.clinicId), eq(doseOutcomes.doseId, doses.doseId)))
    .where(cursor ? sql`(${doses.clinicId}, ${doses.doseId}) > (${cursor.clinicId}::uuid, ${cursor.doseId}::uuid)` : undefined)
    .orderBy(asc(doses.clinicId), asc(doses.doseId))
    .limit(batch);
  const heads: { dose: DoseRow; stored: OutcomeRow | null }[] = lock ? await query.for('update', { of: doses }) : await query;
  const steps = new Map<string, DoseEvent[]>(heads.map((h) => [`${h.dose.clinicId}/${h.dose.doseId}`, []]));
  for (const clinicId of new Set(heads.map((h) => h.dose.clinicId))) {
    const ids = heads.filter((h) => h.dose.clinicId === clinicId).map((h) => h.dose.doseId);
    const rows = await orm
      .select({ doseId: doseEvents.doseId, event: doseEvents.event })
      .from(doseEvents)
      .where(and(eq(doseEvents.clinicId, clinicId), inArray(doseEvents.doseId, ids)))
      .orderBy(asc(doseEvents.doseId), asc(doseEvents.seq));
    for (const r of rows) steps.get(`${clinicId}/${r.doseId}`)!.push(r.event as DoseEvent);
  }
  return heads.map((h) => ({ ...h, steps: steps.get(`${h.dose.clinicId}/${h.dose.doseId}`)! }));
}

/** How the stored row differs from what the domain computes from the dose's steps; null when it does not (or the dose has no steps: its own check). */
function difference({ dose, stored, steps }: DoseWithSummary): string | null {
  if (steps.length === 0) return stored ? 'has a dose_outcomes row but no steps' : null;
  if (!stored) return 'has no dose_outcomes row';
  const want = doseReportFacts(steps);
  const differs: string[] = [];
  if (stored.outcome !== want.outcome) differs.push(`outcome ${stored.outcome}, its steps say ${want.outcome}`);
  if (stored.adverseEvents.join(',') !== want.adverseEvents.join(',')) differs.push(`adverse events {${stored.adverseEvents.join(',')}}, its steps say {${want.adverseEvents.join(',')}}`);
  if (stored.naloxoneUsed !== want.naloxoneUsed) differs.push(`naloxone used ${stored.naloxoneUsed}, its steps say ${want.naloxoneUsed}`);
  for (const k of ['serviceUserId', 'clinicDate', 'sessionCode', 'kind'] as const) if (stored[k] !== dose[k]) differs.push(`${k} ${stored[k]}, the dose's is ${dose[k]}`);
  if (stored.lastSeq !== steps.length) differs.push(`summarises ${stored.lastSeq} step(s) of ${steps.length}`);
  return differs.length ? `dose_outcomes row differs: ${differs.join('; ')}` : null;
}

/**
 * Compares stored rows with what the domain computes from the steps, a batch of doses at a time
 * (key order, so memory stays bounded on a large database): the doses with no row, and those whose
 * row differs (a row without its dose cannot exist: a foreign key).
 */
export async function* doseOutcomeMismatches(orm: Orm, batch = 2000): AsyncGenerator<{ checked: number; problems: (Key & { problem: string })[] }> {
  let cursor: Key | null = null;
  for (;;) {
    const rows = await doseBatch(orm, cursor, batch, false);
    if (rows.length === 0) return;
    const problems: (Key & { problem: string })[] = [];
    for (const r of rows) {
      const problem = difference(r);
      if (problem) problems.push({ clinicId: r.dose.clinicId, doseId: r.dose.doseId, problem });
    }
    yield { checked: rows.length, problems };
    if (rows.length < batch) return;
    cursor = { clinicId: rows.at(-1)!.dose.clinicId, doseId: rows.at(-1)!.dose.doseId };
  }
}

/**
 * Rebuilds the rows that differ from what the domain computes from the steps (derived data: the
 * repair for what doseOutcomeMismatches finds). A batch of doses at a time, each in a transaction
 * holding the doses' row locks, so a dose step being recorded meanwhile waits (or is waited for)
 * and its own upsert is never overwritten with older facts. Returns the doses repaired.
 */
export async function repairDoseOutcomes(db: Database, now: Date, batch = 2000): Promise<number> {
  let cursor: Key | null = null;
  let repaired = 0;
  for (;;) {
    const from: Key | null = cursor;
    const { size, last, fixed } = await db.orm.transaction(async (tx) => {
      const rows = await doseBatch(tx as unknown as Orm, from, batch, true);
      let n = 0;
      for (const r of rows) {
        if (difference(r) === null || r.steps.length === 0) continue;
        await upsertDoseOutcome(tx as unknown as Orm, r.dose, r.steps, r.steps.length, now);
        n++;
      }
      return { size: rows.length, last: rows.at(-1)?.dose ?? null, fixed: n };
    });
    repaired += fixed;
    if (size < batch || !last) return repaired;
    cursor = { clinicId: last.clinicId, doseId: last.doseId };
  }
}
