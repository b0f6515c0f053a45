import type { App, AppContext } from '../context';
import { registerMdtReviews } from './mdt-reviews';

/** Monitoring and care: each area's operations. */
export const careOperations: ((app: App, ctx: AppContext) => void)[] = [registerMdtReviews];

