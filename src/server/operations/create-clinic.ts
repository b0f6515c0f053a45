import { Clinic, CreateClinicRequest } from '../../contract/clinics';
import { errors } from '../../contract/common';
import { checkClinicSettings, defaultClinicSettings } from '../../domain/clinic/clinic-settings';
import { createClinic, currentSettings } from '../../store/clinics';
import { setRoles } from '../../store/staff';
import type { App, AppContext } from '../context';
import { signedIn } from '../authorize';
import { badRequest, invalid } from '../errors';
import { clinicOut } from '../clinic-output';
import { sendWrite } from '../write';

/** A new clinic, with the defaults for anything not given; its creator becomes its administrator. */
export function registerCreateClinic(app: App, ctx: AppContext) {
  app.post(
    '/api/v1/clinics',
    {
      schema: {
        summary: 'Create a clinic',
        tags: ['clinics'],
        body: CreateClinicRequest,
        response: { 201: Clinic, ...errors(400, 401, 403) },
      },
    },
    async (req, reply) => {
      const { staff } = signedIn(req);
      const given = req.body.settings;
      if (typeof given !== 'object' || given === null || Array.isArray(given)) {
        throw badRequest('settings', 'must be an object with at least a name');
      }
      const name = (given as { name?: unknown }).name;
      const checked = checkClinicSettings({ ...defaultClinicSettings(typeof name === 'string' ? name : ''), ...given });
      if (!checked.ok) throw invalid(checked.problems.map((p) => ({ ...p, field: `settings.${p.field}` })));
      return sendWrite(ctx, req, reply, 201, async (w) => {
        const clinicId = await createClinic(w, checked.value);
        await setRoles(w, clinicId, staff.staffId, ['admin']);
        const settings = (await currentSettings(w.tx, clinicId))!;
        return clinicOut(w.now, settings);
      });
    },
  );
}
