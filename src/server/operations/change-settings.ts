import { eq } from 'drizzle-orm';
import { ChangeSettingsRequest, Clinic } from '../../contract/clinics';
import { ClinicParams, errors } from '../../contract/common';
import { checkClinicSettings, readStoredClinicSettings } from '../../domain/clinic/clinic-settings';
import { sessionRemovalRefusals } from '../../domain/prescription/session-removal';
import { dateToInstant } from '../../domain/time/clock';
import { clinicPrescriptions } from '../../store/prescriptions';
import { changeSettings, currentSettings, StaleVersionError } from '../../store/clinics';
import { clinics } from '../../store/schema';
import type { App, AppContext } from '../context';
import { clinicIdOf, clinicOut } from '../clinic-output';
import { conflict, invalid, refused } from '../errors';
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
          ...errors(400, 401, 403, 404, 409, 422),
        },
      },
    },
    async (req, reply) => {
      const clinicId = clinicIdOf(req);
      const checked = checkClinicSettings(req.body.settings);
      if (!checked.ok) throw invalid(checked.problems.map((p) => ({ ...p, field: `settings.${p.field}` })));
      return sendWrite(ctx, req, reply, 200, async (w) => {
        const before = readStoredClinicSettings((await currentSettings(w.tx, clinicId))!.settings);
        const removal = sessionRemovalRefusals(
          before.sessions.map((x) => x.code),
          checked.value.sessions.map((x) => x.code),
          await clinicPrescriptions(w.tx, clinicId),
          dateToInstant(w.now),
        );
        if (removal.length > 0) throw refused(removal);
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
