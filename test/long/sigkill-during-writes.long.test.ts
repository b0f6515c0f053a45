import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { freePort, startProcess, waitForHealth } from '../support/processes';

/**
 * What happens to PGlite's data when the server is killed with SIGKILL in the middle of writes?
 * Each cycle starts the server on the same data folder, runs concurrent writers (each write is a
 * multi-row transaction: account, role, audit entry, idempotency key), kills the process at a
 * random moment, restarts it and checks that every write the server acknowledged is there and
 * that nothing is half-written. Results go to bench/results/sigkill-pglite.json.
 */
const CYCLES = Number(process.env.OPENHAT_CRASH_CYCLES ?? 20);
const WRITERS = 4;
const ADMIN = { email: 'crash@clinic.test', password: 'sudden stop pass phrase' };

async function signIn(base: string) {
  const res = await fetch(`${base}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(ADMIN),
  });
  if (res.status !== 200) throw new Error(`sign-in failed: ${res.status} ${await res.text()}`);
  const cookie = res.headers.get('set-cookie')!.split(';')[0]!;
  const body = (await res.json()) as { csrfToken: string; clinics: { clinicId: string }[] };
  return { cookie, csrf: body.csrfToken, clinicId: body.clinics[0]!.clinicId };
}

describe('SIGKILL during writes on PGlite', () => {
  it(`loses no acknowledged write over ${CYCLES} kills`, async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'openhat-crash-'));
    // The administrator signs in by password only here: this test is about the data, not the second factor.
    const env = { OPENHAT_DATA_DIR: dataDir, OPENHAT_ADMIN_EMAIL: ADMIN.email, OPENHAT_ADMIN_PASSWORD: ADMIN.password, OPENHAT_ARGON2_MEMORY_KIB: '4096', OPENHAT_ARGON2_ITERATIONS: '1', OPENHAT_SECOND_FACTOR_ROLES: 'none' };
    const acknowledged = new Set<string>();
    const attempted = new Set<string>();
    const cycles: { restartMs: number; ackedThisCycle: number; lost: number }[] = [];
    let serial = 0;

    for (let cycle = 0; cycle < CYCLES; cycle++) {
      const port = await freePort();
      const started = Date.now();
      const server = startProcess('server', [], { ...env, PORT: String(port), HOST: '127.0.0.1' });
      await waitForHealth(port, server, 120_000);
      const restartMs = Date.now() - started;
      const base = `http://127.0.0.1:${port}`;
      const { cookie, csrf, clinicId } = await signIn(base);

      // Check everything acknowledged so far survived the previous kill.
      const listed = await fetch(`${base}/api/v1/clinics/${clinicId}/staff`, { headers: { cookie } });
      const present = new Set(((await listed.json()) as { staff: { email: string }[] }).staff.map((s) => s.email));
      const lost = [...acknowledged].filter((e) => !present.has(e)).length;
      const ready = await fetch(`${base}/ready`);
      expect(ready.status).toBe(200);

      let stop = false;
      let ackedThisCycle = 0;
      const writer = async () => {
        while (!stop) {
          const email = `w${serial++}@crash.test`;
          attempted.add(email);
          try {
            const res = await fetch(`${base}/api/v1/clinics/${clinicId}/staff`, {
              method: 'POST',
              headers: { cookie, 'x-csrf-token': csrf, 'content-type': 'application/json', 'idempotency-key': `key-${email}` },
              body: JSON.stringify({ email, displayName: 'Crash', roles: ['hca'], temporaryPassword: 'temporary pass phrase' }),
            });
            if (res.status === 201) {
              acknowledged.add(email);
              ackedThisCycle++;
            }
          } catch {
            return; // the server is gone
          }
        }
      };
      const writers = Array.from({ length: WRITERS }, writer);
      await new Promise((r) => setTimeout(r, 500 + Math.random() * 2500));
      server.child.kill('SIGKILL');
      stop = true;
      await server.exited;
      await Promise.all(writers);
      cycles.push({ restartMs, ackedThisCycle, lost });
      expect(lost, `cycle ${cycle}`).toBe(0);
    }

    // A final start to check the last kill too.
    const port = await freePort();
    const server = startProcess('server', [], { ...env, PORT: String(port), HOST: '127.0.0.1' });
    await waitForHealth(port, server, 120_000);
    const { cookie, clinicId } = await signIn(`http://127.0.0.1:${port}`);
    const listed = await fetch(`http://127.0.0.1:${port}/api/v1/clinics/${clinicId}/staff`, { headers: { cookie } });
    const present = new Set(((await listed.json()) as { staff: { email: string }[] }).staff.map((s) => s.email));
    const lostAtEnd = [...acknowledged].filter((e) => !present.has(e)).length;
    // No half-written units: every account has its creation audit entry, and every entry its account.
    const audited = new Set<string>();
    let before = '';
    for (;;) {
      const page = await fetch(
        `http://127.0.0.1:${port}/api/v1/clinics/${clinicId}/audit?entityType=staff&action=create&limit=500${before}`,
        { headers: { cookie } },
      );
      const body = (await page.json()) as { events: { details: { email: string } }[]; nextBefore: string | null };
      for (const e of body.events) audited.add(e.details.email);
      if (!body.nextBefore) break;
      before = `&before=${body.nextBefore}`;
    }
    const crashAccounts = [...present].filter((e) => e.endsWith('@crash.test'));
    const halfWritten =
      crashAccounts.filter((e) => !audited.has(e)).length + [...audited].filter((e) => e.endsWith('@crash.test') && !present.has(e)).length;
    const committedUnacknowledged = [...present].filter((e) => e.endsWith('@crash.test') && !acknowledged.has(e)).length;
    server.child.kill('SIGTERM');
    await server.exited;

    const summary = {
      when: new Date().toISOString(),
      engine: 'PGlite 0.5 (PostgreSQL 18, fsync off)',
      cycles: CYCLES,
      writers: WRITERS,
      writesAttempted: attempted.size,
      writesAcknowledged: acknowledged.size,
      acknowledgedLost: cycles.reduce((a, c) => a + c.lost, 0) + lostAtEnd,
      committedButUnacknowledged: committedUnacknowledged,
      halfWrittenUnits: halfWritten,
      restartMs: { min: Math.min(...cycles.map((c) => c.restartMs)), max: Math.max(...cycles.map((c) => c.restartMs)) },
    };
    mkdirSync('bench/results', { recursive: true });
    writeFileSync('bench/results/sigkill-pglite.json', `${JSON.stringify(summary, null, 2)}\n`);
    process.stdout.write(`${JSON.stringify(summary)}\n`);
    expect(lostAtEnd).toBe(0);
    expect(halfWritten).toBe(0);
  });
});
