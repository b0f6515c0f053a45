import { checkCollection, MethadoneAlertActionData, MethadoneCollectionData } from '../../domain/care/methadone';
import type { App, AppContext } from '../context';
import { registerCareRecordRoutes } from './care-routes';

/**
 * Methadone cover: each scheduled collection at the community pharmacy (one record per person per
 * day, `effectiveDate` being the day the dose was due), and what the prescriber did about a run of
 * uncollected doses. The rules that raise the alert are in domain/care/methadone.ts; pharmacy logs
 * are imported in bulk by methadone-import.ts.
 */
export function registerMethadoneCollections(app: App, ctx: AppContext) {
  registerCareRecordRoutes(app, ctx, {
    kind: 'methadone_collection',
    path: 'methadone-collections',
    noun: 'methadone collection',
    tag: 'methadone',
    data: MethadoneCollectionData,
    check: (data, _person, when, others) => checkCollection(data, when.effectiveDate, others),
  });
  registerCareRecordRoutes(app, ctx, {
    kind: 'methadone_alert_action',
    path: 'methadone-alert-actions',
    noun: 'methadone non-collection action',
    tag: 'methadone',
    data: MethadoneAlertActionData,
  });
}
