import { Temporal } from 'temporal-polyfill';
import type { Decision, Refusal } from '../refusal';
import { refuse } from '../refusal';
import type { DosingLimits } from './dosing-limits';
import type { DiamorphineOrder, PrescriptionContent, Route } from './prescription';
import { largestSessionDoseMg, ROUTES } from './prescription';
import { diamorphineLicenceRefusals, type PrescriberStanding } from './prescriber-licence';

/**
 * The rules a new prescription version must pass before anyone can sign it. They protect lives,
 * so they live here, pure, and every route to a prescription goes through them.
 *
 * - Suspending, cancelling or ending is always allowed when there is something to stop: stopping
 *   treatment is never less safe, so it needs no licence and passes no dose check.
 * - A version that prescribes (status `active`) must be signed by a licensed prescriber and keep
 *   every clinic ceiling: single dose (with any top-up), daily total, first dose for someone
 *   starting or re-titrating, and the largest rise per dose and per day.
 */
export interface PrescriptionContext {
  limits: DosingLimits;
  /** The clinic's dosing session codes. */
  clinicSessions: readonly string[];
  /** The version in force when the new one would take effect, if any. */
  previous: PrescriptionContent | null;
  /** The diamorphine order of the last version that prescribed (status active), even if a
   * suspension came after it: rises are measured from it, so suspending and restarting cannot
   * skip the rise limits. */
  lastPrescribed: DiamorphineOrder | null;
  /** Never dosed here, or must be re-titrated (after missed doses or an absence). */
  startingFresh: boolean;
  prescriber: PrescriberStanding;
  /** The clinic date on which the version is signed (YYYY-MM-DD). */
  today: string;
}

export function checkPrescriptionVersion(content: PrescriptionContent, ctx: PrescriptionContext): Decision<PrescriptionContent> {
  const refusals =
    content.status === 'active' ? prescribingRefusals(content, ctx) : stoppingRefusals(content.status, ctx.previous);
  return refusals.length === 0 ? { ok: true, value: content } : { ok: false, refusals };
}

function stoppingRefusals(status: PrescriptionContent['status'], previous: PrescriptionContent | null): Refusal[] {
  if (!previous) return [refuse('nothing_to_stop', `There is no prescription to mark ${status}`)];
  if (previous.status === 'cancelled' || previous.status === 'ended') {
    return [refuse('already_stopped', `The prescription is already ${previous.status}`)];
  }
  if (status === 'suspended' && previous.status === 'suspended') {
    return [refuse('already_suspended', 'The prescription is already suspended')];
  }
  return [];
}

function prescribingRefusals(content: PrescriptionContent, ctx: PrescriptionContext): Refusal[] {
  const refusals: Refusal[] = [...diamorphineLicenceRefusals(ctx.prescriber, ctx.today)];
  const { limits } = ctx;
  const order = content.diamorphine;

  refusals.push(...dateRefusals(content, ctx.today));
  refusals.push(...sessionRefusals(order, ctx.clinicSessions));

  if (order.ivDoseMg === null && order.imDoseMg === null) {
    refusals.push(refuse('route_required', 'Prescribe a dose for at least one route (IV or IM)', 'diamorphine.ivDoseMg'));
  }
  for (const route of ROUTES) {
    const dose = routeDose(order, route);
    if (dose === null) continue;
    const field = `diamorphine.${route}DoseMg`;
    if (!(dose > 0)) refusals.push(refuse('dose_not_positive', `The ${route.toUpperCase()} dose must be more than 0 mg`, field));
    if (dose > limits.maxSingleDoseMg) {
      refusals.push(
        refuse('max_single_dose', `The ${route.toUpperCase()} dose of ${dose} mg is above the clinic's maximum single dose of ${limits.maxSingleDoseMg} mg`, field),
      );
    } else if (order.topUp && dose + order.topUp.maxMg > limits.maxSingleDoseMg) {
      refusals.push(
        refuse(
          'max_single_dose',
          `The ${route.toUpperCase()} dose of ${dose} mg plus a top-up of up to ${order.topUp.maxMg} mg could reach ${dose + order.topUp.maxMg} mg in one session, above the clinic's maximum single dose of ${limits.maxSingleDoseMg} mg`,
          'diamorphine.topUp.maxMg',
        ),
      );
    }
  }

  const sessionsPerDay = new Set(order.sessions).size;
  const largest = Math.max(order.ivDoseMg ?? 0, order.imDoseMg ?? 0);
  const dailyMost = sessionsPerDay * (largest + (order.topUp?.maxMg ?? 0));
  if (dailyMost > limits.maxDailyDoseMg) {
    refusals.push(
      refuse(
        'max_daily_dose',
        `${sessionsPerDay} session${sessionsPerDay === 1 ? '' : 's'} of up to ${largest + (order.topUp?.maxMg ?? 0)} mg${order.topUp ? ' (with top-up)' : ''} could reach ${dailyMost} mg in 24 hours, above the clinic's maximum of ${limits.maxDailyDoseMg} mg`,
        'diamorphine.sessions',
      ),
    );
  }

  if (order.topUp) {
    if (order.topUp.maxMg > limits.topUpMaxMg) {
      refusals.push(refuse('top_up_too_large', `A top-up of ${order.topUp.maxMg} mg is above the clinic's limit of ${limits.topUpMaxMg} mg`, 'diamorphine.topUp.maxMg'));
    }
    if (order.topUp.minWaitMinutes < limits.topUpMinWaitMinutes) {
      refusals.push(
        refuse(
          'top_up_wait_too_short',
          `A top-up needs at least ${limits.topUpMinWaitMinutes} minutes of observation after the dose (asked: ${order.topUp.minWaitMinutes})`,
          'diamorphine.topUp.minWaitMinutes',
        ),
      );
    }
  }

  if (!(order.retitrationStartDoseMg > 0) || order.retitrationStartDoseMg > limits.firstDoseMg) {
    refusals.push(
      refuse(
        'retitration_start_dose',
        `The re-titration start dose must be more than 0 and at most the first-dose limit of ${limits.firstDoseMg} mg (asked: ${order.retitrationStartDoseMg} mg)`,
        'diamorphine.retitrationStartDoseMg',
      ),
    );
  }

  refusals.push(...titrationRefusals(order, ctx));

  if (content.methadone) {
    const m = content.methadone;
    if (!(m.dailyDoseMg > 0) || m.dailyDoseMg > limits.maxMethadoneDailyMg) {
      refusals.push(
        refuse('max_methadone_dose', `${m.drug} ${m.dailyDoseMg} mg a day must be more than 0 and at most the clinic's limit of ${limits.maxMethadoneDailyMg} mg`, 'methadone.dailyDoseMg'),
      );
    }
    if (m.pharmacy.trim() === '') refusals.push(refuse('pharmacy_required', 'Name the community pharmacy that dispenses it', 'methadone.pharmacy'));
  }
  return refusals;
}

function routeDose(order: DiamorphineOrder, route: Route): number | null {
  return route === 'iv' ? order.ivDoseMg : order.imDoseMg;
}

function dateRefusals(content: PrescriptionContent, today: string): Refusal[] {
  const refusals: Refusal[] = [];
  if (content.endDate !== null && content.endDate < content.startDate) {
    refusals.push(refuse('dates_out_of_order', `The end date ${content.endDate} is before the start date ${content.startDate}`, 'endDate'));
  }
  if (content.endDate !== null && content.endDate < today) {
    refusals.push(refuse('dates_out_of_order', `The end date ${content.endDate} has already passed`, 'endDate'));
  }
  if (content.reviewDate < today) {
    refusals.push(refuse('review_date_past', `The review date ${content.reviewDate} has already passed`, 'reviewDate'));
  }
  if (content.reviewDate < content.startDate) {
    refusals.push(refuse('dates_out_of_order', `The review date ${content.reviewDate} is before the start date ${content.startDate}`, 'reviewDate'));
  }
  return refusals;
}

function sessionRefusals(order: DiamorphineOrder, clinicSessions: readonly string[]): Refusal[] {
  const refusals: Refusal[] = [];
  if (order.sessions.length === 0) refusals.push(refuse('sessions_required', 'Choose at least one session a day', 'diamorphine.sessions'));
  if (new Set(order.sessions).size !== order.sessions.length) {
    refusals.push(refuse('sessions_repeated', 'A session is listed twice', 'diamorphine.sessions'));
  }
  const unknown = order.sessions.filter((s) => !clinicSessions.includes(s));
  if (unknown.length > 0) {
    refusals.push(
      refuse('unknown_session', `This clinic has no session ${unknown.join(', ')} (it has ${clinicSessions.join(', ')})`, 'diamorphine.sessions'),
    );
  }
  return refusals;
}

/**
 * The doses a route will see, in order: the previous version's dose (unless starting fresh), then
 * the titration plan's doses, capped at the prescribed dose. Every rise between neighbours must
 * keep the clinic's rise limits; the first dose of someone starting fresh must keep the first-dose limit.
 */
function titrationRefusals(order: DiamorphineOrder, ctx: PrescriptionContext): Refusal[] {
  const refusals: Refusal[] = [];
  const { limits } = ctx;
  const t = order.titration;
  if (t) {
    if (!(t.startDoseMg > 0)) refusals.push(refuse('dose_not_positive', 'The titration start dose must be more than 0 mg', 'diamorphine.titration.startDoseMg'));
    t.steps.forEach((step, i) => {
      if (!(step.doseMg > 0)) refusals.push(refuse('dose_not_positive', 'A titration step must be more than 0 mg', `diamorphine.titration.steps[${i}].doseMg`));
      const before = t.steps[i - 1];
      if (before && Temporal.PlainDate.compare(step.fromDate, before.fromDate) <= 0) {
        refusals.push(refuse('titration_steps_out_of_order', 'Titration steps must be in date order, one a day at most', `diamorphine.titration.steps[${i}].fromDate`));
      }
    });
  }
  const sessionsNow = new Set(order.sessions).size;
  const previousOrder = ctx.lastPrescribed;
  const sessionsBefore = previousOrder ? new Set(previousOrder.sessions).size : 0;
  // Someone never prescribed for cannot be anything but starting fresh.
  const fresh = ctx.startingFresh || previousOrder === null;

  for (const route of ROUTES) {
    const prescribed = routeDose(order, route);
    if (prescribed === null || !(prescribed > 0)) continue;
    const planned = t ? [t.startDoseMg, ...t.steps.map((s) => s.doseMg)].map((d) => Math.min(d, prescribed)) : [prescribed];
    const label = route.toUpperCase();
    let dailyFromPrevious: Refusal | null = null;

    if (fresh) {
      if (planned[0]! > limits.firstDoseMg) {
        refusals.push(
          refuse(
            'first_dose_limit',
            `Someone starting or re-titrating may have at most ${limits.firstDoseMg} mg as a first dose; this ${label} prescription starts at ${planned[0]} mg. Add a titration plan that starts at ${limits.firstDoseMg} mg or less.`,
            t ? 'diamorphine.titration.startDoseMg' : `diamorphine.${route}DoseMg`,
          ),
        );
      }
    } else {
      // A route newly added is measured against the largest dose the person had by any route.
      const before = previousOrder ? (routeDose(previousOrder, route) ?? largestSessionDoseMg(previousOrder)) : null;
      if (before !== null) {
        planned.unshift(before);
        const dailyRise = sessionsNow * planned[1]! - sessionsBefore * before;
        if (dailyRise > limits.maxRisePerDayMg) {
          // Reported after the per-dose rise below, which is the plainer reason when both apply.
          dailyFromPrevious = refuse(
            'max_rise_per_day',
            `${label}: the daily total would rise from ${sessionsBefore * before} mg to ${sessionsNow * planned[1]!} mg, more than the clinic's limit of ${limits.maxRisePerDayMg} mg a day`,
            `diamorphine.${route}DoseMg`,
          );
        }
      }
    }
    for (let i = 1; i < planned.length; i++) {
      const rise = planned[i]! - planned[i - 1]!;
      if (rise > limits.maxRisePerDoseMg) {
        refusals.push(
          refuse(
            'max_rise_per_dose',
            `${label}: the dose would rise from ${planned[i - 1]} mg to ${planned[i]} mg, more than the clinic's limit of ${limits.maxRisePerDoseMg} mg at a time`,
            t ? 'diamorphine.titration.steps' : `diamorphine.${route}DoseMg`,
          ),
        );
        break;
      }
      // Skip the previous-version step, already checked against the daily rise above.
      if (i >= 2 || (i === 1 && fresh)) {
        if (sessionsNow * rise > limits.maxRisePerDayMg) {
          refusals.push(
            refuse(
              'max_rise_per_day',
              `${label}: ${sessionsNow} sessions rising by ${rise} mg raise the daily total by ${sessionsNow * rise} mg, more than the clinic's limit of ${limits.maxRisePerDayMg} mg a day`,
              t ? 'diamorphine.titration.steps' : `diamorphine.${route}DoseMg`,
            ),
          );
          break;
        }
      }
    }
    if (dailyFromPrevious) refusals.push(dailyFromPrevious);
  }
  return refusals;
}
