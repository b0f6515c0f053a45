import type { App, AppContext } from '../context';

/** This area's operations, one file each. */
export const reportsOperations: ((app: App, ctx: AppContext) => void)[] = [];
