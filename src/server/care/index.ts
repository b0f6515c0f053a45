import type { App, AppContext } from '../context';
import { registerMdtReviews } from './mdt-reviews';
import { registerToxicology } from './toxicology';
import { registerBreathTests } from './breath-tests';
import { registerWorkLists } from './work-lists';
import { registerNaloxone } from './naloxone';
import { registerEquipment } from './equipment';
import { registerInjectionSiteProblems } from './injection-sites';
import { registerKeyworker } from './keyworker';
import { registerCarePlans } from './care-plans';
import { registerKeyworkSessions } from './keywork-sessions';
import { registerReferrals } from './referrals';
import { registerOutcomes } from './outcomes';
import { registerMethadoneCollections } from './methadone-collections';
import { registerMethadoneImport } from './methadone-import';
import { registerEcgs } from './ecgs';

/** Monitoring and care: each area's operations. */
export const careOperations: ((app: App, ctx: AppContext) => void)[] = [registerWorkLists, registerMdtReviews, registerToxicology, registerBreathTests, registerNaloxone, registerEquipment, registerInjectionSiteProblems, registerKeyworker, registerCarePlans, registerKeyworkSessions, registerReferrals, registerOutcomes, registerMethadoneCollections, registerMethadoneImport, registerEcgs];

