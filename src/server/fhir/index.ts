import type { App, AppContext } from '../context';

/** This area's operations, one file each. */
export const fhirOperations: ((app: App, ctx: AppContext) => void)[] = [];
