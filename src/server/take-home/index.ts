import type { App, AppContext } from '../context';
import { registerStabilityAssessments } from './assessments';
import { registerTakeHomeReturns } from './returns';
import { registerTakeHomeStatus } from './status';
import { registerTakeHomeSupplies } from './supplies';

/** This area's operations, one file each. */
export const takeHomeOperations: ((app: App, ctx: AppContext) => void)[] = [registerStabilityAssessments, registerTakeHomeStatus, registerTakeHomeSupplies, registerTakeHomeReturns];
