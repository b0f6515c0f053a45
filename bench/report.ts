/* eslint-disable @typescript-eslint/no-explicit-any -- reads the benchmark's own JSON results */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Markdown tables from bench/results/scale-*.json, for docs/performance.md: node --import tsx bench/report.ts */
const dir = new URL('./results/', import.meta.url).pathname;
const results = readdirSync(dir)
  .filter((f) => /^scale-.*\.json$/.test(f))
  .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as any)
  .sort((a, b) => ['small', 'region', 'national'].indexOf(a.size) - ['small', 'region', 'national'].indexOf(b.size) || a.db.localeCompare(b.db));
const ms = (x: number) => (Number.isFinite(x) ? `${Math.round(x).toLocaleString('en-GB')}` : '–');
const cell = (s: any, field: 'p50' | 'p99') => (!s || 'error' in s ? 'failed' : ms(s[field]));
const head = (cols: string[]) => `| ${cols.join(' | ')} |\n|${cols.map(() => '---').join('|')}|`;

const out: string[] = [];
out.push('### Runs\n');
out.push(head(['run', 'measured at (UTC)', 'openhat commit']));
for (const r of results) out.push(`| ${r.size} / ${r.db} | ${String(r.measuredAt).slice(0, 16).replace('T', ' ')} | ${r.commit ?? 'not recorded'} |`);
out.push('\n### Data\n');
out.push(head(['run', 'clinics', 'people', 'years', 'doses (given or refused; missed not counted)', 'rows', 'database folder (with WAL)', 'generated in']));
for (const r of results) {
  out.push(`| ${r.size} / ${r.db} | ${r.data.clinics} | ${r.data.people} | ${r.data.years} | ${r.data.doses.toLocaleString('en-GB')} | ${r.data.rows.toLocaleString('en-GB')} | ${(r.data.databaseBytes / 1024 ** 3).toFixed(1)} GB | ${Math.round(r.data.generateSeconds.total)} s |`);
}
out.push('\n### Dose recording (assessment + preparation with register supply + administration)\n');
out.push(head(['run', 'clients', 'API doses/s', 'API request p50 / p99 (ms)', 'API dose p99 (ms)', 'API statements/dose', 'ceiling doses/s', 'ceiling transaction p50 / p99 (ms)', 'API / ceiling']));
for (const r of results) {
  for (const d of r.dosing) {
    out.push(`| ${r.size} / ${r.db} | ${d.clients} (${d.api.doses} doses) | ${d.api.dosesPerSecond} | ${ms(d.api.step.p50)} / ${ms(d.api.step.p99)} | ${ms(d.api.dose.p99)} | ${d.api.statementsPerDose ?? '–'} | ${d.ceiling.dosesPerSecond} | ${ms(d.ceiling.step.p50)} / ${ms(d.ceiling.step.p99)} | ${(d.ratio * 100).toFixed(0)} % |`);
  }
  const every = r.dosingEveryWitnessCheck16;
  if (every) out.push(`| ${r.size} / ${r.db} | 16, every witness password checked against its hash (diagnostic) | ${every.dosesPerSecond} | ${ms(every.step.p50)} / ${ms(every.step.p99)} | ${ms(every.dose.p99)} | ${every.statementsPerDose ?? '–'} | ${r.dosing[1].ceiling.dosesPerSecond} | | ${((every.dosesPerSecond / r.dosing[1].ceiling.dosesPerSecond) * 100).toFixed(0)} % |`);
  const cw = r.dosingCheapWitnessHash16; // results measured before the recent-confirmation cache
  if (cw) out.push(`| ${r.size} / ${r.db} | 16, witness hash at test cost (diagnostic) | ${cw.dosesPerSecond} | ${ms(cw.step.p50)} / ${ms(cw.step.p99)} | ${ms(cw.dose.p99)} | ${cw.statementsPerDose ?? '–'} | ${r.dosing[1].ceiling.dosesPerSecond} | | ${((cw.dosesPerSecond / r.dosing[1].ceiling.dosesPerSecond) * 100).toFixed(0)} % |`);
}
out.push('\n### Reads, one at a time (ms, p50 / p99)\n');
out.push(head(['run', 'Today board', 'record (4 requests)', 'register page', 'register CSV', 'verify a clinic-year', 'verify oldest clinic', 'dashboard, all clinics']));
for (const r of results) {
  const x = r.reads;
  const v = (s: any) => (!s || 'error' in s ? 'failed' : `${cell(s, 'p50')} / ${cell(s, 'p99')}`);
  out.push(
    `| ${r.size} / ${r.db} | ${v(x.board)} | ${v(x.record)} | ${v(x.registerPage)} (${x.registerPage?.pageEntries === undefined ? `all ${x.registerPage?.entries ?? '?'} entries` : `latest ${x.registerPage.returned} of ${x.registerPage.pageEntries}`}) | ${x.registerCsv ? `${v(x.registerCsv)} (${x.registerCsv.pageEntries ?? '?'} entries)` : '–'} | ${v(x.verifyClinicYear)} (${x.verifyClinicYear?.years ?? '?'} y, ${x.verifyClinicYear?.registerEntries ?? '?'} entries) | ${v(x.verifyOldestClinic)} (${x.verifyOldestClinic?.years ?? '?'} y, ${x.verifyOldestClinic?.registerEntries ?? '?'} entries) | ${v(x.dashboard)} (${r.data.clinics} clinics) |`,
  );
}
out.push('\n### Server process\n');
out.push(head(['run', 'cold start to /health (ms)', 'RSS after start (MB)', 'RSS peak (MB)']));
for (const r of results) out.push(`| ${r.size} / ${r.db} | ${ms(r.server.coldStartMs)} | ${r.server.rssMbAfterStart} | ${r.server.rssMbPeak} |`);
process.stdout.write(`${out.join('\n')}\n`);
