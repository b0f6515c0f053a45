import { Temporal } from 'temporal-polyfill';
import type { DischargeReason } from '../episode/episode-event';
import type { DaysAnswer, OutcomeProfile, TopStage } from '../care/outcome-profile';
import { csvTable } from './csv';

/**
 * The monthly national return in the shape of the English National Drug Treatment Monitoring
 * System (NDTMS) adult dataset: one row per treatment episode active in the month (referral to
 * discharge), with its one modality (HAT is specialist prescribing, injectable opioid treatment)
 * and the Treatment Outcomes Profile (TOP) recorded in the month, if any.
 *
 * The field names follow the NDTMS core dataset as far as we could confirm them; docs/ndtms.md
 * lists every field, where its value comes from, and which parts are not confirmed against the
 * current NDTMS technical definitions (check them before the first submission).
 */

export const NDTMS_SEX_CODES = ['M', 'F', 'I', 'U'] as const;

/**
 * openhat's recorded sex to the return's code. A person who declined to say is U; one who was never
 * asked is null, so the validator names the row instead of the return quietly saying "unknown".
 */
export function ndtmsSex(sex: 'male' | 'female' | 'indeterminate' | 'not_stated' | 'not_known'): (typeof NDTMS_SEX_CODES)[number] | null {
  return { male: 'M', female: 'F', indeterminate: 'I', not_stated: 'U', not_known: null }[sex] as (typeof NDTMS_SEX_CODES)[number] | null;
}
/** openhat's descriptive codes; the submission tool maps them to the NDTMS numeric codes. */
export const NDTMS_MODALITIES = ['specialist_prescribing'] as const;
export const NDTMS_MODALITY_SUBTYPES = ['injectable_opioid_treatment'] as const;
export const NDTMS_DISCHARGE_REASONS = [
  'treatment_completed',
  'transferred_not_in_custody',
  'transferred_in_custody',
  'incomplete_dropped_out',
  'incomplete_client_died',
] as const;
export type NdtmsDischargeReason = (typeof NDTMS_DISCHARGE_REASONS)[number];
export const NDTMS_TOP_STAGES = ['S', 'R', 'E'] as const;
/** The NHS pseudo-postcode outward code for no fixed abode (ZZ99 3VZ). */
export const NO_FIXED_ABODE_DISTRICT = 'ZZ99';

/**
 * openhat's discharge reasons in NDTMS words. 'other' has no safe mapping: the row is left blank
 * and the validator says so, so that someone decides (NDTMS has several "incomplete" reasons).
 */
export const DISCHARGE_REASON_MAP: Record<DischargeReason, NdtmsDischargeReason | null> = {
  planned: 'treatment_completed',
  transfer: 'transferred_not_in_custody',
  custody: 'transferred_in_custody',
  disengaged: 'incomplete_dropped_out',
  deceased: 'incomplete_client_died',
  other: null,
};

const TOP_STAGE_CODE: Record<TopStage, (typeof NDTMS_TOP_STAGES)[number]> = { start: 'S', review: 'R', exit: 'E' };

export interface NdtmsRow {
  CLIENTID: string;
  EPISODEID: string;
  FINITIAL: string | null;
  SINITIAL: string | null;
  DOB: string | null;
  SEX: string | null;
  PC: string | null;
  REFLD: string | null;
  TRIAGED: string | null;
  MODAL: string | null;
  MODSUB: string | null;
  MODST: string | null;
  MODEND: string | null;
  DISD: string | null;
  DISRSN: string | null;
  TOPDATE: string | null;
  TRSTAGE: string | null;
  TOPALCD: number | null;
  TOPALCU: number | null;
  TOPOPID: number | null;
  TOPCRKD: number | null;
  TOPCOCD: number | null;
  TOPAMPD: number | null;
  TOPCANND: number | null;
  TOPTOBD: number | null;
  TOPINJD: number | null;
  TOPSHNDL: string | null;
  TOPSHOTH: string | null;
  TOPSHOPD: number | null;
  TOPSELLD: number | null;
  TOPVEHCL: string | null;
  TOPPROP: string | null;
  TOPFRAUD: string | null;
  TOPVIOL: string | null;
  TOPPSYCH: number | null;
  TOPWORKD: number | null;
  TOPEDUCD: number | null;
  TOPPHYS: number | null;
  TOPHOUSE: string | null;
  TOPEVICT: string | null;
  TOPQOL: number | null;
}
export type NdtmsField = keyof NdtmsRow;

type Format = 'text' | 'date' | 'initial' | 'postcode_district' | 'days28' | 'score20' | 'units' | 'yes_no';

export interface NdtmsFieldSpec {
  field: NdtmsField;
  meaning: string;
  required: 'always' | 'with_modality' | 'with_discharge' | 'with_top' | 'optional';
  format: Format;
  codes?: readonly string[];
}

const top = (field: NdtmsField, meaning: string, format: Format): NdtmsFieldSpec => ({ field, meaning, required: 'optional', format });

/** Every field, in file order: what the validator checks and docs/ndtms.md documents. */
export const NDTMS_FIELDS: readonly NdtmsFieldSpec[] = [
  { field: 'CLIENTID', meaning: 'Client reference (the provider\'s own identifier for the person)', required: 'always', format: 'text' },
  { field: 'EPISODEID', meaning: 'Episode reference (the provider\'s identifier for the treatment journey)', required: 'always', format: 'text' },
  { field: 'FINITIAL', meaning: 'First initial of the first (given) name', required: 'always', format: 'initial' },
  { field: 'SINITIAL', meaning: 'First initial of the surname', required: 'always', format: 'initial' },
  { field: 'DOB', meaning: 'Date of birth', required: 'always', format: 'date' },
  { field: 'SEX', meaning: 'Sex', required: 'always', format: 'text', codes: NDTMS_SEX_CODES },
  { field: 'PC', meaning: 'Postcode district of residence (outward code); ZZ99 for no fixed abode', required: 'always', format: 'postcode_district' },
  { field: 'REFLD', meaning: 'Date referred to the treatment provider', required: 'always', format: 'date' },
  { field: 'TRIAGED', meaning: 'Triage (first assessment) date', required: 'optional', format: 'date' },
  { field: 'MODAL', meaning: 'Intervention (modality) type', required: 'with_modality', format: 'text', codes: NDTMS_MODALITIES },
  { field: 'MODSUB', meaning: 'Prescribing sub-type', required: 'with_modality', format: 'text', codes: NDTMS_MODALITY_SUBTYPES },
  { field: 'MODST', meaning: 'Modality start date (first day of prescribing: induction)', required: 'optional', format: 'date' },
  { field: 'MODEND', meaning: 'Modality end date', required: 'optional', format: 'date' },
  { field: 'DISD', meaning: 'Discharge date', required: 'optional', format: 'date' },
  { field: 'DISRSN', meaning: 'Discharge reason', required: 'with_discharge', format: 'text', codes: NDTMS_DISCHARGE_REASONS },
  { field: 'TOPDATE', meaning: 'TOP interview date', required: 'optional', format: 'date' },
  { field: 'TRSTAGE', meaning: 'TOP treatment stage: S start, R review, E exit', required: 'with_top', format: 'text', codes: NDTMS_TOP_STAGES },
  top('TOPALCD', 'TOP: days used alcohol in the past 28', 'days28'),
  top('TOPALCU', 'TOP: units of alcohol on a typical drinking day', 'units'),
  top('TOPOPID', 'TOP: days used opiates (illicit)', 'days28'),
  top('TOPCRKD', 'TOP: days used crack', 'days28'),
  top('TOPCOCD', 'TOP: days used cocaine', 'days28'),
  top('TOPAMPD', 'TOP: days used amphetamines', 'days28'),
  top('TOPCANND', 'TOP: days used cannabis', 'days28'),
  top('TOPTOBD', 'TOP: days used tobacco', 'days28'),
  top('TOPINJD', 'TOP: days injected non-prescribed drugs', 'days28'),
  top('TOPSHNDL', 'TOP: injected with a needle or syringe used by someone else (Y/N)', 'yes_no'),
  top('TOPSHOTH', 'TOP: injected with a spoon, water or filter used by someone else (Y/N)', 'yes_no'),
  top('TOPSHOPD', 'TOP: days shoplifting', 'days28'),
  top('TOPSELLD', 'TOP: days selling drugs', 'days28'),
  top('TOPVEHCL', 'TOP: theft from or of a vehicle (Y/N)', 'yes_no'),
  top('TOPPROP', 'TOP: other property theft or burglary (Y/N)', 'yes_no'),
  top('TOPFRAUD', 'TOP: fraud, forgery or handling stolen goods (Y/N)', 'yes_no'),
  top('TOPVIOL', 'TOP: committing assault or violence (Y/N)', 'yes_no'),
  top('TOPPSYCH', 'TOP: psychological health rating 0–20', 'score20'),
  top('TOPWORKD', 'TOP: days in paid work', 'days28'),
  top('TOPEDUCD', 'TOP: days at college or school', 'days28'),
  top('TOPPHYS', 'TOP: physical health rating 0–20', 'score20'),
  top('TOPHOUSE', 'TOP: acute housing problem (Y/N)', 'yes_no'),
  top('TOPEVICT', 'TOP: at risk of eviction (Y/N)', 'yes_no'),
  top('TOPQOL', 'TOP: overall quality of life rating 0–20', 'score20'),
];

// ---------------------------------------------------------------------------------------------
// Building the rows

/** What the return needs to know about one episode, in clinic dates (YYYY-MM-DD). */
export interface NdtmsEpisodeInput {
  serviceUserId: string;
  episodeId: string;
  givenName: string;
  familyName: string;
  dateOfBirth: string;
  /** The NDTMS code (ndtmsSex); null when the record says it was never asked (the validator reports it). */
  sex: string | null;
  postcode: string | null;
  noFixedAbode: boolean;
  referredOn: string;
  triagedOn: string | null;
  /** Eligibility decided "not eligible" on this date: the episode ended without treatment. */
  notEligibleOn: string | null;
  treatmentStartedOn: string | null;
  dischargedOn: string | null;
  dischargeReason: DischargeReason | null;
  outcomeProfiles: { date: string; profile: OutcomeProfile }[];
}

export interface NdtmsMonth {
  first: string;
  last: string;
}

export function monthBounds(month: string): NdtmsMonth {
  const m = Temporal.PlainYearMonth.from(month);
  return { first: m.toPlainDate({ day: 1 }).toString(), last: m.toPlainDate({ day: m.daysInMonth }).toString() };
}

/** A–Z initial of a name (accents folded: É gives E); null when the name starts with anything else. */
export function initialOf(name: string): string | null {
  const c = name.trim().normalize('NFD').replace(/[\u0300-\u036f]/g, '').charAt(0).toUpperCase();
  return /^[A-Z]$/.test(c) ? c : null;
}

/** The outward code (district) of a UK postcode: "TS1 1AA" gives "TS1"; null when it is not one. */
export function postcodeDistrict(postcode: string | null): string | null {
  if (!postcode) return null;
  const compact = postcode.replace(/\s+/g, '').toUpperCase();
  const m = /^([A-Z]{1,2}\d[A-Z\d]?)(\d[A-Z]{2})$/.exec(compact);
  return m ? m[1]! : null;
}

/** Whether the episode is part of the month's return: referred by its end and not ended before it began. */
export function activeInMonth(e: NdtmsEpisodeInput, month: NdtmsMonth): boolean {
  if (e.referredOn > month.last) return false;
  const endedOn = e.dischargedOn ?? e.notEligibleOn;
  return endedOn === null || endedOn >= month.first;
}

const days = (d: DaysAnswer | null | undefined) => (d ? d.days : null);
const yn = (b: boolean | null) => (b === null ? null : b ? 'Y' : 'N');

function topFields(p: OutcomeProfile | null, date: string | null): Pick<NdtmsRow, Extract<NdtmsField, `TOP${string}` | 'TRSTAGE'>> {
  const s = p?.substanceUse;
  return {
    TOPDATE: p ? date : null,
    TRSTAGE: p ? TOP_STAGE_CODE[p.stage] : null,
    TOPALCD: days(s?.alcohol),
    TOPALCU: s?.alcohol?.averagePerUsingDay ?? null,
    TOPOPID: days(s?.opiates),
    TOPCRKD: days(s?.crack),
    TOPCOCD: days(s?.cocaine),
    TOPAMPD: days(s?.amphetamines),
    TOPCANND: days(s?.cannabis),
    TOPTOBD: days(s?.tobacco),
    TOPINJD: days(p?.injectingRisk.injected),
    TOPSHNDL: p ? yn(p.injectingRisk.sharedNeedleOrSyringe) : null,
    TOPSHOTH: p ? yn(p.injectingRisk.sharedSpoonWaterOrFilter) : null,
    TOPSHOPD: days(p?.crime.shoplifting),
    TOPSELLD: days(p?.crime.drugSelling),
    TOPVEHCL: p ? yn(p.crime.theftFromOrOfVehicle) : null,
    TOPPROP: p ? yn(p.crime.otherPropertyTheftOrBurglary) : null,
    TOPFRAUD: p ? yn(p.crime.fraudForgeryOrHandlingStolenGoods) : null,
    TOPVIOL: p ? yn(p.crime.assaultOrViolence) : null,
    TOPPSYCH: p?.healthAndSocialFunctioning.psychologicalHealth ?? null,
    TOPWORKD: days(p?.healthAndSocialFunctioning.paidWork),
    TOPEDUCD: days(p?.healthAndSocialFunctioning.collegeOrSchool),
    TOPPHYS: p?.healthAndSocialFunctioning.physicalHealth ?? null,
    TOPHOUSE: p ? yn(p.healthAndSocialFunctioning.acuteHousingProblem) : null,
    TOPEVICT: p ? yn(p.healthAndSocialFunctioning.atRiskOfEviction) : null,
    TOPQOL: p?.healthAndSocialFunctioning.qualityOfLife ?? null,
  };
}

/**
 * The month's rows, ordered by referral date then client. Dates after the month's end are left out
 * (a return describes the month as it was at its end); the TOP is the latest one dated in the month.
 */
export function buildNdtmsRows(month: string, episodes: readonly NdtmsEpisodeInput[]): NdtmsRow[] {
  const m = monthBounds(month);
  const upTo = (d: string | null) => (d !== null && d <= m.last ? d : null);
  return episodes
    .filter((e) => activeInMonth(e, m))
    .sort((a, b) => a.referredOn.localeCompare(b.referredOn) || a.serviceUserId.localeCompare(b.serviceUserId))
    .map((e) => {
      const started = upTo(e.treatmentStartedOn);
      const discharged = upTo(e.dischargedOn);
      const profile = e.outcomeProfiles.filter((p) => p.date >= m.first && p.date <= m.last).sort((a, b) => a.date.localeCompare(b.date)).at(-1) ?? null;
      return {
        CLIENTID: e.serviceUserId,
        EPISODEID: e.episodeId,
        FINITIAL: initialOf(e.givenName),
        SINITIAL: initialOf(e.familyName),
        DOB: e.dateOfBirth,
        SEX: e.sex,
        PC: e.noFixedAbode ? NO_FIXED_ABODE_DISTRICT : postcodeDistrict(e.postcode),
        REFLD: e.referredOn,
        TRIAGED: upTo(e.triagedOn),
        MODAL: started ? 'specialist_prescribing' : null,
        MODSUB: started ? 'injectable_opioid_treatment' : null,
        MODST: started,
        MODEND: started && discharged ? discharged : null,
        DISD: discharged,
        DISRSN: discharged && e.dischargeReason ? DISCHARGE_REASON_MAP[e.dischargeReason] : null,
        ...topFields(profile?.profile ?? null, profile?.date ?? null),
      };
    });
}

// ---------------------------------------------------------------------------------------------
// Validation

export interface NdtmsProblem {
  /** 1-based row number, as in the CSV (the header is row 0). */
  row: number;
  clientId: string;
  field: NdtmsField;
  message: string;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
function isDate(v: string): boolean {
  if (!DATE.test(v)) return false;
  try {
    return Temporal.PlainDate.from(v, { overflow: 'reject' }).toString() === v;
  } catch {
    return false;
  }
}

function formatProblem(spec: NdtmsFieldSpec, v: string | number): string | null {
  if (spec.codes && !spec.codes.includes(String(v))) return `must be one of ${spec.codes.join(', ')}`;
  switch (spec.format) {
    case 'date':
      return typeof v === 'string' && isDate(v) ? null : 'must be a date as YYYY-MM-DD';
    case 'initial':
      return typeof v === 'string' && /^[A-Z]$/.test(v) ? null : 'must be one letter A–Z';
    case 'postcode_district':
      return typeof v === 'string' && (/^[A-Z]{1,2}\d[A-Z\d]?$/.test(v)) ? null : 'must be a postcode district such as TS1 (ZZ99 for no fixed abode)';
    case 'days28':
      return Number.isInteger(v) && (v as number) >= 0 && (v as number) <= 28 ? null : 'must be a whole number of days from 0 to 28';
    case 'score20':
      return Number.isInteger(v) && (v as number) >= 0 && (v as number) <= 20 ? null : 'must be a whole number from 0 to 20';
    case 'units':
      return typeof v === 'number' && v >= 0 && v <= 200 ? null : 'must be a number from 0 to 200';
    case 'yes_no':
      return v === 'Y' || v === 'N' ? null : 'must be Y or N';
    case 'text':
      return typeof v === 'string' && v.trim() !== '' && v.length <= 64 ? null : 'must be text of 1 to 64 characters';
  }
}

/**
 * Every problem in the month's rows, each naming its row and field: a required field missing, a
 * value in the wrong format or not an allowed code, and dates out of order or outside the month.
 * The return is only fit to submit when this is empty.
 */
export function validateNdtms(month: string, rows: readonly NdtmsRow[]): NdtmsProblem[] {
  const m = monthBounds(month);
  const problems: NdtmsProblem[] = [];
  rows.forEach((r, i) => {
    const say = (field: NdtmsField, message: string) => problems.push({ row: i + 1, clientId: r.CLIENTID, field, message });
    const needed: Record<NdtmsFieldSpec['required'], boolean> = {
      always: true,
      optional: false,
      with_modality: r.MODST !== null,
      with_discharge: r.DISD !== null,
      with_top: r.TOPDATE !== null,
    };
    const bad = new Set<NdtmsField>();
    for (const spec of NDTMS_FIELDS) {
      const v = r[spec.field];
      if (v === null || v === '') {
        if (needed[spec.required]) {
          bad.add(spec.field);
          say(spec.field, spec.field === 'SEX' ? "is required; the person's record says sex was never asked, so record it (or 'not stated') before submitting" : spec.field === 'DISRSN' ? 'is required with a discharge date; the recorded reason has no NDTMS equivalent, so choose one' : 'is required');
        }
        continue;
      }
      const p = formatProblem(spec, v);
      if (p) {
        bad.add(spec.field);
        say(spec.field, p);
      }
    }
    const date = (f: NdtmsField) => (bad.has(f) ? null : (r[f] as string | null));
    const order: [NdtmsField, NdtmsField, string][] = [
      ['DOB', 'REFLD', 'the date of birth'],
      ['REFLD', 'TRIAGED', 'the referral date'],
      ['REFLD', 'MODST', 'the referral date'],
      ['TRIAGED', 'MODST', 'the triage date'],
      ['MODST', 'MODEND', 'the modality start date'],
      ['REFLD', 'DISD', 'the referral date'],
      ['MODEND', 'DISD', 'the modality end date'],
    ];
    for (const [before, after, words] of order) {
      const a = date(before);
      const b = date(after);
      if (a && b && b < a) say(after, `must not be before ${words} (${a})`);
    }
    for (const f of ['REFLD', 'TRIAGED', 'MODST', 'MODEND', 'DISD', 'TOPDATE'] as const) {
      const d = date(f);
      if (d && d > m.last) say(f, `must not be after the end of the month (${m.last})`);
    }
    const topDate = date('TOPDATE');
    if (topDate && topDate < m.first) say('TOPDATE', `must be in the month (${m.first} to ${m.last})`);
    if (r.MODEND !== null && r.DISD === null) say('DISD', 'is required when the modality has ended');
    const dob = date('DOB');
    const referred = date('REFLD');
    if (dob && referred && dob <= referred && Temporal.PlainDate.from(dob).until(referred, { largestUnit: 'years' }).years < 18) {
      say('DOB', 'gives an age under 18 at referral: the adult dataset is for people aged 18 and over');
    }
  });
  return problems;
}

/** The return as CSV: a header of field names in NDTMS_FIELDS order, one line per row. */
export function ndtmsCsv(rows: readonly NdtmsRow[]): string {
  const header = NDTMS_FIELDS.map((f) => f.field);
  return csvTable(header, rows.map((r) => header.map((f) => r[f])));
}
