import { Temporal } from 'temporal-polyfill';
import type { Decision, Refusal } from '../refusal';
import { refuse } from '../refusal';
import type { DosingLimits } from '../prescription/dosing-limits';
import { plannedDoseMg, type PrescriptionContent, type Route } from '../prescription/prescription';
import { mayBeDosedUnder } from '../prescription/versions';
import { formatClinicTime } from '../time/clinic-time';
import type { AssessmentOutcome } from './assessment';
import { wasGiven, type DoseHistoryItem } from './dose-history';

/**
 * The rules every dose and top-up must pass, whichever screen or route asks (issue 5 rules 1–4, 6):
 * what the prescription allows for this session (or the re-titration dose when locked), the
 * clinic's single-dose and rolling 24-hour ceilings, the prescription's total for the clinic day,
 * the minimum interval in real elapsed time, one dose per session, the session window, and an
 * assessment that allows it (and came after any refusal this session).
 */
export interface DoseContext {
  now: Temporal.Instant;
  timeZone: string;
  clinicDate: string;
  session: { code: string; opens: Temporal.Instant; closes: Temporal.Instant };
  /** A prescriber's recorded permission to dose this person outside the session window, if any. */
  windowOverrideUntil: Temporal.Instant | null;
  prescription: PrescriptionContent | null;
  /** Refusals from the episode (not in treatment, away, review needed after an absence). */
  episodeRefusals: Refusal[];
  limits: DosingLimits;
  minimumIntervalMinutes: number;
  history: readonly DoseHistoryItem[];
  retitrationLocked: boolean;
  /** The latest assessment in this session, and when the session's last refusal was recorded. */
  assessment: { outcome: AssessmentOutcome; fraction: number; at: Temporal.Instant } | null;
  lastRefusalAt: Temporal.Instant | null;
}

export interface DoseRequest {
  kind: 'dose' | 'top_up';
  route: Route;
  mg: number;
}

export interface DoseAllowance {
  /** The most that may be given now, by this route. */
  maxMg: number;
  /** Where the most comes from, for the screen. */
  basis: string;
}

const hhmm = (i: Temporal.Instant, tz: string) => formatClinicTime(i, tz);

export function checkDose(req: DoseRequest, ctx: DoseContext): Decision<DoseAllowance> {
  const refusals: Refusal[] = [...ctx.episodeRefusals];
  const p = ctx.prescription;
  const prescribed = mayBeDosedUnder(p, ctx.clinicDate);
  if (!prescribed.ok) refusals.push(...prescribed.refusals);
  if (refusals.length > 0 || !p) return { ok: false, refusals };
  const order = p.diamorphine;
  const thisSession = ctx.history.filter((h) => h.clinicDate === ctx.clinicDate && h.session === ctx.session.code);
  const sessionDose = thisSession.find((h) => h.kind === 'dose' && (wasGiven(h) || h.status === 'prepared_not_given'));

  if (!order.sessions.includes(ctx.session.code)) {
    refusals.push(refuse('session_not_prescribed', `The prescription has no dose in session ${ctx.session.code} (it has ${order.sessions.join(', ')})`));
  }
  const inWindow = Temporal.Instant.compare(ctx.now, ctx.session.opens) >= 0 && Temporal.Instant.compare(ctx.now, ctx.session.closes) <= 0;
  const overridden = ctx.windowOverrideUntil !== null && Temporal.Instant.compare(ctx.now, ctx.windowOverrideUntil) <= 0;
  if (!inWindow && !overridden) {
    refusals.push(
      refuse('outside_session_window', `Session ${ctx.session.code} runs ${hhmm(ctx.session.opens, ctx.timeZone)}–${hhmm(ctx.session.closes, ctx.timeZone)}; it is ${hhmm(ctx.now, ctx.timeZone)}. Only a prescriber's recorded exception allows a dose outside it.`),
    );
  }

  // The assessment must allow a dose, and come after any refusal this session (rule 4).
  const a = ctx.assessment;
  if (!a) refusals.push(refuse('assessment_required', 'Assess them before this dose'));
  else if (ctx.lastRefusalAt && Temporal.Instant.compare(a.at, ctx.lastRefusalAt) <= 0) {
    refusals.push(refuse('reassessment_after_refusal', 'A dose was refused this session: assess them again first'));
  } else if (a.outcome === 'refuse' || a.outcome === 'emergency' || a.outcome === 'rescore') {
    refusals.push(refuse('assessment_refused', `The assessment's decision was "${a.outcome.replace('_', ' ')}": no dose`));
  } else if (req.kind === 'top_up' && sessionDose && Temporal.Instant.compare(a.at, sessionDose.at) <= 0) {
    refusals.push(refuse('top_up_reassessment_required', 'Score sedation again before a top-up'));
  }

  let planned: number;
  let basis: string;
  if (req.kind === 'dose') {
    if (sessionDose) refusals.push(refuse('one_dose_per_session', `A dose was already ${sessionDose.status.replace(/_/g, ' ')} in session ${ctx.session.code} today at ${hhmm(sessionDose.at, ctx.timeZone)}`));
    const last = [...ctx.history].filter(wasGiven).sort((x, y) => y.at.epochMilliseconds - x.at.epochMilliseconds)[0];
    if (last) {
      const next = last.at.add({ minutes: ctx.minimumIntervalMinutes });
      if (Temporal.Instant.compare(ctx.now, next) < 0) {
        const h = Math.floor(ctx.minimumIntervalMinutes / 60);
        const m = ctx.minimumIntervalMinutes % 60;
        refusals.push(
          refuse('minimum_interval', `Minimum interval ${h} h${m ? ` ${m} min` : ''}: last dose ${hhmm(last.at, ctx.timeZone)}, next possible ${hhmm(next, ctx.timeZone)}`),
        );
      }
    }
    const fromPlan = plannedDoseMg(order, req.route, ctx.clinicDate);
    if (fromPlan === null) {
      refusals.push(refuse('route_not_prescribed', `No ${req.route.toUpperCase()} dose is prescribed`));
      return { ok: false, refusals };
    }
    planned = fromPlan;
    basis = `prescribed ${req.route.toUpperCase()} dose ${fromPlan} mg`;
    if (ctx.retitrationLocked && order.retitrationStartDoseMg < planned) {
      planned = order.retitrationStartDoseMg;
      basis = `re-titration dose ${planned} mg (doses were missed; a prescriber must record the re-titration plan)`;
    }
  } else {
    if (!order.topUp) {
      refusals.push(refuse('top_up_not_prescribed', 'The prescription has no top-up'));
      return { ok: false, refusals };
    }
    if (!sessionDose || !wasGiven(sessionDose)) refusals.push(refuse('top_up_without_dose', 'A top-up follows a dose given this session'));
    else {
      const earliest = sessionDose.at.add({ minutes: order.topUp.minWaitMinutes });
      if (Temporal.Instant.compare(ctx.now, earliest) < 0) {
        refusals.push(refuse('top_up_too_soon', `A top-up needs ${order.topUp.minWaitMinutes} minutes of observation after the dose: dose at ${hhmm(sessionDose.at, ctx.timeZone)}, top-up from ${hhmm(earliest, ctx.timeZone)}`));
      }
    }
    if (thisSession.some((h) => h.kind === 'top_up' && wasGiven(h))) refusals.push(refuse('one_top_up_per_session', 'A top-up was already given this session'));
    if (ctx.retitrationLocked) refusals.push(refuse('retitration_locked', 'No top-ups while locked to re-titration after missed doses'));
    planned = order.topUp.maxMg;
    basis = `prescribed top-up of up to ${planned} mg`;
  }

  if (a && a.outcome === 'give_reduced') {
    planned = Math.floor(planned * a.fraction);
    basis += `, reduced to ${Math.round(a.fraction * 100)} % by the assessment: ${planned} mg`;
  }

  // Clinic ceilings: one session (dose and top-up together), any rolling 24 h, and the prescription's day.
  const sessionGiven = thisSession.filter(wasGiven).reduce((t, h) => t + h.givenMg, 0);
  const singleRoom = ctx.limits.maxSingleDoseMg - sessionGiven;
  const dayAgo = ctx.now.subtract({ hours: 24 });
  const last24 = ctx.history.filter((h) => wasGiven(h) && Temporal.Instant.compare(h.at, dayAgo) > 0).reduce((t, h) => t + h.givenMg, 0);
  const dailyRoom = ctx.limits.maxDailyDoseMg - last24;
  // The prescription's day: each session's planned dose (largest route) plus its top-up, per clinic day.
  const sessionMost = Math.max(plannedDoseMg(order, 'iv', ctx.clinicDate) ?? 0, plannedDoseMg(order, 'im', ctx.clinicDate) ?? 0);
  const prescriptionDay = order.sessions.length * (sessionMost + (order.topUp?.maxMg ?? 0));
  const today = ctx.history.filter((h) => wasGiven(h) && h.clinicDate === ctx.clinicDate).reduce((t, h) => t + h.givenMg, 0);
  const dayRoom = prescriptionDay - today;

  const maxMg = Math.max(0, Math.min(planned, singleRoom, dailyRoom, dayRoom));
  if (!(req.mg > 0) || !Number.isFinite(req.mg)) refusals.push(refuse('dose_not_positive', 'The dose must be more than 0 mg', 'mg'));
  else if (req.mg > maxMg) {
    const limiting =
      maxMg === planned
        ? refuse(a?.outcome === 'give_reduced' ? 'above_reduced_dose' : ctx.retitrationLocked && req.kind === 'dose' ? 'retitration_locked' : 'above_prescribed_dose', `${req.mg} mg is more than the ${basis}`, 'mg')
        : maxMg === singleRoom
          ? refuse('max_single_dose', `${req.mg} mg would make ${sessionGiven + req.mg} mg this session, above the clinic's maximum single dose of ${ctx.limits.maxSingleDoseMg} mg`, 'mg')
          : maxMg === dailyRoom
            ? refuse('max_rolling_24h', `${last24} mg given in the last 24 hours; ${req.mg} mg more would exceed the clinic's maximum of ${ctx.limits.maxDailyDoseMg} mg in any 24 hours (at most ${Math.max(0, dailyRoom)} mg now)`, 'mg')
            : refuse('prescription_daily_total', `${today} mg given today; ${req.mg} mg more would exceed the prescription's total for the day (at most ${Math.max(0, dayRoom)} mg now)`, 'mg');
    refusals.push(limiting);
  }
  return refusals.length === 0 ? { ok: true, value: { maxMg, basis } } : { ok: false, refusals };
}

/** Rule 7: a witness is always someone other than the person administering. */
export function witnessRefusals(witnessId: string | null, administeredBy: string): Refusal[] {
  if (!witnessId) return [refuse('witness_required', 'A second member of staff must witness the dose', 'witness')];
  if (witnessId === administeredBy) return [refuse('witness_is_administrator', 'The witness must be someone other than the person administering', 'witness')];
  return [];
}
