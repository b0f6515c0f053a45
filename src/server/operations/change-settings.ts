import { eq } from 'drizzle-orm';
import { ChangeSettingsRequest, Clinic } from '../../contract/clinics';
import { ClinicParams, errors } from '../../contract/common';
import { checkClinicSettings } from '../../domain/clinic/clinic-settings';
import { changeSettings, StaleVersionError } from '../../store/clinics';
import { clinics } from '../../store/schema';
import type { App, AppContext } from '../context';
import { clinicIdOf, clinicOut } from '../clinic-output';
import { conflict, invalid } from '../errors';
import { sendWrite } from '../write';

/** Settings are versioned, never overwritten: each change is a new version with a reason. */
export function registerChangeSettings(app: App, ctx: AppContext) {
  app.put(
    '/api/v1/clinics/:clinicId/settings',
    {
      schema: {
        summary: 'Change a clinic\'s settings (a new version)',
        tags: ['clinics'],
        params: ClinicParams,
        body: ChangeSettingsRequest,
        response: {
          200: Clinic,
          ...errors(400, 401, 403, 404, 409),
        },
      },
    },
    async (req, reply) => {
      const clinicId = clinicIdOf(req);
      const checked = checkClinicSettings(req.body.settings);
      if (!checked.ok) throw invalid(checked.problems.map((p) => ({ ...p, field: `settings.${p.field}` })));
      return sendWrite(ctx, req, reply, 200, async (w) => {
        try {
          const next = await changeSettings(w, clinicId, checked.value, req.body.reason, req.body.expectedVersion);
          const [clinic] = await w.tx.select().from(clinics).where(eq(clinics.clinicId, clinicId));
          return clinicOut(clinic!.createdAt, next);
        } catch (err) {
          if (err instanceof StaleVersionError) throw conflict('stale_version', err.message);
          throw err;
        }
      });
    },
  );
}
