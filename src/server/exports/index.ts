import type { App, AppContext } from '../context';
import { registerNdtmsReturn } from './ndtms-return';
import { registerResearchExtract } from './research-extract';

/** This area's operations, one file each. */
export const exportsOperations: ((app: App, ctx: AppContext) => void)[] = [registerNdtmsReturn, registerResearchExtract];
