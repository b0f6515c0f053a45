import type { ClinicSettings } from '../clinic/clinic-settings';
import type { CareRecord } from '../care/care-record';
import { recordsOf, type CareRuleInput, type CareRules, type PersonInCare } from '../care/person-in-care';
import type { ToxicologyRecordData } from '../care/toxicology';
import type { WorkItem } from '../care/work-list';
import { plannedDoseMg, type PrescriptionContent } from '../prescription/prescription';
import { mayBeDosedUnder } from '../prescription/versions';
import type { PreDoseAlert } from '../service-user/record';
import { coveredSessions, supplyCovers, type CoveredSession } from './cover';
import { evaluateTakeHome, type Reason, type TakeHomeDoseFacts, type TakeHomeEpisodeFacts, type TakeHomeEvaluation } from './eligibility';
import type { StabilityAssessment, TakeHomeReturn, TakeHomeSupply } from './records';

/**
 * Take-home doses in the work lists and at the hatch. Someone who holds a supply (it covers today
 * or a later day) and is no longer authorised — a criterion failed, they went away, were locked to
 * re-titration, or the prescription changed under the supply — puts a danger alert at the hatch
 * and an item on the prescriber's list ("reviews_due": the only list for prescribers that fits)
 * until the supply is returned or ended, or they are authorised again. A supply covering today's
 * sessions is also shown at the hatch, so nobody doses those sessions at the clinic.
 *
 * The monitoring rules see a person as PersonInCare, which has no dose history. The server may
 * attach the dose facts as `takeHomeFacts` (see TakeHomeCareFacts); without them the rules judge
 * from the records alone (toxicology, assessments, absence, prescription) and cannot see refusals,
 * missed doses or the re-titration lock — the API and every supply still check those.
 */

export interface TakeHomeCareFacts {
  doses: TakeHomeDoseFacts;
  retitrationLocked: boolean;
  episode: Pick<TakeHomeEpisodeFacts, 'retitrationRequired' | 'reviewRequired' | 'absenceStartedOn'>;
}

export interface HeldSupply {
  record: CareRecord<TakeHomeSupply>;
  covered: CoveredSession[];
}

/** Supplies still covering today or a later day, with the sessions they cover. */
export function heldSupplies(
  supplies: readonly CareRecord<TakeHomeSupply>[],
  returns: readonly CareRecord<TakeHomeReturn>[],
  settings: Pick<ClinicSettings, 'sessions' | 'timeZone'>,
  today: string,
): HeldSupply[] {
  const covers = supplyCovers(supplies, returns);
  return supplies
    .map((record, i) => ({ record, covered: coveredSessions(covers[i]!, settings.sessions, settings.timeZone) }))
    .filter((s) => s.covered.some((c) => c.clinicDate >= today));
}

/** Where a supply held now goes beyond the prescription in force now (it changed after the supply). */
export function beyondPrescriptionNow(supply: TakeHomeSupply, prescription: PrescriptionContent | null, today: string): Reason[] {
  const dosable = mayBeDosedUnder(prescription, today);
  if (!dosable.ok || !prescription) return [{ code: 'prescription_changed', message: `The prescription no longer allows these doses: ${dosable.ok ? 'none in force' : dosable.refusals[0]!.message}` }];
  const order = prescription.diamorphine;
  const out: Reason[] = [];
  const missing = supply.sessions.filter((s) => !order.sessions.includes(s));
  if (missing.length) out.push({ code: 'prescription_changed', message: `The prescription no longer has ${missing.join(', ')}` });
  const planned = plannedDoseMg(order, supply.route, today);
  if (planned === null || planned < supply.dosePerSessionMg) {
    out.push({ code: 'prescription_changed', message: `The supply holds ${supply.dosePerSessionMg} mg doses; the ${supply.route.toUpperCase()} dose prescribed now is ${planned === null ? 'none' : `${planned} mg`}` });
  }
  return out;
}

/** The take-home verdict from what the monitoring rules know (plus the dose facts, when attached). */
export function evaluateFromCare(person: PersonInCare, settings: ClinicSettings, today: string): TakeHomeEvaluation {
  const facts = (person as PersonInCare & { takeHomeFacts?: TakeHomeCareFacts }).takeHomeFacts ?? null;
  return evaluateTakeHome({
    today,
    settings: settings.takeHome,
    streetHeroinMarkers: settings.monitoring.streetHeroinMarkers,
    toxicologyIntervalDays: person.record.toxicologyIntervalDays ?? settings.monitoring.toxicologyIntervalDays,
    episode: {
      inTreatment: person.inTreatment,
      treatmentStartedOn: person.treatmentStartedOn,
      absent: person.absent,
      retitrationRequired: facts?.episode.retitrationRequired ?? false,
      reviewRequired: facts?.episode.reviewRequired ?? false,
      absenceStartedOn: facts?.episode.absenceStartedOn ?? [],
    },
    retitrationLocked: facts?.retitrationLocked ?? null,
    doses: facts?.doses ?? null,
    prescription: person.prescription,
    noFixedAbode: person.record.noFixedAbode,
    childrenInHousehold: person.record.childrenInHousehold.count,
    assessments: recordsOf<StabilityAssessment>(person, 'stability_assessment'),
    toxicology: recordsOf<ToxicologyRecordData>(person, 'toxicology'),
  });
}

interface Concern {
  held: HeldSupply;
  reasons: Reason[];
}

function concerns({ person, settings, today }: CareRuleInput): { held: HeldSupply[]; concern: Concern | null } {
  const held = heldSupplies(recordsOf<TakeHomeSupply>(person, 'take_home_supply'), recordsOf<TakeHomeReturn>(person, 'take_home_return'), settings, today);
  if (held.length === 0) return { held, concern: null };
  const ev = evaluateFromCare(person, settings, today);
  const known = ev.suspendedBecause.filter((r) => r.code !== 'not_checked');
  const latest = held.reduce((a, b) => (a.record.data.toDate >= b.record.data.toDate ? a : b));
  const reasons = [...known, ...held.flatMap((h) => beyondPrescriptionNow(h.record.data, person.prescription, today))];
  return { held, concern: reasons.length ? { held: latest, reasons } : null };
}

const reasonWords = (reasons: readonly Reason[]) => [...new Set(reasons.map((r) => r.message))].join('; ');

function workItems(input: CareRuleInput): WorkItem[] {
  const { concern } = concerns(input);
  if (!concern) return [];
  const s = concern.held.record.data;
  return [
    {
      list: 'reviews_due',
      serviceUserId: input.person.serviceUserId,
      dueOn: input.today,
      overdue: false,
      severity: 'danger',
      text: `Take-home doses held (supply ${s.fromDate} to ${s.toDate}) but no longer authorised: ${reasonWords(concern.reasons)}. Recall the doses (record their return) and review.`,
      recordId: concern.held.record.recordId,
    },
  ];
}

function alerts(input: CareRuleInput): PreDoseAlert[] {
  const { held, concern } = concerns(input);
  const out: PreDoseAlert[] = [];
  if (concern) {
    out.push({ kind: 'take_home_suspended', severity: 'danger', text: `Holds take-home doses to ${concern.held.record.data.toDate} but take-home is suspended: ${reasonWords(concern.reasons)}. Ask for the doses back.` });
  }
  const today = held.flatMap((h) => h.covered.filter((c) => c.clinicDate === input.today).map((c) => ({ session: c.session, to: h.record.data.toDate })));
  if (today.length) {
    out.push({
      kind: 'take_home',
      severity: 'info',
      text: `Take-home doses for ${today.map((x) => x.session).join(', ')} today (supply to ${today[0]!.to}): no dose at the clinic in ${today.length === 1 ? 'that session' : 'those sessions'}`,
    });
  }
  return out;
}

export const takeHomeRules: CareRules = { workItems, alerts };
