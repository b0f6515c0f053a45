import { z } from 'zod';
import { Temporal } from 'temporal-polyfill';
import { ClinicParams, errors } from '../../contract/common';
import type { OutcomeProfile } from '../../domain/care/outcome-profile';
import type { ToxicologyRecordData } from '../../domain/care/toxicology';
import { buildReport, combineInputs, type EpisodeFacts, type ReportInput } from '../../domain/reporting/report';
import { clinicDate } from '../../domain/time/clinic-time';
import type { Role } from '../../domain/staff/roles';
import { clinicCareRecords } from '../../store/care-records';
import { currentSettings, listClinics } from '../../store/clinics';
import { aggregateDoseOutcomes } from '../../store/dose-outcomes';
import { clinicEpisodes } from '../../store/episodes';
import { rolesByClinic } from '../../store/staff';
import { auditRead } from '../../store/transaction';
import type { Orm } from '../../store/database';
import type { App, AppContext } from '../context';
import { signedIn } from '../authorize';
import { clinicIdOf } from '../clinic-output';
import { badRequest } from '../errors';
import { reportCsv, reportHtml, type NamedReport } from './render';
import { reportPdf } from './render-pdf';

const REPORT_ROLES: readonly Role[] = ['commissioner', 'admin'];
const CLINICS_AT_A_TIME = 4;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const Period = z.object({
  from: z.string().regex(DATE, 'must be a date, YYYY-MM-DD').optional().describe('First clinic date (default: a year before `to`)'),
  to: z.string().regex(DATE, 'must be a date, YYYY-MM-DD').optional().describe("Last clinic date (default: today at the clinic)"),
});
type Period = z.infer<typeof Period>;

const Shown = z.union([z.number(), z.string()]).describe('A count, or "<5" (below the threshold) or "*" (hidden so a small count cannot be worked out)');
const Table = z.object({ rows: z.array(z.string()), columns: z.array(z.string()), cells: z.array(z.array(Shown)), rowTotals: z.array(Shown), columnTotals: z.array(Shown), total: Shown, smallLabel: z.string() });
const Figure = z.union([z.number(), z.literal('*'), z.null()]);
const ReportOut = z.object({
  from: z.string(),
  to: z.string(),
  threshold: z.number(),
  places: z.object({ commissioned: z.number(), table: Table, occupancyPercent: Figure }),
  referrals: z.object({ table: Table, inductions: Shown, medianWaitDays: Figure, longestWaitDays: Figure }),
  retention: z.object({ table: Table, curve: z.array(z.object({ day: z.number(), atRisk: Shown, retainedPercent: Figure })) }),
  attendance: z.object({ table: Table, givenPercent: z.array(z.object({ session: z.string(), percent: Figure })) }),
  adverseEvents: z.array(z.object({ label: z.string(), doses: Shown })),
  toxicology: z.array(z.object({ month: z.string(), tested: Shown, positive: Shown, positivePercent: Figure })),
  top: z.array(z.object({ stage: z.string(), people: Shown, measures: z.array(z.object({ key: z.string(), label: z.string(), n: Shown, mean: Figure })) })),
});
const NamedReportOut = z.object({ clinicId: z.string().nullable(), name: z.string(), report: ReportOut });

/** The period asked for, checked; defaults to the year up to today at the first clinic. */
function periodOf(q: Period, today: Temporal.PlainDate): { from: string; to: string } {
  const check = (field: 'from' | 'to') => {
    const v = q[field];
    if (v === undefined) return undefined;
    try {
      return Temporal.PlainDate.from(v, { overflow: 'reject' }).toString();
    } catch {
      throw badRequest(field, 'must be a real date, YYYY-MM-DD');
    }
  };
  const to = check('to') ?? today.toString();
  const from = check('from') ?? Temporal.PlainDate.from(to).subtract({ years: 1 }).add({ days: 1 }).toString();
  if (from > to) throw badRequest('from', 'must be on or before `to`');
  if (Temporal.PlainDate.from(from).until(Temporal.PlainDate.from(to)).days > 3 * 366) throw badRequest('from', 'the period may be at most 3 years');
  return { from, to };
}

/** What the reporting rules need from one clinic's stores: reduced to clinic dates, with no names. */
async function clinicInput(orm: Orm, clinicId: string, from: string, to: string): Promise<{ name: string; input: ReportInput }> {
  const settings = (await currentSettings(orm, clinicId))!.settings;
  const day = (at: string) => clinicDate(Temporal.Instant.from(at), settings.timeZone).toString();
  const episodes: EpisodeFacts[] = (await clinicEpisodes(orm, clinicId)).map((s) => {
    const induction = s.events.find((e) => e.type === 'induction_started');
    const discharge = s.events.findLast((e) => e.type === 'discharged');
    return {
      state: s.episode.state,
      referredOn: day(s.episode.referredAt),
      inductionOn: induction ? day(induction.at) : null,
      dischargedOn: discharge ? day(discharge.at) : null,
      dischargeReason: discharge && discharge.type === 'discharged' ? discharge.reason : null,
    };
  });
  // Counted in SQL from the per-dose summaries (dose_outcomes), never the doses' steps themselves.
  const doses = await aggregateDoseOutcomes(orm, clinicId, from, to);
  const toxicology = await clinicCareRecords<ToxicologyRecordData>(orm, clinicId, ['toxicology'], { from, to });
  const outcomes = await clinicCareRecords<OutcomeProfile>(orm, clinicId, ['outcome_profile'], { from, to });
  return {
    name: settings.name,
    input: { from, to, places: settings.places, threshold: settings.reporting.suppressionThreshold, monitoring: settings.monitoring, episodes, doses, toxicology, outcomes },
  };
}

async function clinicReport(ctx: AppContext, clinicId: string, q: Period) {
  const settings = (await currentSettings(ctx.db.orm, clinicId))!.settings;
  const { from, to } = periodOf(q, clinicDate(ctx.clock.now(), settings.timeZone));
  const { name, input } = await clinicInput(ctx.db.orm, clinicId, from, to);
  return { clinicId, name, report: buildReport(input) } satisfies NamedReport;
}

/** Each clinic where the caller may see reports (all for a deployment administrator), then all of them combined. */
async function acrossClinics(ctx: AppContext, staffId: string, deploymentAdmin: boolean, q: Period): Promise<NamedReport[]> {
  const mine = deploymentAdmin
    ? (await listClinics(ctx.db.orm)).map((c) => c.clinicId)
    : [...(await rolesByClinic(ctx.db.orm, staffId)).entries()].filter(([, roles]) => roles.some((r) => REPORT_ROLES.includes(r))).map(([id]) => id);
  const clinics = await listClinics(ctx.db.orm, mine);
  if (clinics.length === 0) return [];
  const { from, to } = periodOf(q, clinicDate(ctx.clock.now(), clinics[0]!.timeZone));
  // A few clinics at a time, so that a region's report never holds every clinic's reads in flight at once.
  const inputs: Awaited<ReturnType<typeof clinicInput>>[] = [];
  for (let i = 0; i < clinics.length; i += CLINICS_AT_A_TIME) {
    inputs.push(...(await Promise.all(clinics.slice(i, i + CLINICS_AT_A_TIME).map((c) => clinicInput(ctx.db.orm, c.clinicId, from, to)))));
  }
  const out: NamedReport[] = inputs.map((x, i) => ({ clinicId: clinics[i]!.clinicId, name: x.name, report: buildReport(x.input) }));
  if (inputs.length > 1) {
    // The strictest clinic's threshold protects everyone; street-heroin markers are each clinic's own in its own figures.
    const threshold = Math.max(...inputs.map((x) => x.input.threshold));
    const markers = [...new Set(inputs.flatMap((x) => x.input.monitoring.streetHeroinMarkers))];
    out.push({ clinicId: null, name: 'All clinics combined', report: buildReport(combineInputs(inputs.map((x) => x.input), { from, to, threshold, monitoring: { streetHeroinMarkers: markers } })) });
  }
  return out;
}

const csvHeaders = (name: string) => ({ 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="${name}"` });
const pdfHeaders = (name: string) => ({ 'content-type': 'application/pdf', 'content-disposition': `attachment; filename="${name}"`, 'cache-control': 'no-store' });

/** The PDF of reports, made now (the app clock) and dated in the time zone of the (first) clinic. */
async function pdfOf(ctx: AppContext, reports: readonly NamedReport[], title: string, scope: string): Promise<Buffer> {
  const first = reports.find((r) => r.clinicId !== null);
  const timeZone = first ? (await currentSettings(ctx.db.orm, first.clinicId!))!.settings.timeZone : 'UTC';
  return reportPdf(reports, { title, scope, generatedAt: ctx.clock.now(), timeZone });
}

/** The commissioners' dashboard: aggregates only, small numbers suppressed, as JSON, CSV, a PDF file and a printable page. */
export function registerReports(app: App, ctx: AppContext) {
  const clinicSchema = (summary: string, ok: z.ZodType) => ({
    schema: { summary, tags: ['reports'], params: ClinicParams, querystring: Period, response: { 200: ok, ...errors(400, 401, 403, 404) } },
  });
  const allSchema = (summary: string, ok: z.ZodType) => ({ schema: { summary, tags: ['reports'], querystring: Period, response: { 200: ok, ...errors(400, 401, 403) } } });

  app.get('/api/v1/clinics/:clinicId/reports', clinicSchema('The clinic\'s dashboard for commissioners (aggregates only, small numbers suppressed)', NamedReportOut), async (req) => {
    const clinicId = clinicIdOf(req);
    const r = await clinicReport(ctx, clinicId, req.query);
    await auditRead(ctx.db, ctx.clock, req.actor, { clinicId, entityType: 'report', details: { format: 'json', from: r.report.from, to: r.report.to } });
    return r;
  });
  app.get('/api/v1/clinics/:clinicId/reports.csv', clinicSchema('The clinic\'s dashboard as CSV (the same suppressed figures)', z.string().describe('text/csv')), async (req, reply) => {
    const clinicId = clinicIdOf(req);
    const r = await clinicReport(ctx, clinicId, req.query);
    await auditRead(ctx.db, ctx.clock, req.actor, { clinicId, entityType: 'report', details: { format: 'csv', from: r.report.from, to: r.report.to } });
    return reply.headers(csvHeaders(`report-${r.report.from}-${r.report.to}.csv`)).send(reportCsv([r]));
  });
  app.get('/api/v1/clinics/:clinicId/reports/print', clinicSchema('The clinic\'s dashboard as a printable page (print to PDF from the browser)', z.string().describe('text/html')), async (req, reply) => {
    const clinicId = clinicIdOf(req);
    const r = await clinicReport(ctx, clinicId, req.query);
    await auditRead(ctx.db, ctx.clock, req.actor, { clinicId, entityType: 'report', details: { format: 'html', from: r.report.from, to: r.report.to } });
    return reply.header('content-type', 'text/html; charset=utf-8').send(reportHtml(`Heroin-assisted treatment: ${r.name}`, [r]));
  });

  app.get('/api/v1/clinics/:clinicId/reports.pdf', clinicSchema('The clinic\'s dashboard as a PDF file (the same suppressed figures, with charts)', z.string().describe('application/pdf')), async (req, reply) => {
    const clinicId = clinicIdOf(req);
    const r = await clinicReport(ctx, clinicId, req.query);
    await auditRead(ctx.db, ctx.clock, req.actor, { clinicId, entityType: 'report', details: { format: 'pdf', from: r.report.from, to: r.report.to } });
    const pdf = await pdfOf(ctx, [r], `Heroin-assisted treatment: ${r.name}`, r.name);
    return reply.headers(pdfHeaders(`report-${r.report.from}-${r.report.to}.pdf`)).send(pdf);
  });

  const mine = async (req: { query: Period }) => {
    const { staff } = signedIn(req as never);
    return acrossClinics(ctx, staff.staffId, staff.deploymentAdmin, req.query);
  };
  app.get('/api/v1/reports', allSchema('Dashboards of every clinic where you are a commissioner or administrator, and all of them combined', z.object({ reports: z.array(NamedReportOut) })), async (req) => {
    const reports = await mine(req);
    await auditRead(ctx.db, ctx.clock, req.actor, { clinicId: null, entityType: 'report', details: { format: 'json', clinics: reports.map((r) => r.clinicId).filter(Boolean) } });
    return { reports };
  });
  app.get('/api/v1/reports.csv', allSchema('The dashboards across clinics as CSV', z.string().describe('text/csv')), async (req, reply) => {
    const reports = await mine(req);
    await auditRead(ctx.db, ctx.clock, req.actor, { clinicId: null, entityType: 'report', details: { format: 'csv', clinics: reports.map((r) => r.clinicId).filter(Boolean) } });
    return reply.headers(csvHeaders('reports.csv')).send(reportCsv(reports));
  });
  app.get('/api/v1/reports/print', allSchema('The dashboards across clinics as a printable page', z.string().describe('text/html')), async (req, reply) => {
    const reports = await mine(req);
    await auditRead(ctx.db, ctx.clock, req.actor, { clinicId: null, entityType: 'report', details: { format: 'html', clinics: reports.map((r) => r.clinicId).filter(Boolean) } });
    return reply.header('content-type', 'text/html; charset=utf-8').send(reportHtml('Heroin-assisted treatment: clinics', reports));
  });
  app.get('/api/v1/reports.pdf', allSchema('The dashboards across clinics as a PDF file', z.string().describe('application/pdf')), async (req, reply) => {
    const reports = await mine(req);
    await auditRead(ctx.db, ctx.clock, req.actor, { clinicId: null, entityType: 'report', details: { format: 'pdf', clinics: reports.map((r) => r.clinicId).filter(Boolean) } });
    const pdf = await pdfOf(ctx, reports, 'Heroin-assisted treatment: clinics', 'All clinics');
    return reply.headers(pdfHeaders('reports.pdf')).send(pdf);
  });
}
