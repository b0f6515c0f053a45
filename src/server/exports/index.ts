import type { App, AppContext } from '../context';

/** This area's operations, one file each. */
export const exportsOperations: ((app: App, ctx: AppContext) => void)[] = [];
