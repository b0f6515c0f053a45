import { z } from 'zod';
import { EQUIPMENT_ITEMS } from '../care/harm-reduction';
import { ROUTES, type Route } from '../prescription/prescription';
import { refuse, type Decision, type Refusal } from '../refusal';

/**
 * What take-home doses keep as care records (kinds `stability_assessment`, `take_home_supply`,
 * `take_home_return`): the prescriber's stability assessment, each supply of ampoules and
 * injecting equipment (written with its controlled-drug register entries), and each return of
 * unused ampoules and used equipment (written with the patient-returns record).
 */

const isoDate = z.iso.date('must be a date as YYYY-MM-DD');
const optionalText = (max: number) => z.string().trim().max(max, `must be at most ${max} characters`).nullable().default(null);
const yesNo = z.boolean('must be true or false');

/** The longest a clinic may allow one supply to cover (the settings' own bound). */
export const MAX_SUPPLY_DAYS = 14;

// ---------------------------------------------------------------------------------------------
// The prescriber's stability assessment

export const StabilityAssessmentData = z
  .object({
    lockableBox: yesNo.describe('A lockable box at home to keep the ampoules in'),
    childrenConsidered: yesNo.describe('The risk to children living in or visiting the household has been considered'),
    childrenNote: optionalText(1000).describe('What was considered (required when childrenConsidered is true)'),
    safeStorageAdviceGiven: yesNo.describe('Advice on safe storage and on what to do if a dose is lost or taken by someone else'),
    authorised: yesNo.describe("The prescriber's decision: take-home doses may be supplied, for as long as every criterion stays met"),
    maxDaysPerSupply: z
      .number('must be a number of days')
      .int('must be a whole number of days')
      .min(1, 'must be at least 1 day')
      .max(MAX_SUPPLY_DAYS, `must be at most ${MAX_SUPPLY_DAYS} days`)
      .nullable()
      .default(null)
      .describe("The most days one supply may cover (required when authorised; at most the clinic's maxDaysPerSupply)"),
    notes: optionalText(2000),
  })
  .superRefine((d, ctx) => {
    if (d.childrenConsidered && !d.childrenNote) ctx.addIssue({ code: 'custom', path: ['childrenNote'], message: 'say what was considered about children' });
    if (d.authorised && d.maxDaysPerSupply === null) ctx.addIssue({ code: 'custom', path: ['maxDaysPerSupply'], message: 'give the most days one supply may cover' });
    if (!d.authorised && d.maxDaysPerSupply !== null) ctx.addIssue({ code: 'custom', path: ['maxDaysPerSupply'], message: 'must be empty when take-home doses are not authorised' });
  });
export type StabilityAssessment = z.output<typeof StabilityAssessmentData>;

// ---------------------------------------------------------------------------------------------
// A supply

export const EquipmentGiven = z
  .object({
    item: z.enum(EQUIPMENT_ITEMS, `must be one of ${EQUIPMENT_ITEMS.join(', ')}`),
    quantity: z.number('must be a number').int('must be a whole number').min(1, 'must be at least 1').max(500, 'must be at most 500'),
    description: optionalText(200).describe('What it is (required for other), e.g. needle size'),
  })
  .superRefine((g, ctx) => {
    if (g.item === 'other' && !g.description) ctx.addIssue({ code: 'custom', path: ['description'], message: 'say what was given when the item is other' });
  });
export type EquipmentLine = z.output<typeof EquipmentGiven>;

/** What a nurse asks to supply (the server adds the witness's password check and the register pages' strengths). */
export const SupplyRequestData = z
  .object({
    fromDate: isoDate.describe('The first clinic day the supply covers: today or tomorrow'),
    toDate: isoDate.describe('The last clinic day it covers (inclusive)'),
    sessions: z
      .array(z.string().regex(/^[A-Z][A-Z0-9_]{0,15}$/, 'must be a session code such as AM'))
      .min(1, 'name at least one session')
      .max(4, 'at most 4 sessions a day')
      .describe('The sessions covered on each day (each must be in the prescription for every day covered)'),
    route: z.enum(ROUTES, 'must be iv or im').describe('The prescribed route the dose is for'),
    dosePerSessionMg: z.number('must be a number of mg').positive('must be more than 0 mg').max(1000, 'must be at most 1000 mg'),
    ampoules: z
      .array(
        z.object({
          itemId: z.string().describe('The register page (diamorphine, one strength) the ampoules come from'),
          count: z.number('must be a number').int('must be whole ampoules').min(1, 'must be at least 1 ampoule').max(1000, 'must be at most 1000 ampoules'),
        }),
      )
      .min(1, 'list the ampoules handed over')
      .max(4, 'at most 4 register pages')
      .describe('Every ampoule handed over, per register page (in total, for all the doses)'),
    equipment: z.array(EquipmentGiven).max(30, 'list at most 30 items').describe('Injecting equipment handed over with the doses'),
    safeStorageConfirmed: yesNo.describe('The nurse checked that the person has the lockable box and knows the safe-storage advice'),
    collectedBy: z.enum(['service_user', 'representative'], 'must be service_user or representative').describe('Who collected (the register records it)'),
    idRequested: yesNo.describe('Proof of identity was asked for'),
    idShown: yesNo.describe('Proof of identity was shown (and matched the photo on the record)'),
    notes: optionalText(2000),
  })
  .superRefine((d, ctx) => {
    if (d.toDate < d.fromDate) ctx.addIssue({ code: 'custom', path: ['toDate'], message: `must not be before fromDate (${d.fromDate})` });
    const seen = new Set<string>();
    d.sessions.forEach((s, i) => {
      if (seen.has(s)) ctx.addIssue({ code: 'custom', path: ['sessions', i], message: `${s} is listed twice` });
      seen.add(s);
    });
    const pages = new Set<string>();
    d.ampoules.forEach((a, i) => {
      if (pages.has(a.itemId.toLowerCase())) ctx.addIssue({ code: 'custom', path: ['ampoules', i, 'itemId'], message: 'this register page is listed twice' });
      pages.add(a.itemId.toLowerCase());
    });
  });
export type SupplyRequest = z.output<typeof SupplyRequestData>;

/** A supply as stored (care record `take_home_supply`), with what the system worked out. */
export interface TakeHomeSupply {
  fromDate: string;
  toDate: string;
  sessions: string[];
  days: number;
  /** days × sessions a day. */
  doses: number;
  route: Route;
  dosePerSessionMg: number;
  totalMg: number;
  ampoules: { itemId: string; strengthMg: number; perDose: number; count: number; registerSeq: number }[];
  equipment: EquipmentLine[];
  safeStorageConfirmed: boolean;
  collectedBy: 'service_user' | 'representative';
  idRequested: boolean;
  idShown: boolean;
  witnessId: string;
  /** The stability assessment that authorised it. */
  assessmentRecordId: string;
  /** The prescription version in force when it was supplied. */
  prescriptionVersion: number;
  notes: string | null;
}

// ---------------------------------------------------------------------------------------------
// A return

export const ReturnRequestData = z
  .object({
    supplyRecordId: z.string().describe('The supply the ampoules and equipment came from'),
    unusedAmpoules: z
      .array(
        z.object({
          strengthMg: z.number('must be a number of mg').positive('must be more than 0 mg').max(1000),
          count: z.number('must be a number').int('must be whole ampoules').min(1, 'must be at least 1 ampoule').max(1000),
        }),
      )
      .max(4)
      .default([])
      .describe('Unused ampoules brought back: they go to the patient-returns record, never back into stock'),
    sharpsReturned: z
      .object({
        bins: z.number().int('must be a whole number').min(0, 'must not be negative').max(20, 'must be at most 20 bins'),
        loose: z.number().int('must be a whole number').min(0, 'must not be negative').max(500, 'must be at most 500'),
      })
      .default({ bins: 0, loose: 0 })
      .describe('Used equipment and sharps brought back'),
    endsSupply: yesNo.default(false).describe('The supply ends now: sessions that have not yet begun are no longer covered, and the person is expected at the clinic again'),
    notes: optionalText(2000),
  })
  .superRefine((d, ctx) => {
    if (d.unusedAmpoules.length === 0 && d.sharpsReturned.bins === 0 && d.sharpsReturned.loose === 0 && !d.endsSupply) {
      ctx.addIssue({ code: 'custom', path: ['unusedAmpoules'], message: 'record what was returned (ampoules, sharps), or that the supply ends' });
    }
    const seen = new Set<number>();
    d.unusedAmpoules.forEach((a, i) => {
      if (seen.has(a.strengthMg)) ctx.addIssue({ code: 'custom', path: ['unusedAmpoules', i, 'strengthMg'], message: `${a.strengthMg} mg is listed twice` });
      seen.add(a.strengthMg);
    });
  });
export type ReturnRequest = z.output<typeof ReturnRequestData>;

/** A return as stored (care record `take_home_return`). */
export interface TakeHomeReturn {
  supplyRecordId: string;
  unusedAmpoules: { strengthMg: number; count: number; patientReturnId: string }[];
  sharpsReturned: { bins: number; loose: number };
  endsSupply: boolean;
  /** When the supply ended (the return's time), if it did. */
  endedAt: string | null;
  witnessId: string | null;
  notes: string | null;
}

// ---------------------------------------------------------------------------------------------
// Rules for the assessment itself

/**
 * An authorisation must be one the clinic allows and that the conversation supports: no more
 * days than the clinic's maximum, a lockable box and children considered where the clinic asks
 * for them, safe-storage advice given, a home to keep the doses in, and someone in treatment.
 * (Whether the data criteria are met is judged whenever take-home is asked about, not here: a
 * prescriber may authorise someone who will qualify once the last weeks have passed.)
 */
export function checkStabilityAssessment(
  d: StabilityAssessment,
  settings: { maxDaysPerSupply: number; criteria: { lockableBoxRequired: boolean; childrenConsideredRequired: boolean } },
  person: { noFixedAbode: boolean; inTreatment: boolean },
): Decision<StabilityAssessment> {
  const refusals: Refusal[] = [];
  if (d.authorised) {
    if (d.maxDaysPerSupply !== null && d.maxDaysPerSupply > settings.maxDaysPerSupply) {
      refusals.push(refuse('max_days_above_clinic_limit', `This clinic allows at most ${settings.maxDaysPerSupply} days in one supply, not ${d.maxDaysPerSupply}`, 'maxDaysPerSupply'));
    }
    if (settings.criteria.lockableBoxRequired && !d.lockableBox) refusals.push(refuse('lockable_box_required', 'Take-home doses need a lockable box at home (clinic policy)', 'lockableBox'));
    if (settings.criteria.childrenConsideredRequired && !d.childrenConsidered) {
      refusals.push(refuse('children_not_considered', 'Consider children living in or visiting the household before authorising take-home doses', 'childrenConsidered'));
    }
    if (!d.safeStorageAdviceGiven) refusals.push(refuse('safe_storage_advice_required', 'Give the safe-storage advice before authorising take-home doses', 'safeStorageAdviceGiven'));
    if (person.noFixedAbode) refusals.push(refuse('no_fixed_abode', 'Recorded as no fixed abode: there is nowhere to keep take-home doses safely', 'authorised'));
    if (!person.inTreatment) refusals.push(refuse('not_in_treatment', 'Only someone in treatment (induction or maintenance) can be authorised for take-home doses', 'authorised'));
  }
  return refusals.length ? { ok: false, refusals } : { ok: true, value: d };
}
