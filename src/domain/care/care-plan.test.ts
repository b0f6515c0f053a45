import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Temporal } from 'temporal-polyfill';
import { defaultClinicSettings } from '../clinic/clinic-settings';
import { ServiceUserRecordSchema } from '../service-user/record';
import type { CareRecord } from './care-record';
import type { PersonInCare } from './person-in-care';
import {
  CARE_PLAN_REVIEW_NOTICE_DAYS,
  carePlanDue,
  CarePlanData,
  carePlanRules,
  checkCarePlan,
  checkKeyworkSession,
  checkReferral,
  KeyworkSessionData,
  ReferralData,
  type CarePlan,
} from './care-plan';

const settings = defaultClinicSettings('Test clinic');
const baseRecord = ServiceUserRecordSchema.parse({ familyName: 'Bloggs', givenName: 'Jo', dateOfBirth: '1980-05-17', address: { lines: ['1 High Street'] } });

const goal = { domain: 'housing', goal: 'Secure a tenancy', actions: 'Keyworker refers to housing options', owner: 'keyworker' };
const planData = (over: Record<string, unknown> = {}): CarePlan => CarePlanData.parse({ goals: [goal], agreedWithServiceUser: true, ...over });

let seq = 0;
function plan(effectiveDate: string, data: Partial<CarePlan> = {}): CareRecord<CarePlan> {
  seq++;
  return {
    recordId: `00000000-0000-7000-8000-${String(seq).padStart(12, '0')}`,
    version: 1,
    serviceUserId: 'su-1',
    kind: 'care_plan',
    effectiveDate,
    occurredAt: null,
    data: { ...planData(), ...data },
    enteredInError: false,
    reason: null,
    source: 'staff',
    importId: null,
    recordedAt: `${effectiveDate}T10:00:00.000Z`,
    recordedBy: 'staff-1',
  };
}

function person(over: Partial<PersonInCare> = {}): PersonInCare {
  return {
    serviceUserId: 'su-1',
    record: baseRecord,
    episodeState: 'maintenance',
    inTreatment: true,
    absent: false,
    treatmentStartedOn: '2026-03-01',
    dischargedOn: null,
    prescription: null,
    records: [],
    assessmentBreathTests: [],
    ...over,
  };
}
const items = (p: PersonInCare, today: string) => carePlanRules.workItems({ person: p, settings, today, now: Temporal.Instant.from(`${today}T12:00:00Z`) });

const day = fc.integer({ min: 0, max: 4 * 366 }).map((n) => Temporal.PlainDate.from('2025-01-01').add({ days: n }).toString());
const plus = (d: string, n: number) => Temporal.PlainDate.from(d).add({ days: n }).toString();

describe('care plan data', () => {
  it('has 1 to 20 goals, each in a known domain, open unless said otherwise', () => {
    expect(CarePlanData.safeParse({ goals: [], agreedWithServiceUser: true }).error!.issues[0]!.path).toEqual(['goals']);
    expect(CarePlanData.safeParse({ goals: Array(21).fill(goal), agreedWithServiceUser: true }).error!.issues[0]!.path).toEqual(['goals']);
    expect(CarePlanData.safeParse({ goals: [{ ...goal, domain: 'hobbies' }], agreedWithServiceUser: true }).error!.issues[0]!.path).toEqual(['goals', 0, 'domain']);
    expect(CarePlanData.safeParse({ goals: [{ ...goal, goal: '  ' }], agreedWithServiceUser: true }).error!.issues[0]!.path).toEqual(['goals', 0, 'goal']);
    expect(planData().goals[0]).toMatchObject({ status: 'open', targetDate: null });
  });

  it("fills in the review date from the clinic's interval; a given one must be after the plan, within a year", () => {
    expect(checkCarePlan(planData(), '2026-03-02', 90)).toMatchObject({ ok: true, value: { reviewOn: '2026-05-31' } });
    expect(checkCarePlan(planData({ reviewOn: '2026-04-01' }), '2026-03-02', 90)).toMatchObject({ ok: true, value: { reviewOn: '2026-04-01' } });
    expect(checkCarePlan(planData({ reviewOn: '2026-03-02' }), '2026-03-02', 90)).toMatchObject({ ok: false, refusals: [{ rule: 'review_not_after_plan', field: 'reviewOn' }] });
    expect(checkCarePlan(planData({ reviewOn: '2027-03-03' }), '2026-03-02', 90)).toMatchObject({ ok: false, refusals: [{ rule: 'review_too_far', field: 'reviewOn' }] });
    expect(checkCarePlan(planData({ reviewOn: '2027-03-02' }), '2026-03-02', 90).ok).toBe(true);
  });

  it('the default review date is always after the plan, whatever the interval and date (property)', () => {
    fc.assert(
      fc.property(day, fc.integer({ min: 7, max: 365 }), (date, days) => {
        const checked = checkCarePlan(planData(), date, days);
        expect(checked.ok).toBe(true);
        if (checked.ok) expect(Temporal.PlainDate.from(date).until(checked.value.reviewOn).days).toBe(days);
      }),
    );
  });
});

describe('care plan review due', () => {
  it('a first plan is due 14 days after starting treatment, on the list a week before', () => {
    expect(items(person(), '2026-03-07')).toEqual([]);
    expect(items(person(), '2026-03-08')).toEqual([
      { list: 'care_plan_review_due', serviceUserId: 'su-1', dueOn: '2026-03-15', overdue: false, severity: 'info', text: 'Agree a first care plan: due on 2026-03-15 (14 days after starting treatment on 2026-03-01)', recordId: null },
    ]);
    expect(items(person(), '2026-03-15')[0]).toMatchObject({ severity: 'warning', overdue: false, text: expect.stringContaining('due today') });
    expect(items(person(), '2026-03-16')[0]).toMatchObject({ severity: 'warning', overdue: true, text: expect.stringContaining('overdue since 2026-03-15') });
  });

  it('with a plan, due on its review date; the latest plan is the one in force', () => {
    const older = plan('2026-03-05', { reviewOn: '2026-04-01' });
    const newer = plan('2026-03-20', { reviewOn: '2026-06-18', agreedWithServiceUser: false, goals: [planData().goals[0]!, { ...planData().goals[0]!, status: 'achieved' }] });
    expect(items(person({ records: [older] }), '2026-04-02')[0]).toMatchObject({ dueOn: '2026-04-01', overdue: true, recordId: older.recordId });
    expect(items(person({ records: [newer, older] }), '2026-04-02')).toEqual([]);
    expect(items(person({ records: [newer, older] }), '2026-06-18')[0]).toMatchObject({
      dueOn: '2026-06-18',
      overdue: false,
      text: 'Review the care plan of 2026-03-20: due today; 1 open goal; not yet agreed with them',
    });
  });

  it("a plan stored without a review date falls due after the clinic's interval", () => {
    const legacy = plan('2026-03-05', { reviewOn: null });
    expect(items(person({ records: [legacy] }), '2026-06-03')[0]).toMatchObject({ dueOn: '2026-06-03' });
  });

  it('nobody away or out of treatment is due', () => {
    expect(items(person({ absent: true }), '2026-04-01')).toEqual([]);
    expect(items(person({ inTreatment: false, episodeState: 'discharged' }), '2026-04-01')).toEqual([]);
    expect(carePlanRules.alerts({ person: person(), settings, today: '2026-04-01', now: Temporal.Now.instant() })).toEqual([]);
  });

  it('does not move when the clocks change (dates only)', () => {
    // Treatment starting the day before the UK clocks go forward (2026-03-29) or back (2026-10-25).
    expect(carePlanDue({ today: '2026-04-01', treatmentStartedOn: '2026-03-28', latest: null, reviewDays: 90 }).dueOn).toBe('2026-04-11');
    expect(carePlanDue({ today: '2026-11-01', treatmentStartedOn: '2026-10-24', latest: null, reviewDays: 90 }).dueOn).toBe('2026-11-07');
  });

  it('due, overdue and whether listed follow the dates exactly (property)', () => {
    fc.assert(
      fc.property(day, fc.option(fc.tuple(fc.integer({ min: 0, max: 400 }), fc.integer({ min: 1, max: 365 })), { nil: null }), day, (started, planned, today) => {
        const records = planned ? [plan(plus(started, planned[0]), { reviewOn: plus(started, planned[0] + planned[1]) })] : [];
        const due = planned ? plus(started, planned[0] + planned[1]) : plus(started, 14);
        const listed = items(person({ treatmentStartedOn: started, records }), today);
        if (due > plus(today, CARE_PLAN_REVIEW_NOTICE_DAYS)) {
          expect(listed).toEqual([]);
        } else {
          expect(listed).toHaveLength(1);
          expect(listed[0]).toMatchObject({ dueOn: due, overdue: due < today, severity: due <= today ? 'warning' : 'info' });
        }
      }),
    );
  });
});

describe('key-work sessions', () => {
  const attended = { attendance: 'attended', durationMinutes: 45, topics: ['housing', 'drug_use'], notes: 'Talked about the tenancy.' };

  it('a session that took place needs its length (5–240 minutes) and notes', () => {
    expect(KeyworkSessionData.safeParse({ ...attended, durationMinutes: undefined }).error!.issues[0]!.path).toEqual(['durationMinutes']);
    expect(KeyworkSessionData.safeParse({ ...attended, notes: '' }).error!.issues[0]!.path).toEqual(['notes']);
    expect(KeyworkSessionData.safeParse({ ...attended, durationMinutes: 4 }).error!.issues[0]!.path).toEqual(['durationMinutes']);
    expect(KeyworkSessionData.safeParse({ ...attended, durationMinutes: 241 }).error!.issues[0]!.path).toEqual(['durationMinutes']);
    expect(KeyworkSessionData.safeParse(attended).success).toBe(true);
  });

  it('a missed session needs neither, and has no length', () => {
    expect(KeyworkSessionData.parse({ attendance: 'did_not_attend' })).toEqual({ attendance: 'did_not_attend', durationMinutes: null, topics: [], notes: null, nextSessionOn: null });
    expect(KeyworkSessionData.safeParse({ attendance: 'cancelled', durationMinutes: 30 }).error!.issues[0]!.path).toEqual(['durationMinutes']);
  });

  it('topics are care-plan domains, each once', () => {
    expect(KeyworkSessionData.safeParse({ ...attended, topics: ['gardening'] }).error!.issues[0]!.path).toEqual(['topics', 0]);
    expect(KeyworkSessionData.safeParse({ ...attended, topics: ['housing', 'housing'] }).error!.issues[0]!.path).toEqual(['topics']);
  });

  it('the next session is after this one', () => {
    const s = KeyworkSessionData.parse({ ...attended, nextSessionOn: '2026-03-02' });
    expect(checkKeyworkSession(s, '2026-03-02')).toMatchObject({ ok: false, refusals: [{ rule: 'next_session_not_after', field: 'nextSessionOn' }] });
    expect(checkKeyworkSession(s, '2026-03-01').ok).toBe(true);
  });
});

describe('referrals', () => {
  const r = { service: 'housing', organisation: 'Middlesbrough Housing Options', reason: 'Sofa surfing' };

  it('needs the date made once made (and beyond); has none while still to make', () => {
    expect(ReferralData.safeParse({ ...r, status: 'to_make' }).success).toBe(true);
    expect(ReferralData.safeParse({ ...r, status: 'to_make', madeOn: '2026-03-01' }).error!.issues[0]!.path).toEqual(['madeOn']);
    for (const status of ['made', 'accepted', 'declined', 'attending', 'completed']) {
      expect(ReferralData.safeParse({ ...r, status }).error!.issues[0]!.path).toEqual(['madeOn']);
      expect(ReferralData.safeParse({ ...r, status, madeOn: '2026-03-01' }).success).toBe(true);
    }
    expect(ReferralData.safeParse({ ...r, status: 'closed' }).success).toBe(true);
    expect(ReferralData.safeParse({ ...r, status: 'lost' }).error!.issues[0]!.path).toEqual(['status']);
  });

  it('is not made in the future', () => {
    const made = ReferralData.parse({ ...r, status: 'made', madeOn: '2026-03-03' });
    expect(checkReferral(made, '2026-03-02')).toMatchObject({ ok: false, refusals: [{ rule: 'date_in_future', field: 'madeOn' }] });
    expect(checkReferral(made, '2026-03-03').ok).toBe(true);
  });
});
