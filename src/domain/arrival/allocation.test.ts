import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { allocate, arrivalSettingsProblems, checkMove, chooseSplit, type AllocationInput, type Candidate } from './allocation';
import type { SeparationReason } from './arrival-plan';
import type { WaitingArea } from './arrival-settings';
import { slotsFor } from './slots';

const AM = slotsFor({ code: 'AM', start: '08:00', end: '09:00' }, 15); // 08:00 08:15 08:30 08:45
const main: WaitingArea = { code: 'main', name: 'Main room', capacity: 4, purpose: null };
const quiet: WaitingArea = { code: 'quiet', name: 'Quiet room', capacity: 2, purpose: 'people stopping street drugs' };

let n = 0;
const person = (over: Partial<Candidate> = {}): Candidate => ({
  serviceUserId: `p${String(n++).padStart(3, '0')}`,
  separateBecause: null,
  preferredSlot: null,
  preferredArea: null,
  movedSlot: null,
  movedArea: null,
  ...over,
});
const of = (a: ReturnType<typeof allocate>, id: string) => a.placements.find((p) => p.serviceUserId === id)!;

describe('allocate: slots', () => {
  it('gives each person their preferred slot when it has room', () => {
    const a = person({ preferredSlot: '08:15' });
    const b = person({ preferredSlot: '08:45' });
    const r = allocate({ slots: AM, peoplePerSlot: 2, areas: [], people: [a, b] });
    expect(of(r, a.serviceUserId)).toMatchObject({ slot: { code: 'AM-0815' }, slotBasis: 'preferred', notes: [], unallocated: [] });
    expect(of(r, b.serviceUserId)).toMatchObject({ slot: { code: 'AM-0845' }, slotBasis: 'preferred' });
  });

  it('sends the third to prefer a full slot to the nearest slot with room, earlier on a tie, and says why', () => {
    const people = [0, 1, 2].map(() => person({ preferredSlot: '08:15' }));
    const r = allocate({ slots: AM, peoplePerSlot: 2, areas: [], people });
    expect(people.map((p) => of(r, p.serviceUserId).slot!.start)).toEqual(['08:15', '08:15', '08:00']);
    expect(of(r, people[2]!.serviceUserId).notes).toEqual(['Prefers 08:15, but that slot is full: nearest slot with room, 08:00']);
    expect(of(r, people[2]!.serviceUserId).slotBasis).toBe('assigned');
  });

  it('takes a preference that is no longer a slot as the time to be near', () => {
    const p = person({ preferredSlot: '08:40' });
    const r = allocate({ slots: AM, peoplePerSlot: 2, areas: [], people: [p] });
    expect(of(r, p.serviceUserId)).toMatchObject({ slot: { start: '08:45' }, slotBasis: 'assigned', notes: ['Prefers 08:40, but no slot starts then now: nearest slot with room, 08:45'] });
  });

  it('spreads people without a preference over the session, after those with one', () => {
    const free = [0, 1, 2, 3].map(() => person());
    const keen = person({ preferredSlot: '08:00' });
    const r = allocate({ slots: AM, peoplePerSlot: 2, areas: [], people: [...free, keen] });
    expect(of(r, keen.serviceUserId).slot!.start).toBe('08:00');
    expect(free.map((p) => of(r, p.serviceUserId).slot!.start)).toEqual(['08:15', '08:30', '08:45', '08:00']);
  });

  it('puts a staff move before preferences', () => {
    const preferring = [0, 1].map(() => person({ preferredSlot: '08:30' }));
    const moved = person({ preferredSlot: '08:00', movedSlot: '08:30' });
    const r = allocate({ slots: AM, peoplePerSlot: 2, areas: [], people: [...preferring, moved] });
    expect(of(r, moved.serviceUserId)).toMatchObject({ slot: { start: '08:30' }, slotBasis: 'moved' });
    expect(r.slotCounts['AM-0830']).toBe(2);
  });

  it('leaves people without a slot, and says why, only when every slot is full', () => {
    const people = Array.from({ length: 9 }, () => person());
    const r = allocate({ slots: AM, peoplePerSlot: 2, areas: [], people });
    const without = r.placements.filter((p) => p.slot === null);
    expect(without).toHaveLength(1);
    expect(without[0]!.unallocated).toEqual(['every slot of the session is full (4 slots × 2 places)']);
    expect(r.placements.at(-1)!.slot).toBeNull();
  });
});

describe('allocate: waiting areas', () => {
  it('keeps a preferred area while it has room', () => {
    const a = person({ preferredArea: 'quiet' });
    const r = allocate({ slots: AM, peoplePerSlot: 3, areas: [main, quiet], people: [a, person()] });
    expect(of(r, a.serviceUserId)).toMatchObject({ area: 'quiet', areaBasis: 'preferred' });
    expect(r.warnings).toEqual([]);
  });

  it('keeps people stopping street drugs apart from people actively using, whatever they prefer', () => {
    const stopping = [0, 1].map(() => person({ separateBecause: 'stopping_street_drugs' }));
    const using = person({ separateBecause: 'actively_using', preferredArea: 'quiet' });
    const r = allocate({ slots: AM, peoplePerSlot: 3, areas: [main, quiet], people: [...stopping, using] });
    const areaOf = (p: Candidate) => of(r, p.serviceUserId).area;
    expect(areaOf(using)).not.toBe(areaOf(stopping[0]!));
    expect(areaOf(stopping[0]!)).toBe(areaOf(stopping[1]!));
    expect(r.warnings).toEqual([]);
  });

  it('honours the preferences of both groups when they are on different sides', () => {
    const s = person({ separateBecause: 'stopping_street_drugs', preferredArea: 'quiet' });
    const u = person({ separateBecause: 'actively_using', preferredArea: 'main' });
    const r = allocate({ slots: AM, peoplePerSlot: 3, areas: [main, quiet], people: [s, u] });
    expect(of(r, s.serviceUserId)).toMatchObject({ area: 'quiet', areaBasis: 'preferred' });
    expect(of(r, u.serviceUserId)).toMatchObject({ area: 'main', areaBasis: 'preferred' });
  });

  it('an actively using person who prefers the quiet room is told why not', () => {
    const s = person({ separateBecause: 'stopping_street_drugs', preferredArea: 'quiet' });
    const u = person({ separateBecause: 'actively_using', preferredArea: 'quiet' });
    const r = allocate({ slots: AM, peoplePerSlot: 3, areas: [main, quiet], people: [s, u] });
    expect(of(r, s.serviceUserId).area).toBe('quiet');
    expect(of(r, u.serviceUserId).area).toBe('main');
    expect(of(r, u.serviceUserId).notes).toEqual(['Prefers Quiet room, but Quiet room has someone stopping street drugs']);
    // The reason to wait apart comes first, even when the room is also full.
    const full = allocate({ slots: AM, peoplePerSlot: 3, areas: [main, { ...quiet, capacity: 1 }], people: [s, u] });
    expect(of(full, u.serviceUserId).notes).toEqual(['Prefers Quiet room, but Quiet room has someone stopping street drugs']);
    // Two rooms of two, two people stopping and two using who want different rooms: one of them
    // cannot have theirs, because it is the room the people stopping need.
    const rooms: WaitingArea[] = [{ code: 'a', name: 'Room A', capacity: 2, purpose: null }, { code: 'b', name: 'Room B', capacity: 2, purpose: null }];
    const u1 = person({ separateBecause: 'actively_using', preferredArea: 'a' });
    const u2 = person({ separateBecause: 'actively_using', preferredArea: 'b' });
    const stopping = [person({ separateBecause: 'stopping_street_drugs' }), person({ separateBecause: 'stopping_street_drugs' })];
    const kept = allocate({ slots: AM, peoplePerSlot: 3, areas: rooms, people: [u1, u2, ...stopping] });
    expect(of(kept, u1.serviceUserId)).toMatchObject({ area: 'b', notes: ['Prefers Room A, but Room A is kept for people stopping street drugs today'] });
    expect(of(kept, u2.serviceUserId)).toMatchObject({ area: 'b', areaBasis: 'preferred', notes: [] });
    expect(stopping.map((p) => of(kept, p.serviceUserId).area)).toEqual(['a', 'a']);
    expect(kept.warnings).toEqual([]);
  });

  it('splits the areas so that both groups fit when capacity allows (subset, not greedy)', () => {
    // 3 stopping and 4 using: only {main} for using and {a, b} for stopping works.
    const areas: WaitingArea[] = [
      { code: 'a', name: 'A', capacity: 2, purpose: null },
      { code: 'main', name: 'Main', capacity: 4, purpose: null },
      { code: 'b', name: 'B', capacity: 1, purpose: null },
    ];
    const s = [0, 1, 2].map(() => person({ separateBecause: 'stopping_street_drugs' }));
    const u = [0, 1, 2, 3].map(() => person({ separateBecause: 'actively_using' }));
    const r = allocate({ slots: AM, peoplePerSlot: 3, areas, people: [...s, ...u] });
    expect(r.warnings).toEqual([]);
    expect(u.every((p) => of(r, p.serviceUserId).area === 'main')).toBe(true);
    expect([...chooseSplit(areas, [...s, ...u])!].sort()).toEqual(['a', 'b']);
  });

  it('warns of a clash when there is not room to keep them apart', () => {
    const s = [0, 1, 2].map(() => person({ separateBecause: 'stopping_street_drugs' }));
    const u = [0, 1, 2].map(() => person({ separateBecause: 'actively_using' }));
    const r = allocate({ slots: AM, peoplePerSlot: 3, areas: [main, quiet], people: [...s, ...u] });
    expect(r.warnings).toHaveLength(1);
    expect(r.warnings[0]).toMatchObject({ rule: 'waiting_apart', area: 'main' });
    expect(r.warnings[0]!.message).toMatch(/^Main room: \d stopping street drugs wait with \d actively using/);
  });

  it('warns when there are no areas to separate people in', () => {
    const r = allocate({ slots: AM, peoplePerSlot: 3, areas: [], people: [person({ separateBecause: 'stopping_street_drugs' }), person({ separateBecause: 'actively_using' })] });
    expect(r.warnings).toMatchObject([{ rule: 'no_separate_area', area: null }]);
    expect(r.placements.every((p) => p.area === null && p.unallocated.length === 0)).toBe(true);
  });

  it('leaves someone without an area, saying why, when every area is full', () => {
    const people = Array.from({ length: 7 }, () => person());
    const r = allocate({ slots: AM, peoplePerSlot: 3, areas: [main, quiet], people });
    expect(r.placements.filter((p) => p.area === null).map((p) => p.unallocated)).toEqual([['every waiting area is full (6 places in 2 areas)']]);
  });

  it('places a staff move first, even over a preference', () => {
    const prefs = [0, 1].map(() => person({ preferredArea: 'quiet' }));
    const moved = person({ movedArea: 'quiet' });
    const r = allocate({ slots: AM, peoplePerSlot: 3, areas: [main, quiet], people: [...prefs, moved] });
    expect(of(r, moved.serviceUserId)).toMatchObject({ area: 'quiet', areaBasis: 'moved' });
    expect(prefs.filter((p) => of(r, p.serviceUserId).area === 'quiet')).toHaveLength(1);
  });
});

describe('checkMove', () => {
  const s = person({ separateBecause: 'stopping_street_drugs', preferredArea: 'quiet', preferredSlot: '08:00' });
  const u = person({ separateBecause: 'actively_using', preferredArea: 'main', preferredSlot: '08:00' });
  const x = person({ preferredSlot: '08:15' });
  const input: AllocationInput = { slots: AM, peoplePerSlot: 2, areas: [main, quiet], people: [s, u, x] };
  const allocation = allocate(input);
  const needs = new Map<string, SeparationReason | null>([[s.serviceUserId, s.separateBecause], [u.serviceUserId, u.separateBecause], [x.serviceUserId, null]]);
  const move = (who: Candidate, slot: string | null, area: string | null) => checkMove({ allocation, slots: AM, peoplePerSlot: 2, areas: [main, quiet], person: who, needs, slot, area });

  it('allows a move into a slot and area with room', () => {
    expect(move(x, '08:30', 'quiet')).toMatchObject({ ok: true, value: { slot: { code: 'AM-0830' }, area: { code: 'quiet' } } });
  });

  it('refuses a full slot with the figures, but not the slot the person already has', () => {
    expect(move(x, '08:00', null)).toMatchObject({ ok: false, refusals: [{ rule: 'slot_full', field: 'slot', message: 'The 08:00 slot is full (2 of 2 places)' }] });
    expect(move(s, '08:00', null).ok).toBe(true);
  });

  it('refuses an unknown slot or area', () => {
    expect(move(x, '08:05', null)).toMatchObject({ ok: false, refusals: [{ rule: 'arrival_slot_unknown', field: 'slot' }] });
    expect(move(x, null, 'garden')).toMatchObject({ ok: false, refusals: [{ rule: 'waiting_area_unknown', field: 'area' }] });
  });

  it('refuses to seat someone actively using with someone stopping, and the other way round', () => {
    expect(move(u, null, 'quiet')).toMatchObject({ ok: false, refusals: [{ rule: 'waiting_apart', field: 'area' }] });
    expect(move(s, null, 'main')).toMatchObject({ ok: false, refusals: [{ rule: 'waiting_apart' }] });
    expect(move(x, null, 'quiet').ok).toBe(true);
  });

  it('refuses a full area', () => {
    const small = { ...quiet, capacity: 1 };
    const r = checkMove({ allocation, slots: AM, peoplePerSlot: 2, areas: [main, small], person: x, needs, slot: null, area: 'quiet' });
    expect(r).toMatchObject({ ok: false, refusals: [{ rule: 'waiting_area_full', message: 'Quiet room is full (1 of 1 places)' }] });
  });
});

describe('arrivalSettingsProblems', () => {
  it('finds an area code used twice', () => {
    expect(arrivalSettingsProblems({ waitingAreas: [main, quiet, { ...main, name: 'Other' }] })).toEqual([{ field: 'arrival.waitingAreas[2].code', message: 'waiting area code main is used twice' }]);
    expect(arrivalSettingsProblems({ waitingAreas: [main, quiet] })).toEqual([]);
  });
});

// ---- Properties over random sessions, areas, plans and moves --------------------------------

const NEEDS = [null, null, 'stopping_street_drugs', 'actively_using', 'other'] as const;

const scenario = fc
  .record({
    slotCount: fc.integer({ min: 1, max: 6 }),
    peoplePerSlot: fc.integer({ min: 1, max: 4 }),
    areaCaps: fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 0, maxLength: 4 }),
    people: fc.array(
      fc.record({
        need: fc.constantFrom(...NEEDS),
        prefSlot: fc.option(fc.integer({ min: 0, max: 7 }), { nil: null }),
        prefArea: fc.option(fc.integer({ min: 0, max: 4 }), { nil: null }),
        movedSlot: fc.option(fc.integer({ min: 0, max: 5 }), { nil: null, freq: 4 }),
        movedArea: fc.option(fc.integer({ min: 0, max: 3 }), { nil: null, freq: 4 }),
      }),
      { maxLength: 24 },
    ),
    withMoves: fc.boolean(),
  })
  .map(({ slotCount, peoplePerSlot, areaCaps, people, withMoves }): AllocationInput => {
    const slots = slotsFor({ code: 'AM', start: '08:00', end: `${String(8 + Math.floor((slotCount * 15) / 60)).padStart(2, '0')}:${String((slotCount * 15) % 60).padStart(2, '0')}` }, 15);
    const areas = areaCaps.map((capacity, i) => ({ code: `area_${i}`, name: `Area ${i}`, capacity, purpose: null }));
    // Index 7 / 4 point past the configured slots and areas: a preference that no longer exists.
    const wall = (i: number) => `08:${String(i * 15).padStart(2, '0')}`.replace('08:60', '09:00').replace('08:75', '09:15').replace('08:90', '09:30').replace('08:105', '09:45');
    return {
      slots,
      peoplePerSlot,
      areas,
      people: people.map((p, i) => ({
        serviceUserId: `su-${String(i).padStart(2, '0')}`,
        separateBecause: p.need,
        preferredSlot: p.prefSlot === null ? null : wall(p.prefSlot),
        preferredArea: p.prefArea === null ? null : `area_${p.prefArea}`,
        movedSlot: withMoves && p.movedSlot !== null ? wall(p.movedSlot) : null,
        movedArea: withMoves && p.movedArea !== null ? `area_${p.movedArea}` : null,
      })),
    };
  });

const isS = (c: Candidate) => c.separateBecause === 'stopping_street_drugs';
const isU = (c: Candidate) => c.separateBecause === 'actively_using';

/** Independent oracle: can the people stopping and the people using be seated apart at all? (brute force) */
function apartIsPossible(input: AllocationInput): boolean {
  const who = input.people.filter((p) => isS(p) || isU(p));
  const caps = input.areas.map((a) => a.capacity);
  const seat = (i: number, used: number[], kinds: Set<string>[]): boolean => {
    if (i === who.length) return true;
    const k = isS(who[i]!) ? 'S' : 'U';
    for (let a = 0; a < caps.length; a++) {
      if (used[a]! >= caps[a]! || kinds[a]!.has(k === 'S' ? 'U' : 'S')) continue;
      used[a]!++;
      const added = !kinds[a]!.has(k);
      kinds[a]!.add(k);
      if (seat(i + 1, used, kinds)) return true;
      used[a]!--;
      if (added) kinds[a]!.delete(k);
    }
    return false;
  };
  return seat(0, caps.map(() => 0), caps.map(() => new Set()));
}

describe('allocate (properties)', () => {
  it('never puts more people in a slot or an area than it has places', () => {
    fc.assert(
      fc.property(scenario, (input) => {
        const r = allocate(input);
        for (const s of input.slots) expect(r.placements.filter((p) => p.slot?.code === s.code).length).toBeLessThanOrEqual(input.peoplePerSlot);
        for (const a of input.areas) expect(r.placements.filter((p) => p.area === a.code).length).toBeLessThanOrEqual(a.capacity);
        for (const [code, count] of Object.entries(r.slotCounts)) expect(r.placements.filter((p) => p.slot?.code === code)).toHaveLength(count);
      }),
      { numRuns: 500 },
    );
  });

  it('gives everyone a slot (and an area, when there are areas) whenever there are enough places', () => {
    fc.assert(
      fc.property(scenario, (input) => {
        const r = allocate(input);
        expect(r.placements).toHaveLength(input.people.length);
        const slotPlaces = input.slots.length * input.peoplePerSlot;
        expect(r.placements.filter((p) => p.slot === null)).toHaveLength(Math.max(0, input.people.length - slotPlaces));
        if (input.areas.length) {
          const areaPlaces = input.areas.reduce((n, a) => n + a.capacity, 0);
          expect(r.placements.filter((p) => p.area === null)).toHaveLength(Math.max(0, input.people.length - areaPlaces));
        } else expect(r.placements.every((p) => p.area === null)).toBe(true);
        for (const p of r.placements) expect(p.unallocated.length > 0).toBe(p.slot === null || (input.areas.length > 0 && p.area === null));
      }),
      { numRuns: 500 },
    );
  });

  it('gives a person their preferred slot unless it is full of people moved there or preferring it', () => {
    fc.assert(
      fc.property(scenario, (input) => {
        const r = allocate(input);
        const byId = new Map(input.people.map((p) => [p.serviceUserId, p]));
        for (const p of input.people) {
          if (p.movedSlot !== null || p.preferredSlot === null) continue;
          const wanted = input.slots.find((s) => s.start === p.preferredSlot);
          if (!wanted) continue;
          const got = r.placements.find((x) => x.serviceUserId === p.serviceUserId)!;
          if (got.slot?.code === wanted.code) {
            expect(got.slotBasis).toBe('preferred');
            continue;
          }
          const there = r.placements.filter((x) => x.slot?.code === wanted.code);
          expect(there).toHaveLength(input.peoplePerSlot);
          for (const x of there) expect(x.slotBasis === 'moved' || byId.get(x.serviceUserId)!.preferredSlot === wanted.start || byId.get(x.serviceUserId)!.movedSlot !== null).toBe(true);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('gives a staff move its slot whenever the moves into that slot fit', () => {
    fc.assert(
      fc.property(scenario, (input) => {
        const r = allocate(input);
        for (const s of input.slots) {
          const moved = input.people.filter((p) => p.movedSlot === s.start);
          const granted = r.placements.filter((x) => x.slot?.code === s.code && x.slotBasis === 'moved');
          expect(granted).toHaveLength(Math.min(moved.length, input.peoplePerSlot));
        }
      }),
      { numRuns: 300 },
    );
  });

  it('gives anyone without a need to wait apart their preferred area unless it is full', () => {
    fc.assert(
      fc.property(scenario, (input) => {
        const r = allocate(input);
        for (const p of input.people) {
          if (p.movedArea !== null || p.preferredArea === null || isS(p) || isU(p)) continue;
          const area = input.areas.find((a) => a.code === p.preferredArea);
          if (!area) continue;
          const got = r.placements.find((x) => x.serviceUserId === p.serviceUserId)!;
          if (got.area !== area.code) expect(r.placements.filter((x) => x.area === area.code)).toHaveLength(area.capacity);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('when only one group needs separating, its preferences too hold unless the area is full', () => {
    fc.assert(
      fc.property(scenario, (input) => {
        const oneGroup = { ...input, people: input.people.map((p) => (isU(p) ? { ...p, separateBecause: 'stopping_street_drugs' as const } : p)) };
        const r = allocate(oneGroup);
        expect(r.warnings).toEqual([]);
        for (const p of oneGroup.people) {
          if (p.movedArea !== null || p.preferredArea === null) continue;
          const area = input.areas.find((a) => a.code === p.preferredArea);
          if (!area) continue;
          if (r.placements.find((x) => x.serviceUserId === p.serviceUserId)!.area !== area.code) expect(r.placements.filter((x) => x.area === area.code)).toHaveLength(area.capacity);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('keeps people stopping street drugs apart from people actively using whenever capacity allows, and warns of every clash', () => {
    fc.assert(
      fc.property(scenario, (input) => {
        const noMoves = { ...input, people: input.people.map((p) => ({ ...p, movedSlot: null, movedArea: null })) };
        const r = allocate(noMoves);
        const clashes = input.areas.filter((a) => {
          const here = r.placements.filter((x) => x.area === a.code).map((x) => noMoves.people.find((p) => p.serviceUserId === x.serviceUserId)!);
          return here.some(isS) && here.some(isU);
        });
        expect(r.warnings.filter((w) => w.rule === 'waiting_apart').map((w) => w.area)).toEqual(clashes.map((a) => a.code));
        if (input.areas.length > 0 && apartIsPossible(noMoves)) expect(clashes).toEqual([]);
      }),
      { numRuns: 500 },
    );
  });

  it('is deterministic: the order people are given in changes nothing', () => {
    fc.assert(
      fc.property(scenario, fc.integer(), (input, seed) => {
        const shuffled = [...input.people].map((p, i) => ({ p, k: (i * 7919 + seed) % 1009 })).sort((a, b) => a.k - b.k).map((x) => x.p);
        expect(allocate({ ...input, people: shuffled })).toEqual(allocate(input));
      }),
      { numRuns: 300 },
    );
  });

  it('after an allowed move, the person is where staff put them', () => {
    fc.assert(
      fc.property(scenario, fc.nat(), fc.nat(), fc.nat(), (input, who, slotPick, areaPick) => {
        fc.pre(input.people.length > 0);
        const r = allocate(input);
        const p = input.people[who % input.people.length]!;
        const slot = input.slots[slotPick % input.slots.length]!.start;
        const area = input.areas.length ? input.areas[areaPick % input.areas.length]!.code : null;
        const needs = new Map(input.people.map((x) => [x.serviceUserId, x.separateBecause]));
        const check = checkMove({ allocation: r, slots: input.slots, peoplePerSlot: input.peoplePerSlot, areas: input.areas, person: p, needs, slot, area });
        if (!check.ok) return;
        const after = allocate({ ...input, people: input.people.map((x) => (x === p ? { ...x, movedSlot: slot, movedArea: area ?? x.movedArea } : x)) });
        const got = after.placements.find((x) => x.serviceUserId === p.serviceUserId)!;
        expect(got.slot?.start).toBe(slot);
        if (area) expect(got.area).toBe(area);
      }),
      { numRuns: 500 },
    );
  });
});
