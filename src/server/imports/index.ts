import type { App, AppContext } from '../context';
import { registerImportList } from './list-imports';
import { registerPrescriptionImport } from './prescriptions-import';
import { registerServiceUserImport } from './service-users-import';

/** This area's operations, one file each. */
export const importsOperations: ((app: App, ctx: AppContext) => void)[] = [registerServiceUserImport, registerPrescriptionImport, registerImportList];
