import type { App, AppContext } from '../context';
import { registerArrivalPlans } from './arrival-plans';
import { registerArrivalSlots } from './arrival-slots';
import { registerTravelReport } from './travel-report';
import { registerWaitingAreas } from './waiting-areas';

/** This area's operations, one file each. */
export const arrivalOperations: ((app: App, ctx: AppContext) => void)[] = [registerArrivalPlans, registerArrivalSlots, registerWaitingAreas, registerTravelReport];
