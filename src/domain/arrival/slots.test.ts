import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Temporal } from 'temporal-polyfill';
import { minutesOfDay } from '../time/zone';
import { slotAt, slotsFor, slotWindow } from './slots';

const AM = { code: 'AM', start: '08:00', end: '11:30' };

describe('slotsFor', () => {
  it('divides the morning session into 15-minute slots with codes like AM-0800', () => {
    const slots = slotsFor(AM, 15);
    expect(slots).toHaveLength(14);
    expect(slots[0]).toEqual({ code: 'AM-0800', session: 'AM', start: '08:00', end: '08:15' });
    expect(slots.at(-1)).toEqual({ code: 'AM-1115', session: 'AM', start: '11:15', end: '11:30' });
  });

  it('makes the last slot shorter when the length does not divide the session', () => {
    const slots = slotsFor(AM, 20);
    expect(slots.map((s) => s.start)).toEqual(['08:00', '08:20', '08:40', '09:00', '09:20', '09:40', '10:00', '10:20', '10:40', '11:00', '11:20']);
    expect(slots.at(-1)!.end).toBe('11:30');
  });

  it('gives one slot when the slot is longer than the session', () => {
    expect(slotsFor({ code: 'EVE', start: '19:00', end: '19:30' }, 60)).toEqual([{ code: 'EVE-1900', session: 'EVE', start: '19:00', end: '19:30' }]);
  });

  it('finds a slot by its start', () => {
    const slots = slotsFor(AM, 15);
    expect(slotAt(slots, '08:15')?.code).toBe('AM-0815');
    expect(slotAt(slots, '08:10')).toBeNull();
  });

  it('refuses a nonsense length', () => {
    expect(() => slotsFor(AM, 0)).toThrow();
  });

  it('covers the session exactly, in order, without overlap (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 22 * 60 }), fc.integer({ min: 1, max: 6 * 60 }), fc.integer({ min: 5, max: 120 }), (start, length, step) => {
        const end = Math.min(start + length, 23 * 60 + 59);
        const hhmm = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
        const slots = slotsFor({ code: 'S', start: hhmm(start), end: hhmm(end) }, step);
        expect(minutesOfDay(slots[0]!.start)).toBe(start);
        expect(minutesOfDay(slots.at(-1)!.end)).toBe(end);
        for (let i = 0; i < slots.length; i++) {
          const s = slots[i]!;
          expect(minutesOfDay(s.end) - minutesOfDay(s.start)).toBeGreaterThan(0);
          expect(minutesOfDay(s.end) - minutesOfDay(s.start)).toBeLessThanOrEqual(step);
          if (i > 0) expect(s.start).toBe(slots[i - 1]!.end);
        }
        expect(new Set(slots.map((s) => s.code)).size).toBe(slots.length);
      }),
    );
  });
});

describe('slotWindow', () => {
  const slot = slotsFor(AM, 15)[1]!; // 08:15–08:30
  it('is 08:15 at the clinic on both sides of the spring clock change', () => {
    expect(slotWindow(Temporal.PlainDate.from('2026-03-28'), slot, 'Europe/London').opens.toString()).toBe('2026-03-28T08:15:00Z');
    expect(slotWindow(Temporal.PlainDate.from('2026-03-29'), slot, 'Europe/London').opens.toString()).toBe('2026-03-29T07:15:00Z');
    const w = slotWindow(Temporal.PlainDate.from('2026-03-29'), slot, 'Europe/London');
    expect(w.opens.until(w.closes).total({ unit: 'minutes' })).toBe(15);
  });

  it('and on both sides of the autumn one', () => {
    expect(slotWindow(Temporal.PlainDate.from('2026-10-24'), slot, 'Europe/London').opens.toString()).toBe('2026-10-24T07:15:00Z');
    expect(slotWindow(Temporal.PlainDate.from('2026-10-25'), slot, 'Europe/London').opens.toString()).toBe('2026-10-25T08:15:00Z');
  });
});
