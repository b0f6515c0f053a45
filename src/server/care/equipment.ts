import { EquipmentExchangeData } from '../../domain/care/harm-reduction';
import type { App, AppContext } from '../context';
import { registerCareRecordRoutes } from './care-routes';

/** Injecting equipment handed out (needles, syringes, filters...) and sharps returned, one record per exchange. */
export function registerEquipment(app: App, ctx: AppContext) {
  registerCareRecordRoutes(app, ctx, { kind: 'equipment_exchange', path: 'equipment', noun: 'equipment exchange', tag: 'harm reduction', data: EquipmentExchangeData });
}
