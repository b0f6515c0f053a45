import { z } from 'zod';
import { Temporal } from 'temporal-polyfill';
import type { PreDoseAlert } from '../service-user/record';
import { refuse, type Decision, type Refusal } from '../refusal';
import { currentRecords, inDateOrder, latestOf, type CareRecord } from './care-record';
import { recordsOf, type CareRuleInput, type CareRules, type PersonInCare } from './person-in-care';
import type { WorkItem } from './work-list';

/**
 * Harm reduction: take-home naloxone (supplies and uses), injecting equipment handed out and
 * sharps returned, and problems at injection sites (abscesses, cellulitis, DVT, ulcers).
 *
 * Naloxone: everyone in treatment should hold an in-date kit. The work list asks staff to offer
 * one to anyone never supplied, to re-supply a kit that is about to expire or has expired, and to
 * re-supply after a kit was used. Injection-site problems: each open one is on the wound-care
 * list until resolved, and the nurse at the hatch sees where not to inject.
 */

const isoDate = z.iso.date('must be a date as YYYY-MM-DD');
const text = (max: number) => z.string().trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`);
const optionalText = (max: number) => z.string().trim().max(max, `must be at most ${max} characters`).nullable().default(null);

// ---------------------------------------------------------------------------------------------
// Naloxone

export const NALOXONE_PRODUCTS = ['prenoxad_injection', 'nyxoid_nasal', 'other'] as const;
export const NALOXONE_SUPPLY_REASONS = ['first_supply', 'replaces_used', 'replaces_lost', 'replaces_expired', 'additional'] as const;

/** Longest a naloxone kit's expiry may lie after its supply: licensed products keep 2–3 years; more is a typing slip. */
export const NALOXONE_MAX_SHELF_LIFE_YEARS = 5;

export const NaloxoneSupplyData = z
  .object({
    product: z.enum(NALOXONE_PRODUCTS, 'must be prenoxad_injection, nyxoid_nasal or other'),
    productName: optionalText(120).describe('The product, when product is other'),
    quantity: z.number().int('must be a whole number of kits').min(1, 'must be at least 1 kit').max(10, 'must be at most 10 kits'),
    batch: text(60),
    expiryDate: isoDate.describe('Must be after the date of supply: an expired kit is never handed out'),
    reason: z.enum(NALOXONE_SUPPLY_REASONS, 'must be first_supply, replaces_used, replaces_lost, replaces_expired or additional'),
    trainingGiven: z.boolean('must be true or false'),
    notes: optionalText(2000),
  })
  .superRefine((d, ctx) => {
    if (d.product === 'other' && !d.productName) ctx.addIssue({ code: 'custom', path: ['productName'], message: 'name the product when it is other' });
    if (d.product !== 'other' && d.productName) ctx.addIssue({ code: 'custom', path: ['productName'], message: 'give a product name only when product is other' });
  });
export type NaloxoneSupply = z.output<typeof NaloxoneSupplyData>;

export const NaloxoneUseData = z.object({
  usedOn: z.enum(['self', 'someone_else'], 'must be self or someone_else').describe('Whom the kit was used on (the date of use is the effectiveDate)'),
  ambulanceCalled: z.boolean('must be true or false'),
  outcome: optionalText(500),
  notes: optionalText(2000),
});
export type NaloxoneUse = z.output<typeof NaloxoneUseData>;

/** A kit is supplied in date: its expiry must be after the day it is handed out, and plausible. */
export function checkNaloxoneSupply(d: NaloxoneSupply, effectiveDate: string): Decision<NaloxoneSupply> {
  const refusals: Refusal[] = [];
  if (d.expiryDate <= effectiveDate) {
    refusals.push(refuse('naloxone_expired', `This kit expires on ${d.expiryDate}, not after the date of supply (${effectiveDate}): hand out an in-date kit`, 'expiryDate'));
  } else if (d.expiryDate > addYears(effectiveDate, NALOXONE_MAX_SHELF_LIFE_YEARS)) {
    refusals.push(refuse('naloxone_expiry_implausible', `An expiry of ${d.expiryDate} is more than ${NALOXONE_MAX_SHELF_LIFE_YEARS} years after supply: check the date on the kit`, 'expiryDate'));
  }
  return refusals.length ? { ok: false, refusals } : { ok: true, value: d };
}

const PRODUCT_LABELS: Record<(typeof NALOXONE_PRODUCTS)[number], string> = {
  prenoxad_injection: 'Prenoxad injection',
  nyxoid_nasal: 'Nyxoid nasal spray',
  other: 'naloxone',
};

function kitWords(d: NaloxoneSupply): string {
  const product = d.product === 'other' ? (d.productName ?? 'naloxone') : PRODUCT_LABELS[d.product];
  return `${product}, ${d.quantity} kit${d.quantity === 1 ? '' : 's'}, batch ${d.batch}`;
}

/**
 * What is to be done about one person's naloxone, if anything (at most one item):
 * - used since the latest supply (and not re-supplied since): danger, due from the first use;
 * - never supplied: info, offer a kit (due from the start of treatment);
 * - the latest kit has expired (its expiry date is before today): danger;
 * - the latest kit expires within `warningDays` (today included): warning.
 * "Since" follows record order: clinic date, then time if known, then when it was recorded, so a
 * re-supply recorded after a use on the same day answers it.
 */
export function naloxoneItem(f: {
  serviceUserId: string;
  today: string;
  warningDays: number;
  treatmentStartedOn: string | null;
  supplies: readonly CareRecord<NaloxoneSupply>[];
  uses: readonly CareRecord<NaloxoneUse>[];
}): WorkItem | null {
  const base = { list: 'naloxone_expiring' as const, serviceUserId: f.serviceUserId };
  const events = inDateOrder<NaloxoneSupply | NaloxoneUse>([...f.supplies, ...f.uses]);
  const lastSupplyAt = events.findLastIndex((r) => r.kind === 'naloxone_supply');
  const usesSince = events.slice(lastSupplyAt + 1) as CareRecord<NaloxoneUse>[];
  if (usesSince.length > 0) {
    const first = usesSince[0]!;
    const more = usesSince.length - 1;
    return {
      ...base,
      dueOn: first.effectiveDate,
      overdue: first.effectiveDate < f.today,
      severity: 'danger',
      text: `Naloxone used on ${first.effectiveDate} (on ${first.data.usedOn === 'self' ? 'themselves' : 'someone else'}${first.data.ambulanceCalled ? ', ambulance called' : ''})${more ? ` and ${more} more time${more === 1 ? '' : 's'} since` : ''}: re-supply a kit`,
      recordId: first.recordId,
    };
  }
  const latest = latestOf(f.supplies);
  if (!latest) {
    const dueOn = f.treatmentStartedOn && f.treatmentStartedOn < f.today ? f.treatmentStartedOn : f.today;
    return { ...base, dueOn, overdue: dueOn < f.today, severity: 'info', text: 'No take-home naloxone on record: offer a kit and show how to use it' };
  }
  const expiry = latest.data.expiryDate;
  if (expiry < f.today) {
    return { ...base, dueOn: expiry, overdue: true, severity: 'danger', text: `Naloxone kit (${kitWords(latest.data)}) expired on ${expiry}: re-supply now`, recordId: latest.recordId };
  }
  if (expiry <= addDays(f.today, f.warningDays)) {
    return {
      ...base,
      dueOn: expiry,
      overdue: false,
      severity: 'warning',
      text: `Naloxone kit (${kitWords(latest.data)}) expires ${expiry === f.today ? 'today' : `on ${expiry}`}: re-supply before then`,
      recordId: latest.recordId,
    };
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// Injecting equipment

export const EQUIPMENT_ITEMS = ['needles', 'syringes', 'filters', 'cookers', 'water_ampoules', 'swabs', 'citric_acid', 'foil', 'sharps_bin', 'other'] as const;

export const EquipmentExchangeData = z
  .object({
    given: z
      .array(
        z
          .object({
            item: z.enum(EQUIPMENT_ITEMS, `must be one of ${EQUIPMENT_ITEMS.join(', ')}`),
            quantity: z.number().int('must be a whole number').min(1, 'must be at least 1').max(500, 'must be at most 500'),
            description: optionalText(200).describe('What it is (required for other), e.g. needle size'),
          })
          .superRefine((g, ctx) => {
            if (g.item === 'other' && !g.description) ctx.addIssue({ code: 'custom', path: ['description'], message: 'say what was given when the item is other' });
          }),
      )
      .max(30, 'list at most 30 items')
      .default([]),
    sharpsReturned: z
      .object({
        bins: z.number().int('must be a whole number').min(0, 'must not be negative').max(20, 'must be at most 20 bins'),
        loose: z.number().int('must be a whole number').min(0, 'must not be negative').max(500, 'must be at most 500'),
      })
      .default({ bins: 0, loose: 0 }),
    notes: optionalText(2000),
  })
  .superRefine((d, ctx) => {
    if (d.given.length === 0 && d.sharpsReturned.bins === 0 && d.sharpsReturned.loose === 0) {
      ctx.addIssue({ code: 'custom', path: ['given'], message: 'list what was given (or the sharps returned, if only sharps were returned)' });
    }
  });
export type EquipmentExchange = z.output<typeof EquipmentExchangeData>;

// ---------------------------------------------------------------------------------------------
// Injection-site problems

export const INJECTION_SITE_PROBLEMS = ['abscess', 'cellulitis', 'dvt', 'ulcer', 'other'] as const;
export const WOUND_REFERRAL_TO = ['wound_clinic', 'tissue_viability', 'gp', 'emergency_department', 'other'] as const;

export const InjectionSiteProblemData = z
  .object({
    site: text(120).describe('Where, in words staff use at the hatch, e.g. "left forearm"'),
    problem: z.enum(INJECTION_SITE_PROBLEMS, 'must be abscess, cellulitis, dvt, ulcer or other'),
    description: text(2000),
    severity: z.enum(['mild', 'moderate', 'severe'], 'must be mild, moderate or severe'),
    status: z.enum(['open', 'resolved'], 'must be open or resolved').describe('Resolve a problem by correcting its record, with a reason'),
    resolvedOn: isoDate.nullable().default(null).describe('Required when resolved'),
    referral: z
      .object({
        to: z.enum(WOUND_REFERRAL_TO, 'must be wound_clinic, tissue_viability, gp, emergency_department or other'),
        referredOn: isoDate,
        notes: optionalText(1000),
      })
      .nullable()
      .default(null),
  })
  .superRefine((d, ctx) => {
    if (d.status === 'resolved' && !d.resolvedOn) ctx.addIssue({ code: 'custom', path: ['resolvedOn'], message: 'give the date it resolved' });
    if (d.status === 'open' && d.resolvedOn) ctx.addIssue({ code: 'custom', path: ['resolvedOn'], message: 'give a resolved date only when the status is resolved' });
  });
export type InjectionSiteProblem = z.output<typeof InjectionSiteProblemData>;

/** Dates in a problem's record follow its order: found (the effectiveDate), referred, resolved; none after today. */
export function checkInjectionSiteProblem(d: InjectionSiteProblem, effectiveDate: string, today: string): Decision<InjectionSiteProblem> {
  const refusals: Refusal[] = [];
  if (d.resolvedOn !== null) {
    if (d.resolvedOn < effectiveDate) refusals.push(refuse('resolved_before_found', `Resolved on ${d.resolvedOn} is before the problem was found (${effectiveDate})`, 'resolvedOn'));
    else if (d.resolvedOn > today) refusals.push(refuse('date_in_future', `Resolved on ${d.resolvedOn} is after today (${today})`, 'resolvedOn'));
  }
  if (d.referral !== null) {
    if (d.referral.referredOn < effectiveDate) {
      refusals.push(refuse('referred_before_found', `Referred on ${d.referral.referredOn} is before the problem was found (${effectiveDate}); record it from the day it was found`, 'referral.referredOn'));
    } else if (d.referral.referredOn > today) refusals.push(refuse('date_in_future', `Referred on ${d.referral.referredOn} is after today (${today})`, 'referral.referredOn'));
  }
  return refusals.length ? { ok: false, refusals } : { ok: true, value: d };
}

const PROBLEM_WORDS: Record<(typeof INJECTION_SITE_PROBLEMS)[number], string> = {
  abscess: 'abscess',
  cellulitis: 'cellulitis',
  dvt: 'suspected DVT',
  ulcer: 'ulcer',
  other: 'injection-site problem',
};

const REFERRAL_WORDS: Record<(typeof WOUND_REFERRAL_TO)[number], string> = {
  wound_clinic: 'the wound clinic',
  tissue_viability: 'tissue viability',
  gp: 'the GP',
  emergency_department: 'the emergency department',
  other: 'another service',
};

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** The person's open injection-site problems, oldest first. */
export function openInjectionSiteProblems(person: PersonInCare): CareRecord<InjectionSiteProblem>[] {
  return inDateOrder(currentRecords(recordsOf<InjectionSiteProblem>(person, 'injection_site_problem'))).filter((r) => r.data.status === 'open');
}

/**
 * One wound-care item per open problem: danger if severe or a suspected DVT; warning if not
 * referred for wound care; info otherwise (referred, being looked after). Due from the day it was
 * found; overdue while it waits, unreferred, from an earlier day.
 */
export function woundCareItems(serviceUserId: string, today: string, open: readonly CareRecord<InjectionSiteProblem>[]): WorkItem[] {
  return open.map((r) => {
    const d = r.data;
    const serious = d.severity === 'severe' || d.problem === 'dvt';
    const referred = d.referral ? `referred to ${REFERRAL_WORDS[d.referral.to]} on ${d.referral.referredOn}` : 'not referred for wound care';
    return {
      list: 'wound_care_open',
      serviceUserId,
      dueOn: r.effectiveDate,
      overdue: d.referral === null && r.effectiveDate < today,
      severity: serious ? 'danger' : d.referral === null ? 'warning' : 'info',
      text: `${capitalise(d.severity)} ${PROBLEM_WORDS[d.problem]} ${d.problem === 'dvt' ? 'in' : 'at'} ${d.site}, open since ${r.effectiveDate}: ${referred}`,
      recordId: r.recordId,
    };
  });
}

/** What the nurse at the hatch must know before a dose: where not to inject. */
export function injectionSiteAlerts(open: readonly CareRecord<InjectionSiteProblem>[]): PreDoseAlert[] {
  return open.map((r) => {
    const d = r.data;
    if (d.problem === 'dvt') {
      return { kind: 'injection_site', severity: 'danger', text: `Suspected DVT in ${d.site} (since ${r.effectiveDate}): no injection in that limb` };
    }
    return { kind: 'injection_site', severity: 'warning', text: `Open ${PROBLEM_WORDS[d.problem]} at ${d.site} (since ${r.effectiveDate}, ${d.severity}): do not inject there` };
  });
}

// ---------------------------------------------------------------------------------------------
// The rules

export const harmReductionRules: CareRules = {
  workItems({ person, settings, today }: CareRuleInput): WorkItem[] {
    if (!person.inTreatment || person.absent) return [];
    const items: WorkItem[] = [];
    const nalox = naloxoneItem({
      serviceUserId: person.serviceUserId,
      today,
      warningDays: settings.monitoring.naloxoneExpiryWarningDays,
      treatmentStartedOn: person.treatmentStartedOn,
      supplies: currentRecords(recordsOf<NaloxoneSupply>(person, 'naloxone_supply')),
      uses: currentRecords(recordsOf<NaloxoneUse>(person, 'naloxone_use')),
    });
    if (nalox) items.push(nalox);
    items.push(...woundCareItems(person.serviceUserId, today, openInjectionSiteProblems(person)));
    return items;
  },
  alerts({ person }: CareRuleInput): PreDoseAlert[] {
    return injectionSiteAlerts(openInjectionSiteProblems(person));
  },
};

// ---------------------------------------------------------------------------------------------

function addDays(date: string, days: number): string {
  return Temporal.PlainDate.from(date).add({ days }).toString();
}

function addYears(date: string, years: number): string {
  return Temporal.PlainDate.from(date).add({ years }).toString();
}
