import type { Report } from '../../domain/reporting/report';
import type { SuppressedTable } from '../../domain/reporting/suppression';

/** A report for one clinic, or the clinics combined. */
export interface NamedReport {
  clinicId: string | null;
  name: string;
  report: Report;
}

const cell = (v: unknown) => (v === null || v === undefined ? '' : String(v));
const csvField = (v: unknown) => {
  const s = cell(v);
  return /[",\n\r]/.test(s) || /^[=+\-@]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

/** Every figure of the reports as rows of: scope, section, row, column, value (all suppressed already). */
export function reportRows(reports: readonly NamedReport[]): string[][] {
  const rows: string[][] = [];
  for (const { name, report: r } of reports) {
    const add = (section: string, row: string, column: string, value: unknown) => rows.push([name, r.from, r.to, section, row, column, cell(value)]);
    const table = (section: string, t: SuppressedTable) => {
      t.rows.forEach((row, i) => {
        t.columns.forEach((col, j) => add(section, row, col, t.cells[i]![j]));
        if (t.columns.length > 1) add(section, row, 'Total', t.rowTotals[i]);
      });
      if (t.rows.length > 1) t.columns.forEach((col, j) => add(section, 'Total', col, t.columnTotals[j]));
      if (t.rows.length > 1 && t.columns.length > 1) add(section, 'Total', 'Total', t.total);
    };
    table('Places used', r.places.table);
    add('Places used', 'Places commissioned', 'Places', r.places.commissioned);
    add('Places used', 'Places used', 'Percent', r.places.occupancyPercent);
    table('Referrals', r.referrals.table);
    add('Waiting time', 'Inductions in the period', 'People', r.referrals.inductions);
    add('Waiting time', 'Referral to induction', 'Median days', r.referrals.medianWaitDays);
    add('Waiting time', 'Referral to induction', 'Longest days', r.referrals.longestWaitDays);
    table('Retention', r.retention.table);
    for (const p of r.retention.curve) {
      add('Retention curve', `Day ${p.day}`, 'Number at risk', p.atRisk);
      add('Retention curve', `Day ${p.day}`, 'Percent retained', p.retainedPercent);
    }
    table('Attendance', r.attendance.table);
    for (const g of r.attendance.givenPercent) add('Attendance', g.session, 'Percent given', g.percent);
    for (const a of r.adverseEvents) add('Adverse events', a.label, 'Doses', a.doses);
    for (const m of r.toxicology) {
      add('Street heroin in toxicology', m.month, 'People tested', m.tested);
      add('Street heroin in toxicology', m.month, 'People positive', m.positive);
      add('Street heroin in toxicology', m.month, 'Percent positive', m.positivePercent);
    }
    for (const s of r.top) {
      add('TOP change', s.stage, 'People', s.people);
      for (const m of s.measures) {
        add('TOP change', `${s.stage}: ${m.label}`, 'People answering', m.n);
        add('TOP change', `${s.stage}: ${m.label}`, 'Mean', m.mean);
      }
    }
  }
  return rows;
}

export function reportCsv(reports: readonly NamedReport[]): string {
  const header = ['Scope', 'From', 'To', 'Section', 'Row', 'Column', 'Value'];
  return [header, ...reportRows(reports)].map((r) => r.map(csvField).join(',')).join('\r\n') + '\r\n';
}

const esc = (v: unknown) => cell(v).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function htmlTable(caption: string, t: SuppressedTable): string {
  const totals = t.columns.length > 1;
  const head = `<tr><th scope="col"></th>${t.columns.map((c) => `<th scope="col">${esc(c)}</th>`).join('')}${totals ? '<th scope="col">Total</th>' : ''}</tr>`;
  const body = t.rows
    .map((row, i) => `<tr><th scope="row">${esc(row)}</th>${t.cells[i]!.map((v) => `<td>${esc(v)}</td>`).join('')}${totals ? `<td>${esc(t.rowTotals[i])}</td>` : ''}</tr>`)
    .join('');
  const foot = t.rows.length > 1 ? `<tr><th scope="row">Total</th>${t.columnTotals.map((v) => `<td>${esc(v)}</td>`).join('')}${totals ? `<td>${esc(t.total)}</td>` : ''}</tr>` : '';
  return `<table><caption>${esc(caption)}</caption>${head}${body}${foot}</table>`;
}

function simpleTable(caption: string, columns: string[], rows: unknown[][]): string {
  return `<table><caption>${esc(caption)}</caption><tr>${columns.map((c) => `<th scope="col">${esc(c)}</th>`).join('')}</tr>${rows
    .map((r) => `<tr><th scope="row">${esc(r[0])}</th>${r.slice(1).map((v) => `<td>${esc(v)}</td>`).join('')}</tr>`)
    .join('')}</table>`;
}

/** A simple bar chart (inline SVG); hidden values are drawn as no bar and labelled as in the tables. */
function barChart(title: string, bars: { label: string; value: unknown }[], max?: number): string {
  const numeric = bars.map((b) => (typeof b.value === 'number' ? b.value : 0));
  const top = max ?? Math.max(1, ...numeric);
  const w = 520;
  const rowH = 22;
  const h = bars.length * rowH + 10;
  const items = bars
    .map((b, i) => {
      const len = typeof b.value === 'number' ? Math.round((b.value / top) * 300) : 0;
      const y = 5 + i * rowH;
      return `<text x="0" y="${y + 15}" font-size="12">${esc(b.label)}</text><rect x="170" y="${y + 3}" width="${len}" height="14" fill="#1c4f82"/><text x="${176 + len}" y="${y + 15}" font-size="12">${esc(b.value ?? '—')}</text>`;
    })
    .join('');
  return `<figure><svg role="img" aria-label="${esc(title)}" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}">${items}</svg><figcaption>${esc(title)}</figcaption></figure>`;
}

function retentionChart(r: Report): string {
  const pts = r.retention.curve.filter((p) => typeof p.retainedPercent === 'number');
  if (pts.length === 0) return '<p>Too few people to draw the retention curve.</p>';
  const maxDay = Math.max(30, ...pts.map((p) => p.day));
  const x = (d: number) => 40 + (d / maxDay) * 460;
  const y = (pct: number) => 10 + (1 - pct / 100) * 160;
  let path = `M ${x(0)} ${y(100)}`;
  for (const p of pts) path += ` H ${x(p.day)} V ${y(p.retainedPercent as number)}`;
  return `<figure><svg role="img" aria-label="Retention in treatment (Kaplan–Meier)" width="520" height="200" viewBox="0 0 520 200"><line x1="40" y1="170" x2="500" y2="170" stroke="#333"/><line x1="40" y1="10" x2="40" y2="170" stroke="#333"/><text x="0" y="15" font-size="11">100%</text><text x="10" y="170" font-size="11">0%</text><path d="${path}" fill="none" stroke="#1c4f82" stroke-width="2"/>${pts
    .map((p) => `<text x="${x(p.day) - 8}" y="188" font-size="10">${p.day}</text>`)
    .join('')}</svg><figcaption>Retention in treatment (days since induction; step curve at the days listed)</figcaption></figure>`;
}

/** The printable report (the browser's "Print → Save as PDF" makes the PDF). No person-level data is in it. */
export function reportHtml(title: string, reports: readonly NamedReport[]): string {
  const sections = reports
    .map(({ name, report: r }) => `
<section>
<h2>${esc(name)}</h2>
<p>${esc(r.from)} to ${esc(r.to)}. Counts from 1 to ${r.threshold - 1} are shown as “&lt;${r.threshold}”; “*” marks a figure hidden so that a small count cannot be worked out.</p>
<h3>Places used</h3>
${htmlTable('People holding a place (now)', r.places.table)}
<p>Places commissioned: ${esc(r.places.commissioned)}; in use: ${esc(r.places.occupancyPercent ?? '—')}%</p>
<h3>Referrals and waiting time</h3>
${htmlTable('Referrals in the period, by outcome so far', r.referrals.table)}
<p>Inductions in the period: ${esc(r.referrals.inductions)}; median wait from referral: ${esc(r.referrals.medianWaitDays ?? '—')} days; longest: ${esc(r.referrals.longestWaitDays ?? '—')} days.</p>
<h3>Retention in treatment</h3>
${retentionChart(r)}
${simpleTable('Kaplan–Meier retention with numbers at risk', ['Days since induction', 'Number at risk', 'Retained (%)'], r.retention.curve.map((p) => [p.day, p.atRisk, p.retainedPercent ?? '—']))}
${htmlTable('People who started treatment, by status at the end of the period', r.retention.table)}
<h3>Attendance per session</h3>
${barChart('Doses given (% of scheduled) per session', r.attendance.givenPercent.map((g) => ({ label: g.session, value: g.percent })), 100)}
${htmlTable('Scheduled doses by outcome', r.attendance.table)}
<h3>Adverse events and naloxone</h3>
${simpleTable('Doses with an adverse event recorded at observation', ['Event', 'Doses'], r.adverseEvents.map((a) => [a.label, a.doses]))}
<h3>Street heroin in toxicology</h3>
${barChart('People positive for street heroin (% of those tested) by month', r.toxicology.map((m) => ({ label: m.month, value: m.positivePercent })), 100)}
${simpleTable('Toxicology by month', ['Month', 'People tested', 'People positive', 'Positive (%)'], r.toxicology.map((m) => [m.month, m.tested, m.positive, m.positivePercent ?? '—']))}
<h3>Treatment Outcomes Profile</h3>
${simpleTable('TOP: mean at each stage', ['Stage', 'People', ...r.top[0]!.measures.map((m) => m.label)], r.top.map((s) => [s.stage, s.people, ...s.measures.map((m) => `${cell(m.mean ?? '—')} (n ${cell(m.n)})`)]))}
</section>`)
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title>
<style>body{font-family:system-ui,sans-serif;color:#111;max-width:60rem;margin:1rem auto;padding:0 1rem}table{border-collapse:collapse;margin:.5rem 0 1rem}th,td{border:1px solid #555;padding:.2rem .5rem;text-align:right}th[scope=row]{text-align:left}caption{text-align:left;font-weight:600}section{page-break-after:always}@media print{.noprint{display:none}}</style>
</head><body>
<h1>${esc(title)}</h1>
<p class="noprint">To save as a PDF, use your browser's Print and choose “Save as PDF”.</p>
${sections}
</body></html>`;
}
