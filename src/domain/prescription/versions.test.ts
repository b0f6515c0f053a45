import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Temporal } from 'temporal-polyfill';
import { mayBeDosedUnder, timingRefusals, versionInForce, type VersionTiming } from './versions';
import type { PrescriptionContent } from './prescription';

const t0 = Temporal.Instant.from('2026-03-02T09:00:00Z');
const at = (minutes: number) => t0.add({ minutes });
const v = (version: number, signed: number, effective: number): VersionTiming => ({ version, signedAt: at(signed), effectiveFrom: at(effective) });

describe('versionInForce', () => {
  it('follows the versions in order and lets a later version supersede a future-dated one', () => {
    const versions = [v(1, 0, 0), v(2, 10, 100), v(3, 20, 50)];
    expect(versionInForce(versions, at(-1))).toBeNull();
    expect(versionInForce(versions, at(0))?.version).toBe(1);
    expect(versionInForce(versions, at(49))?.version).toBe(1);
    expect(versionInForce(versions, at(50))?.version).toBe(3);
    expect(versionInForce(versions, at(150))?.version).toBe(3); // version 2 never took effect
  });

  it('refuses backdating', () => {
    expect(timingRefusals(at(-1), at(0)).map((r) => r.rule)).toEqual(['effective_in_past']);
    expect(timingRefusals(at(0), at(0))).toEqual([]);
  });

  // Versions as the system accepts them: signed in order, each effective no earlier than signed.
  const history = fc
    .array(fc.tuple(fc.integer({ min: 0, max: 60 }), fc.integer({ min: 0, max: 300 })), { minLength: 1, maxLength: 12 })
    .map((steps) => {
      let signed = 0;
      return steps.map(([gap, delay], i) => {
        signed += gap;
        return v(i + 1, signed, signed + delay);
      });
    });

  it('never overlaps and never leaves a gap: after the first version takes effect, exactly one is in force (property)', () => {
    fc.assert(
      fc.property(history, fc.integer({ min: -10, max: 1200 }), (versions, minute) => {
        const first = Math.min(...versions.map((x) => x.effectiveFrom.epochMilliseconds));
        const inForce = versionInForce(versions, at(minute));
        expect(inForce === null).toBe(at(minute).epochMilliseconds < first);
        const candidates = versions.filter((x) => Temporal.Instant.compare(x.effectiveFrom, at(minute)) <= 0);
        if (inForce) expect(candidates.every((x) => x.version <= inForce.version)).toBe(true);
      }),
    );
  });

  it('a new version never changes which version was in force before it was signed (property)', () => {
    fc.assert(
      fc.property(history, fc.integer({ min: -10, max: 1200 }), (versions, minute) => {
        for (let k = 1; k < versions.length; k++) {
          const signedAt = versions[k]!.signedAt;
          if (Temporal.Instant.compare(at(minute), signedAt) >= 0) continue;
          expect(versionInForce(versions.slice(0, k + 1), at(minute))).toEqual(versionInForce(versions.slice(0, k), at(minute)));
        }
      }),
    );
  });

  it('never puts in force a version that was not yet signed (property)', () => {
    fc.assert(
      fc.property(history, fc.integer({ min: -10, max: 1200 }), (versions, minute) => {
        const inForce = versionInForce(versions, at(minute));
        if (inForce) expect(Temporal.Instant.compare(inForce.signedAt, at(minute))).toBeLessThanOrEqual(0);
      }),
    );
  });
});

describe('mayBeDosedUnder', () => {
  const base: PrescriptionContent = {
    status: 'active',
    diamorphine: { sessions: ['AM'], ivDoseMg: 100, imDoseMg: null, titration: null, topUp: null, retitrationStartDoseMg: 30 },
    methadone: null,
    startDate: '2026-03-02',
    endDate: '2026-03-31',
    reviewDate: '2026-03-09',
  };
  const rule = (c: PrescriptionContent | null, d: string) => {
    const r = mayBeDosedUnder(c, d);
    return r.ok ? 'ok' : r.refusals[0]!.rule;
  };
  it('allows doses only under an active prescription within its dates', () => {
    expect(rule(base, '2026-03-02')).toBe('ok');
    expect(rule(base, '2026-03-31')).toBe('ok');
    expect(rule(base, '2026-03-01')).toBe('prescription_not_started');
    expect(rule(base, '2026-04-01')).toBe('prescription_expired');
    expect(rule({ ...base, status: 'suspended' }, '2026-03-05')).toBe('prescription_suspended');
    expect(rule({ ...base, status: 'ended' }, '2026-03-05')).toBe('prescription_stopped');
    expect(rule(null, '2026-03-05')).toBe('no_prescription');
  });
});
