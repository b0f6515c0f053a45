import { z } from 'zod';
import { Temporal } from 'temporal-polyfill';
import { BREATH_ALCOHOL_UNITS, toMgPerLitreBreath, type BreathAlcoholUnit } from '../dosing/breath-alcohol';
import type { PreDoseAlert } from '../service-user/record';
import type { Decision } from '../refusal';
import { clinicDate, formatClinicTime } from '../time/clinic-time';
import type { CareRecord } from './care-record';
import { recordsOf, type CareRuleInput, type CareRules, type PersonInCare } from './person-in-care';
import type { WorkItem } from './work-list';

/**
 * Breath tests (breathalyser) taken apart from a dose: the daily test for someone identified as
 * using alcohol, one asked for, or any other. The reading is kept as the meter showed it AND in
 * one fixed unit, mg of alcohol per litre of breath (see breath-alcohol.ts for the factors).
 *
 * When a test was taken matters: a recent one stands in for a reading at the pre-dose assessment
 * (settings.monitoring.breathTestValidMinutes, 60 by default). Its time is `occurredAt` when the
 * client sent one. Without it, the test is taken to have happened when it was recorded, but only
 * for a first version recorded on its own effective date: a test back-dated to an earlier day, or
 * corrected later without a time, has no known time. It still counts for its day; it never stands
 * in for a reading at an assessment (the safe way round: the person is simply tested again).
 */

export const BREATH_TEST_REASONS = ['daily_required', 'on_request', 'other'] as const;
export type BreathTestReason = (typeof BREATH_TEST_REASONS)[number];

export const BreathTestData = z.object({
  reading: z.object({
    value: z.number().min(0, 'must be 0 or more').max(1000, 'must be at most 1000'),
    unit: z.enum(BREATH_ALCOHOL_UNITS, `must be one of ${BREATH_ALCOHOL_UNITS.join(', ')}`).describe('The unit the meter shows; converted to mg/L of breath'),
  }),
  reason: z.enum(BREATH_TEST_REASONS, 'must be daily_required, on_request or other'),
  notes: z.string().trim().min(1, 'must not be empty').max(1000, 'must be at most 1000 characters').nullable().default(null),
});
export type BreathTestInput = z.output<typeof BreathTestData>;

/** As stored: the reading as shown, and the same in mg/L of breath. */
export interface BreathTestRecordData {
  reading: { value: number; unit: BreathAlcoholUnit };
  mgPerL: number;
  reason: BreathTestReason;
  notes: string | null;
}

export function checkBreathTest(data: BreathTestInput): Decision<BreathTestRecordData> {
  const converted = toMgPerLitreBreath(data.reading.value, data.reading.unit);
  if (!converted.ok) return { ok: false, refusals: converted.refusals.map((r) => ({ ...r, field: 'reading.value' })) };
  return { ok: true, value: { reading: data.reading, mgPerL: converted.value, reason: data.reason, notes: data.notes } };
}

/** When the test was taken, or null if not known (see the note at the top). */
export function breathTestTakenAt(record: CareRecord<BreathTestRecordData>, timeZone: string): string | null {
  if (record.occurredAt) return record.occurredAt;
  if (record.version !== 1) return null;
  const recordedOn = clinicDate(Temporal.Instant.from(record.recordedAt), timeZone).toString();
  return recordedOn === record.effectiveDate ? record.recordedAt : null;
}

export interface BreathReading {
  recordId: string;
  mgPerL: number;
  /** When it was taken (UTC, ISO 8601). */
  at: string;
}

/** The person's breath tests whose time is known, as readings. */
export function breathTestReadings(records: readonly CareRecord<BreathTestRecordData>[], timeZone: string): BreathReading[] {
  const out: BreathReading[] = [];
  for (const r of records) {
    if (r.enteredInError) continue;
    const at = breathTestTakenAt(r, timeZone);
    if (at !== null) out.push({ recordId: r.recordId, mgPerL: r.data.mgPerL, at });
  }
  return out;
}

/**
 * The reading that stands in for one at a pre-dose assessment at `now`: the latest taken within the
 * last `validMinutes` (inclusive) and not after `now`; of two at the same moment, the higher.
 */
export function breathAlcoholForAssessment(tests: readonly BreathReading[], now: Temporal.Instant, validMinutes: number): BreathReading | null {
  const from = now.subtract({ minutes: validMinutes });
  let best: BreathReading | null = null;
  let bestAt: Temporal.Instant | null = null;
  for (const t of tests) {
    const at = Temporal.Instant.from(t.at);
    if (Temporal.Instant.compare(at, now) > 0 || Temporal.Instant.compare(at, from) < 0) continue;
    const c = bestAt ? Temporal.Instant.compare(at, bestAt) : 1;
    if (c > 0 || (c === 0 && t.mgPerL > best!.mgPerL)) {
      best = { recordId: t.recordId, mgPerL: t.mgPerL, at: at.toString() };
      bestAt = at;
    }
  }
  return best;
}

export interface ReadingToday {
  mgPerL: number;
  /** When taken, if known. */
  at: string | null;
  source: 'breath_test' | 'assessment';
  recordId: string | null;
}

export interface BreathTestToday {
  /** Identified alcohol use, in treatment, not away. */
  required: boolean;
  /** A breath test dated today, or a breath reading at a pre-dose assessment today. */
  done: boolean;
  /** Today's latest reading (by time; readings of unknown time count as when recorded). */
  latest: ReadingToday | null;
}

/** Whether the person needs a breath test today, whether they have had one, and the latest reading. */
export function breathTestRequiredToday(person: PersonInCare, today: string, timeZone: string): BreathTestToday {
  const required = person.record.alcohol.knownUse && person.inTreatment && !person.absent;
  const readings: (ReadingToday & { order: string })[] = [];
  for (const r of recordsOf<BreathTestRecordData>(person, 'breath_test')) {
    if (r.effectiveDate !== today) continue;
    const at = breathTestTakenAt(r, timeZone);
    readings.push({ mgPerL: r.data.mgPerL, at, source: 'breath_test', recordId: r.recordId, order: at ?? r.recordedAt });
  }
  for (const a of person.assessmentBreathTests) {
    const at = Temporal.Instant.from(a.at);
    if (clinicDate(at, timeZone).toString() !== today) continue;
    readings.push({ mgPerL: a.mgPerL, at: at.toString(), source: 'assessment', recordId: null, order: at.toString() });
  }
  const byTime = (a: { order: string }, b: { order: string }) => Temporal.Instant.compare(Temporal.Instant.from(a.order), Temporal.Instant.from(b.order));
  const last = readings.sort(byTime).at(-1);
  return { required, done: readings.length > 0, latest: last ? { mgPerL: last.mgPerL, at: last.at, source: last.source, recordId: last.recordId } : null };
}

function workItems({ person, settings, today }: CareRuleInput): WorkItem[] {
  const t = breathTestRequiredToday(person, today, settings.timeZone);
  if (!t.required || t.done) return [];
  return [
    {
      list: 'breath_test_today',
      serviceUserId: person.serviceUserId,
      dueOn: today,
      overdue: false,
      severity: 'warning',
      text: 'Breath test required today (identified alcohol use): not yet done',
      recordId: null,
    },
  ];
}

function alerts({ person, settings, today }: CareRuleInput): PreDoseAlert[] {
  const t = breathTestRequiredToday(person, today, settings.timeZone);
  const out: PreDoseAlert[] = [];
  if (t.required && !t.done) out.push({ kind: 'breath_test', severity: 'warning', text: 'Breath test required today: not yet done' });
  const reading = t.latest;
  const { breathAlcoholReduceMgPerL: reduce, breathAlcoholRefuseMgPerL: refuseAt } = settings.dosing;
  if (reading && reading.mgPerL >= reduce) {
    const when = reading.at ? ` at ${formatClinicTime(Temporal.Instant.from(reading.at), settings.timeZone)}` : '';
    const refuse = reading.mgPerL >= refuseAt;
    out.push({
      kind: 'breath_test',
      severity: refuse ? 'danger' : 'warning',
      text: refuse
        ? `Breath alcohol ${reading.mgPerL} mg/L today${when}: at or above the clinic's threshold to refuse a dose (${refuseAt} mg/L)`
        : `Breath alcohol ${reading.mgPerL} mg/L today${when}: at or above the clinic's threshold to reduce the dose (${reduce} mg/L)`,
    });
  }
  return out;
}

export const breathTestRules: CareRules = { workItems, alerts };
