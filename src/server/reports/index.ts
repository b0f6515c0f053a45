import type { App, AppContext } from '../context';
import { registerReports } from './reports';

/** This area's operations, one file each. */
export const reportsOperations: ((app: App, ctx: AppContext) => void)[] = [registerReports];
