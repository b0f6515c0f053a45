import { Temporal } from 'temporal-polyfill';
import type { Refusal } from '../refusal';
import { refuse } from '../refusal';
import type { Role } from '../staff/roles';
import type { Route } from '../prescription/prescription';
import type { DosingSettings } from './dosing-settings';
import type { SedationScore } from './assessment';

/**
 * A dosing session: who is on duty, the emergency kit checked, the doses and their observation,
 * and closing, after which anyone expected who did not come has missed their dose.
 */
export const EMERGENCY_ITEMS = ['naloxone', 'oxygen', 'bag_valve_mask', 'suction', 'defibrillator'] as const;
export type EmergencyItem = (typeof EMERGENCY_ITEMS)[number];

export interface SessionOpening {
  staffOnDuty: { staffId: string; roles: readonly Role[] }[];
  cdKeyHolderId: string;
  checklist: { item: EmergencyItem; present: boolean; expiresOn: string | null }[];
}

export function openingRefusals(o: SessionOpening, today: string): Refusal[] {
  const refusals: Refusal[] = [];
  const ids = new Set(o.staffOnDuty.map((s) => s.staffId));
  if (!o.staffOnDuty.some((s) => s.roles.includes('nurse'))) refusals.push(refuse('nurse_required', 'A nurse must be on duty to dose', 'staffOnDuty'));
  if (ids.size < 2) refusals.push(refuse('second_staff_required', 'A second member of staff must be on duty: every dose is watched by two', 'staffOnDuty'));
  if (!ids.has(o.cdKeyHolderId)) refusals.push(refuse('cd_key_holder_required', 'Name the controlled-drug key holder from the staff on duty', 'cdKeyHolderId'));
  for (const item of EMERGENCY_ITEMS) {
    const c = o.checklist.find((x) => x.item === item);
    if (!c || !c.present) {
      refusals.push(refuse('emergency_item_missing', `${item.replace(/_/g, ' ')} must be present and checked before dosing`, 'checklist'));
    } else if (c.expiresOn !== null && c.expiresOn < today) {
      refusals.push(refuse('emergency_item_expired', `${item.replace(/_/g, ' ')} expired on ${c.expiresOn}: replace it before dosing`, 'checklist'));
    }
  }
  if (!o.checklist.find((x) => x.item === 'naloxone')?.expiresOn) {
    refusals.push(refuse('naloxone_expiry_required', 'Record the naloxone expiry date', 'checklist'));
  }
  return refusals;
}

export type DoseStage = 'assessed' | 'prepared' | 'given' | 'in_observation' | 'discharged' | 'refused' | 'withheld' | 'missed' | 'prepared_not_given';

/** A session may close only when nobody is still being watched and every prepared dose has an outcome. */
export function closingRefusals(doses: { name: string; stage: DoseStage }[]): Refusal[] {
  const refusals: Refusal[] = [];
  const watching = doses.filter((d) => d.stage === 'given' || d.stage === 'in_observation').map((d) => d.name);
  if (watching.length) refusals.push(refuse('observation_in_progress', `Still in observation: ${watching.join(', ')}. Discharge them first.`));
  const prepared = doses.filter((d) => d.stage === 'prepared').map((d) => d.name);
  if (prepared.length) refusals.push(refuse('prepared_without_outcome', `Prepared but not yet given or recorded as not given: ${prepared.join(', ')}`));
  return refusals;
}

export function observationMinutes(route: Route, s: DosingSettings): number {
  return route === 'iv' ? s.observationMinutesIv : s.observationMinutesIm;
}

/** Discharge from observation: after the period for the route, and only when sedation is acceptable (POSS S, 1 or 2). */
export function dischargeRefusals(
  d: { givenAt: Temporal.Instant; route: Route; now: Temporal.Instant; sedation: SedationScore; leftAgainstAdvice: boolean },
  s: DosingSettings,
): Refusal[] {
  if (d.leftAgainstAdvice) return [];
  const refusals: Refusal[] = [];
  const minutes = observationMinutes(d.route, s);
  const until = d.givenAt.add({ minutes });
  if (Temporal.Instant.compare(d.now, until) < 0) {
    const left = Math.ceil(d.now.until(until).total({ unit: 'minutes' }));
    refusals.push(refuse('observation_not_complete', `Observation after ${d.route.toUpperCase()} is ${minutes} minutes: ${left} more minute${left === 1 ? '' : 's'}`));
  }
  if (d.sedation === 3 || d.sedation === 4) {
    refusals.push(refuse('sedation_too_high_to_discharge', `Sedation ${d.sedation}: keep observing (discharge needs sedation S, 1 or 2)${d.sedation === 4 ? '; start the emergency pathway' : ''}`));
  }
  return refusals;
}

/** Injection site: from the clinic's list; neck and groin (blocked sites) only with a prescriber's recorded exception. */
export function siteRefusals(site: string, s: DosingSettings, exceptions: readonly string[]): Refusal[] {
  const normal = (x: string) => x.trim().toLowerCase();
  if (s.blockedSites.some((b) => normal(b) === normal(site))) {
    return exceptions.some((e) => normal(e) === normal(site))
      ? []
      : [refuse('site_blocked', `Injecting into the ${site} is not allowed unless a prescriber has recorded an exception for this person`, 'site')];
  }
  if (!s.injectionSites.some((x) => normal(x) === normal(site))) {
    return [refuse('site_not_allowed', `${site} is not one of the clinic's injection sites`, 'site')];
  }
  return [];
}

/**
 * After failed venous access, the dose may continue as IM: at most the prescription's IM dose,
 * less whatever was already given into a vein.
 */
export function imAfterFailedIv(imDoseMg: number | null, alreadyGivenIvMg: number): number {
  if (imDoseMg === null) return 0;
  return Math.max(0, imDoseMg - alreadyGivenIvMg);
}
