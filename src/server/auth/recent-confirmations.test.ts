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

  it('proves with one check for requests that ask at the same time, then from memory', async () => {
    const cache = recentConfirmations({ minutes: 15 });
    let checks = 0;
    let release!: (ok: boolean) => void;
    const check = () => ((checks += 1), new Promise<boolean>((r) => (release = r)));
    const asking = Array.from({ length: 16 }, () => cache.prove('a', 'h', 'p', at, check));
    release(true);
    expect(await Promise.all(asking)).toEqual(Array(16).fill(true));
    expect(checks).toBe(1);
    expect(await cache.prove('a', 'h', 'p', at, check)).toBe(true);
    expect(checks).toBe(1);
  });

  it('shares a failed check only with the same wrong password, and remembers nothing from it', async () => {
    const cache = recentConfirmations({ minutes: 15 });
    let checks = 0;
    const check = (ok: boolean) => async () => ((checks += 1), ok);
    const [wrong, wrongAgain, right] = await Promise.all([cache.prove('a', 'h', 'x', at, check(false)), cache.prove('a', 'h', 'x', at, check(false)), cache.prove('a', 'h', 'p', at, check(true))]);
    expect([wrong, wrongAgain, right]).toEqual([false, false, true]);
    expect(checks).toBe(2);
    expect(cache.matches('a', 'h', 'x', at)).toBe(false);
    expect(await cache.prove('a', 'h', 'x', at, check(false))).toBe(false);
    expect(checks).toBe(3);
  });

  it('checks every time, and shares nothing, when turned off', async () => {
    const cache = recentConfirmations({ minutes: 0 });
    let checks = 0;
    const check = async () => ((checks += 1), true);
    await Promise.all([cache.prove('a', 'h', 'p', at, check), cache.prove('a', 'h', 'p', at, check)]);
    await cache.prove('a', 'h', 'p', at, check);
    expect(checks).toBe(3);
  });
});
