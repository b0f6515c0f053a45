import { ArrivalPlanData, checkArrivalPlan } from '../../domain/arrival/arrival-plan';
import type { App, AppContext } from '../context';
import { registerCareRecordRoutes } from '../care/care-routes';

/**
 * A person's standing arrival plan: the slot they would like at each session, the waiting area,
 * and whether they must wait apart (stopping street drugs, actively using, other). The latest plan
 * is the one in force; corrections and "entered in error" as for every care record.
 */
export function registerArrivalPlans(app: App, ctx: AppContext) {
  registerCareRecordRoutes(app, ctx, {
    kind: 'arrival_plan',
    path: 'arrival-plans',
    noun: 'arrival plan',
    tag: 'arrivals',
    data: ArrivalPlanData,
    check: (data, person) => checkArrivalPlan(data, person.settings),
  });
}
