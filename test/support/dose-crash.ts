import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Temporal } from 'temporal-polyfill';
import { openDatabase } from '../../src/store/open';
import { checkIntegrity, formatIntegrityReport, type IntegrityReport } from '../../src/store/integrity';
import { verifyRegister } from '../../src/server/cd/verify';
import { loadConfig } from '../../src/server/config';
import { TestApp, TEST_PASSWORD } from './test-app';
import { licensedPrescriber, personInInduction, starting } from './clinical';
import { page, receive } from './cd';
import { checklist, fine } from './dosing';
import { freePort, startProcess, waitForHealth, type Running } from './processes';

/**
 * SIGKILL in the middle of concurrent dose recording, through the real server process and its
 * HTTP API. Used by test/crash/dose-recording-crash.int.test.ts (a few kills, in CI) and
 * test/long/dose-crash.long.test.ts (many).
 *
 * Seeding (clinics, staff, people in treatment, prescriptions, register stock) runs in this process
 * on the same database before the server starts. Then each cycle:
 *
 *   1. move the server's clock (OPENHAT_CLOCK_FILE) to the next session, AM or PM of the next clinic
 *      day (each person can have one dose a session), sign the nurses in and open the session in
 *      every clinic;
 *   2. several nurses in several clinics at once each take their people through the whole dose:
 *      assessment → preparation (which writes the register supply and any waste) → administration,
 *      every request with its own Idempotency-Key;
 *   3. after a random number of acknowledged steps, SIGKILL, while the other nurses' requests are
 *      in flight;
 *   4. look at the database as the kill left it (PostgreSQL: directly; PGlite: a copy of the data
 *      folder, so that the server itself does the crash recovery on the original): every
 *      acknowledged step is there, nothing is half-written (src/store/integrity.ts), balances and
 *      hash chains verify;
 *   5. restart (timed until /health answers), sign in again, retry every request that was in flight
 *      with the same Idempotency-Key (a replayed answer means it had committed although the client
 *      never heard), finish the doses that were under way, and go on to the next session.
 *
 * At the end the server is stopped with SIGTERM and the database looked at once more.
 */

export interface CrashRunOptions {
  engine: 'pglite' | 'postgres';
  kills: number;
  clinics?: number;
  /** People per clinic. */
  people?: number;
  /** Nurses dosing at once per clinic, each with their own witness. */
  teamsPerClinic?: number;
  /** PostgreSQL only: the database's URL (a new, empty database). */
  databaseUrl?: string;
  log?: (line: string) => void;
}

export interface CrashFigures {
  when: string;
  engine: string;
  kills: number;
  clinics: number;
  people: number;
  concurrentNurses: number;
  stepsAttempted: number;
  stepsAcknowledged: number;
  dosesStarted: number;
  dosesCompleted: number;
  acknowledgedLost: number;
  halfWritten: number;
  inFlightAtKill: number;
  inFlightCommitted: number;
  inFlightCommittedBySql: number;
  refusedSteps: number;
  /** In-flight steps (or the steps after them) refused by a clinical rule when retried after the restart. */
  refusedAfterRestart: number;
  serverErrors: number;
  registerPagesVerified: number;
  restartMs: { min: number; max: number; mean: number };
  cycles: { killAfterAcks: number; acked: number; inFlight: number; inFlightCommitted: number; lost: number; halfWritten: number; restartMs: number }[];
  integrityFailures: string[];
}

type Step = 'assess' | 'prepare' | 'administer';
const EVENT_OF: Record<Step, string> = { assess: 'assessed', prepare: 'prepared', administer: 'administered' };

interface Team {
  clinicId: string;
  nurse: { staffId: string; email: string };
  witness: { staffId: string };
  itemId: string;
  people: string[];
  cookie: string;
  csrf: string;
}

interface Pending {
  team: Team;
  serviceUserId: string;
  step: Step;
  key: string;
  path: string;
  body: unknown;
  doseId: string | null;
  mg: number | null;
}

const ZONE = 'Europe/London';
const ABSOLUTE_HOURS = 12;

/** The instant of session `index` (0: AM of the first day, 1: PM, 2: AM of the next day…), five minutes in. */
function sessionInstant(index: number): { instant: Temporal.Instant; code: 'AM' | 'PM' } {
  const day = Temporal.PlainDate.from('2026-03-02').add({ days: Math.floor(index / 2) });
  const code = index % 2 === 0 ? 'AM' : 'PM';
  const time = code === 'AM' ? '08:05' : '13:05';
  return { instant: Temporal.PlainDateTime.from(`${day.toString()}T${time}`).toZonedDateTime(ZONE).toInstant(), code };
}

/** A 422 naming a clinical rule; not a step in the wrong order or a reused key, which a crash could cause. */
function clinicalRefusal(status: number, body: any): boolean {
  const code = body?.error?.code as string | undefined;
  return status === 422 && !!code && !['wrong_step', 'idempotency_key_reused'].includes(code);
}

function shuffled<T>(xs: readonly T[]): T[] {
  const out = [...xs];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

export async function runDoseCrash(options: CrashRunOptions): Promise<CrashFigures> {
  const log = options.log ?? (() => {});
  const clinics = options.clinics ?? 3;
  const peoplePerClinic = options.people ?? 6;
  const teamsPerClinic = options.teamsPerClinic ?? 2;
  const work = mkdtempSync(join(tmpdir(), 'openhat-dose-crash-'));
  const clockFile = join(work, 'clock');
  const dataDir = join(work, 'data');
  const settings = options.engine === 'postgres' ? { databaseUrl: options.databaseUrl!, dataDir: '' } : { databaseUrl: null, dataDir };
  const baseEnv: Record<string, string> = {
    ...(settings.databaseUrl ? { DATABASE_URL: settings.databaseUrl } : { OPENHAT_DATA_DIR: dataDir }),
    OPENHAT_CLOCK_FILE: clockFile,
    OPENHAT_LOGIN_RATE_LIMIT_PER_MINUTE: '10000',
    OPENHAT_SHUTDOWN_GRACE_SECONDS: '60',
    OPENHAT_SESSION_ABSOLUTE_HOURS: String(ABSOLUTE_HOURS),
    HOST: '127.0.0.1',
  };

  // --- Seed, in this process, on the database the server will use.
  const seedStarted = Date.now();
  let sessionIndex = 0;
  const teams: Team[] = [];
  {
    const db = await openDatabase(settings);
    // Seeding signs in prescribers and controlled-drug staff in this process: no second factor here
    // (the server under test keeps its default configuration).
    const t = await TestApp.on(db, loadConfig({ OPENHAT_SECOND_FACTOR_ROLES: 'none' }));
    t.clock.set(sessionInstant(0).instant.subtract({ minutes: 30 }).toString());
    for (let c = 0; c < clinics; c++) {
      const clinic = await t.newClinic(`Crash clinic ${c + 1}`);
      const accountable = await t.newStaff(clinic.clinicId, ['cd_accountable']);
      const witnessForReceipts = await t.newStaff(clinic.clinicId, ['nurse']);
      const doctor = await licensedPrescriber(t, clinic);
      const itemId = await page(clinic, accountable, 100);
      await receive(clinic, accountable, witnessForReceipts, itemId, 20_000);
      const people: string[] = [];
      for (let i = 0; i < peoplePerClinic; i++) {
        const person = await personInInduction(t, clinic, doctor, { familyName: `Crash${c}x${i}`, givenName: `P${i}`, preferredName: null });
        const rx = starting();
        const content = rx.content as Record<string, unknown> & { diamorphine: Record<string, unknown> };
        content.diamorphine = { ...content.diamorphine, ivDoseMg: 100, imDoseMg: 80, titration: { startDoseMg: 30, steps: [{ fromDate: '2026-03-03', doseMg: 60 }, { fromDate: '2026-03-04', doseMg: 90 }, { fromDate: '2026-03-05', doseMg: 100 }] } };
        content.startDate = '2026-03-02';
        content.reviewDate = '2026-06-30';
        const res = await doctor.client.post(clinic.url(`/service-users/${person.serviceUserId}/prescriptions`), rx);
        if (res.status !== 201) throw new Error(`prescription: ${JSON.stringify(res.body)}`);
        people.push(person.serviceUserId);
      }
      for (let k = 0; k < teamsPerClinic; k++) {
        const nurse = await t.newStaff(clinic.clinicId, ['nurse'], { signIn: false });
        const hca = await t.newStaff(clinic.clinicId, ['hca'], { signIn: false });
        teams.push({
          clinicId: clinic.clinicId,
          nurse: { staffId: nurse.staffId, email: nurse.email },
          witness: { staffId: hca.staffId },
          itemId,
          people: people.filter((_, i) => i % teamsPerClinic === k),
          cookie: '',
          csrf: '',
        });
      }
    }
    await t.close();
  }
  log(`seeded ${clinics} clinics, ${clinics * peoplePerClinic} people in ${Date.now() - seedStarted} ms`);

  // --- What the clients saw.
  const acked = new Map<string, { doseId: string; event: string }>(); // by idempotency key
  let attempted = 0;
  let refusedSteps = 0;
  let serverErrors = 0;
  const doseIds = new Set<string>();
  const completed = new Set<string>();
  const cycles: CrashFigures['cycles'] = [];
  const integrityFailures: string[] = [];
  let registerPagesVerified = 0;

  let server: Running | null = null;
  let base = '';
  let serverClockStart = { instant: sessionInstant(0).instant, realMs: Date.now() };

  const start = async (instant: Temporal.Instant) => {
    writeFileSync(clockFile, instant.toString());
    const port = await freePort();
    const started = Date.now();
    serverClockStart = { instant, realMs: started };
    server = startProcess('server', [], { ...baseEnv, PORT: String(port) });
    await waitForHealth(port, server, 120_000);
    base = `http://127.0.0.1:${port}`;
    return Date.now() - started;
  };
  /** An instant no earlier than the server's clock can have reached. */
  const serverNow = () => serverClockStart.instant.add({ milliseconds: Date.now() - serverClockStart.realMs + 1000 });

  /**
   * Move the running server's clock to the next session (it follows the clock file) and wait until
   * it has: a sign-in's absolute expiry is the server's now plus OPENHAT_SESSION_ABSOLUTE_HOURS.
   */
  const advanceClock = async (instant: Temporal.Instant) => {
    writeFileSync(clockFile, instant.toString());
    serverClockStart = { instant, realMs: Date.now() };
    const deadline = Date.now() + 60_000;
    for (;;) {
      const res = await fetch(`${base}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: teams[0]!.nurse.email, password: TEST_PASSWORD }),
      });
      const body = (await res.json()) as { expiresAt: string };
      const serverTime = Temporal.Instant.from(body.expiresAt).subtract({ hours: ABSOLUTE_HOURS });
      if (Temporal.Instant.compare(serverTime, instant) >= 0) return;
      if (Date.now() > deadline) throw new Error('the server did not follow the clock file');
      await new Promise((r) => setTimeout(r, 50));
    }
  };

  const signIn = async (team: Team) => {
    const res = await fetch(`${base}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: team.nurse.email, password: TEST_PASSWORD }),
    });
    if (res.status !== 200) throw new Error(`sign-in failed: ${res.status} ${await res.text()}`);
    team.cookie = res.headers.get('set-cookie')!.split(';')[0]!;
    team.csrf = ((await res.json()) as { csrfToken: string }).csrfToken;
  };

  const send = (team: Team, path: string, body: unknown, key: string) =>
    fetch(`${base}/api/v1/clinics/${team.clinicId}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: team.cookie, 'x-csrf-token': team.csrf, 'idempotency-key': key },
      body: JSON.stringify(body),
    });

  const request = (team: Team, serviceUserId: string, step: Step, cycle: number, doseId: string | null, mg: number | null, sessionId: string): Pending => {
    const key = `c${cycle}-${serviceUserId}-${step}`;
    const witness = { staffId: team.witness.staffId, password: TEST_PASSWORD };
    if (step === 'assess') return { team, serviceUserId, step, key, path: `/sessions/${sessionId}/assessments`, body: { serviceUserId, findings: fine }, doseId, mg };
    if (step === 'prepare') {
      return {
        team, serviceUserId, step, key, doseId, mg,
        path: `/doses/${doseId}/preparation`,
        body: { route: 'iv', doseMg: mg, ampoules: [{ itemId: team.itemId, count: 1 }], reconstitutionMl: 1, witness: { ...witness, ampoules: [{ strengthMg: 100, count: 1 }], reconstitutionMl: 1 } },
      };
    }
    return { team, serviceUserId, step, key, doseId, mg, path: `/doses/${doseId}/administration`, body: { route: 'iv', sites: [Math.random() < 0.5 ? 'left arm' : 'right arm'], attempts: 1, givenMg: mg, witness } };
  };

  /** One step: 'ok' with the answer, 'refused' (a 4xx), or 'gone' (the server died under it). */
  const perform = async (p: Pending): Promise<{ outcome: 'ok'; body: any; replayed: boolean } | { outcome: 'refused'; status: number; body: any } | { outcome: 'gone' }> => {
    attempted++;
    let res: Response;
    let body: any;
    try {
      res = await send(p.team, p.path, p.body, p.key);
      body = await res.json();
    } catch {
      return { outcome: 'gone' };
    }
    if (res.status === 201) {
      const doseId = body.doseId as string;
      acked.set(p.key, { doseId, event: EVENT_OF[p.step] });
      doseIds.add(doseId);
      if (p.step === 'administer') completed.add(doseId);
      return { outcome: 'ok', body, replayed: res.headers.get('idempotent-replayed') === 'true' };
    }
    if (res.status >= 500) {
      serverErrors++;
      log(`server error ${res.status} on ${p.step}: ${JSON.stringify(body)}`);
    } else refusedSteps++;
    return { outcome: 'refused', status: res.status, body };
  };

  /** The next step after an acknowledged one, or null when the dose is done or may not go on. */
  const nextStep = (p: Pending, body: any, cycle: number, sessionId: string): Pending | null => {
    if (p.step === 'assess') {
      const mg = body.allowance?.maxMg as number | undefined;
      if (body.stage !== 'assessed' || !mg || (body.refusals?.length ?? 0) > 0) return null;
      return request(p.team, p.serviceUserId, 'prepare', cycle, body.doseId, Math.min(100, mg), sessionId);
    }
    if (p.step === 'prepare') return request(p.team, p.serviceUserId, 'administer', cycle, p.doseId, p.mg, sessionId);
    return null;
  };

  /** Look at the database as the kill left it. */
  const snapshotDataDir = () => {
    const copy = mkdtempSync(join(tmpdir(), 'openhat-dose-crash-copy-'));
    cpSync(dataDir, copy, { recursive: true });
    return copy;
  };
  /** Look at the database as the kill left it: PostgreSQL directly, PGlite through a copy of its folder. */
  const inspect = async (copy: string | null): Promise<{ lost: number; halfWritten: number; committedUnacked: number; report: IntegrityReport; pages: number }> => {
    const db = copy ? await openDatabase({ databaseUrl: null, dataDir: copy }, { migrate: false }) : await openDatabase(settings, { migrate: false });
    try {
      const rows = await db.query<{ dose_id: string; event_type: string }>('SELECT dose_id::text AS dose_id, event_type FROM dose_events');
      const present = new Set(rows.map((r) => `${r.dose_id}/${r.event_type}`));
      const ackedSet = new Set([...acked.values()].map((a) => `${a.doseId}/${a.event}`));
      const lost = [...ackedSet].filter((k) => !present.has(k)).length;
      const committedUnacked = [...present].filter((k) => !ackedSet.has(k) && /\/(assessed|prepared|administered)$/.test(k)).length;
      const report = await checkIntegrity(db);
      const register = await verifyRegister(db.orm);
      if (!register.ok) integrityFailures.push(`cd verify: ${JSON.stringify(register.pages.filter((p) => !p.ok))}`);
      if (!report.ok) integrityFailures.push(formatIntegrityReport(report));
      const halfWritten = report.checks.filter((c) => !c.ok).reduce((a, c) => a + c.problemCount, 0);
      return { lost, halfWritten, committedUnacked, report, pages: register.pages.length };
    } finally {
      await db.close();
      if (copy) rmSync(copy, { recursive: true, force: true });
    }
  };

  const stopCleanly = async () => {
    const s = server!;
    s.child.kill('SIGTERM');
    const code = await s.exited;
    if (code !== 0) throw new Error(`server did not stop cleanly (exit ${code}): ${s.stderr()}`);
  };

  const timings: { load: number; inspect: number; restart: number; resume: number }[] = [];
  let inFlightTotal = 0;
  let refusedAfterRestart = 0;
  let inFlightCommittedTotal = 0;
  let inFlightCommittedBySql = 0;

  try {
    for (let cycle = 0; cycle < options.kills; cycle++) {
      // 1. Start at the next session and open it everywhere.
      const session = sessionInstant(sessionIndex++);
      if (cycle === 0) await start(session.instant);
      else await advanceClock(session.instant);
      for (const team of teams) await signIn(team);
      const sessionIds = new Map<string, string>();
      for (const team of teams) {
        if (sessionIds.has(team.clinicId)) continue;
        const onDuty = teams.filter((x) => x.clinicId === team.clinicId).flatMap((x) => [x.nurse.staffId, x.witness.staffId]);
        const res = await fetch(`${base}/api/v1/clinics/${team.clinicId}/sessions`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', cookie: team.cookie, 'x-csrf-token': team.csrf },
          body: JSON.stringify({ sessionCode: session.code, staffOnDuty: onDuty, cdKeyHolderId: team.nurse.staffId, checklist }),
        });
        if (res.status !== 201) throw new Error(`open session: ${res.status} ${await res.text()}`);
        sessionIds.set(team.clinicId, ((await res.json()) as { sessionId: string }).sessionId);
      }

      // 2–3. Concurrent dosing; SIGKILL after a random number of acknowledged steps.
      const t3 = Date.now();
      const planned = teams.reduce((a, t) => a + t.people.length * 3, 0);
      const killAfter = 1 + Math.floor(Math.random() * Math.max(1, Math.floor(planned * 0.85)));
      let ackedThisCycle = 0;
      let killed = false;
      const running = server!;
      const kill = () => {
        if (killed) return;
        killed = true;
        setTimeout(() => running.child.kill('SIGKILL'), Math.floor(Math.random() * 20));
      };
      const inFlight: Pending[] = [];
      const client = async (team: Team) => {
        const sessionId = sessionIds.get(team.clinicId)!;
        for (const serviceUserId of shuffled(team.people)) {
          let p: Pending | null = request(team, serviceUserId, 'assess', cycle, null, null, sessionId);
          while (p) {
            const r = await perform(p);
            if (r.outcome === 'gone') {
              inFlight.push(p);
              return;
            }
            if (r.outcome === 'refused') break;
            if (++ackedThisCycle >= killAfter) kill();
            p = nextStep(p, r.body, cycle, sessionId);
          }
        }
      };
      await Promise.all(teams.map(client));
      if (!killed) kill(); // everyone finished before the trigger: kill an idle server
      await running.exited;

      // 4. The database as the kill left it (PGlite: a copy of the folder, so that the server
      //    does its own crash recovery on the original when it restarts).
      const t4 = Date.now();
      const copy = settings.databaseUrl ? null : snapshotDataDir();
      const restartMs = await start(serverNow());
      const seen = await inspect(copy);
      registerPagesVerified += seen.pages;
      inFlightCommittedBySql += seen.committedUnacked;
      const t5 = Date.now();

      // 5. Sign in again, retry what was in flight with the same key, finish the doses under way.
      for (const team of teams) await signIn(team);
      let committedInFlight = 0;
      await Promise.all(
        inFlight.map(async (first) => {
          const sessionId = sessionIds.get(first.team.clinicId)!;
          let p: Pending | null = first;
          let retry = true;
          while (p) {
            const r = await perform(p);
            if (r.outcome === 'refused' && clinicalRefusal(r.status, r.body)) {
              // The rules may say no now that they did not before (the missed-dose job ran at the
              // restart and locked a person to re-titration): a refusal, not a crash artefact.
              refusedAfterRestart++;
              break;
            }
            if (r.outcome !== 'ok') throw new Error(`after restart, ${p.step} of ${p.serviceUserId} failed: ${r.outcome} ${'body' in r ? JSON.stringify(r.body) : ''}`);
            if (retry && r.replayed) committedInFlight++;
            retry = false;
            p = nextStep(p, r.body, cycle, sessionId);
          }
        }),
      );
      timings.push({ load: t4 - t3, inspect: t5 - t4 - restartMs, restart: restartMs, resume: Date.now() - t5 });
      inFlightTotal += inFlight.length;
      inFlightCommittedTotal += committedInFlight;
      cycles.push({ killAfterAcks: killAfter, acked: ackedThisCycle, inFlight: inFlight.length, inFlightCommitted: committedInFlight, lost: seen.lost, halfWritten: seen.halfWritten, restartMs });
      log(`kill ${cycle + 1}/${options.kills}: ${ackedThisCycle} steps acknowledged, ${inFlight.length} in flight (${committedInFlight} had committed), lost ${seen.lost}, half-written ${seen.halfWritten}, restart ${restartMs} ms; ${JSON.stringify(timings.at(-1))}`);
    }

    // A last look after a clean stop.
    await stopCleanly();
    const last = await inspect(settings.databaseUrl ? null : snapshotDataDir());
    registerPagesVerified += last.pages;
    cycles.push({ killAfterAcks: 0, acked: 0, inFlight: 0, inFlightCommitted: 0, lost: last.lost, halfWritten: last.halfWritten, restartMs: 0 });
  } finally {
    const s = server as Running | null;
    if (s && s.child.exitCode === null && s.child.signalCode === null) {
      s.child.kill('SIGKILL');
      await s.exited;
    }
    rmSync(work, { recursive: true, force: true });
  }

  const restarts = cycles.filter((c) => c.restartMs > 0).map((c) => c.restartMs);
  return {
    when: new Date().toISOString(),
    engine: options.engine === 'postgres' ? 'PostgreSQL (separate server; openhat killed)' : 'PGlite 0.5 (in the openhat process, fsync off)',
    kills: options.kills,
    clinics,
    people: clinics * peoplePerClinic,
    concurrentNurses: teams.length,
    stepsAttempted: attempted,
    stepsAcknowledged: acked.size,
    dosesStarted: doseIds.size,
    dosesCompleted: completed.size,
    // Each look checks everything acknowledged so far and the whole database: the worst look counts.
    acknowledgedLost: Math.max(0, ...cycles.map((c) => c.lost)),
    halfWritten: Math.max(0, ...cycles.map((c) => c.halfWritten)),
    inFlightAtKill: inFlightTotal,
    inFlightCommitted: inFlightCommittedTotal,
    inFlightCommittedBySql,
    refusedSteps,
    refusedAfterRestart,
    serverErrors,
    registerPagesVerified,
    restartMs: { min: Math.min(...restarts), max: Math.max(...restarts), mean: Math.round(restarts.reduce((a, b) => a + b, 0) / Math.max(1, restarts.length)) },
    cycles,
    integrityFailures,
  };
}
