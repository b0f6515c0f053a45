import { describe, expect, it } from 'vitest';
import { Temporal } from 'temporal-polyfill';
import { defaultClinicSettings, type ClinicSettings } from '../clinic/clinic-settings';
import type { CareRecord } from '../care/care-record';
import type { PersonInCare } from '../care/person-in-care';
import { ServiceUserRecordSchema } from '../service-user/record';
import { approved, draftPlan, type ContinuityPlan } from './continuity-plan';
import { continuityRules } from './continuity-rules';

const baseRecord = ServiceUserRecordSchema.parse({ familyName: 'Bloggs', givenName: 'Jo', dateOfBirth: '1980-05-17', address: { lines: ['1 High Street'] } });
const settings = (fundedUntil: string | null): ClinicSettings => ({ ...defaultClinicSettings('Test'), continuity: { fundedUntil, noticeMonths: 6 } });

function person(over: Partial<PersonInCare> = {}): PersonInCare {
  return {
    serviceUserId: 'su-1',
    record: baseRecord,
    episodeState: 'maintenance',
    inTreatment: true,
    absent: false,
    treatmentStartedOn: '2025-01-01',
    dischargedOn: null,
    prescription: null,
    records: [],
    assessmentBreathTests: [],
    ...over,
  };
}

function plan(data: ContinuityPlan): CareRecord<ContinuityPlan> {
  return { recordId: 'rec-1', version: 1, serviceUserId: 'su-1', kind: 'continuity_plan', effectiveDate: '2026-03-01', occurredAt: null, data, enteredInError: false, reason: null, source: 'staff', importId: null, recordedAt: '2026-03-01T10:00:00Z', recordedBy: 's' };
}

const items = (p: PersonInCare, today: string, fundedUntil: string | null = '2026-08-31') =>
  continuityRules.workItems({ person: p, settings: settings(fundedUntil), today, now: Temporal.Instant.from(`${today}T12:00:00Z`) });

const drafted = draftPlan({ today: '2026-03-01', fundedUntil: '2026-08-31', noticeFrom: '2026-02-28', prescription: null });

describe('continuity on the prescriber\'s work list', () => {
  it('nothing while funding is open-ended or before the notice date; nothing after it has ended', () => {
    expect(items(person(), '2026-03-01', null)).toEqual([]);
    expect(items(person(), '2026-02-27')).toEqual([]);
    expect(items(person(), '2026-09-01')).toEqual([]);
  });

  it('from the notice date, everyone in treatment without an approved plan: due four weeks in, urgent in the last four weeks', () => {
    expect(items(person(), '2026-02-28')).toEqual([
      {
        list: 'reviews_due',
        serviceUserId: 'su-1',
        dueOn: '2026-03-28',
        overdue: false,
        severity: 'info',
        text: 'Continuity plan to approve: funding ends 2026-08-31 (184 days left); no plan drafted yet: draft plans on the Continuity page',
        recordId: null,
      },
    ]);
    expect(items(person(), '2026-03-29')).toMatchObject([{ overdue: true, severity: 'warning' }]);
    expect(items(person(), '2026-08-03')).toMatchObject([{ severity: 'danger', text: expect.stringContaining('(28 days left)') }]);
    expect(items(person(), '2026-08-31')).toMatchObject([{ text: expect.stringContaining('(0 days left)') }]);
  });

  it('a draft is waiting for approval; an approved plan clears it, unless it was for an earlier funding date', () => {
    expect(items(person({ records: [plan(drafted)] }), '2026-03-02')).toMatchObject([{ recordId: 'rec-1', text: expect.stringContaining('a draft is ready to review') }]);
    const ok = plan(approved(drafted, { staffId: 'doc', name: 'Dr' }, '2026-03-02'));
    expect(items(person({ records: [ok] }), '2026-03-03')).toEqual([]);
    const later = '2027-02-28';
    expect(items(person({ records: [ok] }), '2026-12-01', later)).toMatchObject([{ text: expect.stringContaining('the approved plan is for an earlier funding end date') }]);
    expect(items(person({ records: [plan({ ...drafted, status: 'superseded' })] }), '2026-03-02')).toMatchObject([{ text: expect.stringContaining('no plan drafted yet') }]);
  });

  it('nobody out of treatment, and no alerts at the hatch', () => {
    expect(items(person({ inTreatment: false, episodeState: 'discharged' }), '2026-03-02')).toEqual([]);
    expect(continuityRules.alerts({ person: person(), settings: settings('2026-08-31'), today: '2026-03-02', now: Temporal.Now.instant() })).toEqual([]);
  });
});
