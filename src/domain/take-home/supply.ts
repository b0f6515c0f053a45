import { Temporal } from 'temporal-polyfill';
import type { Decision, Refusal } from '../refusal';
import { refuse } from '../refusal';
import type { DosingLimits } from '../prescription/dosing-limits';
import { plannedDoseMg, type PrescriptionContent } from '../prescription/prescription';
import { mayBeDosedUnder, versionInForce } from '../prescription/versions';
import { sessionWindow } from '../time/clinic-time';
import { dayCount, daysFromTo, isCovered, type CoveredSession, type SessionTimes } from './cover';
import type { TakeHomeEvaluation } from './eligibility';
import type { SupplyRequest } from './records';
import type { TakeHomeSettings } from './take-home-settings';

/**
 * The rules for handing over take-home doses. Each is named; a request either passes all of them
 * or is refused with every rule it breaks, and then nothing is written:
 *
 * - take-home doses on at the clinic, and the person authorised now (every criterion met; the
 *   refusal names each failing one), never while locked to re-titration or away;
 * - never beyond the prescription: for every day and session covered, the version in force at
 *   that session is active and covers the day, prescribes that session and the route, has
 *   finished titrating, and the dose is no more than its dose for the route; and never above the
 *   clinic's single-dose and daily ceilings;
 * - no more days than the assessment allows, within the clinic's maximum; starting today or
 *   tomorrow; no session already over or already dosed at the clinic; no overlap with a supply;
 * - whole ampoules that make up exactly the dose, the same for every dose (nothing extra at home);
 * - enough sterile equipment for every dose and a sharps bin; safe storage checked; handed to
 *   the service user in person, with proof of identity asked for and shown.
 */

/** A supply starts today or tomorrow: doses are not handed over days before they are needed. */
export const LATEST_START_DAYS = 1;

/** Sterile equipment needed per dose (needle, syringe, water for injection), and one sharps bin per supply. */
export const EQUIPMENT_PER_DOSE = ['needles', 'syringes', 'water_ampoules'] as const;

export interface PrescriptionVersionTiming {
  version: number;
  signedAt: Temporal.Instant;
  effectiveFrom: Temporal.Instant;
  content: PrescriptionContent;
}

export interface SupplyContext {
  now: Temporal.Instant;
  today: string;
  timeZone: string;
  sessions: readonly SessionTimes[];
  settings: TakeHomeSettings;
  limits: DosingLimits;
  evaluation: Pick<TakeHomeEvaluation, 'enabledAtClinic' | 'authorised' | 'maxDaysPerSupply' | 'suspendedBecause' | 'latestAssessment'>;
  /** Every version of the person's prescription (future-dated ones too). */
  prescriptions: readonly PrescriptionVersionTiming[];
  /** Sessions already covered by the person's other supplies. */
  covered: readonly CoveredSession[];
  /** Today's sessions in which the person already had a dose at the clinic (any step recorded). */
  dosedAtClinicToday: readonly string[];
  /** The strength of each register page named, by item id. */
  strengths: ReadonlyMap<string, number>;
}

export interface SupplyPlan {
  days: number;
  doses: number;
  totalMg: number;
  ampoules: { itemId: string; strengthMg: number; perDose: number; count: number }[];
  /** The version in force at the first session covered (every covered session was checked). */
  prescriptionVersion: number;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** "2026-04-06 AM, 2026-04-06 PM and 3 more". */
function sessionsWords(list: readonly { date: string; session: string }[], max = 3): string {
  const shown = list.slice(0, max).map((x) => `${x.date} ${x.session}`).join(', ');
  return list.length > max ? `${shown} and ${list.length - max} more` : shown;
}

export function checkSupply(req: SupplyRequest, ctx: SupplyContext): Decision<SupplyPlan> {
  const refusals: Refusal[] = [];
  const ev = ctx.evaluation;

  // Authorisation now.
  if (!ev.enabledAtClinic) refusals.push(refuse('take_home_not_enabled', 'Take-home doses are not switched on at this clinic'));
  if (!ev.authorised) {
    for (const r of ev.suspendedBecause) if (r.code !== 'take_home_not_enabled') refusals.push(refuse(r.code, r.message));
    if (refusals.length === 0) refusals.push(refuse('not_authorised', 'Not authorised for take-home doses now'));
  }

  // Dates.
  const days = dayCount(req.fromDate, req.toDate);
  const latestStart = Temporal.PlainDate.from(ctx.today).add({ days: LATEST_START_DAYS }).toString();
  if (req.fromDate < ctx.today) refusals.push(refuse('supply_starts_in_past', `A supply cannot start before today (${ctx.today})`, 'fromDate'));
  if (req.fromDate > latestStart) refusals.push(refuse('supply_starts_too_late', `A supply starts today or tomorrow (${latestStart} at the latest), not ${req.fromDate}`, 'fromDate'));
  if (days > ctx.settings.maxDaysPerSupply) {
    refusals.push(refuse('more_days_than_clinic_allows', `${plural(days, 'day')} asked for; this clinic allows at most ${plural(ctx.settings.maxDaysPerSupply, 'day')} in one supply`, 'toDate'));
  }
  const assessed = ev.latestAssessment?.data.maxDaysPerSupply ?? null;
  if (assessed !== null && days > assessed) {
    refusals.push(refuse('more_days_than_assessment_allows', `${plural(days, 'day')} asked for; the stability assessment (${ev.latestAssessment!.effectiveDate}) allows at most ${plural(assessed, 'day')}`, 'toDate'));
  }

  // Every day and session against the prescription in force at that session.
  const dates = daysFromTo(req.fromDate, req.toDate);
  const doses = dates.length * req.sessions.length;
  const problems = new Map<string, { message: (list: string) => string; field: string; at: { date: string; session: string }[] }>();
  const problem = (rule: string, field: string, message: (list: string) => string, date: string, session: string) => {
    const p = problems.get(rule) ?? { message, field, at: [] };
    p.at.push({ date, session });
    problems.set(rule, p);
  };
  let firstVersion: number | null = null;
  const clinicSessions = new Map(ctx.sessions.map((s) => [s.code, s]));
  for (const date of dates) {
    for (const session of req.sessions) {
      const def = clinicSessions.get(session);
      if (!def) {
        problem('unknown_session', 'sessions', (l) => `This clinic has no such session: ${l}`, date, session);
        continue;
      }
      const window = sessionWindow(Temporal.PlainDate.from(date), def, ctx.timeZone);
      const inForce = versionInForce(ctx.prescriptions, window.opens);
      firstVersion ??= inForce?.version ?? null;
      const content = inForce?.content ?? null;
      const dosable = mayBeDosedUnder(content, date);
      if (!content || !dosable.ok) {
        problem('prescription_not_in_force', 'toDate', (l) => `No active prescription in force for ${l}${dosable.ok ? '' : ` (${dosable.refusals[0]!.message})`}`, date, session);
        continue;
      }
      const order = content.diamorphine;
      if (!order.sessions.includes(session)) {
        problem('session_not_prescribed', 'sessions', (l) => `The prescription has no dose in ${l} (it prescribes ${order.sessions.join(', ')})`, date, session);
        continue;
      }
      const prescribed = req.route === 'iv' ? order.ivDoseMg : order.imDoseMg;
      const planned = plannedDoseMg(order, req.route, date);
      if (prescribed === null || planned === null) {
        problem('route_not_prescribed', 'route', (l) => `No ${req.route.toUpperCase()} dose is prescribed for ${l}`, date, session);
        continue;
      }
      if (planned < prescribed) {
        problem('titration_in_progress', 'fromDate', (l) => `The prescription is still titrating (${planned} mg towards ${prescribed} mg) on ${l}: no take-home doses until titration is finished`, date, session);
        continue;
      }
      if (req.dosePerSessionMg > planned) {
        problem('dose_above_prescription', 'dosePerSessionMg', (l) => `${req.dosePerSessionMg} mg a dose is more than the prescribed ${req.route.toUpperCase()} dose of ${planned} mg for ${l}`, date, session);
      }
      if (isCovered(ctx.covered, date, session)) {
        problem('overlaps_earlier_supply', 'fromDate', (l) => `Already covered by an earlier take-home supply: ${l}`, date, session);
      }
      if (date === ctx.today) {
        if (Temporal.Instant.compare(ctx.now, window.closes) > 0) problem('session_already_over', 'fromDate', (l) => `Session already over: ${l}`, date, session);
        if (ctx.dosedAtClinicToday.includes(session)) problem('session_already_dosed_at_clinic', 'sessions', (l) => `Already dosed at the clinic: ${l}`, date, session);
      }
    }
  }
  for (const [rule, p] of problems) refusals.push(refuse(rule, p.message(sessionsWords(p.at)), p.field));

  // The clinic's ceilings, whatever the prescription says.
  if (req.dosePerSessionMg > ctx.limits.maxSingleDoseMg) {
    refusals.push(refuse('above_single_dose_ceiling', `${req.dosePerSessionMg} mg a dose is above the clinic's single-dose ceiling of ${ctx.limits.maxSingleDoseMg} mg`, 'dosePerSessionMg'));
  }
  if (req.dosePerSessionMg * req.sessions.length > ctx.limits.maxDailyDoseMg) {
    refusals.push(refuse('above_daily_ceiling', `${req.sessions.length} × ${req.dosePerSessionMg} mg a day is above the clinic's daily ceiling of ${ctx.limits.maxDailyDoseMg} mg`, 'dosePerSessionMg'));
  }

  // Ampoules: whole ampoules, the same for every dose, making up exactly the dose.
  const ampoules: SupplyPlan['ampoules'] = [];
  let mgPerDose = 0;
  let whole = true;
  req.ampoules.forEach((a, i) => {
    const strengthMg = ctx.strengths.get(a.itemId);
    if (strengthMg === undefined) {
      refusals.push(refuse('unknown_register_page', 'Not a diamorphine register page at this clinic', `ampoules[${i}].itemId`));
      whole = false;
      return;
    }
    if (a.count % doses !== 0) {
      refusals.push(
        refuse('ampoules_not_whole_doses', `${plural(a.count, `${strengthMg} mg ampoule`)} do not divide into ${plural(doses, 'dose')} (${dates.length} days × ${req.sessions.length} sessions): every dose must have the same whole ampoules`, `ampoules[${i}].count`),
      );
      whole = false;
      return;
    }
    const perDose = a.count / doses;
    mgPerDose += perDose * strengthMg;
    ampoules.push({ itemId: a.itemId, strengthMg, perDose, count: a.count });
  });
  if (whole && mgPerDose !== req.dosePerSessionMg) {
    refusals.push(
      refuse(
        'ampoules_do_not_match_dose',
        `The ampoules make ${mgPerDose} mg a dose (${ampoules.map((a) => `${a.perDose} × ${a.strengthMg} mg`).join(' + ')}), not the ${req.dosePerSessionMg} mg dose: take-home doses are whole ampoules that make up exactly the dose, nothing left over at home`,
        'ampoules',
      ),
    );
  }

  // Equipment for every dose.
  const given = (item: string) => req.equipment.filter((e) => e.item === item).reduce((n, e) => n + e.quantity, 0);
  const short = EQUIPMENT_PER_DOSE.filter((item) => given(item) < doses).map((item) => `${item.replace(/_/g, ' ')} ${given(item)} of ${doses}`);
  if (given('sharps_bin') < 1) short.push('a sharps bin');
  if (short.length) refusals.push(refuse('equipment_insufficient', `Not enough injecting equipment for ${plural(doses, 'dose')}: ${short.join(', ')}`, 'equipment'));

  // Handing over.
  if (!req.safeStorageConfirmed) refusals.push(refuse('safe_storage_not_confirmed', 'Check the lockable box and the safe-storage advice with the person before handing doses over', 'safeStorageConfirmed'));
  if (req.collectedBy !== 'service_user') {
    refusals.push(refuse('collection_by_representative', 'Take-home diamorphine is handed only to the service user in person, never to a representative', 'collectedBy'));
  }
  if (!req.idRequested || !req.idShown) {
    refusals.push(refuse('identity_not_confirmed', 'Ask for proof of identity and check it against the photo on the record before handing doses over', req.idRequested ? 'idShown' : 'idRequested'));
  }

  if (refusals.length) return { ok: false, refusals };
  return { ok: true, value: { days, doses, totalMg: doses * req.dosePerSessionMg, ampoules, prescriptionVersion: firstVersion! } };
}
