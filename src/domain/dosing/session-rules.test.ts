import { describe, expect, it } from 'vitest';
import { Temporal } from 'temporal-polyfill';
import { closingRefusals, dischargeRefusals, EMERGENCY_ITEMS, imAfterFailedIv, openingRefusals, siteRefusals } from './session-rules';
import { DEFAULT_DOSING_SETTINGS as S } from './dosing-settings';

const checklist = EMERGENCY_ITEMS.map((item) => ({ item, present: true, expiresOn: item === 'naloxone' || item === 'oxygen' ? '2026-12-31' : null }));
const team = [
  { staffId: 'n', roles: ['nurse'] as const },
  { staffId: 'h', roles: ['hca'] as const },
];

describe('opening a session', () => {
  it('needs a nurse and a second person, a key holder on duty, and the emergency kit in date', () => {
    expect(openingRefusals({ staffOnDuty: [...team], cdKeyHolderId: 'n', checklist }, '2026-03-02')).toEqual([]);
    const rules = (o: Parameters<typeof openingRefusals>[0]) => openingRefusals(o, '2026-03-02').map((r) => r.rule);
    expect(rules({ staffOnDuty: [team[1]!], cdKeyHolderId: 'h', checklist })).toEqual(['nurse_required', 'second_staff_required']);
    expect(rules({ staffOnDuty: [...team], cdKeyHolderId: 'someone-else', checklist })).toEqual(['cd_key_holder_required']);
    expect(rules({ staffOnDuty: [...team], cdKeyHolderId: 'n', checklist: checklist.filter((c) => c.item !== 'suction') })).toEqual(['emergency_item_missing']);
    const expired = checklist.map((c) => (c.item === 'naloxone' ? { ...c, expiresOn: '2026-03-01' } : c));
    expect(openingRefusals({ staffOnDuty: [...team], cdKeyHolderId: 'n', checklist: expired }, '2026-03-02')[0]!.message).toBe('naloxone expired on 2026-03-01: replace it before dosing');
  });
});

describe('closing a session', () => {
  it('waits for everyone in observation and every prepared dose', () => {
    expect(closingRefusals([{ name: 'Jo', stage: 'discharged' }, { name: 'Al', stage: 'refused' }])).toEqual([]);
    expect(closingRefusals([{ name: 'Jo', stage: 'in_observation' }, { name: 'Al', stage: 'prepared' }]).map((r) => r.rule)).toEqual([
      'observation_in_progress',
      'prepared_without_outcome',
    ]);
  });
});

describe('observation and discharge', () => {
  const givenAt = Temporal.Instant.from('2026-03-02T09:00:00Z');
  it('20 minutes after IV, 30 after IM, and acceptable sedation', () => {
    const rules = (route: 'iv' | 'im', minutes: number, sedation: 'S' | 1 | 2 | 3 | 4 = 1) =>
      dischargeRefusals({ givenAt, route, now: givenAt.add({ minutes }), sedation, leftAgainstAdvice: false }, S).map((r) => r.rule);
    expect(rules('iv', 19)).toEqual(['observation_not_complete']);
    expect(rules('iv', 20)).toEqual([]);
    expect(rules('im', 29)).toEqual(['observation_not_complete']);
    expect(rules('im', 30, 3)).toEqual(['sedation_too_high_to_discharge']);
    expect(dischargeRefusals({ givenAt, route: 'iv', now: givenAt, sedation: 3, leftAgainstAdvice: true }, S)).toEqual([]);
  });
});

describe('sites and IM after failed IV', () => {
  it('blocks neck and groin without an exception, and unknown sites', () => {
    expect(siteRefusals('groin', S, []).map((r) => r.rule)).toEqual(['site_blocked']);
    expect(siteRefusals('Groin', S, ['groin'])).toEqual([]);
    expect(siteRefusals('eyelid', S, []).map((r) => r.rule)).toEqual(['site_not_allowed']);
    expect(siteRefusals('left arm', S, [])).toEqual([]);
  });
  it('continues IM with what is left of the IM dose', () => {
    expect(imAfterFailedIv(160, 40)).toBe(120);
    expect(imAfterFailedIv(160, 200)).toBe(0);
    expect(imAfterFailedIv(null, 0)).toBe(0);
  });
});
