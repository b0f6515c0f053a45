import { z } from 'zod';
import type { ClinicSettings } from '../clinic/clinic-settings';
import { refuse, type Decision, type Refusal } from '../refusal';
import { WALL_TIME_PATTERN } from '../time/zone';
import { slotAt, slotsFor } from './slots';

/**
 * A person's standing arrival plan (a care record, kind `arrival_plan`): the slot they would like
 * at each session, the waiting area they would like, and whether they should wait apart from
 * others — the study's service users who were stopping street drugs relapsed after sitting with
 * people still using. The latest plan is the one in force; each day's allocation honours it where
 * capacity allows (see allocation.ts).
 */

/** Why a person should wait apart from others. */
export const SEPARATION_REASONS = ['stopping_street_drugs', 'actively_using', 'other'] as const;
export type SeparationReason = (typeof SEPARATION_REASONS)[number];

export const SEPARATION_LABELS: Record<SeparationReason, string> = {
  stopping_street_drugs: 'stopping street drugs: keep away from people actively using',
  actively_using: 'actively using: keep away from people stopping street drugs',
  other: 'another reason (see notes)',
};

const wallTime = z.string().regex(WALL_TIME_PATTERN, 'must be a time of day as HH:MM (24-hour clock)');

export const ArrivalPlanData = z.object({
  preferredSlots: z
    .record(z.string().regex(/^[A-Z][A-Z0-9_]{0,15}$/, 'must be a session code such as AM'), wallTime.nullable())
    .default({})
    .describe('Per session code, the start of the slot they would like (HH:MM), or null for none, e.g. {"AM":"08:15","PM":null}'),
  preferredArea: z.string().max(30).nullable().default(null).describe("The waiting area they would like (a code from the clinic's settings), or null"),
  separateBecause: z
    .enum(SEPARATION_REASONS)
    .nullable()
    .default(null)
    .describe('Why they should wait apart: stopping_street_drugs (never with people actively using), actively_using (never with people stopping), other (see notes); null: no need'),
  notes: z.string().trim().max(500).nullable().default(null),
});
export type ArrivalPlan = z.output<typeof ArrivalPlanData>;

/** The plan against the clinic's sessions, slots and waiting areas as configured now. */
export function checkArrivalPlan(plan: ArrivalPlan, settings: Pick<ClinicSettings, 'sessions' | 'arrival'>): Decision<ArrivalPlan> {
  const refusals: Refusal[] = [];
  for (const [code, start] of Object.entries(plan.preferredSlots)) {
    const session = settings.sessions.find((s) => s.code === code);
    if (!session) {
      refusals.push(refuse('arrival_session_unknown', `This clinic has no session ${code} (it has ${settings.sessions.map((s) => s.code).join(', ')})`, `preferredSlots.${code}`));
      continue;
    }
    if (start === null) continue;
    const slots = slotsFor(session, settings.arrival.slotMinutes);
    if (!slotAt(slots, start)) {
      refusals.push(
        refuse(
          'arrival_slot_unknown',
          `No ${session.code} slot starts at ${start}: slots are every ${settings.arrival.slotMinutes} min from ${session.start} (${slots.slice(0, 4).map((s) => s.start).join(', ')}${slots.length > 4 ? ', …' : ''})`,
          `preferredSlots.${code}`,
        ),
      );
    }
  }
  if (plan.preferredArea !== null && !settings.arrival.waitingAreas.some((a) => a.code === plan.preferredArea)) {
    const known = settings.arrival.waitingAreas.map((a) => a.code);
    refusals.push(refuse('waiting_area_unknown', `This clinic has no waiting area ${plan.preferredArea} (${known.length ? `it has ${known.join(', ')}` : 'none are configured'})`, 'preferredArea'));
  }
  return refusals.length ? { ok: false, refusals } : { ok: true, value: plan };
}
