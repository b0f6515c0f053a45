import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Temporal } from 'temporal-polyfill';
import {
  ageOn,
  decideEligibility,
  DEFAULT_ELIGIBILITY_CRITERIA,
  parseCalendarDate,
  type CriterionOutcome,
  type EligibilityCriterion,
} from './eligibility';

const ADULT = { dateOfBirth: '1980-06-15' };
const ON = '2025-03-10';
const ANSWERED: CriterionOutcome[] = [
  { code: 'long_term_opioid_dependence', outcome: 'met' },
  { code: 'previous_treatment_without_benefit', outcome: 'met' },
];

const decide = (outcomes: CriterionOutcome[], person = ADULT, onDate = ON, criteria = DEFAULT_ELIGIBILITY_CRITERIA) =>
  decideEligibility(criteria, outcomes, person, onDate);
const rulesOf = (decision: ReturnType<typeof decide>) => (decision.ok ? [] : decision.refusals.map((r) => r.rule));

describe('default eligibility criteria', () => {
  it('are the three from the seed study, with stability on methadone present but switched off', () => {
    expect(DEFAULT_ELIGIBILITY_CRITERIA.map((c) => [c.code, c.enabled, c.automatic])).toEqual([
      ['long_term_opioid_dependence', true, undefined],
      ['previous_treatment_without_benefit', true, undefined],
      ['adult', true, 'age_18_or_over'],
      ['stable_on_methadone', false, undefined],
    ]);
    expect(DEFAULT_ELIGIBILITY_CRITERIA.map((c) => c.label)).toEqual([
      'Long-term opioid dependence',
      'Previous treatment (e.g. methadone, buprenorphine, rehabilitation) tried without benefit',
      'Aged 18 or over',
      'Stable on oral methadone before starting',
    ]);
  });
});

describe('deciding eligibility', () => {
  it('finds someone eligible when every enabled criterion is met, filling in the age from the date of birth', () => {
    expect(decide(ANSWERED)).toEqual({
      ok: true,
      value: {
        eligible: true,
        outcomes: [
          { code: 'long_term_opioid_dependence', outcome: 'met' },
          { code: 'previous_treatment_without_benefit', outcome: 'met' },
          { code: 'adult', outcome: 'met' },
        ],
      },
    });
  });

  it('finds someone not eligible when a criterion is not met, keeping the reason given', () => {
    const decision = decide([
      { code: 'long_term_opioid_dependence', outcome: 'met' },
      { code: 'previous_treatment_without_benefit', outcome: 'not_met', reason: '  methadone never tried ' },
    ]);
    expect(decision.ok && decision.value.eligible).toBe(false);
    expect(decision.ok && decision.value.outcomes[1]).toEqual({
      code: 'previous_treatment_without_benefit',
      outcome: 'not_met',
      reason: 'methadone never tried',
    });
  });

  it('counts a waived criterion, with its reason, towards eligibility', () => {
    const decision = decide([
      { code: 'long_term_opioid_dependence', outcome: 'met' },
      { code: 'previous_treatment_without_benefit', outcome: 'waived', reason: 'rehabilitation not available locally' },
    ]);
    expect(decision.ok && decision.value.eligible).toBe(true);
    expect(decision.ok && decision.value.outcomes[1]?.reason).toBe('rehabilitation not available locally');
  });

  it.each([undefined, '', '   '])('refuses a waiver without a reason (%j) and names the field', (reason) => {
    const decision = decide([
      { code: 'long_term_opioid_dependence', outcome: 'waived', ...(reason === undefined ? {} : { reason }) },
      { code: 'previous_treatment_without_benefit', outcome: 'met' },
    ]);
    expect(decision).toEqual({
      ok: false,
      refusals: [
        {
          rule: 'waiver_reason_required',
          field: 'outcomes[0].reason',
          message: 'waiving "Long-term opioid dependence" needs a reason',
        },
      ],
    });
  });

  it('refuses when an enabled criterion has no outcome, naming it', () => {
    const decision = decide([{ code: 'long_term_opioid_dependence', outcome: 'met' }]);
    expect(decision.ok).toBe(false);
    expect(!decision.ok && decision.refusals).toEqual([
      {
        rule: 'criterion_missing',
        field: 'outcomes',
        message:
          'no outcome given for "Previous treatment (e.g. methadone, buprenorphine, rehabilitation) tried without benefit"',
      },
    ]);
  });

  it('refuses an outcome for a criterion the clinic does not have', () => {
    const decision = decide([...ANSWERED, { code: 'injects_daily', outcome: 'met' }]);
    expect(!decision.ok && decision.refusals[0]).toMatchObject({ rule: 'unknown_criterion', field: 'outcomes[2].code' });
  });

  it('refuses two outcomes for the same criterion', () => {
    const decision = decide([...ANSWERED, { code: 'long_term_opioid_dependence', outcome: 'not_met' }]);
    expect(rulesOf(decision)).toEqual(['criterion_duplicated']);
  });

  it('ignores outcomes for a criterion the clinic has switched off, whatever they say', () => {
    for (const extra of [
      { code: 'stable_on_methadone', outcome: 'not_met' },
      { code: 'stable_on_methadone', outcome: 'waived' },
      { code: 'stable_on_methadone', outcome: 'met' },
    ] as CriterionOutcome[]) {
      expect(decide([...ANSWERED, extra, extra])).toEqual(decide(ANSWERED));
    }
  });

  it('requires stability on methadone when a clinic switches it on', () => {
    const criteria = DEFAULT_ELIGIBILITY_CRITERIA.map((c) => (c.code === 'stable_on_methadone' ? { ...c, enabled: true } : c));
    expect(rulesOf(decide(ANSWERED, ADULT, ON, criteria))).toEqual(['criterion_missing']);
    const decision = decide([...ANSWERED, { code: 'stable_on_methadone', outcome: 'not_met' }], ADULT, ON, criteria);
    expect(decision.ok && decision.value.eligible).toBe(false);
  });

  it('reports every problem at once', () => {
    const decision = decide([
      { code: 'long_term_opioid_dependence', outcome: 'waived' },
      { code: 'nonsense', outcome: 'met' },
      { code: 'adult', outcome: 'met' },
    ], { dateOfBirth: '2010-01-01' });
    expect(rulesOf(decision)).toEqual([
      'waiver_reason_required',
      'unknown_criterion',
      'criterion_missing',
      'age_contradicts_date_of_birth',
    ]);
  });

  it('with no enabled criteria, everyone is eligible', () => {
    const decision = decide([], ADULT, ON, DEFAULT_ELIGIBILITY_CRITERIA.map((c) => ({ ...c, enabled: false })));
    expect(decision).toEqual({ ok: true, value: { eligible: true, outcomes: [] } });
  });
});

describe('the age criterion', () => {
  const ageDecision = (dateOfBirth: string, onDate: string, answer?: CriterionOutcome) =>
    decide([...ANSWERED, ...(answer ? [answer] : [])], { dateOfBirth }, onDate);
  const adultOutcome = (d: ReturnType<typeof decide>) => (d.ok ? d.value.outcomes.find((o) => o.code === 'adult') : undefined);

  it('is met on the 18th birthday itself and not the day before', () => {
    expect(adultOutcome(ageDecision('2007-03-10', '2025-03-10'))?.outcome).toBe('met');
    const dayBefore = ageDecision('2007-03-10', '2025-03-09');
    expect(adultOutcome(dayBefore)?.outcome).toBe('not_met');
    expect(dayBefore.ok && dayBefore.value.eligible).toBe(false);
  });

  it('for someone born on 29 February, is met on 1 March in a common year, not on 28 February', () => {
    expect(adultOutcome(ageDecision('2008-02-29', '2026-02-28'))?.outcome).toBe('not_met');
    expect(adultOutcome(ageDecision('2008-02-29', '2026-03-01'))?.outcome).toBe('met');
  });

  it('accepts an answer that agrees with the date of birth', () => {
    expect(adultOutcome(ageDecision('1990-01-01', ON, { code: 'adult', outcome: 'met' }))?.outcome).toBe('met');
    expect(adultOutcome(ageDecision('2010-01-01', ON, { code: 'adult', outcome: 'not_met' }))?.outcome).toBe('not_met');
  });

  it('refuses "met" for someone under 18, and says how old they are', () => {
    const decision = ageDecision('2007-03-11', ON, { code: 'adult', outcome: 'met' });
    expect(!decision.ok && decision.refusals).toEqual([
      {
        rule: 'age_contradicts_date_of_birth',
        field: 'outcomes[2].outcome',
        message: '"Aged 18 or over" was given as met, but someone born 2007-03-11 is 17 on 2025-03-10',
      },
    ]);
  });

  it('refuses "not met" for an adult too', () => {
    expect(rulesOf(ageDecision('1990-01-01', ON, { code: 'adult', outcome: 'not_met' }))).toEqual([
      'age_contradicts_date_of_birth',
    ]);
  });

  it('may be waived with a reason for someone under 18, but not without one', () => {
    const waived = ageDecision('2008-01-01', ON, { code: 'adult', outcome: 'waived', reason: 'agreed by the medical director' });
    expect(waived.ok && waived.value.eligible).toBe(true);
    expect(adultOutcome(waived)).toEqual({ code: 'adult', outcome: 'waived', reason: 'agreed by the medical director' });
    expect(rulesOf(ageDecision('2008-01-01', ON, { code: 'adult', outcome: 'waived' }))).toEqual(['waiver_reason_required']);
  });

  it.each([
    ['15/06/1980', ON, 'dateOfBirth'],
    ['1980-02-30', ON, 'dateOfBirth'],
    ['2030-01-01', ON, 'dateOfBirth'],
    ['1980-06-15', '2025-13-01', 'onDate'],
    ['1980-06-15', '2025-03-10T09:00', 'onDate'],
  ])('refuses date of birth %j on %j, naming %s', (dateOfBirth, onDate, field) => {
    const decision = ageDecision(dateOfBirth, onDate);
    expect(!decision.ok && decision.refusals).toEqual([expect.objectContaining({ rule: 'invalid_date', field })]);
  });

  it('does not look at the date of birth when the clinic has switched the age criterion off', () => {
    const criteria = DEFAULT_ELIGIBILITY_CRITERIA.map((c) => (c.code === 'adult' ? { ...c, enabled: false } : c));
    expect(decide(ANSWERED, { dateOfBirth: 'unknown' }, ON, criteria).ok).toBe(true);
  });
});

describe('age on a date', () => {
  it.each([
    ['1980-06-15', '2025-06-14', 44],
    ['1980-06-15', '2025-06-15', 45],
    ['2007-03-10', '2025-03-10', 18],
    ['2007-03-11', '2025-03-10', 17],
    ['2008-02-29', '2026-02-28', 17],
    ['2008-02-29', '2026-03-01', 18],
    ['2008-02-29', '2028-02-28', 19],
    ['2008-02-29', '2028-02-29', 20],
    ['2000-12-31', '2001-01-01', 0],
    ['2000-01-01', '2000-01-01', 0],
  ])('someone born %s is, on %s, %i', (born, on, age) => {
    expect(ageOn(born, on)).toBe(age);
  });

  it('throws for dates it cannot read and for a birth after the date', () => {
    expect(() => ageOn('1980-6-15', ON)).toThrow(RangeError);
    expect(() => ageOn('1980-06-15', '2025-02-29')).toThrow(RangeError);
    expect(() => ageOn('2025-03-11', ON)).toThrow(RangeError);
  });

  it('reads only real dates written YYYY-MM-DD', () => {
    expect(parseCalendarDate('2024-02-29')?.toString()).toBe('2024-02-29');
    for (const text of ['2023-02-29', '2024-04-31', '20240101', '2024-01-01Z', '+002024-01-01', ' 2024-01-01']) {
      expect(parseCalendarDate(text)).toBeNull();
    }
  });

  // Independent: count the birthdays that have happened, where the birthday in a year without
  // 29 February is 1 March, by comparing date strings.
  function ageByCountingBirthdays(born: string, on: string): number {
    const [y, m, d] = born.split('-').map(Number) as [number, number, number];
    const leap = (year: number) => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
    const pad = (n: number, w = 2) => String(n).padStart(w, '0');
    const birthday = (year: number) =>
      m === 2 && d === 29 && !leap(year) ? `${pad(year, 4)}-03-01` : `${pad(year, 4)}-${pad(m)}-${pad(d)}`;
    let age = 0;
    while (birthday(y + age + 1) <= on) age++;
    return age;
  }

  const day = (from: string, maxDays: number) =>
    fc.integer({ min: 0, max: maxDays }).map((n) => Temporal.PlainDate.from(from).add({ days: n }).toString());

  it('agrees with counting birthdays one by one (property)', () => {
    fc.assert(
      fc.property(day('1900-01-01', 365 * 125), fc.integer({ min: 0, max: 365 * 100 }), (born, later) => {
        const on = Temporal.PlainDate.from(born).add({ days: later }).toString();
        expect(ageOn(born, on)).toBe(ageByCountingBirthdays(born, on));
      }),
      { numRuns: 3000 },
    );
  });

  it('agrees for people born on 29 February around every birthday (property)', () => {
    const leapYears = fc.integer({ min: 1904 / 4, max: 2096 / 4 }).map((q) => q * 4).filter((y) => y !== 2000 && y % 100 !== 0);
    fc.assert(
      fc.property(leapYears, fc.integer({ min: 0, max: 90 }), fc.integer({ min: -2, max: 2 }), (year, years, shift) => {
        const born = `${year}-02-29`;
        const on = Temporal.PlainDate.from(`${year + years}-03-01`).add({ days: shift }).toString();
        if (on < born) return;
        expect(ageOn(born, on)).toBe(ageByCountingBirthdays(born, on));
      }),
    );
  });

  it('goes up by exactly one on each birthday and never goes down (property)', () => {
    fc.assert(
      fc.property(day('1920-01-01', 365 * 90), fc.integer({ min: 0, max: 365 * 60 }), (born, later) => {
        const on = Temporal.PlainDate.from(born).add({ days: later });
        const next = on.add({ days: 1 }).toString();
        const step = ageOn(born, next) - ageOn(born, on.toString());
        expect(step === 0 || step === 1).toBe(true);
      }),
    );
  });
});

describe('eligibility over random answers (property)', () => {
  const criterion = fc.record({
    code: fc.constantFrom('a', 'b', 'c', 'd'),
    label: fc.constant('label'),
    enabled: fc.boolean(),
  });
  const outcome = fc.record({
    code: fc.constantFrom('a', 'b', 'c', 'd'),
    outcome: fc.constantFrom('met', 'not_met', 'waived') as fc.Arbitrary<CriterionOutcome['outcome']>,
    reason: fc.option(fc.constantFrom('', ' ', 'because'), { nil: undefined }),
  });

  it('is eligible exactly when every enabled criterion has one valid answer, all met or waived', () => {
    fc.assert(
      fc.property(fc.uniqueArray(criterion, { selector: (c) => c.code }), fc.array(outcome, { maxLength: 6 }), (criteria, outcomes) => {
        const decision = decideEligibility(criteria as EligibilityCriterion[], outcomes, ADULT, ON);
        const enabled = criteria.filter((c) => c.enabled);
        const forEnabled = outcomes.filter((o) => enabled.some((c) => c.code === o.code));
        const valid =
          outcomes.every((o) => criteria.some((c) => c.code === o.code)) &&
          enabled.every((c) => forEnabled.filter((o) => o.code === c.code).length === 1) &&
          forEnabled.every((o) => o.outcome !== 'waived' || (o.reason ?? '').trim() !== '');
        expect(decision.ok).toBe(valid);
        if (decision.ok) {
          expect(decision.value.outcomes.map((o) => o.code)).toEqual(enabled.map((c) => c.code));
          expect(decision.value.eligible).toBe(forEnabled.every((o) => o.outcome !== 'not_met'));
        }
      }),
      { numRuns: 2000 },
    );
  });
});
