import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Temporal } from 'temporal-polyfill';
import { recentConfirmations } from './recent-confirmations';

const at = Temporal.Instant.from('2026-03-29T00:30:00Z'); // the night the clocks go forward in London: elapsed time counts

describe('recent confirmations', () => {
  it('matches only the same person, stored hash and password, within the minutes allowed', () => {
    fc.assert(
      fc.property(
        fc.string(),
        fc.string(),
        fc.string(),
        fc.string(),
        fc.integer({ min: -120, max: 120 }),
        (password, other, hash, otherHash, minutesLater) => {
          const cache = recentConfirmations({ minutes: 15 });
          cache.remember('a', hash, password, at);
          const then = at.add({ minutes: minutesLater });
          const inTime = minutesLater >= 0 && minutesLater < 15;
          expect(cache.matches('a', hash, password, then)).toBe(inTime);
          if (other !== password) expect(cache.matches('a', hash, other, then)).toBe(false);
          if (otherHash !== hash) expect(cache.matches('a', otherHash, password, then)).toBe(false);
          expect(cache.matches('b', hash, password, then)).toBe(false);
        },
      ),
    );
  });

  it('does not tell apart passwords that only share a prefix with the hash (the parts are separated)', () => {
    const cache = recentConfirmations({ minutes: 15 });
    cache.remember('a', 'hash', 'word', at);
    expect(cache.matches('a', 'hashword', '', at)).toBe(false);
    expect(cache.matches('a', 'has', 'hword', at)).toBe(false);
  });

  it('forgets on request, and on expiry', () => {
    const cache = recentConfirmations({ minutes: 15 });
    cache.remember('a', 'h', 'p', at);
    cache.forget('a');
    expect(cache.matches('a', 'h', 'p', at)).toBe(false);
    cache.remember('a', 'h', 'p', at);
    expect(cache.matches('a', 'h', 'p', at.add({ minutes: 15 }))).toBe(false);
    expect(cache.size).toBe(0);
  });

  it('remembers nothing when turned off', () => {
    const cache = recentConfirmations({ minutes: 0 });
    cache.remember('a', 'h', 'p', at);
    expect(cache.matches('a', 'h', 'p', at)).toBe(false);
    expect(cache.size).toBe(0);
  });

  it('keeps at most the number of people allowed, dropping the oldest proof', () => {
    const cache = recentConfirmations({ minutes: 15, maxEntries: 3 });
    for (const id of ['a', 'b', 'c', 'd']) cache.remember(id, 'h', 'p', at);
    expect(cache.size).toBe(3);
    expect(cache.matches('a', 'h', 'p', at)).toBe(false);
    expect(cache.matches('d', 'h', 'p', at)).toBe(true);
  });

  it('keys each process differently, so a digest means nothing to another process', () => {
    const one = recentConfirmations({ minutes: 15 });
    const two = recentConfirmations({ minutes: 15 });
    one.remember('a', 'h', 'p', at);
    expect(two.matches('a', 'h', 'p', at)).toBe(false);
  });
});
