/* eslint-disable @typescript-eslint/no-explicit-any -- a benchmark harness: JSON answers and SQL rows read loosely */
import type { Manifest } from '../generate/scaffold';
import { BENCH_PASSWORD } from '../generate/scaffold';
import { HttpClient } from './http';
import type { Server } from './server';
import { summarise, type Summary } from './stats';

/**
 * The screens that read the most, through the API, one request at a time (latency, not
 * throughput): the Today board (the session's dose list) of a clinic, a person's record (the four
 * requests the record page makes at once), a register page (its latest entries, and its whole CSV
 * export), the verification of a clinic's
 * register (every page's hash chain and balances, all the clinic's years), and the commissioners'
 * dashboard across every clinic.
 */
type Measured<T> = (Summary & T) | { error: string };

export interface ReadResults {
  board: Measured<object>;
  record: Measured<object>;
  /** The register screen's request: the latest entries of a page (`returned` of the page's `pageEntries`). */
  registerPage: Measured<{ returned: number; pageEntries: number }>;
  /** The first clinic's whole page as CSV, streamed (`bytes` long). */
  registerCsv: Measured<{ pageEntries: number; bytes: number }>;
  /** The clinic whose register holds closest to one year. */
  verifyClinicYear: Measured<{ registerEntries: number; years: number }>;
  /** The oldest clinic's whole register (every year it has). */
  verifyOldestClinic: Measured<{ registerEntries: number; years: number }>;
  dashboard: Measured<{ clinics: number }>;
}

/** Told the name of each measure as it starts (the benchmark keeps the server's RSS peak per measure). */
let announce: (what: string) => void = () => undefined;

/** A measure that fails (a timeout, the server running out of memory) is reported, not fatal. */
async function guarded<T>(what: string, fn: () => Promise<T>): Promise<T | { error: string }> {
  announce(what);
  try {
    return await fn();
  } catch (err) {
    process.stderr.write(`  ${what} failed: ${(err as Error).message.slice(0, 300)}\n`);
    return { error: (err as Error).message.slice(0, 300) };
  }
}

async function sample(n: number, fn: (i: number) => Promise<void>): Promise<Summary> {
  const ms: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await fn(i);
    ms.push(performance.now() - t);
  }
  return summarise(ms);
}

function ok(res: { status: number; body: any }, what: string) {
  if (res.status !== 200) throw new Error(`${what}: ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`);
  return res.body;
}

export async function measureReads(server: Server, manifest: Manifest, counts: { board: number; record: number; register: number; verify: number; dashboard: number }, historyYears: (clinicIndex: number) => number, phase?: (what: string) => void): Promise<ReadResults> {
  announce = phase ?? (() => undefined);
  // The clinics with the longest history (opened first) are the heaviest to read.
  const clinics = manifest.clinics.slice(0, Math.min(10, manifest.clinics.length));
  const nurses = new Map<string, HttpClient>();
  for (const c of clinics) {
    const h = new HttpClient(server.base);
    await h.signIn(c.nurses[1]!.email, BENCH_PASSWORD);
    nurses.set(c.clinicId, h);
  }
  const c0 = manifest.clinics[0]!;
  const commissioner = new HttpClient(server.base);
  await commissioner.signIn(manifest.commissioner.email, BENCH_PASSWORD);

  // One untimed request of each kind first, so that the figures are not of the first request ever.
  const warm = nurses.get(c0.clinicId)!;
  ok(await warm.get(`/api/v1/clinics/${c0.clinicId}/dose-list?session=AM`), 'board');

  const board = await guarded('board', () =>
    sample(counts.board, async (i) => {
      const c = clinics[i % clinics.length]!;
      ok(await nurses.get(c.clinicId)!.get(`/api/v1/clinics/${c.clinicId}/dose-list?session=AM`), 'board');
    }),
  );
  const record = await guarded('record', () =>
    sample(counts.record, async (i) => {
      const c = clinics[i % clinics.length]!;
      const p = c.people[Math.floor(i / clinics.length) % c.people.length]!;
      const h = nurses.get(c.clinicId)!;
      const base = `/api/v1/clinics/${c.clinicId}/service-users/${p.serviceUserId}`;
      const all = await Promise.all([h.get(base), h.get(`${base}/doses`), h.get(`${base}/prescriptions`), h.get(`${base}/reviews`)]);
      all.forEach((r, j) => ok(r, `record ${j}`));
    }),
  );
  // The register screen's own request: the latest entries (200 by default) of the clinic's page.
  const registerPageEntries = new Map<string, number>();
  let returned = 0;
  const registerPage = await guarded('register page', async () => ({
    ...(await sample(counts.register, async (i) => {
      const c = clinics[i % clinics.length]!;
      const body = ok(await nurses.get(c.clinicId)!.get(`/api/v1/clinics/${c.clinicId}/cd/items/${c.itemId}/register`), 'register page');
      if (body.entries.length !== Math.min(200, body.item.entries) || body.page.last !== body.item.entries) throw new Error(`register page: ${body.entries.length} entries, last ${body.page.last}, page has ${body.item.entries}`);
      registerPageEntries.set(c.clinicId, body.item.entries);
      if (i === 0) returned = body.entries.length;
    })),
    returned,
    pageEntries: registerPageEntries.get(clinics[0]!.clinicId) ?? 0,
  }));
  // The whole page as CSV (the legal copy, streamed a batch at a time), of the first clinic's page (the longest).
  let csvBytes = 0;
  const c1 = clinics[0]!;
  const registerCsv = await guarded('register CSV', async () => ({
    ...(await sample(Math.min(counts.register, 5), async () => {
      const res = await nurses.get(c1.clinicId)!.get(`/api/v1/clinics/${c1.clinicId}/cd/items/${c1.itemId}/register?format=csv`);
      const csv = ok(res, 'register CSV') as string;
      const lastLine = csv.slice(csv.lastIndexOf('\r\n', csv.length - 3) + 2);
      const want = registerPageEntries.get(c1.clinicId);
      if (want !== undefined && !lastLine.startsWith(`${want},`)) throw new Error(`register CSV ends with entry ${lastLine.split(',')[0]}, the page has ${want}`);
      csvBytes = Buffer.byteLength(csv);
    })),
    pageEntries: registerPageEntries.get(c1.clinicId) ?? 0,
    bytes: csvBytes,
  }));
  const verifyOf = async (k: number) => {
    const c = manifest.clinics[k]!;
    const admin = new HttpClient(server.base);
    await admin.signIn(c.admin.email, BENCH_PASSWORD);
    let entries = 0;
    const s = await sample(counts.verify, async () => {
      const body = ok(await admin.get(`/api/v1/clinics/${c.clinicId}/cd/verify`), 'verify');
      if (!body.ok) throw new Error(`verify says the register is broken: ${JSON.stringify(body).slice(0, 500)}`);
      entries = body.pages.reduce((n: number, p: { entries: number }) => n + p.entries, 0);
    });
    return { ...s, registerEntries: entries, years: historyYears(k) };
  };
  const yearClinic = manifest.clinics.map((_, k) => k).sort((a, b) => Math.abs(historyYears(a) - 1) - Math.abs(historyYears(b) - 1))[0]!;
  const verifyClinicYear = await guarded('verify a clinic-year', () => verifyOf(yearClinic));
  const verifyOldestClinic = await guarded('verify the oldest clinic', () => verifyOf(0));
  const dashboard = await guarded('dashboard', async () => ({
    ...(await sample(counts.dashboard, async () => {
      const body = ok(await commissioner.get('/api/v1/reports'), 'dashboard');
      if (body.reports.length < manifest.clinics.length) throw new Error(`dashboard shows ${body.reports.length} reports`);
    })),
    clinics: manifest.clinics.length,
  }));
  return { board, record, registerPage, registerCsv, verifyClinicYear, verifyOldestClinic, dashboard };
}
