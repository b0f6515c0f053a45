import { Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { get } from '../api';
import { useClinicPath, useSession } from '../session';

/** A session's allocation, as `GET arrival-slots` answers (see src/server/arrival/schemas.ts). */
export interface Person {
  serviceUserId: string;
  displayName: string;
}
export type Basis = 'moved' | 'preferred' | 'assigned' | null;
export type SeparateBecause = 'stopping_street_drugs' | 'actively_using' | 'other' | null;
export interface SlotView {
  code: string;
  session: string;
  start: string;
  end: string;
}
export interface Placement extends Person {
  slot: SlotView | null;
  slotBasis: Basis;
  area: string | null;
  areaName: string | null;
  areaBasis: Basis;
  separateBecause: SeparateBecause;
  notes: string[];
  lastMove: { recordId: string; reason: string; recordedAt: string; recordedBy: string | null } | null;
}
export interface AllocationView {
  date: string;
  session: { code: string; label: string; start: string; end: string };
  enabled: boolean;
  slotMinutes: number;
  peoplePerSlot: number;
  slots: (SlotView & { places: number; count: number; people: Person[] })[];
  areas: { code: string; name: string; purpose: string | null; capacity: number; count: number }[];
  people: Placement[];
  unallocated: (Person & { why: string })[];
  warnings: { rule: string; area: string | null; message: string; people: Person[] }[];
}

export const SEPARATION_WORDS: Record<Exclude<SeparateBecause, null>, string> = {
  stopping_street_drugs: 'Stopping street drugs',
  actively_using: 'Actively using',
  other: 'Other reason',
};

export const BASIS_WORDS: Record<Exclude<Basis, null>, string> = {
  moved: 'moved by staff',
  preferred: 'their preference',
  assigned: 'assigned',
};

export const arrivalsKey = (clinicId: string | null, session: string, date: string | null) => ['arrival-slots', clinicId, session, date ?? 'today'];

/** The allocation of a session (today unless a date is given). */
export function useAllocation(session: string, date: string | null = null, enabled = true) {
  const s = useSession();
  const path = useClinicPath();
  const query = new URLSearchParams({ session, ...(date ? { date } : {}) });
  return useQuery({
    queryKey: arrivalsKey(s.clinicId, session, date),
    queryFn: () => get<AllocationView>(path(`/arrival-slots?${query.toString()}`)),
    enabled: enabled && !!session,
    retry: false,
  });
}

/**
 * For the Today board: each person's slot and area today, when the clinic uses arrival slots
 * (undefined otherwise, and the board shows no column).
 */
export function useArrivalsToday(session: string): Map<string, Placement> | undefined {
  const q = useAllocation(session);
  if (!q.data?.enabled) return undefined;
  return new Map(q.data.people.map((p) => [p.serviceUserId, p]));
}

/** "08:30 · Quiet room" on the board, in words. */
export function ArrivalCell({ placement }: { placement: Placement | undefined }) {
  if (!placement) return <Text size="sm">—</Text>;
  return (
    <Text size="sm" data-testid="arrival">
      {placement.slot ? placement.slot.start : 'no slot'} · {placement.areaName ?? 'no area'}
      {placement.slotBasis === 'moved' || placement.areaBasis === 'moved' ? ' (moved)' : ''}
    </Text>
  );
}
