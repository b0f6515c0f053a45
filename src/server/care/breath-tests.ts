import { BreathTestData, checkBreathTest } from '../../domain/care/breath-tests';
import type { App, AppContext } from '../context';
import { registerCareRecordRoutes } from './care-routes';

/**
 * Breath tests apart from a dose (the daily test for identified alcohol use, or one asked for).
 * Stored with the reading as shown and in mg/L of breath. Send `occurredAt` with a test entered
 * after the event: without it, a test is taken to have happened when it was recorded (on its own
 * day; see domain/care/breath-tests.ts). A recent test stands in for a reading at the pre-dose
 * assessment (operations/dose-steps.ts).
 */
export function registerBreathTests(app: App, ctx: AppContext) {
  registerCareRecordRoutes(app, ctx, {
    kind: 'breath_test',
    path: 'breath-tests',
    noun: 'breath test',
    tag: 'breath tests',
    data: BreathTestData,
    check: (data) => checkBreathTest(data),
  });
}
