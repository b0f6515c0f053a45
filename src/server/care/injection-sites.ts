import { checkInjectionSiteProblem, InjectionSiteProblemData } from '../../domain/care/harm-reduction';
import type { App, AppContext } from '../context';
import { registerCareRecordRoutes } from './care-routes';

/**
 * Problems at injection sites (abscess, cellulitis, suspected DVT, ulcer): recorded open, with
 * any referral for wound care, and resolved by correcting the record with a reason (so the
 * history shows when and why). While open, each is on the wound-care list and the nurse at the
 * hatch sees where not to inject.
 */
export function registerInjectionSiteProblems(app: App, ctx: AppContext) {
  registerCareRecordRoutes(app, ctx, {
    kind: 'injection_site_problem',
    path: 'injection-site-problems',
    noun: 'injection-site problem',
    tag: 'harm reduction',
    data: InjectionSiteProblemData,
    check: (data, person, when) => checkInjectionSiteProblem(data, when.effectiveDate, person.today),
  });
}
