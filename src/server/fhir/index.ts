import type { App, AppContext } from '../context';
import { registerFhir } from './fhir-routes';

/** This area's operations, one file each. */
export const fhirOperations: ((app: App, ctx: AppContext) => void)[] = [registerFhir];
