import type { App, AppContext } from '../context';
import { registerContinuity } from './continuity';
import { registerContinuityPlans } from './continuity-plans';

/** This area's operations, one file each. */
export const continuityOperations: ((app: App, ctx: AppContext) => void)[] = [registerContinuity, registerContinuityPlans];
