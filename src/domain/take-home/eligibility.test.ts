import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Temporal } from 'temporal-polyfill';
import { evaluateTakeHome, INTOXICATION_REFUSAL_RULES, weeksWindowStart, doseFactsNeededFrom, type TakeHomeInput } from './eligibility';
import { addDays, assessment, prescription, stablePerson, takeHomeSettings, toxicology } from './test-fixtures';
import type { TakeHomeSettings } from './take-home-settings';

const TODAY = '2026-06-15';
const codes = (input: TakeHomeInput) => evaluateTakeHome(input).suspendedBecause.map((r) => r.code);
const criterion = (input: TakeHomeInput, code: string) => evaluateTakeHome(input).criteria.find((c) => c.code === code);

describe('take-home eligibility: examples', () => {
  it('authorises someone stable, assessed and authorised, within the clinic maximum', () => {
    const ev = evaluateTakeHome(stablePerson(TODAY, takeHomeSettings({}, true, 5)));
    expect(ev.suspendedBecause).toEqual([]);
    expect(ev.authorised).toBe(true);
    expect(ev.maxDaysPerSupply).toBe(5); // the assessment says 7, the clinic 5
    expect(ev.criteria.map((c) => [c.code, c.met])).toEqual([
      ['weeks_in_treatment', true],
      ['intoxication_refusals', true],
      ['street_heroin', true],
      ['missed_doses', true],
      ['fixed_address', true],
      ['lockable_box', true],
      ['children_considered', true],
      ['safe_storage_advice', true],
    ]);
  });

  it('gives the figures for each criterion', () => {
    const p = stablePerson(TODAY);
    p.episode = { ...p.episode, treatmentStartedOn: '2026-04-01' };
    p.doses = { from: '2025-01-01', refusals: [{ clinicDate: '2026-06-01', session: 'AM', rules: ['signs_of_intoxication'] }], missed: [{ clinicDate: '2026-06-10', session: 'PM' }] };
    p.toxicology = [...p.toxicology, toxicology('2026-06-03', 'positive')];
    p.childrenInHousehold = 2;
    const ev = evaluateTakeHome(p);
    expect(criterion(p, 'weeks_in_treatment')).toMatchObject({ met: false, detail: '10 weeks in treatment since 2026-04-01 (at least 12 needed)' });
    expect(criterion(p, 'intoxication_refusals')).toMatchObject({ met: false, detail: '1 dose refused in the last 12 weeks (since 2026-03-24): 2026-06-01 AM (signs of intoxication)' });
    expect(criterion(p, 'street_heroin')?.detail).toContain('Positive for street heroin on 2026-06-03 (papaverine)');
    expect(criterion(p, 'missed_doses')).toMatchObject({ met: false, detail: '1 dose missed in the last 4 weeks (since 2026-05-19): 2026-06-10 PM' });
    expect(criterion(p, 'children_considered')?.detail).toBe('Considered: No children live at or visit the flat; 2 children in the household on the record (assessment 2026-06-08)');
    expect(ev.authorised).toBe(false);
    expect(ev.maxDaysPerSupply).toBeNull();
    expect(ev.suspendedBecause.map((r) => r.code)).toEqual([
      'weeks_in_treatment_criterion_not_met',
      'intoxication_refusals_criterion_not_met',
      'street_heroin_criterion_not_met',
      'missed_doses_criterion_not_met',
    ]);
  });

  it('counts only refusals for intoxication, sedation, sedatives or alcohol', () => {
    const p = stablePerson(TODAY);
    p.doses = { from: '2025-01-01', refusals: [{ clinicDate: TODAY, session: 'AM', rules: ['breath_test_required'] }, { clinicDate: TODAY, session: 'PM', rules: ['nurse_refused'] }], missed: [] };
    expect(evaluateTakeHome(p).authorised).toBe(true);
    for (const rule of INTOXICATION_REFUSAL_RULES) {
      p.doses = { from: '2025-01-01', refusals: [{ clinicDate: TODAY, session: 'AM', rules: ['nurse_refused', rule] }], missed: [] };
      expect(codes(p)).toEqual(['intoxication_refusals_criterion_not_met']);
    }
  });

  it('toxicology: a refused sample, too few negatives, or results without the markers are not negative', () => {
    const refused = stablePerson(TODAY);
    refused.toxicology = [...refused.toxicology, toxicology(addDays(TODAY, -3), 'refused')];
    expect(criterion(refused, 'street_heroin')).toMatchObject({ met: false });
    expect(criterion(refused, 'street_heroin')!.detail).toContain('Sample refused on 2026-06-12');

    const gap = stablePerson(TODAY, takeHomeSettings({ streetHeroinNegativeWeeks: 4 }));
    gap.toxicology = [toxicology(TODAY), toxicology(addDays(TODAY, -7)), toxicology(addDays(TODAY, -21), 'no_markers'), toxicology(addDays(TODAY, -28), 'pending')];
    expect(criterion(gap, 'street_heroin')).toMatchObject({ met: false, detail: '2 samples tested negative since 2026-05-18, 4 needed (one every 7 days for 4 weeks)' });

    // Fortnightly testing needs half as many.
    const fortnightly = stablePerson(TODAY, takeHomeSettings({ streetHeroinNegativeWeeks: 4 }));
    fortnightly.toxicologyIntervalDays = 14;
    fortnightly.toxicology = [toxicology(addDays(TODAY, -2)), toxicology(addDays(TODAY, -16))];
    expect(criterion(fortnightly, 'street_heroin')).toMatchObject({ met: true });
  });

  it('suspension sticks: an event on or after the authorising assessment voids it, however long ago', () => {
    const p = stablePerson(TODAY, takeHomeSettings({ noMissedDoseWeeks: 4 }));
    p.episode = { ...p.episode, treatmentStartedOn: '2025-09-01' };
    p.assessments = [assessment('2026-01-05')];
    p.doses = { from: '2025-01-01', refusals: [], missed: [{ clinicDate: '2026-02-01', session: 'AM' }] };
    expect(criterion(p, 'missed_doses')).toMatchObject({ met: false, detail: '1 dose missed since 2026-01-05 (the authorising assessment): 2026-02-01 AM' });
    // Before the assessment and older than the window: it no longer counts.
    p.doses = { from: '2025-01-01', refusals: [], missed: [{ clinicDate: '2026-01-04', session: 'AM' }] };
    expect(evaluateTakeHome(p).authorised).toBe(true);
    // A new assessment starts afresh.
    p.doses = { from: '2025-01-01', refusals: [], missed: [{ clinicDate: '2026-02-01', session: 'AM' }] };
    p.assessments = [assessment('2026-01-05'), assessment('2026-06-01')];
    expect(evaluateTakeHome(p).authorised).toBe(true);
  });

  it('an absence since the assessment, or an assessment from before this episode, needs a new assessment', () => {
    const p = stablePerson(TODAY);
    p.episode = { ...p.episode, absenceStartedOn: ['2026-06-09'] };
    expect(codes(p)).toEqual(['absence_since_assessment']);
    const q = stablePerson(TODAY);
    q.episode = { ...q.episode, treatmentStartedOn: '2026-03-01' };
    q.assessments = [assessment('2026-02-20')];
    expect(codes(q)).toContain('assessment_before_this_episode');
  });

  it('a criterion switched off by the clinic is not asked', () => {
    const p = stablePerson(TODAY, takeHomeSettings({ lockableBoxRequired: false, childrenConsideredRequired: false }));
    p.assessments = [assessment(addDays(TODAY, -1), { lockableBox: false, childrenConsidered: false, childrenNote: null })];
    const ev = evaluateTakeHome(p);
    expect(ev.criteria.map((c) => c.code)).not.toContain('lockable_box');
    expect(ev.authorised).toBe(true);
  });

  it('without the dose history (the monitoring rules) nobody is authorised, and says why', () => {
    const p = stablePerson(TODAY);
    p.doses = null;
    p.retitrationLocked = null;
    const ev = evaluateTakeHome(p);
    expect(ev.notChecked).toEqual(['intoxication_refusals', 'missed_doses']);
    expect(ev.suspendedBecause.map((r) => r.code)).toEqual(['not_checked']);
  });

  it('a dose history read from too late a date fails safe', () => {
    const p = stablePerson(TODAY);
    p.doses = { from: TODAY, refusals: [], missed: [] };
    expect(codes(p)).toEqual(['intoxication_refusals_criterion_not_met', 'missed_doses_criterion_not_met']);
    expect(doseFactsNeededFrom(TODAY, p.settings, null)).toBe(weeksWindowStart(TODAY, 12));
    expect(doseFactsNeededFrom(TODAY, p.settings, '2025-10-01')).toBe('2025-10-01');
  });
});

// ---------------------------------------------------------------------------------------------
// Properties

const settingsArb: fc.Arbitrary<TakeHomeSettings> = fc.record({
  enabled: fc.constant(true),
  maxDaysPerSupply: fc.integer({ min: 1, max: 14 }),
  criteria: fc.record({
    minWeeksInTreatment: fc.integer({ min: 4, max: 30 }),
    noIntoxicationRefusalWeeks: fc.integer({ min: 1, max: 20 }),
    streetHeroinNegativeWeeks: fc.integer({ min: 1, max: 20 }),
    noMissedDoseWeeks: fc.integer({ min: 1, max: 20 }),
    lockableBoxRequired: fc.boolean(),
    childrenConsideredRequired: fc.boolean(),
  }),
});

const dateArb = fc.integer({ min: 0, max: 700 }).map((n) => addDays('2026-01-01', n));
const sessionArb = fc.constantFrom('AM', 'PM');
const otherRule = fc.constantFrom('breath_test_required', 'nurse_refused', 'identity_not_confirmed');

/**
 * A person who meets everything: in treatment long enough, assessed (recently or long ago) and
 * authorised, weekly negative samples, and only harmless history — refusals for other reasons,
 * and refusals, missed doses, positives and absences from before every window and the assessment.
 */
const stableArb = fc
  .record({
    today: dateArb,
    settings: settingsArb,
    assessedDaysAgo: fc.integer({ min: 0, max: 300 }),
    maxDays: fc.integer({ min: 1, max: 14 }),
    extraWeeks: fc.integer({ min: 0, max: 40 }),
    oldRefusals: fc.array(fc.record({ back: fc.integer({ min: 1, max: 60 }), session: sessionArb, rule: fc.constantFrom(...INTOXICATION_REFUSAL_RULES) }), { maxLength: 4 }),
    harmless: fc.array(fc.record({ back: fc.integer({ min: 0, max: 100 }), session: sessionArb, rule: otherRule }), { maxLength: 4 }),
    oldMissed: fc.array(fc.record({ back: fc.integer({ min: 1, max: 60 }), session: sessionArb }), { maxLength: 4 }),
    oldPositive: fc.option(fc.integer({ min: 1, max: 60 }), { nil: undefined }),
    oldAbsence: fc.option(fc.integer({ min: 1, max: 60 }), { nil: undefined }),
    children: fc.integer({ min: 0, max: 5 }),
  })
  .map((g) => {
    const p = stablePerson(g.today, g.settings);
    const c = g.settings.criteria;
    const assessedOn = addDays(g.today, -g.assessedDaysAgo);
    p.episode.treatmentStartedOn = addDays(g.today, -7 * (c.minWeeksInTreatment + g.extraWeeks));
    if (p.episode.treatmentStartedOn > assessedOn) p.episode.treatmentStartedOn = assessedOn;
    p.assessments = [assessment(assessedOn, { maxDaysPerSupply: g.maxDays })];
    p.childrenInHousehold = g.children;
    // The earliest date any window (or the assessment) looks at; history before it is harmless.
    const windows = [weeksWindowStart(g.today, c.noIntoxicationRefusalWeeks), weeksWindowStart(g.today, c.noMissedDoseWeeks), addDays(g.today, -7 * c.streetHeroinNegativeWeeks), assessedOn];
    const edge = windows.sort()[0]!;
    const before = (back: number) => addDays(edge, -back);
    p.doses = {
      from: addDays(edge, -100),
      refusals: [...g.oldRefusals.map((r) => ({ clinicDate: before(r.back), session: r.session, rules: [r.rule] })), ...g.harmless.map((r) => ({ clinicDate: addDays(g.today, -r.back), session: r.session, rules: [r.rule] }))],
      missed: g.oldMissed.map((m) => ({ clinicDate: before(m.back), session: m.session })),
    };
    if (g.oldPositive !== undefined) p.toxicology = [...p.toxicology, toxicology(before(g.oldPositive), 'positive')];
    if (g.oldAbsence !== undefined) p.episode.absenceStartedOn = [before(g.oldAbsence)];
    return { input: p, assessedOn, maxDays: g.maxDays };
  });

/** One way of breaking one criterion or condition, and the reason it must give. */
interface Breach {
  name: string;
  code: string;
  apply: (p: TakeHomeInput, pick: number, assessedOn: string) => TakeHomeInput;
}

/** A date inside a window: from its first day to today. */
const within = (from: string, today: string, pick: number) => {
  const span = Temporal.PlainDate.from(from).until(Temporal.PlainDate.from(today)).days;
  return addDays(from, span === 0 ? 0 : pick % (span + 1));
};
const breaches: Breach[] = [
  { name: 'clinic has take-home off', code: 'take_home_not_enabled', apply: (p) => ({ ...p, settings: { ...p.settings, enabled: false } }) },
  {
    name: 'too few weeks in treatment',
    code: 'weeks_in_treatment_criterion_not_met',
    apply: (p, pick) => ({ ...p, episode: { ...p.episode, treatmentStartedOn: addDays(p.today, -(pick % (7 * p.settings.criteria.minWeeksInTreatment))) }, assessments: p.assessments.map((a) => ({ ...a, effectiveDate: p.today })) }),
  },
  { name: 'not in treatment', code: 'not_in_treatment', apply: (p) => ({ ...p, episode: { ...p.episode, inTreatment: false } }) },
  {
    name: 'a refusal for intoxication in the window',
    code: 'intoxication_refusals_criterion_not_met',
    apply: (p, pick) => ({
      ...p,
      doses: { ...p.doses!, refusals: [...p.doses!.refusals, { clinicDate: within(weeksWindowStart(p.today, p.settings.criteria.noIntoxicationRefusalWeeks), p.today, pick), session: 'AM', rules: [INTOXICATION_REFUSAL_RULES[pick % INTOXICATION_REFUSAL_RULES.length]!] }] },
    }),
  },
  {
    name: 'a refusal for intoxication since the assessment',
    code: 'intoxication_refusals_criterion_not_met',
    apply: (p, pick, on) => ({ ...p, doses: { ...p.doses!, refusals: [...p.doses!.refusals, { clinicDate: within(on, p.today, pick), session: 'PM', rules: ['signs_of_intoxication'] }] } }),
  },
  {
    name: 'a street-heroin positive in the window',
    code: 'street_heroin_criterion_not_met',
    apply: (p, pick) => ({ ...p, toxicology: [...p.toxicology, toxicology(within(addDays(p.today, -7 * p.settings.criteria.streetHeroinNegativeWeeks), p.today, pick), 'positive')] }),
  },
  { name: 'a street-heroin positive since the assessment', code: 'street_heroin_criterion_not_met', apply: (p, pick, on) => ({ ...p, toxicology: [...p.toxicology, toxicology(within(on, p.today, pick), 'positive')] }) },
  {
    name: 'a refused sample in the window',
    code: 'street_heroin_criterion_not_met',
    apply: (p, pick) => ({ ...p, toxicology: [...p.toxicology, toxicology(within(addDays(p.today, -7 * p.settings.criteria.streetHeroinNegativeWeeks), p.today, pick), 'refused')] }),
  },
  { name: 'no samples in the window', code: 'street_heroin_criterion_not_met', apply: (p) => ({ ...p, toxicology: p.toxicology.filter((t) => t.effectiveDate < addDays(p.today, -7 * p.settings.criteria.streetHeroinNegativeWeeks)) }) },
  {
    name: 'a missed dose in the window',
    code: 'missed_doses_criterion_not_met',
    apply: (p, pick) => ({ ...p, doses: { ...p.doses!, missed: [...p.doses!.missed, { clinicDate: within(weeksWindowStart(p.today, p.settings.criteria.noMissedDoseWeeks), p.today, pick), session: 'AM' }] } }),
  },
  { name: 'a missed dose since the assessment', code: 'missed_doses_criterion_not_met', apply: (p, pick, on) => ({ ...p, doses: { ...p.doses!, missed: [...p.doses!.missed, { clinicDate: within(on, p.today, pick), session: 'PM' }] } }) },
  { name: 'no fixed abode', code: 'fixed_address_criterion_not_met', apply: (p) => ({ ...p, noFixedAbode: true }) },
  {
    name: 'no lockable box (when required)',
    code: 'lockable_box_criterion_not_met',
    apply: (p) => ({ ...p, settings: { ...p.settings, criteria: { ...p.settings.criteria, lockableBoxRequired: true } }, assessments: p.assessments.map((a) => ({ ...a, data: { ...a.data, lockableBox: false } })) }),
  },
  {
    name: 'children not considered (when required)',
    code: 'children_considered_criterion_not_met',
    apply: (p) => ({ ...p, settings: { ...p.settings, criteria: { ...p.settings.criteria, childrenConsideredRequired: true } }, assessments: p.assessments.map((a) => ({ ...a, data: { ...a.data, childrenConsidered: false, childrenNote: null } })) }),
  },
  { name: 'no safe-storage advice', code: 'safe_storage_advice_criterion_not_met', apply: (p) => ({ ...p, assessments: p.assessments.map((a) => ({ ...a, data: { ...a.data, safeStorageAdviceGiven: false } })) }) },
  { name: 'not authorised by the prescriber', code: 'not_authorised', apply: (p) => ({ ...p, assessments: p.assessments.map((a) => ({ ...a, data: { ...a.data, authorised: false, maxDaysPerSupply: null } })) }) },
  { name: 'never assessed', code: 'no_assessment', apply: (p) => ({ ...p, assessments: [] }) },
  { name: 'away', code: 'absent', apply: (p) => ({ ...p, episode: { ...p.episode, absent: true } }) },
  { name: 'an absence since the assessment', code: 'absence_since_assessment', apply: (p, pick, on) => ({ ...p, episode: { ...p.episode, absenceStartedOn: [within(on, p.today, pick)] } }) },
  { name: 'review needed after an absence', code: 'review_required', apply: (p) => ({ ...p, episode: { ...p.episode, reviewRequired: true } }) },
  { name: 're-titration after an absence', code: 'retitration_required', apply: (p) => ({ ...p, episode: { ...p.episode, retitrationRequired: true } }) },
  { name: 'locked to re-titration', code: 'retitration_locked', apply: (p) => ({ ...p, retitrationLocked: true }) },
  { name: 'prescription suspended', code: 'no_active_prescription', apply: (p) => ({ ...p, prescription: prescription({}, { status: 'suspended' }) }) },
  { name: 'prescription ended', code: 'no_active_prescription', apply: (p) => ({ ...p, prescription: prescription({}, { endDate: addDays(p.today, -1) }) }) },
  { name: 'no prescription', code: 'no_active_prescription', apply: (p) => ({ ...p, prescription: null }) },
  {
    name: 'still titrating',
    code: 'titration_in_progress',
    apply: (p) => ({ ...p, prescription: prescription({ titration: { startDoseMg: 30, steps: [{ fromDate: addDays(p.today, 2), doseMg: 200 }] } }) }),
  },
  { name: 'dose history unknown', code: 'not_checked', apply: (p) => ({ ...p, doses: null }) },
];

describe('take-home eligibility: properties', () => {
  it('everything met and authorised: authorised, for at most the assessment and the clinic days', () => {
    fc.assert(
      fc.property(stableArb, ({ input, maxDays }) => {
        const ev = evaluateTakeHome(input);
        expect(ev.suspendedBecause).toEqual([]);
        expect(ev.authorised).toBe(true);
        expect(ev.criteria.every((c) => c.met)).toBe(true);
        expect(ev.maxDaysPerSupply).toBe(Math.min(maxDays, input.settings.maxDaysPerSupply));
      }),
      { numRuns: 300 },
    );
  });

  it.each(breaches)('$name alone stops authorisation ($code)', ({ code, apply }) => {
    fc.assert(
      fc.property(stableArb, fc.nat(), ({ input, assessedOn }, pick) => {
        const broken = apply(structuredClone(input), pick, assessedOn);
        const ev = evaluateTakeHome(broken);
        expect(ev.authorised).toBe(false);
        expect(ev.maxDaysPerSupply).toBeNull();
        expect(ev.suspendedBecause.map((r) => r.code)).toContain(code);
      }),
      { numRuns: 150 },
    );
  });

  it('adding a refusal, a missed dose, a positive or an absence never makes someone authorised', () => {
    const event = fc.record({ kind: fc.constantFrom('refusal', 'missed', 'positive', 'refused_sample', 'absence'), back: fc.integer({ min: 0, max: 400 }), rule: fc.constantFrom(...INTOXICATION_REFUSAL_RULES) });
    fc.assert(
      fc.property(stableArb, fc.array(event, { maxLength: 3 }), event, ({ input }, history, extra) => {
        const apply = (p: TakeHomeInput, e: { kind: string; back: number; rule: string }): TakeHomeInput => {
          const on = addDays(p.today, -e.back);
          switch (e.kind) {
            case 'refusal':
              return { ...p, doses: { ...p.doses!, refusals: [...p.doses!.refusals, { clinicDate: on, session: 'AM', rules: [e.rule] }] } };
            case 'missed':
              return { ...p, doses: { ...p.doses!, missed: [...p.doses!.missed, { clinicDate: on, session: 'AM' }] } };
            case 'positive':
              return { ...p, toxicology: [...p.toxicology, toxicology(on, 'positive')] };
            case 'refused_sample':
              return { ...p, toxicology: [...p.toxicology, toxicology(on, 'refused')] };
            default:
              return { ...p, episode: { ...p.episode, absenceStartedOn: [...p.episode.absenceStartedOn, on] } };
          }
        };
        const before = history.reduce(apply, structuredClone(input));
        const after = apply(before, extra);
        if (evaluateTakeHome(after).authorised) expect(evaluateTakeHome(before).authorised).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
