import { CarePlanData, checkCarePlan } from '../../domain/care/care-plan';
import type { App, AppContext } from '../context';
import { registerCareRecordRoutes } from './care-routes';

/**
 * Care plans: goals in each area of the person's life, agreed with them, with a review date (by
 * default the plan's date plus the clinic's care-plan review interval). The latest plan is the
 * plan in force; the care-plan work list follows from it (see domain/care/care-plan.ts).
 */
export function registerCarePlans(app: App, ctx: AppContext) {
  registerCareRecordRoutes(app, ctx, {
    kind: 'care_plan',
    path: 'care-plans',
    noun: 'care plan',
    tag: 'care',
    data: CarePlanData,
    check: (data, person, when) => checkCarePlan(data, when.effectiveDate, person.settings.monitoring.carePlanReviewDays),
  });
}
