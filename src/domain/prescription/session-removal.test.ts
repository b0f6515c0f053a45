import { describe, expect, it } from 'vitest';
import { Temporal } from 'temporal-polyfill';
import type { PrescriptionContent } from './prescription';
import { sessionRemovalRefusals } from './session-removal';

const now = Temporal.Instant.from('2026-03-10T09:00:00Z');
const content = (sessions: string[], status: PrescriptionContent['status'] = 'active') =>
  ({ status, diamorphine: { sessions, ivDoseMg: 90, imDoseMg: null, titration: null, topUp: null, retitrationStartDoseMg: 30 }, methadone: null, startDate: '2026-03-01', endDate: null, reviewDate: '2026-03-20' }) as PrescriptionContent;
const version = (serviceUserId: string, v: number, at: string, c: PrescriptionContent) => ({ serviceUserId, version: v, effectiveFrom: Temporal.Instant.from(at), signedAt: Temporal.Instant.from(at), content: c });

describe('removing a dosing session', () => {
  it('is refused while an active prescription (now or from later) names it, and says how many people', () => {
    const rx = [version('a', 1, '2026-03-01T09:00:00Z', content(['AM', 'PM', 'EVE'])), version('b', 1, '2026-03-01T09:00:00Z', content(['AM', 'PM'])), version('b', 2, '2026-03-12T09:00:00Z', content(['AM', 'PM', 'EVE']))];
    const refusals = sessionRemovalRefusals(['AM', 'PM', 'EVE'], ['AM', 'PM'], rx, now);
    expect(refusals).toEqual([expect.objectContaining({ rule: 'session_in_use', field: 'settings.sessions' })]);
    expect(refusals[0]!.message).toContain('2 people');
  });

  it('is allowed when no prescription in force or to come names it (superseded, suspended or never)', () => {
    const rx = [version('a', 1, '2026-03-01T09:00:00Z', content(['AM', 'PM', 'EVE'])), version('a', 2, '2026-03-05T09:00:00Z', content(['AM', 'PM'])), version('c', 1, '2026-03-01T09:00:00Z', content(['AM', 'EVE'], 'suspended'))];
    expect(sessionRemovalRefusals(['AM', 'PM', 'EVE'], ['AM', 'PM'], rx, now)).toEqual([]);
    expect(sessionRemovalRefusals(['AM', 'PM'], ['AM', 'PM', 'EVE'], rx, now)).toEqual([]);
  });
});
