import { Temporal } from 'temporal-polyfill';
import type { CareRules } from '../care/person-in-care';
import type { CareRecord } from '../care/care-record';
import type { WorkItem } from '../care/work-list';
import { APPROVE_WITHIN_DAYS, planStateOf, type ContinuityPlan } from './continuity-plan';
import { continuityStatus } from './continuity-status';

/** Within this many days of the funding end, an unapproved plan is urgent. */
export const URGENT_DAYS_LEFT = 28;

/**
 * The prescriber's work list during the notice period: everyone in treatment without an approved
 * plan for the current funding end date ("Continuity plan to approve: funding ends …"). Due a
 * month into the notice period; urgent in the last four weeks. Nothing at the hatch.
 */
export const continuityRules: CareRules = {
  workItems({ person, settings, today }): WorkItem[] {
    const status = continuityStatus(Temporal.PlainDate.from(today), settings.continuity);
    if (status.state !== 'notice' || !person.inTreatment) return [];
    const fundedUntil = status.fundedUntil!;
    const plan = planStateOf(person.records.filter((r) => r.kind === 'continuity_plan') as CareRecord<ContinuityPlan>[], fundedUntil);
    if (plan.state === 'approved' && plan.forCurrentHorizon) return [];
    const target = Temporal.PlainDate.from(status.noticeFrom!).add({ days: APPROVE_WITHIN_DAYS }).toString();
    const dueOn = target < fundedUntil ? target : fundedUntil;
    const overdue = today > dueOn;
    const left = `${status.daysLeft} ${status.daysLeft === 1 ? 'day' : 'days'} left`;
    const what =
      plan.state === 'none'
        ? 'no plan drafted yet: draft plans on the Continuity page'
        : !plan.forCurrentHorizon
          ? `the ${plan.state} plan is for an earlier funding end date: draft again on the Continuity page`
          : 'a draft is ready to review';
    return [
      {
        list: 'reviews_due',
        serviceUserId: person.serviceUserId,
        dueOn,
        overdue,
        severity: (status.daysLeft ?? 0) <= URGENT_DAYS_LEFT ? 'danger' : overdue ? 'warning' : 'info',
        text: `Continuity plan to approve: funding ends ${fundedUntil} (${left}); ${what}`,
        recordId: plan.recordId,
      },
    ];
  },
  alerts: () => [],
};
