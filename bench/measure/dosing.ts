/* eslint-disable @typescript-eslint/no-explicit-any -- a benchmark harness: JSON answers and SQL rows read loosely */
import { uuidv7 } from 'uuidv7';
import pg from 'pg';
import type { PGlite } from '@electric-sql/pglite';
import { entryHash, type Entry } from '../../src/domain/cd-register/page';
import type { EntryDetails } from '../../src/domain/cd-register/entries';
import type { DoseEvent } from '../../src/domain/dosing/dose-record';
import { doseReportFacts } from '../../src/domain/reporting/report';
import { checklist, fine } from '../../test/support/dosing';
import type { Manifest } from '../generate/scaffold';
import { BENCH_PASSWORD } from '../generate/scaffold';
import { expectOk, HttpClient } from './http';
import type { Server } from './server';
import { summarise, type Summary } from './stats';

/**
 * Dose recording at a level of concurrency: through the real HTTP API (assessment, preparation with
 * the register supply, administration: three requests, three transactions, each audited), and the
 * ceiling: the same transactions' SQL run straight on the database (no HTTP, no validation, no
 * sign-in or witness check) by as many concurrent clients.
 */

export interface Slot {
  date: string;
  code: 'AM' | 'PM';
}

export const slotInstant = (s: Slot) => `${s.date}T${s.code === 'AM' ? '08:05' : '13:05'}:00Z`;

export interface Pair {
  clinic: Manifest['clinics'][number];
  serviceUserId: string;
}

/** Every (clinic, person) pair, interleaved across clinics so that concurrent clients work at different clinics. */
function pairs(manifest: Manifest, max: number): Pair[] {
  const out: Pair[] = [];
  const most = Math.max(...manifest.clinics.map((c) => c.people.length));
  for (let i = 0; i < most && out.length < max; i++) {
    for (const c of manifest.clinics) {
      if (i < c.people.length && out.length < max) out.push({ clinic: c, serviceUserId: c.people[i]!.serviceUserId });
    }
  }
  return out;
}

export interface DosingResult {
  clients: number;
  doses: number;
  seconds: number;
  dosesPerSecond: number;
  /** One dose: its three requests (or transactions) one after another. */
  dose: Summary;
  /** Each request (or transaction) on its own. */
  step: Summary;
  statementsPerDose?: number;
  errors: number;
}

/** Each client takes the next item until none is left or `seconds` have passed (doses already begun are finished). */
async function runWorkers<T>(items: T[], clients: number, work: (item: T) => Promise<void>, seconds = Infinity): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: Math.min(clients, items.length) }, async () => {
      for (;;) {
        const i = next++;
        if (i >= items.length || performance.now() - started > seconds * 1000) return;
        await work(items[i]!);
      }
    }),
  );
  return (performance.now() - started) / 1000;
}

async function parallel<T>(items: T[], n: number, work: (item: T) => Promise<void>) {
  await runWorkers(items, n, work);
}

export async function statementCalls(url: string | undefined): Promise<number | null> {
  if (!url) return null;
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const r = await c.query(`SELECT coalesce(sum(calls), 0)::bigint AS n FROM pg_stat_statements WHERE query NOT ILIKE '%pg_stat_statements%'`);
    return Number(r.rows[0].n);
  } catch {
    return null;
  } finally {
    await c.end();
  }
}

export async function resetStatements(url: string | undefined): Promise<void> {
  if (!url) return;
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  await c.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements').catch(() => undefined);
  await c.query('SELECT pg_stat_statements_reset()').catch(() => undefined);
  await c.end();
}

/** A session at every clinic, opened by its nurses (signed in, cookie and CSRF token) at a slot of the server's clock. */
export interface OpenSlot {
  slot: Slot;
  sessions: Map<string, { nurses: HttpClient[]; sessionId: string }>;
}

export async function openSlot(server: Server, manifest: Manifest, slot: Slot): Promise<OpenSlot> {
  await server.setClock(slotInstant(slot));
  // The server's missed-dose job runs every minute: when the clock has moved past the previous
  // slot's session it closes that session (recording the missed doses). Let it do so before timing.
  await new Promise((r) => setTimeout(r, 65_000));
  const sessions = new Map<string, { nurses: HttpClient[]; sessionId: string }>();
  await parallel(manifest.clinics, 4, async (c) => {
    const nurses = [];
    for (const n of c.nurses) {
      const h = new HttpClient(server.base);
      await h.signIn(n.email, BENCH_PASSWORD);
      nurses.push(h);
    }
    const opened = await nurses[0]!.post(`/api/v1/clinics/${c.clinicId}/sessions`, { sessionCode: slot.code, staffOnDuty: [c.nurses[0]!.staffId, c.hcas[0]!.staffId], cdKeyHolderId: c.nurses[0]!.staffId, checklist });
    if (opened.status !== 201) throw new Error(`open session: ${JSON.stringify(opened.body)}`);
    sessions.set(c.clinicId, { nurses, sessionId: opened.body.sessionId });
  });
  return { slot, sessions };
}

/**
 * The (clinic, person) pairs for the levels of concurrency, in order. When there are enough people
 * every level doses in the same session on people of its own (so that no level's doses depend on
 * what an earlier level left: a person not reached in one session has a missed dose recorded by the
 * server's job, and three in a row lock their full dose, correctly); otherwise (one clinic) each level
 * has a session of its own and doses everyone.
 */
export function dosingPlan(manifest: Manifest, levels: readonly { clients: number; doses: number }[]): { oneSession: boolean; work: Pair[][] } {
  const everyone = pairs(manifest, Infinity);
  const last = levels.at(-1)!;
  const before = levels.slice(0, -1).reduce((n, l) => n + l.doses, 0);
  // The last (most concurrent) level takes what is left, if that is at least four doses a client.
  if (everyone.length - before < last.clients * 4) return { oneSession: false, work: levels.map((l) => everyone.slice(0, l.doses)) };
  let from = 0;
  return { oneSession: true, work: levels.map((l) => everyone.slice(from, (from += l.doses))) };
}

export async function apiDosing(open: OpenSlot, work: Pair[], clients: number, pgUrl?: string, budgetSeconds = 60): Promise<DosingResult> {
  const sessions = open.sessions;
  const doseMs: number[] = [];
  const stepMs: number[] = [];
  let errors = 0;
  let turn = 0;
  await resetStatements(pgUrl);
  const before = await statementCalls(pgUrl);
  const seconds = await runWorkers(work, clients, async ({ clinic, serviceUserId }) => {
    const s = sessions.get(clinic.clinicId)!;
    const nurse = s.nurses[turn++ % s.nurses.length]!;
    const witness = { staffId: clinic.hcas[0]!.staffId, password: BENCH_PASSWORD };
    const base = `/api/v1/clinics/${clinic.clinicId}`;
    const start = performance.now();
    try {
      let t = performance.now();
      const a = await expectOk('assessment', nurse.post(`${base}/sessions/${s.sessionId}/assessments`, { serviceUserId, findings: fine }));
      stepMs.push(performance.now() - t);
      t = performance.now();
      await expectOk(
        'preparation',
        nurse.post(`${base}/doses/${a.doseId}/preparation`, { route: 'iv', doseMg: 100, ampoules: [{ itemId: clinic.itemId, count: 1 }], reconstitutionMl: 1, witness: { ...witness, ampoules: [{ strengthMg: 100, count: 1 }], reconstitutionMl: 1 } }),
      );
      stepMs.push(performance.now() - t);
      t = performance.now();
      await expectOk('administration', nurse.post(`${base}/doses/${a.doseId}/administration`, { route: 'iv', sites: ['left arm'], attempts: 1, givenMg: 100, witness }));
      stepMs.push(performance.now() - t);
      doseMs.push(performance.now() - start);
    } catch (err) {
      errors++;
      if (errors <= 3) process.stderr.write(`  dose failed: ${(err as Error).message}\n`);
    }
  }, budgetSeconds);
  return dosingResult(clients, seconds, doseMs, stepMs, before, await statementCalls(pgUrl), errors);
}

const round = (x: number) => Math.round(x * 100) / 100;

/** One level's figures, the same for the API and the ceiling. */
function dosingResult(clients: number, seconds: number, doseMs: number[], stepMs: number[], before: number | null, after: number | null, errors: number): DosingResult {
  return {
    clients,
    doses: doseMs.length,
    seconds: round(seconds),
    dosesPerSecond: round(doseMs.length / seconds),
    dose: summarise(doseMs),
    step: summarise(stepMs),
    ...(before !== null && after !== null && doseMs.length ? { statementsPerDose: round((after - before) / doseMs.length) } : {}),
    errors,
  };
}

/** Raw SQL in a transaction, on PostgreSQL or PGlite. */
export interface SqlRunner {
  tx<T>(fn: (q: (text: string, params?: unknown[]) => Promise<any[]>) => Promise<T>): Promise<T>;
  query(text: string, params?: unknown[]): Promise<any[]>;
  close(): Promise<void>;
}

export function postgresRunner(url: string, size: number): SqlRunner {
  const pool = new pg.Pool({ connectionString: url, max: size });
  return {
    async tx(fn) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const out = await fn(async (text, params) => (await client.query(text, params as unknown[])).rows);
        await client.query('COMMIT');
        return out;
      } catch (err) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw err;
      } finally {
        client.release();
      }
    },
    query: async (text, params) => (await pool.query(text, params as unknown[])).rows,
    close: () => pool.end(),
  };
}

export function pgliteRunner(db: PGlite): SqlRunner {
  return {
    tx: (fn) => db.transaction((t) => fn(async (text, params) => (await t.query(text, params)).rows as any[])),
    query: async (text, params) => (await db.query(text, params)).rows as any[],
    close: async () => undefined,
  };
}

/** What reading a person costs in every dosing transaction (lockPerson/readPerson): the same queries, straight. */
async function readPerson(q: (text: string, params?: unknown[]) => Promise<any[]>, clinicId: string, serviceUserId: string, since: string) {
  await q('SELECT service_user_id FROM service_users WHERE clinic_id = $1 AND service_user_id = $2 FOR UPDATE', [clinicId, serviceUserId]);
  await q('SELECT settings FROM clinic_settings WHERE clinic_id = $1 ORDER BY version DESC LIMIT 1', [clinicId]);
  const doses = await q('SELECT * FROM doses WHERE clinic_id = $1 AND service_user_id = $2 AND clinic_date >= $3 ORDER BY clinic_date, created_at', [clinicId, serviceUserId, since]);
  await q('SELECT * FROM dose_events WHERE clinic_id = $1 AND dose_id = ANY($2::uuid[]) ORDER BY dose_id, seq', [clinicId, doses.map((d) => d.dose_id)]);
  await q('SELECT * FROM reviews WHERE clinic_id = $1 AND service_user_id = $2 ORDER BY reviewed_at DESC', [clinicId, serviceUserId]);
  await q('SELECT * FROM service_user_versions WHERE clinic_id = $1 AND service_user_id = $2 ORDER BY version DESC LIMIT 1', [clinicId, serviceUserId]);
  const [episode] = await q('SELECT * FROM episodes WHERE clinic_id = $1 AND service_user_id = $2 ORDER BY opened_at DESC LIMIT 1', [clinicId, serviceUserId]);
  await q('SELECT * FROM episode_events WHERE clinic_id = $1 AND episode_id = $2 ORDER BY seq', [clinicId, episode.episode_id]);
  const rx = await q('SELECT * FROM prescription_versions WHERE clinic_id = $1 AND service_user_id = $2 ORDER BY version', [clinicId, serviceUserId]);
  await q(`SELECT * FROM care_records WHERE clinic_id = $1 AND service_user_id = $2 AND kind IN ('take_home_supply', 'take_home_return') ORDER BY effective_date`, [clinicId, serviceUserId]);
  return { prescriber: rx.at(-1).signed_by as string };
}


export async function ceilingDosing(sql: SqlRunner, manifest: Manifest, clients: number, slot: Slot, maxDoses: number, pgUrl?: string, budgetSeconds = 60): Promise<DosingResult> {
  const work = pairs(manifest, maxDoses);
  const at = new Date(slotInstant(slot));
  const since = new Date(at.getTime() - 35 * 86_400_000).toISOString().slice(0, 10);
  const sessionIds = new Map<string, string>();
  for (const c of new Map(work.map((p) => [p.clinic.clinicId, p.clinic])).values()) {
    const sessionId = uuidv7();
    await sql.query(
      `INSERT INTO dosing_sessions (clinic_id, session_id, clinic_date, session_code, window_opens, window_closes, opened_at, opened_by, opening) VALUES ($1, $2, $3, $4, $5, $6, $5, $7, $8)`,
      [c.clinicId, sessionId, slot.date, slot.code, at, new Date(at.getTime() + 3 * 3600_000), c.nurses[0]!.staffId, JSON.stringify({ ceiling: true })],
    );
    sessionIds.set(c.clinicId, sessionId);
  }
  const doseMs: number[] = [];
  const stepMs: number[] = [];
  let errors = 0;
  const audit = (q: (t: string, p?: unknown[]) => Promise<any[]>, clinicId: string, staffId: string, entityType: string, entityId: string, details: unknown) =>
    q(`INSERT INTO audit_events (audit_id, clinic_id, occurred_at, staff_id, action, entity_type, entity_id, ip, user_agent, request_id, details) VALUES ($1, $2, $3, $4, 'create', $5, $6, '127.0.0.1', 'ceiling', $7, $8)`, [
      uuidv7(), clinicId, new Date(), staffId, entityType, entityId, uuidv7(), JSON.stringify(details),
    ]);
  const openDose = async (q: (t: string, p?: unknown[]) => Promise<any[]>, clinicId: string, doseId: string, serviceUserId: string, sessionId: string) => {
    await q('SELECT * FROM doses WHERE clinic_id = $1 AND dose_id = $2', [clinicId, doseId]);
    const person = await readPerson(q, clinicId, serviceUserId, since);
    await q('SELECT * FROM doses WHERE clinic_id = $1 AND dose_id = $2 FOR UPDATE', [clinicId, doseId]);
    const events = await q('SELECT * FROM dose_events WHERE clinic_id = $1 AND dose_id = ANY($2::uuid[]) ORDER BY dose_id, seq', [clinicId, [doseId]]);
    await q('SELECT * FROM dosing_sessions s LEFT JOIN dosing_session_closures c ON c.clinic_id = s.clinic_id AND c.session_id = s.session_id WHERE s.clinic_id = $1 AND s.session_id = $2', [clinicId, sessionId]);
    await q('SELECT * FROM dosing_exceptions WHERE clinic_id = $1 AND service_user_id = $2 AND valid_until > $3', [clinicId, serviceUserId, new Date()]);
    return { person, seq: events.length };
  };
  const stepsOf = new Map<string, DoseEvent[]>();
  const event = async (q: (t: string, p?: unknown[]) => Promise<any[]>, clinicId: string, doseId: string, seq: number, by: string, e: Record<string, unknown>, serviceUserId: string) => {
    const ev = { ...e, at: new Date().toISOString(), by };
    await q('INSERT INTO dose_events (clinic_id, dose_id, seq, event_type, event, occurred_at, recorded_at, recorded_by) VALUES ($1, $2, $3, $4, $5, $6, $6, $7)', [clinicId, doseId, seq, e.type, JSON.stringify(ev), new Date(), by]);
    // The reports' per-dose summary, upserted with every step as appendDoseEvent does (one statement).
    const steps = [...(stepsOf.get(doseId) ?? []), ev as unknown as DoseEvent];
    stepsOf.set(doseId, steps);
    const f = doseReportFacts(steps);
    await q(
      `INSERT INTO dose_outcomes (clinic_id, dose_id, service_user_id, clinic_date, session_code, kind, outcome, adverse_events, naloxone_used, last_seq, updated_at)
       VALUES ($1, $2, $3, $4, $5, 'dose', $6, $7, $8, $9, $10)
       ON CONFLICT (clinic_id, dose_id) DO UPDATE SET outcome = excluded.outcome, adverse_events = excluded.adverse_events, naloxone_used = excluded.naloxone_used, last_seq = excluded.last_seq, updated_at = excluded.updated_at`,
      [clinicId, doseId, serviceUserId, slot.date, slot.code, f.outcome, f.adverseEvents, f.naloxoneUsed, seq, new Date()],
    );
    await audit(q, clinicId, by, 'dose_event', `${doseId}/${seq}`, { type: e.type, serviceUserId, session: `${slot.date} ${slot.code}`, kind: 'dose' });
  };
  await resetStatements(pgUrl);
  const before = await statementCalls(pgUrl);
  const seconds = await runWorkers(work, clients, async ({ clinic, serviceUserId }) => {
    const clinicId = clinic.clinicId;
    const sessionId = sessionIds.get(clinicId)!;
    const nurse = clinic.nurses[0]!.staffId;
    const hca = clinic.hcas[0]!.staffId;
    const start = performance.now();
    try {
      // 1. Assessment.
      let t = performance.now();
      const doseId = await sql.tx(async (q) => {
        await q('SELECT * FROM dosing_sessions s LEFT JOIN dosing_session_closures c ON c.clinic_id = s.clinic_id AND c.session_id = s.session_id WHERE s.clinic_id = $1 AND s.session_id = $2', [clinicId, sessionId]);
        await readPerson(q, clinicId, serviceUserId, since);
        await q(`INSERT INTO doses (clinic_id, dose_id, service_user_id, clinic_date, session_code, kind, session_id, created_at) VALUES ($1, $2, $3, $4, $5, 'dose', $6, $7) ON CONFLICT DO NOTHING`, [clinicId, uuidv7(), serviceUserId, slot.date, slot.code, sessionId, new Date()]);
        const [dose] = await q(`SELECT * FROM doses WHERE clinic_id = $1 AND service_user_id = $2 AND clinic_date = $3 AND session_code = $4 AND kind = 'dose' FOR UPDATE`, [clinicId, serviceUserId, slot.date, slot.code]);
        await q('SELECT * FROM dose_events WHERE clinic_id = $1 AND dose_id = ANY($2::uuid[]) ORDER BY dose_id, seq', [clinicId, [dose.dose_id]]);
        await q(`SELECT * FROM care_records WHERE clinic_id = $1 AND service_user_id = $2 AND kind IN ('breath_test') ORDER BY effective_date`, [clinicId, serviceUserId]);
        await event(q, clinicId, dose.dose_id, 1, nurse, { type: 'assessed', chosen: 'give', findings: fine }, serviceUserId);
        await q('SELECT * FROM dosing_exceptions WHERE clinic_id = $1 AND service_user_id = $2 AND valid_until > $3', [clinicId, serviceUserId, new Date()]);
        return dose.dose_id as string;
      });
      stepMs.push(performance.now() - t);
      // 2. Preparation with the register supply.
      t = performance.now();
      await sql.tx(async (q) => {
        const x = await openDose(q, clinicId, doseId, serviceUserId, sessionId);
        await q('SELECT * FROM cd_items WHERE clinic_id = $1 AND item_id = $2', [clinicId, clinic.itemId]);
        await q('SELECT * FROM staff WHERE staff_id = $1', [x.person.prescriber]);
        await q('SELECT * FROM cd_items WHERE clinic_id = $1 AND item_id = $2 FOR UPDATE', [clinicId, clinic.itemId]);
        const [head] = await q('SELECT seq, balance_after, hash FROM cd_entries WHERE clinic_id = $1 AND item_id = $2 ORDER BY seq DESC LIMIT 1', [clinicId, clinic.itemId]);
        const now = new Date().toISOString();
        const details = { kind: 'supply_administration', doseId, session: slot.code, serviceUser: { serviceUserId, name: 'x', address: 'x' }, prescriber: { staffId: x.person.prescriber, name: 'x' }, administeredBy: { staffId: nurse, name: 'x' } } as unknown as EntryDetails;
        const unhashed: Omit<Entry, 'hash'> = { clinicId, itemId: clinic.itemId, seq: head.seq + 1, details, quantity: 1, quantityChange: -1, balanceAfter: head.balance_after - 1, occurredAt: now, recordedAt: now, recordedBy: nurse, witnessId: hca, note: null, prevHash: head.hash };
        const hash = entryHash(unhashed);
        await q(
          'INSERT INTO cd_entries (clinic_id, item_id, seq, kind, details, quantity, quantity_change, balance_after, occurred_at, recorded_at, recorded_by, witness_id, note, prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)',
          [clinicId, clinic.itemId, unhashed.seq, 'supply_administration', JSON.stringify(details), 1, -1, unhashed.balanceAfter, now, now, nurse, hca, null, unhashed.prevHash, hash],
        );
        await audit(q, clinicId, nurse, 'cd_entry', `${clinic.itemId}/${unhashed.seq}`, { kind: 'supply_administration', quantity: 1, balanceAfter: unhashed.balanceAfter, witnessId: hca, hash });
        await event(q, clinicId, doseId, x.seq + 1, nurse, { type: 'prepared', route: 'iv', doseMg: 100, witnessId: hca }, serviceUserId);
      });
      stepMs.push(performance.now() - t);
      // 3. Administration.
      t = performance.now();
      await sql.tx(async (q) => {
        const x = await openDose(q, clinicId, doseId, serviceUserId, sessionId);
        await event(q, clinicId, doseId, x.seq + 1, nurse, { type: 'administered', route: 'iv', givenMg: 100, witnessId: hca }, serviceUserId);
      });
      stepMs.push(performance.now() - t);
      doseMs.push(performance.now() - start);
    } catch (err) {
      errors++;
      if (errors <= 3) process.stderr.write(`  ceiling dose failed: ${(err as Error).message}\n`);
    }
  }, budgetSeconds);
  return dosingResult(clients, seconds, doseMs, stepMs, before, await statementCalls(pgUrl), errors);
}
