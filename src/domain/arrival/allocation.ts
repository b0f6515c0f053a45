import { refuse, type Decision, type Refusal } from '../refusal';
import { minutesOfDay } from '../time/zone';
import type { SeparationReason } from './arrival-plan';
import type { WaitingArea } from './arrival-settings';
import { slotAt, type Slot } from './slots';

/**
 * A session's allocation: everyone expected gets a slot (a time to arrive) and a waiting area.
 *
 * Slots. Staff moves for the day come first, then standing preferences, then everyone else; each
 * in order of service-user id, so the result depends on nothing but the input. A move or
 * preference is granted whenever its slot has a place left; otherwise the person gets the nearest
 * slot with room (the earlier on a tie). People without a preference go to the slot with the most
 * places left (the earlier on a tie), which spreads arrivals over the session. A slot never holds
 * more than its places; only when every slot is full is someone left without one, and the
 * allocation says so.
 *
 * Waiting areas. An area's capacity is how many people it takes over the session. People stopping
 * street drugs must not wait with people actively using: when both are expected, the areas are
 * split between the two groups — of every way to split them (at most 2^10), the one that honours
 * the most staff moves, then leaves nobody of either group without a place on their side, then
 * honours the most preferences, then leaves the most room — and each group is placed only in
 * areas on its side that hold nobody of the other (when both want the same area, those stopping
 * street drugs have it). Only when capacity makes that impossible do
 * the two share an area, and every such clash is a warning on the allocation. Everyone else
 * (no separation need, or "other") keeps a preferred area whenever it has room, else goes where
 * there is the most room.
 */

export type Basis = 'moved' | 'preferred' | 'assigned';

export interface Candidate {
  serviceUserId: string;
  separateBecause: SeparationReason | null;
  /** Standing preference from the plan: slot start (HH:MM) and area code. */
  preferredSlot: string | null;
  preferredArea: string | null;
  /** A member of staff's move for this day and session (the latest of each). */
  movedSlot: string | null;
  movedArea: string | null;
}

export interface Placement {
  serviceUserId: string;
  slot: Slot | null;
  slotBasis: Basis | null;
  area: string | null;
  areaBasis: Basis | null;
  /** Why a move or preference was not honoured, in words. */
  notes: string[];
  /** Why the person has no slot, or no area when the clinic has areas. */
  unallocated: string[];
}

export interface ArrivalWarning {
  rule: 'waiting_apart' | 'no_separate_area';
  area: string | null;
  message: string;
  serviceUserIds: string[];
}

export interface AllocationInput {
  slots: readonly Slot[];
  peoplePerSlot: number;
  areas: readonly WaitingArea[];
  people: readonly Candidate[];
}

export interface Allocation {
  /** Everyone, in slot order (no slot last), then by service-user id. */
  placements: Placement[];
  warnings: ArrivalWarning[];
  slotCounts: Record<string, number>;
  areaCounts: Record<string, number>;
}

type Group = 'S' | 'U' | 'N';
const groupOf = (p: Candidate): Group => (p.separateBecause === 'stopping_street_drugs' ? 'S' : p.separateBecause === 'actively_using' ? 'U' : 'N');
const byId = (a: Candidate, b: Candidate) => (a.serviceUserId < b.serviceUserId ? -1 : a.serviceUserId > b.serviceUserId ? 1 : 0);

/** Largest number of areas over which every split is tried (the settings allow 10). */
const MAX_SPLIT_AREAS = 12;

export function allocate(input: AllocationInput): Allocation {
  const people = [...input.people].sort(byId);
  const out = new Map<string, Placement>(
    people.map((p) => [p.serviceUserId, { serviceUserId: p.serviceUserId, slot: null, slotBasis: null, area: null, areaBasis: null, notes: [], unallocated: [] }]),
  );
  const slotCounts = allocateSlots(input.slots, input.peoplePerSlot, people, out);
  const { areaCounts, warnings } = allocateAreas(input.areas, people, out);
  const order = new Map(input.slots.map((s, i) => [s.code, i]));
  const placements = [...out.values()].sort(
    (a, b) => (a.slot ? order.get(a.slot.code)! : Infinity) - (b.slot ? order.get(b.slot.code)! : Infinity) || (a.serviceUserId < b.serviceUserId ? -1 : 1),
  );
  return { placements, warnings, slotCounts, areaCounts };
}

function allocateSlots(slots: readonly Slot[], places: number, people: Candidate[], out: Map<string, Placement>): Record<string, number> {
  const count = new Map(slots.map((s) => [s.code, 0]));
  const room = (s: Slot) => count.get(s.code)! < places;
  const index = new Map(slots.map((s, i) => [s.code, i]));
  const nearest = (wall: string) => {
    const target = minutesOfDay(wall);
    return slots.filter(room).sort((a, b) => Math.abs(minutesOfDay(a.start) - target) - Math.abs(minutesOfDay(b.start) - target) || index.get(a.code)! - index.get(b.code)!)[0] ?? null;
  };
  const emptiest = () => slots.filter(room).sort((a, b) => count.get(a.code)! - count.get(b.code)! || index.get(a.code)! - index.get(b.code)!)[0] ?? null;
  const put = (p: Candidate, slot: Slot | null, basis: Basis) => {
    const o = out.get(p.serviceUserId)!;
    if (!slot) {
      o.unallocated.push(`every slot of the session is full (${slots.length} slots × ${places} places)`);
      return;
    }
    count.set(slot.code, count.get(slot.code)! + 1);
    o.slot = slot;
    o.slotBasis = basis;
  };
  // Each group in two passes: first everyone whose slot has room gets it, then the others the
  // nearest slot with room (so that nobody's nearest slot takes another's own choice).
  const wanted = (group: Candidate[], wallOf: (p: Candidate) => string, basis: 'moved' | 'preferred') => {
    const rest: Candidate[] = [];
    for (const p of group) {
      const exact = slotAt(slots, wallOf(p));
      if (exact && room(exact)) put(p, exact, basis);
      else rest.push(p);
    }
    for (const p of rest) {
      const wall = wallOf(p);
      const instead = nearest(wall);
      const what = basis === 'moved' ? `Moved by staff to ${wall}` : `Prefers ${wall}`;
      out.get(p.serviceUserId)!.notes.push(`${what}, but ${slotAt(slots, wall) ? 'that slot is full' : 'no slot starts then now'}${instead ? `: nearest slot with room, ${instead.start}` : ''}`);
      put(p, instead, 'assigned');
    }
  };
  wanted(people.filter((x) => x.movedSlot !== null), (p) => p.movedSlot!, 'moved');
  wanted(people.filter((x) => x.movedSlot === null && x.preferredSlot !== null), (p) => p.preferredSlot!, 'preferred');
  for (const p of people.filter((x) => x.movedSlot === null && x.preferredSlot === null)) put(p, emptiest(), 'assigned');
  return Object.fromEntries(count);
}

/**
 * The split of areas between people stopping street drugs (the returned set) and people actively
 * using (the rest), or null when only one group (or neither) is expected.
 */
export function chooseSplit(areas: readonly WaitingArea[], people: readonly Candidate[]): Set<string> | null {
  const stopping = people.filter((p) => groupOf(p) === 'S');
  const using = people.filter((p) => groupOf(p) === 'U');
  if (stopping.length === 0 || using.length === 0 || areas.length === 0) return null;
  const considered = areas.slice(0, MAX_SPLIT_AREAS);
  // Staff moves of people who need no separation take their places first.
  const free = new Map(considered.map((a) => [a.code, a.capacity - people.filter((p) => groupOf(p) === 'N' && p.movedArea === a.code).length]));
  let best: { key: number[]; set: Set<string> } | null = null;
  for (let mask = 0; mask < 1 << considered.length; mask++) {
    const side = new Set(considered.filter((_, i) => mask & (1 << i)).map((a) => a.code));
    let capS = 0;
    let capU = 0;
    for (const a of considered) {
      if (side.has(a.code)) capS += Math.max(0, free.get(a.code)!);
      else capU += Math.max(0, free.get(a.code)!);
    }
    const moves = stopping.filter((p) => p.movedArea !== null && side.has(p.movedArea)).length + using.filter((p) => p.movedArea !== null && free.has(p.movedArea) && !side.has(p.movedArea)).length;
    const overflow = Math.max(0, stopping.length - capS) + Math.max(0, using.length - capU);
    const prefsS = stopping.filter((p) => p.movedArea === null && p.preferredArea !== null && side.has(p.preferredArea)).length;
    const prefsU = using.filter((p) => p.movedArea === null && p.preferredArea !== null && free.has(p.preferredArea) && !side.has(p.preferredArea)).length;
    const slack = Math.min(capS - stopping.length, capU - using.length);
    // Larger is better in every position (lower masks win ties, being tried first). When the two
    // groups want the same area, those stopping street drugs (whom the rule protects) have it.
    const key = [moves, -overflow, prefsS + prefsU, prefsS, slack];
    if (!best || compareKeys(key, best.key) > 0) best = { key, set: side };
  }
  return best!.set;
}

const compareKeys = (a: number[], b: number[]) => {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return 0;
};

function allocateAreas(areas: readonly WaitingArea[], people: Candidate[], out: Map<string, Placement>): { areaCounts: Record<string, number>; warnings: ArrivalWarning[] } {
  const warnings: ArrivalWarning[] = [];
  const stopping = people.filter((p) => groupOf(p) === 'S');
  const using = people.filter((p) => groupOf(p) === 'U');
  if (areas.length === 0) {
    if (stopping.length && using.length) {
      warnings.push({
        rule: 'no_separate_area',
        area: null,
        message: `No waiting areas are configured: ${stopping.length} stopping street drugs and ${using.length} actively using will wait together`,
        serviceUserIds: [...stopping, ...using].map((p) => p.serviceUserId),
      });
    }
    return { areaCounts: {}, warnings };
  }
  const byCode = new Map<string, WaitingArea>();
  for (const a of areas) if (!byCode.has(a.code)) byCode.set(a.code, a);
  const list = [...byCode.values()];
  const index = new Map(list.map((a, i) => [a.code, i]));
  const count = new Map(list.map((a) => [a.code, 0]));
  const members = new Map(list.map((a) => [a.code, { S: 0, U: 0, N: 0 } as Record<Group, number>]));
  const split = chooseSplit(list, people);
  const room = (a: WaitingArea) => count.get(a.code)! < a.capacity;
  const opposite = (g: Group, a: WaitingArea) => (g === 'S' ? members.get(a.code)!.U : g === 'U' ? members.get(a.code)!.S : 0) > 0;
  const onSide = (g: Group, a: WaitingArea) => split === null || g === 'N' || (g === 'S') === split.has(a.code);
  const allowed = (g: Group, a: WaitingArea) => onSide(g, a) && !opposite(g, a);
  const freest = (candidates: WaitingArea[]) => candidates.sort((a, b) => b.capacity - count.get(b.code)! - (a.capacity - count.get(a.code)!) || index.get(a.code)! - index.get(b.code)!)[0] ?? null;
  const put = (p: Candidate, a: WaitingArea, basis: Basis) => {
    count.set(a.code, count.get(a.code)! + 1);
    members.get(a.code)![groupOf(p)]++;
    const o = out.get(p.serviceUserId)!;
    o.area = a.code;
    o.areaBasis = basis;
  };
  const placed = (p: Candidate) => out.get(p.serviceUserId)!.area !== null;
  const note = (p: Candidate, text: string) => out.get(p.serviceUserId)!.notes.push(text);
  // Why someone did not get an area: it is gone, or (for those who must wait apart) someone they
  // must not wait with is there or it is kept for them today, or it is full.
  const why = (p: Candidate, a: WaitingArea | undefined, code: string, apart: boolean) => {
    const g = groupOf(p);
    const others = g === 'S' ? 'actively using' : 'stopping street drugs';
    if (!a) return `there is no waiting area ${code} now`;
    if (apart && opposite(g, a)) return `${a.name} has someone ${others}`;
    if (apart && !onSide(g, a)) return `${a.name} is kept for people ${others} today`;
    return `${a.name} is full`;
  };

  // 1. Staff moves for the day (checked against capacity and separation when made).
  for (const p of people.filter((x) => x.movedArea !== null)) {
    const a = byCode.get(p.movedArea!);
    if (a && room(a)) put(p, a, 'moved');
    else note(p, `Moved by staff to ${a?.name ?? p.movedArea}, but ${why(p, a, p.movedArea!, false)}`);
  }
  // 2. Those who must wait apart, with a preference on their side; 3. the rest of them.
  const apart = [...stopping, ...using];
  for (const p of apart.filter((x) => !placed(x) && x.movedArea === null && x.preferredArea !== null)) {
    const a = byCode.get(p.preferredArea!);
    if (a && room(a) && allowed(groupOf(p), a)) put(p, a, 'preferred');
    else note(p, `Prefers ${a?.name ?? p.preferredArea}, but ${why(p, a, p.preferredArea!, true)}`);
  }
  for (const p of apart.filter((x) => !placed(x))) {
    const g = groupOf(p);
    const a = freest(list.filter((x) => room(x) && allowed(g, x))) ?? freest(list.filter((x) => room(x) && !opposite(g, x))) ?? freest(list.filter(room));
    if (a) put(p, a, 'assigned');
  }
  // 4. Everyone else: a preferred area with room; 5. the area with the most room.
  const others = people.filter((p) => groupOf(p) === 'N');
  for (const p of others.filter((x) => !placed(x) && x.movedArea === null && x.preferredArea !== null)) {
    const a = byCode.get(p.preferredArea!);
    if (a && room(a)) put(p, a, 'preferred');
    else note(p, `Prefers ${a?.name ?? p.preferredArea}, but ${why(p, a, p.preferredArea!, false)}`);
  }
  for (const p of others.filter((x) => !placed(x))) {
    const a = freest(list.filter(room));
    if (a) put(p, a, 'assigned');
  }
  const total = list.reduce((n, a) => n + a.capacity, 0);
  for (const p of people.filter((x) => !placed(x))) out.get(p.serviceUserId)!.unallocated.push(`every waiting area is full (${total} places in ${list.length} areas)`);

  for (const a of list) {
    const m = members.get(a.code)!;
    if (m.S > 0 && m.U > 0) {
      const here = people.filter((p) => out.get(p.serviceUserId)!.area === a.code && groupOf(p) !== 'N');
      warnings.push({
        rule: 'waiting_apart',
        area: a.code,
        message: `${a.name}: ${m.S} stopping street drugs wait with ${m.U} actively using (not enough room to keep them apart)`,
        serviceUserIds: here.map((p) => p.serviceUserId),
      });
    }
  }
  return { areaCounts: Object.fromEntries(count), warnings };
}

/**
 * Staff moving a person for one day: refused if the slot or area does not exist, has no place left
 * (the person's own place aside), or would seat someone stopping street drugs with someone
 * actively using (or the other way round).
 */
export function checkMove(input: {
  allocation: Allocation;
  slots: readonly Slot[];
  peoplePerSlot: number;
  areas: readonly WaitingArea[];
  person: Pick<Candidate, 'serviceUserId' | 'separateBecause'>;
  /** The separation need of everyone expected, by id. */
  needs: ReadonlyMap<string, SeparationReason | null>;
  slot: string | null;
  area: string | null;
}): Decision<{ slot: Slot | null; area: WaitingArea | null }> {
  const { allocation, person } = input;
  const refusals: Refusal[] = [];
  const others = allocation.placements.filter((p) => p.serviceUserId !== person.serviceUserId);
  let slot: Slot | null = null;
  if (input.slot !== null) {
    slot = slotAt(input.slots, input.slot);
    if (!slot) refusals.push(refuse('arrival_slot_unknown', `No slot starts at ${input.slot} in this session (${input.slots.map((s) => s.start).join(', ') || 'none'})`, 'slot'));
    else {
      const taken = others.filter((p) => p.slot?.code === slot!.code).length;
      if (taken >= input.peoplePerSlot) refusals.push(refuse('slot_full', `The ${slot.start} slot is full (${taken} of ${input.peoplePerSlot} places)`, 'slot'));
    }
  }
  let area: WaitingArea | null = null;
  if (input.area !== null) {
    area = input.areas.find((a) => a.code === input.area) ?? null;
    if (!area) refusals.push(refuse('waiting_area_unknown', `This clinic has no waiting area ${input.area} (${input.areas.map((a) => a.code).join(', ') || 'none are configured'})`, 'area'));
    else {
      const there = others.filter((p) => p.area === area!.code);
      if (there.length >= area.capacity) refusals.push(refuse('waiting_area_full', `${area.name} is full (${there.length} of ${area.capacity} places)`, 'area'));
      const need = person.separateBecause;
      const clash = need === 'stopping_street_drugs' ? 'actively_using' : need === 'actively_using' ? 'stopping_street_drugs' : null;
      const clashing = clash ? there.filter((p) => input.needs.get(p.serviceUserId) === clash).length : 0;
      if (clashing > 0) {
        refusals.push(
          refuse(
            'waiting_apart',
            need === 'stopping_street_drugs'
              ? `${area.name} has ${clashing} ${clashing === 1 ? 'person' : 'people'} actively using; this person is stopping street drugs and must wait apart`
              : `${area.name} has ${clashing} ${clashing === 1 ? 'person' : 'people'} stopping street drugs; this person is actively using and must wait apart`,
            'area',
          ),
        );
      }
    }
  }
  return refusals.length ? { ok: false, refusals } : { ok: true, value: { slot, area } };
}

/**
 * Problems with the arrival settings beyond their shape (for the clinic settings check): waiting
 * area codes must be unique.
 */
export function arrivalSettingsProblems(arrival: { waitingAreas: readonly WaitingArea[] }): { field: string; message: string }[] {
  const seen = new Set<string>();
  const problems: { field: string; message: string }[] = [];
  arrival.waitingAreas.forEach((a, i) => {
    if (seen.has(a.code)) problems.push({ field: `arrival.waitingAreas[${i}].code`, message: `waiting area code ${a.code} is used twice` });
    seen.add(a.code);
  });
  return problems;
}
