import { checkNaloxoneSupply, NaloxoneSupplyData, NaloxoneUseData } from '../../domain/care/harm-reduction';
import type { App, AppContext } from '../context';
import { registerCareRecordRoutes } from './care-routes';

/**
 * Take-home naloxone: each kit supplied (product, batch, expiry, why, whether training was given)
 * and each time a kit was used. The date of a use is the record's effectiveDate. An expired kit
 * (or one expiring on the day) is refused: `naloxone_expired`. The naloxone work list follows
 * from these records (see domain/care/harm-reduction.ts).
 */
export function registerNaloxone(app: App, ctx: AppContext) {
  registerCareRecordRoutes(app, ctx, {
    kind: 'naloxone_supply',
    path: 'naloxone-supplies',
    noun: 'naloxone supply',
    tag: 'harm reduction',
    data: NaloxoneSupplyData,
    check: (data, _person, when) => checkNaloxoneSupply(data, when.effectiveDate),
  });
  registerCareRecordRoutes(app, ctx, { kind: 'naloxone_use', path: 'naloxone-uses', noun: 'naloxone use', tag: 'harm reduction', data: NaloxoneUseData });
}
