import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { postgresSkipped, testEngine } from './support/test-database';
import { freePort, freshDatabaseEnv, runCli, startProcess, waitForHealth, type Running } from './support/processes';
import { openDatabase } from '../src/store/open';
import { signInOverHttp } from './support/second-factor';

/** The real thing: `npm start`'s entry point and the CLI, as separate processes. */
describe.skipIf(postgresSkipped())('openhat as a process', () => {
  const running: Running[] = [];
  afterEach(async () => {
    for (const p of running.splice(0)) {
      if (p.child.exitCode === null) {
        p.child.kill('SIGKILL');
        await p.exited;
      }
    }
  });

  const start = async (env: Record<string, string>) => {
    const port = await freePort();
    const p = startProcess('server', [], { ...env, PORT: String(port), HOST: '127.0.0.1' });
    running.push(p);
    await waitForHealth(port, p);
    // /health answers as soon as the server listens; the banner comes after the start-up jobs.
    for (let waited = 0; !/new installation|openhat is running/.test(p.stdout()) && waited < 20_000; waited += 20) await new Promise((r) => setTimeout(r, 20));
    return { p, port, base: `http://127.0.0.1:${port}` };
  };

  it('first start on an empty database prints how to sign in, and that sign-in works', async () => {
    const env = await freshDatabaseEnv();
    const { p, base } = await start(env);
    const banner = p.stdout();
    expect(banner).toContain('this is a new installation');
    const email = /email:\s+(\S+)/.exec(banner)![1]!;
    const password = /password:\s+(\S+)/.exec(banner)![1]!;
    // The first administrator sets up a second factor at the first sign-in, then sees the clinic.
    const { login, session } = await signInOverHttp(base, email, password);
    expect(login).toMatchObject({ secondFactor: 'enrolment_required', clinics: [] });
    expect(session.secondFactor).toBeNull();
    expect(session.staff).toMatchObject({ mustChangePassword: true, deploymentAdmin: true, secondFactorEnrolled: true });
    expect(session.clinics).toHaveLength(1);
    expect((await fetch(`${base}/ready`)).status).toBe(200);
  });

  it('takes the first administrator from OPENHAT_ADMIN_EMAIL and OPENHAT_ADMIN_PASSWORD', async () => {
    const env = { ...(await freshDatabaseEnv()), OPENHAT_ADMIN_EMAIL: 'boss@clinic.test', OPENHAT_ADMIN_PASSWORD: 'chosen pass phrase' };
    const { p, base } = await start(env);
    expect(p.stdout()).toContain('the one in OPENHAT_ADMIN_PASSWORD');
    expect(p.stdout()).not.toContain('chosen pass phrase');
    const login = await fetch(`${base}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'boss@clinic.test', password: 'chosen pass phrase' }),
    });
    expect(((await login.json()) as { staff: { mustChangePassword: boolean } }).staff.mustChangePassword).toBe(false);
  });

  it('finishes requests in flight on SIGTERM, closes the database cleanly and starts again', async () => {
    // LOG_LEVEL info: the request log tells the test when the requests have arrived.
    const env: Record<string, string> = { ...(await freshDatabaseEnv()), OPENHAT_ADMIN_EMAIL: 'boss@clinic.test', OPENHAT_ADMIN_PASSWORD: 'chosen pass phrase', LOG_LEVEL: 'info' };
    const { p, base } = await start(env);
    // Sign-ins are slow on purpose (Argon2id), so these are still running when the signal arrives.
    const inFlight = Array.from({ length: 12 }, () =>
      fetch(`${base}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'boss@clinic.test', password: 'chosen pass phrase' }),
      }).then((r) => r.status, (e: Error) => e.message),
    );
    // Signal only once the server has received all twelve (its request log says so): on a loaded
    // machine a fixed wait could send SIGTERM before they arrive, which tests nothing.
    const received = () => p.stdout().split('\n').filter((l) => l.includes('incoming request') && l.includes('/api/v1/auth/login')).length;
    for (let waited = 0; received() < 12 && waited < 20_000; waited += 20) await new Promise((r) => setTimeout(r, 20));
    expect(received()).toBe(12);
    p.child.kill('SIGTERM');
    expect(await Promise.all(inFlight)).toEqual(Array(12).fill(200));
    expect(await p.exited).toBe(0);
    if (env.OPENHAT_DATA_DIR) expect(existsSync(join(env.OPENHAT_DATA_DIR, 'openhat.lock'))).toBe(false);
    const again = await start(env);
    expect(again.p.stdout()).not.toContain('new installation');
  });

  it.runIf(testEngine() === 'pglite')('refuses a second process on the same PGlite data folder, with a clear message', async () => {
    const env = await freshDatabaseEnv();
    const first = await start(env);
    const second = startProcess('server', [], { ...env, PORT: String(await freePort()) });
    running.push(second);
    expect(await second.exited).toBe(3);
    expect(second.stderr()).toContain(`is in use by process ${first.p.child.pid}`);
    const cli = await runCli(['backup', join(env.OPENHAT_DATA_DIR!, 'b.gz')], env);
    expect(cli.code).toBe(1);
    expect(cli.stderr).toContain('is in use by process');
    expect((await fetch(`${first.base}/health`)).status).toBe(200);
  });

  it.runIf(testEngine() === 'pglite')('takes over the lock of a process killed with SIGKILL', async () => {
    const env = await freshDatabaseEnv();
    const first = await start(env);
    first.p.child.kill('SIGKILL');
    await first.p.exited;
    expect(existsSync(join(env.OPENHAT_DATA_DIR!, 'openhat.lock'))).toBe(true);
    const second = await start(env);
    expect((await fetch(`${second.base}/ready`)).status).toBe(200);
  });

  it('CLI: cd verify checks every register page and names a tampered entry', async () => {
    const env: Record<string, string> = { ...(await freshDatabaseEnv()), OPENHAT_ADMIN_EMAIL: 'boss@clinic.test', OPENHAT_ADMIN_PASSWORD: 'chosen pass phrase' };
    const empty = await runCli(['cd', 'verify'], env);
    expect(empty.stdout).toContain('The register verifies: 0 pages.');
    const { p, base } = await start(env);
    const { session, headers } = await signInOverHttp(base, 'boss@clinic.test', 'chosen pass phrase');
    const clinic = `${base}/api/v1/clinics/${session.clinics[0]!.clinicId}`;
    const me = (await (await fetch(`${base}/api/v1/auth/session`, { headers })).json()) as { staff: { staffId: string } };
    // The administrator takes the controlled-drug role and adds a nurse to witness.
    await fetch(`${clinic}/staff/${me.staff.staffId}/roles`, { method: 'PUT', headers, body: JSON.stringify({ roles: ['admin', 'cd_accountable'] }) });
    const nurse = (await (await fetch(`${clinic}/staff`, { method: 'POST', headers, body: JSON.stringify({ email: 'n@clinic.test', displayName: 'N', roles: ['nurse'], temporaryPassword: 'nurse pass phrase' }) })).json()) as { staff: { staffId: string } };
    const item = (await (await fetch(`${clinic}/cd/items`, { method: 'POST', headers, body: JSON.stringify({ strengthMg: 100, location: 'Safe' }) })).json()) as { itemId: string };
    const witness = { staffId: nurse.staff.staffId, password: 'nurse pass phrase' };
    for (const quantity of [5, 6]) {
      const r = await fetch(`${clinic}/cd/items/${item.itemId}/receipts`, { method: 'POST', headers, body: JSON.stringify({ quantity, supplier: { name: 'S', address: 'A' }, invoiceReference: 'I', witness }) });
      expect(r.status).toBe(201);
    }
    p.child.kill('SIGTERM');
    await p.exited;
    expect((await runCli(['cd', 'verify'], env)).stdout).toContain('The register verifies: 1 pages.');
    const db = await openDatabase({ databaseUrl: env.DATABASE_URL ?? null, dataDir: env.OPENHAT_DATA_DIR ?? '' });
    await db.query('ALTER TABLE cd_entries DISABLE TRIGGER cd_entries_append_only');
    await db.query('UPDATE cd_entries SET quantity = 50 WHERE seq = 2');
    await db.query('ALTER TABLE cd_entries ENABLE TRIGGER cd_entries_append_only');
    await db.close();
    const broken = await runCli(['cd', 'verify'], env);
    expect(broken.code).toBe(1);
    expect(broken.stdout).toMatch(/BROKEN .* entry 2: entry 2 was changed after it was written/);
  });

  it('stops at once on bad configuration, naming the variable', async () => {
    const p = startProcess('server', [], { ...(await freshDatabaseEnv()), PORT: 'eighty', OPENHAT_SESSION_IDLE_MINUTES: '-5' });
    running.push(p);
    expect(await p.exited).toBe(2);
    expect(p.stderr()).toContain('PORT: must be a whole number between 1 and 65535 (got "eighty")');
    expect(p.stderr()).toContain('OPENHAT_SESSION_IDLE_MINUTES');
  });

  it('CLI: init, then backup and restore into a new database, round trip', async () => {
    const env = await freshDatabaseEnv();
    const init = await runCli(['init', '--email', 'boss@clinic.test', '--password', 'chosen pass phrase', '--clinic-name', 'Boro'], env);
    expect(init.stderr).toBe('');
    expect(init.code).toBe(0);
    const again = await runCli(['init', '--email', 'x@clinic.test', '--password', 'chosen pass phrase'], env);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('already initialised');
    const file = join((await freshDatabaseEnv()).OPENHAT_DATA_DIR ?? '/tmp', `backup-${Date.now()}.gz`);
    const backup = await runCli(['backup', file], env);
    expect(backup.code).toBe(0);
    const target = await freshDatabaseEnv();
    const restore = await runCli(['restore', file], target);
    expect(restore.stdout).toContain('Restored 7 rows');
    const { base } = await start(target);
    const { session } = await signInOverHttp(base, 'boss@clinic.test', 'chosen pass phrase');
    expect(session.clinics[0].clinicName).toBe('Boro');
    const missing = await runCli(['init'], env);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('--email is required');
  });
});
