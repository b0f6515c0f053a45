import { z } from 'zod';
import { errors } from '../../contract/common';
import { ExceptionRequest } from '../../contract/dosing';
import { ServiceUserParams } from '../../contract/service-users';
import { readStoredClinicSettings } from '../../domain/clinic/clinic-settings';
import { addException, exceptionsFor } from '../../store/dosing';
import { currentSettings } from '../../store/clinics';
import { serviceUserExists } from '../../store/service-users';
import type { App, AppContext } from '../context';
import { clinicIdOf } from '../clinic-output';
import { badRequest, notFound } from '../errors';
import { idParam } from '../clinical/output';
import { sendWrite } from '../write';

const Out = z.object({
  exceptionId: z.string(),
  kind: z.string(),
  sessionCode: z.string().nullable(),
  clinicDate: z.string().nullable(),
  site: z.string().nullable(),
  validUntil: z.string(),
  reason: z.string(),
  recordedAt: z.string(),
  recordedBy: z.string(),
});

/** A prescriber's recorded exception: a dose outside the session window, or a blocked injection site. */
export function registerDosingExceptions(app: App, ctx: AppContext) {
  app.post(
    '/api/v1/clinics/:clinicId/service-users/:serviceUserId/dosing-exceptions',
    { schema: { summary: 'Record a prescriber\'s exception (dose outside the session window; a blocked injection site)', tags: ['dosing room'], params: ServiceUserParams, body: ExceptionRequest, response: { 201: Out, ...errors(400, 401, 403, 404) } } },
    async (req, reply) => {
      const clinicId = clinicIdOf(req);
      const serviceUserId = idParam(req, 'serviceUserId', 'Service user');
      const b = req.body;
      return sendWrite(ctx, req, reply, 201, async (w) => {
        if (!(await serviceUserExists(w.tx, clinicId, serviceUserId))) throw notFound('Service user');
        const settings = readStoredClinicSettings((await currentSettings(w.tx, clinicId))!.settings);
        if (b.kind === 'outside_window' && (!b.sessionCode || !settings.sessions.some((s) => s.code === b.sessionCode))) throw badRequest('sessionCode', 'name one of the clinic\'s sessions');
        if (b.kind === 'injection_site' && !b.site) throw badRequest('site', 'name the site');
        const until = new Date(b.validUntil);
        if (until.getTime() <= w.now.getTime()) throw badRequest('validUntil', 'must be in the future');
        if (until.getTime() - w.now.getTime() > 92 * 24 * 3600_000) throw badRequest('validUntil', 'must be within three months; review and renew it');
        const row = await addException(w, clinicId, {
          serviceUserId,
          kind: b.kind,
          sessionCode: b.sessionCode ?? null,
          clinicDate: b.date ?? null,
          site: b.site ?? null,
          validUntil: until,
          reason: b.reason,
        });
        return { ...row, validUntil: row.validUntil.toISOString(), recordedAt: row.recordedAt.toISOString() };
      });
    },
  );

  app.get(
    '/api/v1/clinics/:clinicId/service-users/:serviceUserId/dosing-exceptions',
    { schema: { summary: 'Exceptions in force', tags: ['dosing room'], params: ServiceUserParams, response: { 200: z.object({ exceptions: z.array(Out) }), ...errors(401, 403, 404) } } },
    async (req) => {
      const clinicId = clinicIdOf(req);
      const serviceUserId = idParam(req, 'serviceUserId', 'Service user');
      const rows = await exceptionsFor(ctx.db.orm, clinicId, serviceUserId, new Date(ctx.clock.now().epochMilliseconds));
      return { exceptions: rows.map((r) => ({ ...r, validUntil: r.validUntil.toISOString(), recordedAt: r.recordedAt.toISOString() })) };
    },
  );
}
