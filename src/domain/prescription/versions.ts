import { Temporal } from 'temporal-polyfill';
import type { Decision, Refusal } from '../refusal';
import { refuse } from '../refusal';
import type { PrescriptionContent } from './prescription';

/**
 * Which version of a prescription is in force at an instant. Versions are numbered in the order
 * they were signed; each takes effect at its `effectiveFrom`, which can not be before it was
 * signed. The version in force at t is the highest-numbered one already in effect at t. So:
 * - at any instant at most one version is in force, and after the first one exactly one (no
 *   overlap, no gap);
 * - a new version can never change which version was in force before it was signed, so the
 *   record of what a past dose was given under never changes;
 * - a later version with an earlier start supersedes a future-dated one that has not begun.
 */
export interface VersionTiming {
  version: number;
  signedAt: Temporal.Instant;
  effectiveFrom: Temporal.Instant;
}

export function versionInForce<T extends VersionTiming>(versions: readonly T[], at: Temporal.Instant): T | null {
  let best: T | null = null;
  for (const v of versions) {
    if (Temporal.Instant.compare(v.effectiveFrom, at) > 0) continue;
    if (!best || v.version > best.version) best = v;
  }
  return best;
}

/** A new version may take effect now or later, never in the past. */
export function timingRefusals(effectiveFrom: Temporal.Instant, now: Temporal.Instant): Refusal[] {
  if (Temporal.Instant.compare(effectiveFrom, now) < 0) {
    return [
      refuse(
        'effective_in_past',
        'A prescription version takes effect now or later; it cannot be backdated, because doses may already have been given under the version in force',
        'effectiveFrom',
      ),
    ];
  }
  return [];
}

/** Whether a dose may be given under this prescription on a clinic date. */
export function mayBeDosedUnder(content: PrescriptionContent | null, onDate: string): Decision<true> {
  if (!content) return { ok: false, refusals: [refuse('no_prescription', 'There is no prescription in force')] };
  if (content.status === 'suspended') return { ok: false, refusals: [refuse('prescription_suspended', 'The prescription is suspended')] };
  if (content.status === 'cancelled' || content.status === 'ended') {
    return { ok: false, refusals: [refuse('prescription_stopped', `The prescription is ${content.status}`)] };
  }
  if (onDate < content.startDate) {
    return { ok: false, refusals: [refuse('prescription_not_started', `The prescription starts on ${content.startDate}`)] };
  }
  if (content.endDate !== null && onDate > content.endDate) {
    return { ok: false, refusals: [refuse('prescription_expired', `The prescription ended on ${content.endDate}`)] };
  }
  return { ok: true, value: true };
}
