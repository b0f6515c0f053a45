import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import { Temporal } from 'temporal-polyfill';
import type { DischargeReason } from '../episode/episode-event';
import type { DoseStatus } from '../dosing/dose-history';
import { mondayOf, toxicologyTrends, type StreetHeroinFinding, type ToxicologyRecordData } from '../care/toxicology';
import type { CareRecord } from '../care/care-record';
import type { DaysAnswer, OutcomeProfile, TopStage } from '../care/outcome-profile';
import { csvTable } from './csv';

/**
 * The research extract: pseudonymised rows for researchers, with the rules in
 * docs/research-extract.md. Everything here is a pure function of the source data and the
 * extract's key; the server makes a fresh random key for each extract and never keeps it.
 *
 * - A person is known only by a pseudonym: HMAC-SHA256 of their id under the extract's key. The
 *   same person has the same pseudonym throughout one extract; without the key no one can link it
 *   to them, or to their pseudonym in another extract.
 * - No direct identifier is copied: no name, NHS number, address, postcode, phone, date of birth,
 *   contact, GP, free text of any kind, or openhat id (service user, episode, staff).
 * - Age is a five-year band at referral.
 * - Every date of a person is shifted by the same offset (1 to 14 days, earlier or later, never 0),
 *   derived from the key, so intervals between a person's dates are exact but calendar dates are not.
 */

export const MAX_SHIFT_DAYS = 14;

export function hmacHex(key: Uint8Array, message: string): string {
  return bytesToHex(hmac(sha256, key, utf8ToBytes(message)));
}

/** The person's pseudonym in this extract: "P-" and 16 hex digits of HMAC-SHA256(key, id). */
export function pseudonym(key: Uint8Array, serviceUserId: string): string {
  return `P-${hmacHex(key, `pseudonym:${serviceUserId}`).slice(0, 16)}`;
}

/** The person's date shift in this extract: ±1 to ±14 days (never 0), the same for all their dates. */
export function dateShift(key: Uint8Array, serviceUserId: string): number {
  const n = Number.parseInt(hmacHex(key, `date-shift:${serviceUserId}`).slice(0, 8), 16) % (2 * MAX_SHIFT_DAYS);
  return n < MAX_SHIFT_DAYS ? n - MAX_SHIFT_DAYS : n - MAX_SHIFT_DAYS + 1;
}

export function shiftDate(date: string, days: number): string {
  return Temporal.PlainDate.from(date).add({ days }).toString();
}

/** Days from one clinic date to another (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return Temporal.PlainDate.from(from).until(Temporal.PlainDate.from(to), { largestUnit: 'days' }).days;
}

/** A date generalised to its month (YYYY-MM). */
export function generaliseToMonth(date: string): string {
  return date.slice(0, 7);
}

/** Completed years on a date, in five-year bands ("35-39"); 90 and over is "90+". */
export function ageBand(dateOfBirth: string, on: string): string {
  const years = Temporal.PlainDate.from(dateOfBirth).until(Temporal.PlainDate.from(on), { largestUnit: 'years' }).years;
  if (years >= 90) return '90+';
  const low = Math.max(0, Math.floor(years / 5) * 5);
  return `${low}-${low + 4}`;
}

// ---------------------------------------------------------------------------------------------

/** An episode's milestones, in clinic dates (null: not happened yet). */
export interface EpisodeMilestones {
  referredOn: string;
  triagedOn: string | null;
  eligibilityDecidedOn: string | null;
  eligible: boolean | null;
  treatmentStartedOn: string | null;
  dischargedOn: string | null;
  dischargeReason: DischargeReason | null;
}

export interface ResearchPersonInput extends EpisodeMilestones {
  serviceUserId: string;
  dateOfBirth: string;
  doses: { clinicDate: string; kind: 'dose' | 'top_up'; status: DoseStatus }[];
  toxicology: CareRecord<ToxicologyRecordData>[];
  outcomeProfiles: { date: string; profile: OutcomeProfile }[];
}

export interface ResearchWeek {
  /** Shifted Monday of the week. */
  weekStarting: string;
  /** Days from the person's referral to the start of the week. */
  weekStartDay: number;
  dosesGiven: number;
  dosesRefused: number;
  dosesMissed: number;
  dosesWithheld: number;
  topUpsGiven: number;
  toxicologySamples: number;
  streetHeroin: StreetHeroinFinding;
}

export interface ResearchTop {
  stage: TopStage;
  date: string;
  day: number;
  opiatesDays: number | null;
  crackDays: number | null;
  cocaineDays: number | null;
  alcoholDays: number | null;
  cannabisDays: number | null;
  injectedDays: number | null;
  sharedNeedleOrSyringe: boolean | null;
  shopliftingDays: number | null;
  drugSellingDays: number | null;
  assaultOrViolence: boolean | null;
  psychologicalHealth: number | null;
  physicalHealth: number | null;
  qualityOfLife: number | null;
  paidWorkDays: number | null;
  acuteHousingProblem: boolean | null;
}

export interface ResearchPerson extends EpisodeMilestones {
  pseudonym: string;
  ageBandAtReferral: string;
  /** Intervals in days from referral (null when it has not happened by the end of the extract). */
  daysToTriage: number | null;
  daysToTreatment: number | null;
  daysInTreatment: number | null;
  weeks: ResearchWeek[];
  outcomeProfiles: ResearchTop[];
}

export interface ResearchExtract {
  from: string;
  to: string;
  people: ResearchPerson[];
}

const days = (d: DaysAnswer | null | undefined) => (d ? d.days : null);

function topOut(p: OutcomeProfile, date: string, day: number): ResearchTop {
  const s = p.substanceUse;
  const h = p.healthAndSocialFunctioning;
  return {
    stage: p.stage,
    date,
    day,
    opiatesDays: days(s.opiates),
    crackDays: days(s.crack),
    cocaineDays: days(s.cocaine),
    alcoholDays: days(s.alcohol),
    cannabisDays: days(s.cannabis),
    injectedDays: days(p.injectingRisk.injected),
    sharedNeedleOrSyringe: p.injectingRisk.sharedNeedleOrSyringe,
    shopliftingDays: days(p.crime.shoplifting),
    drugSellingDays: days(p.crime.drugSelling),
    assaultOrViolence: p.crime.assaultOrViolence,
    psychologicalHealth: h.psychologicalHealth,
    physicalHealth: h.physicalHealth,
    qualityOfLife: h.qualityOfLife,
    paidWorkDays: days(h.paidWork),
    acuteHousingProblem: h.acuteHousingProblem,
  };
}

/** Whether a person's episode overlaps the extract's dates. */
export function inExtract(p: Pick<ResearchPersonInput, 'referredOn' | 'dischargedOn' | 'eligible' | 'eligibilityDecidedOn'>, from: string, to: string): boolean {
  const ended = p.dischargedOn ?? (p.eligible === false ? p.eligibilityDecidedOn : null);
  return p.referredOn <= to && (ended === null || ended >= from);
}

/**
 * The extract for the people whose episodes overlap `from`..`to` (clinic dates). What happened after
 * `to` is left out. People are ordered by pseudonym, so the order says nothing about who they are.
 */
export function buildResearchExtract(key: Uint8Array, from: string, to: string, people: readonly ResearchPersonInput[], streetHeroinMarkers: readonly string[]): ResearchExtract {
  const out: ResearchPerson[] = [];
  for (const p of people) {
    if (!inExtract(p, from, to)) continue;
    const shift = dateShift(key, p.serviceUserId);
    const by = (d: string | null) => (d !== null && d <= to ? d : null);
    const sh = (d: string | null) => (d === null ? null : shiftDate(d, shift));
    const rel = (d: string | null) => (d === null ? null : daysBetween(p.referredOn, d));
    const started = by(p.treatmentStartedOn);
    const discharged = by(p.dischargedOn);
    const decided = by(p.eligibilityDecidedOn);

    const weeks: ResearchWeek[] = [];
    if (started) {
      const firstMonday = mondayOf(started > from ? started : from);
      const lastMonday = mondayOf(discharged ?? to);
      const n = firstMonday > lastMonday ? 0 : daysBetween(firstMonday, lastMonday) / 7 + 1;
      const tox = n > 0 ? toxicologyTrends(p.toxicology.filter((r) => r.effectiveDate <= to), { streetHeroinMarkers: [...streetHeroinMarkers] }, lastMonday, n).weeks : [];
      for (const w of tox) {
        const inWeek = p.doses.filter((d) => d.clinicDate >= w.weekStarting && d.clinicDate <= w.weekEnding && d.clinicDate <= to);
        const count = (kind: 'dose' | 'top_up', ...statuses: DoseStatus[]) => inWeek.filter((d) => d.kind === kind && statuses.includes(d.status)).length;
        weeks.push({
          weekStarting: shiftDate(w.weekStarting, shift),
          weekStartDay: daysBetween(p.referredOn, w.weekStarting),
          dosesGiven: count('dose', 'given', 'partially_given'),
          dosesRefused: count('dose', 'refused'),
          dosesMissed: count('dose', 'missed'),
          dosesWithheld: count('dose', 'withheld', 'prepared_not_given'),
          topUpsGiven: count('top_up', 'given', 'partially_given'),
          toxicologySamples: w.samplesTaken,
          streetHeroin: w.streetHeroin,
        });
      }
    }
    out.push({
      pseudonym: pseudonym(key, p.serviceUserId),
      ageBandAtReferral: ageBand(p.dateOfBirth, p.referredOn),
      referredOn: shiftDate(p.referredOn, shift),
      triagedOn: sh(by(p.triagedOn)),
      eligibilityDecidedOn: sh(decided),
      eligible: decided ? p.eligible : null,
      treatmentStartedOn: sh(started),
      dischargedOn: sh(discharged),
      dischargeReason: discharged ? p.dischargeReason : null,
      daysToTriage: rel(by(p.triagedOn)),
      daysToTreatment: rel(started),
      daysInTreatment: started ? daysBetween(started, discharged ?? to) : null,
      weeks,
      outcomeProfiles: p.outcomeProfiles
        .filter((t) => t.date <= to)
        .sort((a, b) => a.date.localeCompare(b.date))
        .map((t) => topOut(t.profile, shiftDate(t.date, shift), daysBetween(p.referredOn, t.date))),
    });
  }
  out.sort((a, b) => a.pseudonym.localeCompare(b.pseudonym));
  return { from, to, people: out };
}

const PERSON_COLUMNS = ['ageBandAtReferral', 'referredOn', 'triagedOn', 'eligibilityDecidedOn', 'eligible', 'treatmentStartedOn', 'dischargedOn', 'dischargeReason', 'daysToTriage', 'daysToTreatment', 'daysInTreatment'] as const;
const WEEK_COLUMNS = ['weekStarting', 'weekStartDay', 'dosesGiven', 'dosesRefused', 'dosesMissed', 'dosesWithheld', 'topUpsGiven', 'toxicologySamples', 'streetHeroin'] as const;
const TOP_COLUMNS = ['stage', 'date', 'day', 'opiatesDays', 'crackDays', 'cocaineDays', 'alcoholDays', 'cannabisDays', 'injectedDays', 'sharedNeedleOrSyringe', 'shopliftingDays', 'drugSellingDays', 'assaultOrViolence', 'psychologicalHealth', 'physicalHealth', 'qualityOfLife', 'paidWorkDays', 'acuteHousingProblem'] as const;
export const RESEARCH_CSV_HEADER = ['record', 'pseudonym', ...PERSON_COLUMNS, ...WEEK_COLUMNS.map((c) => `week.${c}`), ...TOP_COLUMNS.map((c) => `top.${c}`)] as const;

/**
 * The whole extract as one CSV (one key, so its pseudonyms link the lines): a `record` column says
 * what each line is (person, week or top); columns that do not apply to that kind are empty.
 */
export function researchCsv(extract: ResearchExtract): string {
  const blank = (n: number) => Array.from({ length: n }, () => null);
  const rows = extract.people.flatMap((p) => [
    ['person', p.pseudonym, ...PERSON_COLUMNS.map((c) => p[c]), ...blank(WEEK_COLUMNS.length + TOP_COLUMNS.length)],
    ...p.weeks.map((w) => ['week', p.pseudonym, ...blank(PERSON_COLUMNS.length), ...WEEK_COLUMNS.map((c) => w[c]), ...blank(TOP_COLUMNS.length)]),
    ...p.outcomeProfiles.map((t) => ['top', p.pseudonym, ...blank(PERSON_COLUMNS.length + WEEK_COLUMNS.length), ...TOP_COLUMNS.map((c) => t[c])]),
  ]);
  return csvTable(RESEARCH_CSV_HEADER, rows);
}
