import { z } from 'zod';

/**
 * Clinic-wide hard ceilings that no prescription may exceed, set by the clinic's administrator.
 * Defaults, with their sources, in docs/clinical-defaults.md:
 * - 1000 mg a day: the NAOMI trial's maximum (NEJM 2009);
 * - 400 mg in one injection: a conservative default only, *unconfirmed* by any source;
 * - 30 mg as the first dose for a new or re-titrating person: the drug monograph's day-1 dose;
 * - top-up only after a 20-minute observation (iOAT titration protocols);
 * - rises per dose and per day, and the methadone ceiling: conservative defaults of ours, *unconfirmed*.
 * The schema's bounds catch typing mistakes (4000 for 400); they are not clinical advice.
 */
export const DosingLimitsSchema = z.object({
  maxSingleDoseMg: z.number().int('must be whole mg').min(1).max(1000, 'must be at most 1000 mg'),
  maxDailyDoseMg: z.number().int('must be whole mg').min(1).max(2000, 'must be at most 2000 mg'),
  firstDoseMg: z.number().int('must be whole mg').min(1).max(100, 'must be at most 100 mg'),
  maxRisePerDoseMg: z.number().int('must be whole mg').min(1).max(500),
  maxRisePerDayMg: z.number().int('must be whole mg').min(1).max(1000),
  topUpMaxMg: z.number().int('must be whole mg').min(0).max(500),
  topUpMinWaitMinutes: z.number().int('must be whole minutes').min(5, 'must be at least 5 minutes').max(240),
  maxMethadoneDailyMg: z.number().int('must be whole mg').min(1).max(500, 'must be at most 500 mg'),
});
export type DosingLimits = z.infer<typeof DosingLimitsSchema>;

export const DEFAULT_DOSING_LIMITS: DosingLimits = {
  maxSingleDoseMg: 400,
  maxDailyDoseMg: 1000,
  firstDoseMg: 30,
  maxRisePerDoseMg: 30,
  maxRisePerDayMg: 60,
  topUpMaxMg: 30,
  topUpMinWaitMinutes: 20,
  maxMethadoneDailyMg: 150,
};

/** Ceilings that contradict each other make every prescription impossible or the checks meaningless. */
export function dosingLimitsProblems(limits: DosingLimits): { field: string; message: string }[] {
  const problems: { field: string; message: string }[] = [];
  if (limits.maxSingleDoseMg > limits.maxDailyDoseMg) {
    problems.push({ field: 'maxSingleDoseMg', message: `a single dose (${limits.maxSingleDoseMg} mg) cannot exceed the daily maximum (${limits.maxDailyDoseMg} mg)` });
  }
  if (limits.firstDoseMg > limits.maxSingleDoseMg) {
    problems.push({ field: 'firstDoseMg', message: `the first dose (${limits.firstDoseMg} mg) cannot exceed the maximum single dose (${limits.maxSingleDoseMg} mg)` });
  }
  if (limits.topUpMaxMg > limits.maxSingleDoseMg) {
    problems.push({ field: 'topUpMaxMg', message: `a top-up (${limits.topUpMaxMg} mg) cannot exceed the maximum single dose (${limits.maxSingleDoseMg} mg)` });
  }
  return problems;
}
