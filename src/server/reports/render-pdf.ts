import PDFDocument from 'pdfkit';
import type { Temporal } from 'temporal-polyfill';
import type { Report } from '../../domain/reporting/report';
import type { SuppressedTable } from '../../domain/reporting/suppression';
import type { NamedReport } from './render';

/**
 * The commissioners' report as a PDF file (A4, built-in Helvetica), drawn with pdfkit from the
 * same suppressed report objects as the JSON, CSV and printable page: every figure in it has been
 * through small-number suppression already, and hidden cells read "<5" or "*" exactly as in the
 * CSV. Nothing per person is in a report object, so nothing per person can be in the file.
 *
 * Deterministic: the file's creation date (and so its ID) is the generation time given, so the
 * same reports at the same time give the same bytes.
 */

export interface PdfReportOptions {
  /** The document title, e.g. "Heroin-assisted treatment: Northside HAT". */
  title: string;
  /** What the report covers: a clinic's name, or "All clinics". */
  scope: string;
  /** When the report was made (the app clock), shown in clinic time and used as the PDF creation date. */
  generatedAt: Temporal.Instant;
  /** The clinic's time zone (the first clinic's, across clinics). */
  timeZone: string;
  /** Compress the page content streams (default true; tests may turn it off to read them). */
  compress?: boolean;
}

// A4 in points, and the page layout.
const PAGE = { width: 595.28, height: 841.89 };
const MARGIN = 50;
const WIDTH = PAGE.width - 2 * MARGIN;
const TOP = MARGIN;
/** Content stops here; the footer (page number) goes below. */
const BOTTOM = PAGE.height - MARGIN - 18;
const FOOTER_Y = PAGE.height - MARGIN + 4;
const BLUE = '#1c4f82';
const GREY = '#555555';
const LIGHT = '#e8edf3';
const FONT = 'Helvetica';
const BOLD = 'Helvetica-Bold';

const RETENTION_CHART_HEIGHT = 200;
const MONTHLY_CHART_HEIGHT = 175;

/** Unicode characters outside Latin-1 that the standard fonts' WinAnsi encoding can still show. */
const WIN_ANSI_EXTRA = new Set([...'€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ']);

/** Letters without a decomposition to a Latin-1 letter. */
const PLAIN: Record<string, string> = { '−': '-', Ł: 'L', ł: 'l', Đ: 'D', đ: 'd', ı: 'i', Ħ: 'H', ħ: 'h', '≤': '<=', '≥': '>=' };

/**
 * Text the built-in fonts can draw: characters outside WinAnsi (a clinic may have any name) lose
 * their accents where they have one, else become "?", so no glyph is ever garbled.
 */
export function pdfText(s: string): string {
  let out = '';
  for (const ch of s) {
    const code = ch.codePointAt(0)!;
    if ((code >= 0x20 && code <= 0x7e) || (code >= 0xa0 && code <= 0xff) || WIN_ANSI_EXTRA.has(ch)) out += ch;
    else if (ch === '\n') out += ' ';
    else if (Object.hasOwn(PLAIN, ch)) out += PLAIN[ch];
    else {
      const plain = ch.normalize('NFKD').replace(/\p{M}/gu, '');
      out += plain !== '' && [...plain].every((c) => c.codePointAt(0)! >= 0x20 && c.codePointAt(0)! <= 0xff) ? plain : '?';
    }
  }
  return out;
}

/** A figure as the tables show it: a count, a rate, "<5", "*", or "—" for none. */
const figure = (v: unknown): string => (v === null || v === undefined ? '—' : String(v));

interface Column {
  label: string;
  width: number;
  align: 'left' | 'right';
}
interface Row {
  cells: string[];
  bold?: boolean;
}

/** Lays out the document top to bottom, starting a new page (with the table header again) when something does not fit. */
class Writer {
  y = TOP;
  constructor(readonly doc: PDFKit.PDFDocument) {}

  newPage() {
    this.doc.addPage();
    this.y = TOP;
  }

  /** Makes room for `height` points, on a new page if this one is too full. */
  ensure(height: number) {
    if (this.y + height > BOTTOM && this.y > TOP) this.newPage();
  }

  space(points: number) {
    this.y += points;
  }

  heightOf(text: string, font: string, size: number, width: number) {
    return this.doc.font(font).fontSize(size).heightOfString(pdfText(text), { width });
  }

  text(text: string, opts: { font?: string; size?: number; color?: string; keepWithNext?: number; after?: number } = {}) {
    const font = opts.font ?? FONT;
    const size = opts.size ?? 9.5;
    const h = this.heightOf(text, font, size, WIDTH);
    this.ensure(h + (opts.keepWithNext === undefined ? 0 : (opts.after ?? 4) + opts.keepWithNext));
    this.doc.font(font).fontSize(size).fillColor(opts.color ?? '#111111').text(pdfText(text), MARGIN, this.y, { width: WIDTH });
    this.y += h + (opts.after ?? 4);
  }

  /** A heading kept with what follows it, and a bookmark to it under `outline`; returns the bookmark. */
  heading(text: string, size: number, keepWithNext: number, outline: PDFKit.PDFOutline) {
    this.space(size * 0.6);
    this.text(text, { font: BOLD, size, color: BLUE, keepWithNext, after: size * 0.4 });
    return outline.addItem(text); // bookmarks are Unicode strings: the name as it is
  }

  /**
   * A table: a header row, then rows that may wrap in the first column. A row never splits; when
   * the next row does not fit, the table goes on on a new page under its caption "(continued)"
   * and the header row again. A short table is kept on one page.
   */
  table(caption: string, columns: Column[], rows: Row[]) {
    const doc = this.doc;
    const size = 8.5;
    const pad = 3;
    const cellHeight = (cells: string[], font: string) =>
      Math.max(...cells.map((c, i) => this.heightOf(c, font, size, columns[i]!.width - 2 * pad))) + 2 * pad;
    const headerHeight = cellHeight(columns.map((c) => c.label), BOLD);
    const captionHeight = this.heightOf(caption, BOLD, 9, WIDTH) + 3;
    const drawRow = (cells: string[], font: string, height: number, fill: string | null) => {
      let x = MARGIN;
      cells.forEach((c, i) => {
        const col = columns[i]!;
        if (fill) doc.rect(x, this.y, col.width, height).fill(fill);
        doc.lineWidth(0.5).strokeColor(GREY).rect(x, this.y, col.width, height).stroke();
        doc.font(font).fontSize(size).fillColor('#111111').text(pdfText(c), x + pad, this.y + pad, { width: col.width - 2 * pad, align: col.align });
        x += col.width;
      });
      this.y += height;
    };
    const drawHead = (continued: boolean) => {
      doc.font(BOLD).fontSize(9).fillColor('#111111').text(pdfText(continued ? `${caption} (continued)` : caption), MARGIN, this.y, { width: WIDTH });
      this.y += captionHeight;
      drawRow(columns.map((c) => c.label), BOLD, headerHeight, LIGHT);
    };
    const heights = rows.map((r) => cellHeight(r.cells, r.bold ? BOLD : FONT));
    this.space(2);
    // A short table stays on one page; a long one starts where at least three rows fit.
    const whole = captionHeight + headerHeight + heights.reduce((a, b) => a + b, 0);
    this.ensure(whole <= 300 ? whole : captionHeight + headerHeight + heights.slice(0, 3).reduce((a, b) => a + b, 0));
    drawHead(false);
    rows.forEach((r, i) => {
      if (this.y + heights[i]! > BOTTOM) {
        this.newPage();
        drawHead(true);
      }
      drawRow(r.cells, r.bold ? BOLD : FONT, heights[i]!, null);
    });
    this.y += 8;
  }
}

/** Column widths: the first fits its labels (within limits), the others share the rest. */
function columnsFor(doc: PDFKit.PDFDocument, labels: string[], firstColumnTexts: string[], minOther = 52): Column[] {
  const others = labels.length - 1;
  const widest = Math.max(...[labels[0]!, ...firstColumnTexts].map((t) => doc.font(BOLD).fontSize(8.5).widthOfString(pdfText(t))), 40) + 10;
  const first = Math.min(widest, WIDTH - others * minOther, WIDTH * 0.45);
  const rest = others > 0 ? (WIDTH - first) / others : 0;
  const width = others > 0 ? first : WIDTH * 0.6;
  return labels.map((label, i) => ({ label, width: i === 0 ? width : Math.min(rest, 110), align: i === 0 ? 'left' : 'right' }));
}

/** A suppressed count table with its totals, laid out as in the CSV and the printable page. */
function countTable(w: Writer, caption: string, t: SuppressedTable) {
  const totals = t.columns.length > 1;
  const labels = ['', ...t.columns, ...(totals ? ['Total'] : [])];
  const rows: Row[] = t.rows.map((row, i) => ({ cells: [row, ...t.cells[i]!.map(figure), ...(totals ? [figure(t.rowTotals[i])] : [])] }));
  if (t.rows.length > 1) rows.push({ cells: ['Total', ...t.columnTotals.map(figure), ...(totals ? [figure(t.total)] : [])], bold: true });
  w.table(caption, columnsFor(w.doc, labels, rows.map((r) => r.cells[0]!)), rows);
}

function simpleTable(w: Writer, caption: string, labels: string[], rows: unknown[][]) {
  const cells = rows.map((r) => ({ cells: r.map(figure) }));
  w.table(caption, columnsFor(w.doc, labels, cells.map((r) => r.cells[0]!)), cells);
}

/** Axis and grid for a 0–100% plot. */
function percentAxis(doc: PDFKit.PDFDocument, x0: number, x1: number, yOf: (pct: number) => number) {
  doc.font(FONT).fontSize(7).fillColor(GREY);
  for (const pct of [0, 25, 50, 75, 100]) {
    doc.lineWidth(0.3).strokeColor('#cccccc').moveTo(x0, yOf(pct)).lineTo(x1, yOf(pct)).stroke();
    doc.text(`${pct}%`, x0 - 34, yOf(pct) - 3, { width: 30, align: 'right', lineBreak: false });
  }
  doc.lineWidth(0.8).strokeColor('#333333').moveTo(x0, yOf(100)).lineTo(x0, yOf(0)).lineTo(x1, yOf(0)).stroke();
}

/**
 * The Kaplan–Meier retention curve as a step line through the survival shown at each time point,
 * with the numbers at risk (as shown in the table, "<5" and "*" included) beneath the axis.
 */
function retentionChart(w: Writer, r: Report) {
  const doc = w.doc;
  const curve = r.retention.curve;
  const pts = curve.filter((p): p is typeof p & { retainedPercent: number } => typeof p.retainedPercent === 'number');
  if (pts.length === 0) {
    w.text('Too few people to draw the retention curve.', { color: GREY });
    return;
  }
  w.ensure(RETENTION_CHART_HEIGHT);
  const top = w.y + 6;
  const x0 = MARGIN + 78;
  const x1 = MARGIN + WIDTH - 12;
  const plotHeight = 120;
  const maxDay = Math.max(30, ...curve.map((p) => p.day));
  const x = (day: number) => x0 + (day / maxDay) * (x1 - x0);
  const y = (pct: number) => top + (1 - pct / 100) * plotHeight;
  percentAxis(doc, x0, x1, y);
  doc.save().lineWidth(1.6).strokeColor(BLUE).moveTo(x(0), y(100));
  let last = 100;
  for (const p of pts) {
    doc.lineTo(x(p.day), y(last)).lineTo(x(p.day), y(p.retainedPercent));
    last = p.retainedPercent;
  }
  doc.stroke().restore();
  // day ticks, then the numbers at risk in line with them
  const ticksY = y(0) + 4;
  const atRiskY = ticksY + 24;
  doc.font(FONT).fontSize(7).fillColor('#111111');
  for (const p of curve) {
    doc.lineWidth(0.5).strokeColor('#333333').moveTo(x(p.day), y(0)).lineTo(x(p.day), y(0) + 3).stroke();
    doc.text(String(p.day), x(p.day) - 15, ticksY, { width: 30, align: 'center', lineBreak: false });
  }
  doc.fillColor(GREY).text('Days since induction', x0, ticksY + 10, { width: x1 - x0, align: 'center', lineBreak: false });
  doc.font(BOLD).fontSize(7).fillColor('#111111').text('Number at risk', MARGIN, atRiskY, { width: 70, lineBreak: false });
  doc.font(FONT);
  for (const p of curve) doc.text(figure(p.atRisk), x(p.day) - 15, atRiskY, { width: 30, align: 'center', lineBreak: false });
  w.y = atRiskY + 14;
  w.text('Retention in treatment (Kaplan–Meier), % still in treatment at each day listed; numbers at risk beneath.', { size: 8, color: GREY, after: 6 });
}

/** Horizontal bars (0–100%), one per label; a hidden figure gets no bar and its "*" beside the axis. */
function horizontalBars(w: Writer, caption: string, bars: { label: string; value: number | '*' | null }[]) {
  if (bars.length === 0) return;
  const doc = w.doc;
  const rowHeight = 16;
  const height = bars.length * rowHeight + 34;
  w.ensure(height);
  const x0 = MARGIN + 140;
  const x1 = MARGIN + WIDTH - 60;
  const top = w.y + 4;
  bars.forEach((b, i) => {
    const yy = top + i * rowHeight;
    doc.font(FONT).fontSize(8).fillColor('#111111').text(pdfText(b.label), MARGIN, yy + 3, { width: 135, lineBreak: false, ellipsis: true });
    const len = typeof b.value === 'number' ? (Math.max(0, Math.min(100, b.value)) / 100) * (x1 - x0) : 0;
    if (len > 0) doc.rect(x0, yy + 2, len, rowHeight - 5).fill(BLUE);
    doc.font(FONT).fontSize(8).fillColor('#111111').text(typeof b.value === 'number' ? `${b.value}%` : figure(b.value), x0 + len + 4, yy + 3, { width: 50, lineBreak: false });
  });
  const axisY = top + bars.length * rowHeight;
  doc.lineWidth(0.8).strokeColor('#333333').moveTo(x0, top).lineTo(x0, axisY).lineTo(x1, axisY).stroke();
  doc.font(FONT).fontSize(7).fillColor(GREY);
  for (const pct of [0, 50, 100]) doc.text(`${pct}%`, x0 + (pct / 100) * (x1 - x0) - 15, axisY + 3, { width: 30, align: 'center', lineBreak: false });
  w.y = axisY + 14;
  w.text(caption, { size: 8, color: GREY, after: 6 });
}

/** Vertical bars per month (0–100%): people positive for street heroin as a share of people tested. */
function monthlyBars(w: Writer, caption: string, months: { month: string; value: number | '*' | null }[]) {
  if (months.length === 0) return;
  const doc = w.doc;
  w.ensure(MONTHLY_CHART_HEIGHT);
  const top = w.y + 8;
  const x0 = MARGIN + 40;
  const x1 = MARGIN + WIDTH - 4;
  const plotHeight = 110;
  const y = (pct: number) => top + (1 - pct / 100) * plotHeight;
  percentAxis(doc, x0, x1, y);
  const slot = (x1 - x0) / months.length;
  const barWidth = Math.max(2, slot * 0.65);
  const labelEvery = Math.ceil(months.length / 12);
  const valueLabels = months.length <= 18;
  months.forEach((m, i) => {
    const cx = x0 + slot * (i + 0.5);
    if (typeof m.value === 'number' && m.value > 0) doc.rect(cx - barWidth / 2, y(Math.min(100, m.value)), barWidth, y(0) - y(Math.min(100, m.value))).fill('#9b1c1c');
    doc.font(FONT).fontSize(6.5).fillColor('#111111');
    if (valueLabels || typeof m.value !== 'number') {
      const label = typeof m.value === 'number' ? `${m.value}%` : figure(m.value);
      const at = typeof m.value === 'number' ? y(Math.min(100, m.value)) - 9 : y(0) - 9;
      doc.text(label, cx - 20, at, { width: 40, align: 'center', lineBreak: false });
    }
    if (i % labelEvery === 0) doc.text(m.month, cx - 20, y(0) + 4, { width: 40, align: 'center', lineBreak: false });
  });
  w.y = y(0) + 18;
  w.text(caption, { size: 8, color: GREY, after: 6 });
}

const STAGE_COLOURS = ['#6b2c91', BLUE, '#1b7a5a'];

/**
 * TOP change: per measure, one bar per stage (treatment start, review, exit) on the measure's own
 * scale (days of 28, quality of life 0–20); a hidden mean gets no bar and its "*".
 */
function topChart(w: Writer, r: Report) {
  const doc = w.doc;
  const measures = r.top[0]?.measures ?? [];
  if (measures.length === 0) return;
  const barHeight = 7;
  const groupHeight = r.top.length * (barHeight + 2) + 8;
  w.ensure(measures.length * groupHeight + 40);
  const x0 = MARGIN + 150;
  const x1 = MARGIN + WIDTH - 50;
  let y = w.y + 4;
  // legend
  r.top.forEach((s, i) => {
    const lx = x0 + i * 110;
    doc.rect(lx, y + 1, 8, 7).fill(STAGE_COLOURS[i % STAGE_COLOURS.length]!);
    doc.font(FONT).fontSize(7.5).fillColor('#111111').text(pdfText(s.stage), lx + 11, y + 1, { width: 95, lineBreak: false });
  });
  y += 16;
  measures.forEach((m, j) => {
    const max = m.key === 'qualityOfLife' ? 20 : 28;
    doc.font(FONT).fontSize(8).fillColor('#111111').text(pdfText(m.label), MARGIN, y + 4, { width: 145 });
    r.top.forEach((s, i) => {
      const mean = s.measures[j]?.mean ?? null;
      const by = y + i * (barHeight + 2);
      const len = typeof mean === 'number' ? (Math.max(0, Math.min(max, mean)) / max) * (x1 - x0) : 0;
      if (len > 0) doc.rect(x0, by, len, barHeight).fill(STAGE_COLOURS[i % STAGE_COLOURS.length]!);
      doc.font(FONT).fontSize(6.5).fillColor('#111111').text(figure(mean), x0 + len + 3, by, { width: 40, lineBreak: false });
    });
    doc.lineWidth(0.5).strokeColor('#333333').moveTo(x0, y - 2).lineTo(x0, y + groupHeight - 8).stroke();
    y += groupHeight;
  });
  w.y = y;
  w.text('Mean at each stage, each measure on its own scale (days of the last 28; quality of life 0–20). Hidden means have no bar.', { size: 8, color: GREY, after: 6 });
}

/** One clinic's (or the combined) report: each section's chart and tables. */
function reportSections(w: Writer, name: string, r: Report) {
  const small = `<${r.threshold}`;
  const bookmark = w.heading(name, 15, 40, w.doc.outline);
  w.text(`${r.from} to ${r.to}. Counts from 1 to ${r.threshold - 1} are shown as “${small}”; “*” marks a figure hidden so that a small count cannot be worked out. Charts leave hidden figures out.`, { size: 9, after: 6 });

  w.heading('Places used', 12, 60, bookmark);
  countTable(w, 'People holding a place (now)', r.places.table);
  w.text(`Places commissioned: ${r.places.commissioned}; in use: ${figure(r.places.occupancyPercent)}%`);

  w.heading('Referrals and waiting time', 12, 60, bookmark);
  countTable(w, 'Referrals in the period, by outcome so far', r.referrals.table);
  w.text(`Inductions in the period: ${figure(r.referrals.inductions)}; median wait from referral: ${figure(r.referrals.medianWaitDays)} days; longest: ${figure(r.referrals.longestWaitDays)} days.`);

  w.heading('Retention in treatment', 12, RETENTION_CHART_HEIGHT, bookmark);
  retentionChart(w, r);
  simpleTable(w, 'Kaplan–Meier retention with numbers at risk', ['Days since induction', 'Number at risk', 'Retained (%)'], r.retention.curve.map((p) => [p.day, p.atRisk, p.retainedPercent]));
  countTable(w, 'People who started treatment, by status at the end of the period', r.retention.table);

  w.heading('Attendance per session', 12, 60, bookmark);
  horizontalBars(w, 'Doses given, % of scheduled doses, per session', r.attendance.givenPercent.map((g) => ({ label: g.session, value: g.percent })));
  if (r.attendance.table.rows.length > 0) countTable(w, 'Scheduled doses by outcome', r.attendance.table);
  else w.text('No scheduled doses in the period.', { color: GREY });

  w.heading('Adverse events and naloxone', 12, 60, bookmark);
  simpleTable(w, 'Doses with an adverse event recorded at observation', ['Event', 'Doses'], r.adverseEvents.map((a) => [a.label, a.doses]));

  w.heading('Street heroin in toxicology', 12, MONTHLY_CHART_HEIGHT, bookmark);
  monthlyBars(w, 'People positive for street heroin, % of people tested, by month', r.toxicology.map((m) => ({ month: m.month, value: m.positivePercent })));
  simpleTable(w, 'Toxicology by month', ['Month', 'People tested', 'People positive', 'Positive (%)'], r.toxicology.map((m) => [m.month, m.tested, m.positive, m.positivePercent]));

  w.heading('Treatment Outcomes Profile', 12, 150, bookmark);
  topChart(w, r);
  const measures = r.top[0]?.measures.map((m) => m.label) ?? [];
  simpleTable(w, 'TOP: mean at each stage (n: people answering)', ['Stage', 'People', ...measures], r.top.map((s) => [s.stage, s.people, ...s.measures.map((m) => `${figure(m.mean)} (n ${figure(m.n)})`)]));
}

/** "2026-03-02 09:00 (Europe/London)". */
function clinicDateTime(at: Temporal.Instant, timeZone: string): string {
  const z = at.toZonedDateTimeISO(timeZone);
  return `${z.toPlainDate().toString()} ${z.toPlainTime().toString({ smallestUnit: 'minute' })} (${timeZone})`;
}

/** Renders the reports (one clinic, or each clinic and all combined) as a PDF file. */
export function reportPdf(reports: readonly NamedReport[], opts: PdfReportOptions): Promise<Buffer> {
  const created = new Date(opts.generatedAt.epochMilliseconds);
  const doc = new PDFDocument({
    size: 'A4',
    // Layout is by hand (see Writer); a zero bottom margin stops pdfkit adding pages of its own.
    margins: { top: MARGIN, left: MARGIN, right: MARGIN, bottom: 0 },
    compress: opts.compress ?? true,
    bufferPages: true,
    font: FONT,
    lang: 'en-GB',
    displayTitle: true,
    info: { Title: opts.title, Author: 'openhat', Subject: 'Commissioners’ report (aggregates only, small numbers suppressed)', Creator: 'openhat', Producer: 'openhat (PDFKit)', CreationDate: created, ModDate: created },
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  const w = new Writer(doc);
  // The title block
  w.text('openhat', { font: BOLD, size: 9, color: GREY, after: 2 });
  w.text(opts.title, { font: BOLD, size: 20, color: BLUE, after: 8 });
  const first = reports[0]?.report;
  const facts: [string, string][] = [
    ['Scope', opts.scope],
    ...(reports.length > 1 ? ([['Reports', reports.map((r) => r.name).join('; ')]] as [string, string][]) : []),
    ['Period', first ? `${first.from} to ${first.to}` : '—'],
    ['Generated', clinicDateTime(opts.generatedAt, opts.timeZone)],
    ['Suppression', first
      ? `Counts from 1 to ${first.threshold - 1} are shown as “<${first.threshold}”; “*” marks a figure hidden so that a small count cannot be worked out by subtraction, and rates, means and medians over fewer than ${first.threshold} people are hidden too.${reports.some((r) => r.report.threshold !== first.threshold) ? ' Thresholds differ between clinics; each section states its own (combined figures use the strictest).' : ''}`
      : '—'],
    ['Contents', 'Aggregates only: no name, date of birth, NHS number or any per-person row.'],
  ];
  for (const [label, value] of facts) {
    const h = Math.max(w.heightOf(value, FONT, 9.5, WIDTH - 80), 12);
    doc.font(BOLD).fontSize(9.5).fillColor('#111111').text(label, MARGIN, w.y, { width: 75 });
    doc.font(FONT).fontSize(9.5).text(pdfText(value), MARGIN + 80, w.y, { width: WIDTH - 80 });
    w.y += h + 3;
  }
  doc.lineWidth(1).strokeColor(BLUE).moveTo(MARGIN, w.y + 4).lineTo(MARGIN + WIDTH, w.y + 4).stroke();
  w.space(10);
  if (reports.length === 0) w.text('You are not a commissioner or administrator at any clinic, so there is nothing to report.');

  reports.forEach((r, i) => {
    if (i > 0) w.newPage();
    reportSections(w, r.name, r.report);
  });

  // Page numbers (and the title) at the foot of every page.
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    doc.lineWidth(0.5).strokeColor('#999999').moveTo(MARGIN, FOOTER_Y - 4).lineTo(MARGIN + WIDTH, FOOTER_Y - 4).stroke();
    doc.font(FONT).fontSize(7.5).fillColor(GREY);
    doc.text(pdfText(opts.title), MARGIN, FOOTER_Y, { width: WIDTH - 90, lineBreak: false, ellipsis: true });
    doc.text(`Page ${i + 1} of ${range.count}`, MARGIN + WIDTH - 90, FOOTER_Y, { width: 90, align: 'right', lineBreak: false });
  }
  doc.end();
  return done;
}
