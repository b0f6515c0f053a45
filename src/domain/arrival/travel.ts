/**
 * Travel burden: twice a day, every day, the journey to the clinic is the heaviest part of
 * treatment ("eight buses a day"). The report sets each person's attendance over a period against
 * their journey, and groups people by journey length.
 *
 * A session counts as expected once it has an outcome at the hatch for the person (their dose row:
 * given, refused, not given, or "missed" — which the dosing room records for everyone expected who
 * did not come when a session closes). Attended: they came (anything but missed). Given: a dose
 * (or part of one) went in. Attendance is attended ÷ expected.
 */

export const JOURNEY_BANDS = [
  { code: 'under_15', label: 'under 15 min', from: 0, below: 15 },
  { code: '15_to_29', label: '15–29 min', from: 15, below: 30 },
  { code: '30_to_59', label: '30–59 min', from: 30, below: 60 },
  { code: '60_plus', label: '60 min or more', from: 60, below: Infinity },
  { code: 'unknown', label: 'not recorded', from: NaN, below: NaN },
] as const;
export type JourneyBand = (typeof JOURNEY_BANDS)[number]['code'];

/** The band of a one-way journey in minutes (lower bound included); null (not recorded) is "unknown". */
export function journeyBand(minutesOneWay: number | null): JourneyBand {
  if (minutesOneWay === null || !Number.isFinite(minutesOneWay) || minutesOneWay < 0) return 'unknown';
  return JOURNEY_BANDS.find((b) => minutesOneWay >= b.from && minutesOneWay < b.below)!.code;
}

export type SessionOutcome = 'given' | 'attended_not_given' | 'missed';

export interface Attendance {
  expected: number;
  attended: number;
  given: number;
  missed: number;
  /** attended ÷ expected as a percentage to one decimal; null when nothing was expected. */
  attendancePercent: number | null;
}

export const percent = (part: number, whole: number): number | null => (whole === 0 ? null : Math.round((1000 * part) / whole) / 10);

/** Counts over a person's session outcomes. */
export function attendanceOf(outcomes: readonly SessionOutcome[]): Attendance {
  const given = outcomes.filter((o) => o === 'given').length;
  const missed = outcomes.filter((o) => o === 'missed').length;
  const expected = outcomes.length;
  const attended = expected - missed;
  return { expected, attended, given, missed, attendancePercent: percent(attended, expected) };
}

export interface BandSummary {
  band: JourneyBand;
  label: string;
  people: number;
  expected: number;
  attended: number;
  given: number;
  attendancePercent: number | null;
}

/** Each band (all five, in order, empty ones too) with its people and their sessions summed. */
export function travelBands(people: readonly { minutesOneWay: number | null; attendance: Attendance }[]): BandSummary[] {
  return JOURNEY_BANDS.map((b) => {
    const inBand = people.filter((p) => journeyBand(p.minutesOneWay) === b.code);
    const expected = inBand.reduce((n, p) => n + p.attendance.expected, 0);
    const attended = inBand.reduce((n, p) => n + p.attendance.attended, 0);
    const given = inBand.reduce((n, p) => n + p.attendance.given, 0);
    return { band: b.code, label: b.label, people: inBand.length, expected, attended, given, attendancePercent: percent(attended, expected) };
  });
}
