import type { App, AppContext } from '../context';
import { registerPortalAccounts } from './accounts';
import { registerPortalData } from './portal-data';
import { registerPortalSignIn } from './sign-in';

/** This area's operations, one file each. */
export const portalOperations: ((app: App, ctx: AppContext) => void)[] = [registerPortalAccounts, registerPortalSignIn, registerPortalData];
