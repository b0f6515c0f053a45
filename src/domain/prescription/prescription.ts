/**
 * What a prescription version says. A prescription is never edited: each change (a new dose, a
 * suspension, cancellation or end) is a new version that supersedes the previous one from its
 * `effectiveFrom` instant, signed by whoever made it.
 */

export type Route = 'iv' | 'im';
export const ROUTES: readonly Route[] = ['iv', 'im'];

export type PrescriptionStatus = 'active' | 'suspended' | 'cancelled' | 'ended';

export interface TopUp {
  /** The most that may be given as a top-up in a session, after the wait. */
  maxMg: number;
  /** Minutes of observation after the session's dose before a top-up. */
  minWaitMinutes: number;
}

export interface TitrationStep {
  /** Clinic date (YYYY-MM-DD) from which this dose applies. */
  fromDate: string;
  doseMg: number;
}

export interface Titration {
  /** The first dose (for a new person; at most the clinic's first-dose limit). */
  startDoseMg: number;
  /** Planned increases, by date, toward the prescribed dose. */
  steps: TitrationStep[];
}

export interface DiamorphineOrder {
  /** The clinic's session codes at which a dose is given (e.g. AM, PM): sessions per day. */
  sessions: string[];
  /** Dose per session when injected into a vein; null if the route is not prescribed. */
  ivDoseMg: number | null;
  /** Dose per session when injected into a muscle (used when veins fail); null if not prescribed. */
  imDoseMg: number | null;
  titration: Titration | null;
  topUp: TopUp | null;
  /** Where a person restarts after missed doses or an absence: never their old maintenance dose. */
  retitrationStartDoseMg: number;
}

export interface MethadoneCover {
  /** Oral methadone (or another opioid) for the night, mg a day. */
  drug: string;
  dailyDoseMg: number;
  pharmacy: string;
  supervised: boolean;
}

export interface PrescriptionContent {
  status: PrescriptionStatus;
  diamorphine: DiamorphineOrder;
  methadone: MethadoneCover | null;
  /** Clinic dates, YYYY-MM-DD. */
  startDate: string;
  endDate: string | null;
  reviewDate: string;
}

/** The dose for a session on a clinic date and route, following the titration plan toward the prescribed dose. */
export function plannedDoseMg(order: DiamorphineOrder, route: Route, onDate: string): number | null {
  const prescribed = route === 'iv' ? order.ivDoseMg : order.imDoseMg;
  if (prescribed === null) return null;
  if (!order.titration) return prescribed;
  let dose = order.titration.startDoseMg;
  for (const step of order.titration.steps) if (step.fromDate <= onDate) dose = step.doseMg;
  return Math.min(dose, prescribed);
}

/** The largest dose a session could ever be given under this order, by any route. */
export function largestSessionDoseMg(order: DiamorphineOrder): number {
  return Math.max(order.ivDoseMg ?? 0, order.imDoseMg ?? 0);
}
