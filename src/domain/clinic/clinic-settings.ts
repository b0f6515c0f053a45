import { z } from 'zod';
import { DEFAULT_ELIGIBILITY_CRITERIA } from '../episode/eligibility';
import { DEFAULT_DOSING_LIMITS, DosingLimitsSchema, dosingLimitsProblems } from '../prescription/dosing-limits';
import { DEFAULT_DOSING_SETTINGS, DosingSettingsSchema } from '../dosing/dosing-settings';
import { DEFAULT_MONITORING_SETTINGS, MonitoringSettingsSchema, monitoringSettingsProblems } from '../care/monitoring-settings';
import { DEFAULT_TAKE_HOME_SETTINGS, TakeHomeSettingsSchema } from '../take-home/take-home-settings';
import { ArrivalSettingsSchema, DEFAULT_ARRIVAL_SETTINGS } from '../arrival/arrival-settings';
import { arrivalSettingsProblems } from '../arrival/allocation';
import { ContinuitySettingsSchema, DEFAULT_CONTINUITY_SETTINGS, PeerContactSchema } from '../continuity/continuity-settings';
import { DEFAULT_PORTAL_SETTINGS, PortalSettingsSchema } from '../portal/portal-settings';
import { DEFAULT_REPORTING_SETTINGS, ReportingSettingsSchema } from '../reporting/reporting-settings';
import { DEFAULT_TIME_ZONE, WALL_TIME_PATTERN, formatMinutes, isKnownTimeZone, minutesOfDay } from '../time/zone';
import type { Checked, FieldProblem } from '../validation';
import { zodProblems } from '../validation';

/**
 * A clinic's own configuration. Defaults follow the Middlesbrough service in the seed study:
 * open 08:00–18:00 every day of the year, morning and afternoon dosing sessions, at least 4 h
 * between doses, up to 15 service users.
 */

export const WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** The shortest minimum interval a clinic may configure. Below 3 h a person could be dosed again
 * while the previous injection may still be at peak effect; the seed study's service used 4–5 h. */
export const MINIMUM_DOSE_INTERVAL_FLOOR_MINUTES = 180;
export const MINIMUM_DOSE_INTERVAL_CEILING_MINUTES = 720;

const wallTime = z.string().regex(WALL_TIME_PATTERN, 'must be a time of day as HH:MM (24-hour clock)');

export const OpeningHoursSchema = z.object({
  opens: wallTime,
  closes: wallTime,
});
export type OpeningHours = z.infer<typeof OpeningHoursSchema>;

export const DosingSessionSchema = z.object({
  code: z
    .string()
    .regex(/^[A-Z][A-Z0-9_]{0,15}$/, 'must be 1–16 capital letters, digits or _ , starting with a letter (e.g. AM)'),
  label: z.string().trim().min(1, 'must not be empty').max(60),
  start: wallTime,
  end: wallTime,
});
export type DosingSession = z.infer<typeof DosingSessionSchema>;

export const ClinicSettingsSchema = z.object({
  name: z.string().trim().min(1, 'must not be empty').max(120),
  timeZone: z.string().refine(isKnownTimeZone, 'must be an IANA time zone such as Europe/London'),
  openingHours: z.object(
    Object.fromEntries(WEEKDAYS.map((day) => [day, OpeningHoursSchema.nullable()])) as Record<
      Weekday,
      z.ZodNullable<typeof OpeningHoursSchema>
    >,
  ),
  sessions: z.array(DosingSessionSchema).min(1, 'a clinic needs at least one dosing session').max(4),
  minimumDoseIntervalMinutes: z
    .number()
    .int('must be a whole number of minutes')
    .min(MINIMUM_DOSE_INTERVAL_FLOOR_MINUTES, `must be at least ${MINIMUM_DOSE_INTERVAL_FLOOR_MINUTES} minutes`)
    .max(MINIMUM_DOSE_INTERVAL_CEILING_MINUTES, `must be at most ${MINIMUM_DOSE_INTERVAL_CEILING_MINUTES} minutes`),
  places: z.number().int('must be a whole number').min(1, 'must be at least 1').max(500, 'must be at most 500'),
  /** Who HAT is for at this clinic; any criterion can be switched off (see eligibility.ts). */
  eligibilityCriteria: z
    .array(
      z.object({
        code: z.string().regex(/^[a-z][a-z0-9_]{1,59}$/, 'must be snake_case, e.g. long_term_opioid_dependence'),
        label: z.string().trim().min(1, 'must not be empty').max(200),
        enabled: z.boolean(),
        automatic: z.enum(['age_18_or_over']).optional(),
      }),
    )
    .max(20),
  /** Hard ceilings no prescription may exceed (see dosing-limits.ts). */
  dosingLimits: DosingLimitsSchema,
  /** The dosing room's policy: sedation, breath alcohol, observation, missed doses, sites. */
  dosing: DosingSettingsSchema,
  /** Toxicology, breath tests, methadone, heart safety, naloxone, care plans, outcomes (see monitoring-settings.ts). */
  monitoring: MonitoringSettingsSchema,
  /** Take-home doses for stable users (off by default; see take-home-settings.ts). */
  takeHome: TakeHomeSettingsSchema,
  /** Arrival slots and waiting areas (see arrival-settings.ts). */
  arrival: ArrivalSettingsSchema,
  /** The funding horizon and notice for continuity plans. */
  continuity: ContinuitySettingsSchema,
  /** Peer champions and contacts the clinic offers. */
  peerSupport: z.array(PeerContactSchema).max(30),
  /** The service-user portal (off by default). */
  portal: PortalSettingsSchema,
  /** Reports for commissioners: small-number suppression (see reporting-settings.ts). */
  reporting: ReportingSettingsSchema,
});
export type ClinicSettings = z.infer<typeof ClinicSettingsSchema>;

const everyDay = (hours: OpeningHours | null) =>
  Object.fromEntries(WEEKDAYS.map((day) => [day, hours])) as Record<Weekday, OpeningHours | null>;

export function defaultClinicSettings(name: string): ClinicSettings {
  return {
    name,
    timeZone: DEFAULT_TIME_ZONE,
    openingHours: everyDay({ opens: '08:00', closes: '18:00' }),
    sessions: [
      { code: 'AM', label: 'Morning', start: '08:00', end: '11:30' },
      { code: 'PM', label: 'Afternoon', start: '13:00', end: '17:30' },
    ],
    minimumDoseIntervalMinutes: 240,
    places: 15,
    eligibilityCriteria: DEFAULT_ELIGIBILITY_CRITERIA.map((c) => ({ ...c })),
    dosingLimits: { ...DEFAULT_DOSING_LIMITS },
    dosing: { ...DEFAULT_DOSING_SETTINGS, injectionSites: [...DEFAULT_DOSING_SETTINGS.injectionSites], blockedSites: [...DEFAULT_DOSING_SETTINGS.blockedSites] },
    monitoring: { ...DEFAULT_MONITORING_SETTINGS, toxicologyPanel: [...DEFAULT_MONITORING_SETTINGS.toxicologyPanel], streetHeroinMarkers: [...DEFAULT_MONITORING_SETTINGS.streetHeroinMarkers] },
    takeHome: { ...DEFAULT_TAKE_HOME_SETTINGS, criteria: { ...DEFAULT_TAKE_HOME_SETTINGS.criteria } },
    arrival: { ...DEFAULT_ARRIVAL_SETTINGS, waitingAreas: [] },
    continuity: { ...DEFAULT_CONTINUITY_SETTINGS },
    peerSupport: [],
    portal: { ...DEFAULT_PORTAL_SETTINGS },
    reporting: { ...DEFAULT_REPORTING_SETTINGS },
  };
}

/**
 * Settings as stored by an earlier version of openhat may lack fields added since; those take
 * their defaults when read. (Writes always carry every field.)
 */
export function readStoredClinicSettings(stored: unknown): ClinicSettings {
  const s = stored as Partial<ClinicSettings>;
  const defaults = defaultClinicSettings(s.name ?? 'Clinic');
  return { ...defaults, ...s };
}

/**
 * Structural checks (types, formats) plus the rules that make a timetable workable and safe:
 * every session inside opening hours on every open day, sessions in order without overlap, and
 * far enough apart that the minimum interval between doses can be kept.
 */
export function checkClinicSettings(input: unknown): Checked<ClinicSettings> {
  const parsed = ClinicSettingsSchema.safeParse(input);
  if (!parsed.success) return { ok: false, problems: zodProblems(parsed.error) };
  const settings = parsed.data;
  const problems = [
    ...openingHoursProblems(settings),
    ...sessionProblems(settings),
    ...dosingLimitsProblems(settings.dosingLimits).map((p) => ({ ...p, field: `dosingLimits.${p.field}` })),
    ...criteriaProblems(settings),
    ...monitoringSettingsProblems(settings.monitoring),
    ...arrivalSettingsProblems(settings.arrival),
    ...(settings.dosing.breathAlcoholReduceMgPerL > settings.dosing.breathAlcoholRefuseMgPerL
      ? [{ field: 'dosing.breathAlcoholReduceMgPerL', message: 'the threshold to reduce must not be above the threshold to refuse' }]
      : []),
  ];
  return problems.length === 0 ? { ok: true, value: settings } : { ok: false, problems };
}

function openingHoursProblems(settings: ClinicSettings): FieldProblem[] {
  const problems: FieldProblem[] = [];
  for (const day of WEEKDAYS) {
    const hours = settings.openingHours[day];
    if (hours && minutesOfDay(hours.opens) >= minutesOfDay(hours.closes)) {
      problems.push({
        field: `openingHours.${day}.closes`,
        message: `closing time ${hours.closes} must be after opening time ${hours.opens}`,
      });
    }
  }
  if (WEEKDAYS.every((day) => settings.openingHours[day] === null)) {
    problems.push({ field: 'openingHours', message: 'the clinic must be open on at least one day' });
  }
  return problems;
}

function sessionProblems(settings: ClinicSettings): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const { sessions, minimumDoseIntervalMinutes: interval } = settings;
  const seen = new Set<string>();

  sessions.forEach((session, i) => {
    const start = minutesOfDay(session.start);
    const end = minutesOfDay(session.end);
    if (seen.has(session.code)) {
      problems.push({ field: `sessions[${i}].code`, message: `session code ${session.code} is used twice` });
    }
    seen.add(session.code);
    if (start >= end) {
      problems.push({
        field: `sessions[${i}].end`,
        message: `session ${session.code} must end (${session.end}) after it starts (${session.start})`,
      });
      return;
    }
    for (const day of WEEKDAYS) {
      const hours = settings.openingHours[day];
      if (!hours) continue;
      if (start < minutesOfDay(hours.opens) || end > minutesOfDay(hours.closes)) {
        problems.push({
          field: `sessions[${i}]`,
          message: `session ${session.code} (${session.start}–${session.end}) falls outside opening hours on ${day} (${hours.opens}–${hours.closes})`,
        });
        break;
      }
    }
  });

  for (let i = 1; i < sessions.length; i++) {
    const before = sessions[i - 1]!;
    const after = sessions[i]!;
    const beforeStart = minutesOfDay(before.start);
    const beforeEnd = minutesOfDay(before.end);
    const afterStart = minutesOfDay(after.start);
    const afterEnd = minutesOfDay(after.end);
    if (afterStart < beforeEnd) {
      problems.push({
        field: `sessions[${i}].start`,
        message: `session ${after.code} must start after session ${before.code} ends (${before.end}); list sessions in time order without overlap`,
      });
      continue;
    }
    if (afterStart - beforeStart < interval) {
      problems.push({
        field: `sessions[${i}].start`,
        message: `session ${after.code} starts ${formatMinutes(afterStart - beforeStart)} after session ${before.code} starts; with a minimum interval of ${formatMinutes(interval)} between doses, someone dosed at ${before.start} could not be dosed when ${after.code} opens`,
      });
    }
    if (beforeEnd + interval > afterEnd) {
      problems.push({
        field: `sessions[${i}].end`,
        message: `session ${after.code} ends at ${after.end}; someone dosed at the end of ${before.code} (${before.end}) must wait ${formatMinutes(interval)}, so ${after.code} must end at ${formatWallTime(beforeEnd + interval)} or later`,
      });
    }
  }
  return problems;
}

function criteriaProblems(settings: ClinicSettings): FieldProblem[] {
  const seen = new Set<string>();
  const problems: FieldProblem[] = [];
  settings.eligibilityCriteria.forEach((c, i) => {
    if (seen.has(c.code)) problems.push({ field: `eligibilityCriteria[${i}].code`, message: `criterion ${c.code} is listed twice` });
    seen.add(c.code);
  });
  return problems;
}

function formatWallTime(minutes: number): string {
  if (minutes >= 24 * 60) return 'after midnight';
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}
