import { errors } from '../../contract/common';
import { ServiceUserDetail, ServiceUserParams } from '../../contract/service-users';
import { latestEpisode } from '../../store/episodes';
import { prescriptionHistory } from '../../store/prescriptions';
import { currentPhotoMeta, currentVersion } from '../../store/service-users';
import { auditRead } from '../../store/transaction';
import type { App, AppContext } from '../context';
import { clinicIdOf } from '../clinic-output';
import { notFound } from '../errors';
import { careAlerts } from '../care/care-alerts';
import { alertsFor, episodeSummaryOut, idParam, inForceNow, prescriptionOut, summaryOut } from '../clinical/output';

/** A person's whole current record, with their episode, prescription in force and alerts. Audited. */
export function registerGetServiceUser(app: App, ctx: AppContext) {
  app.get(
    '/api/v1/clinics/:clinicId/service-users/:serviceUserId',
    {
      schema: {
        summary: 'A service user\'s record',
        tags: ['service users'],
        params: ServiceUserParams,
        response: { 200: ServiceUserDetail, ...errors(401, 403, 404) },
      },
    },
    async (req) => {
      const clinicId = clinicIdOf(req);
      const serviceUserId = idParam(req, 'serviceUserId', 'Service user');
      const current = await currentVersion(ctx.db.orm, clinicId, serviceUserId);
      if (!current) throw notFound('Service user');
      const episode = await latestEpisode(ctx.db.orm, clinicId, serviceUserId);
      const inForce = inForceNow(await prescriptionHistory(ctx.db.orm, clinicId, serviceUserId), ctx.clock.now());
      const photo = await currentPhotoMeta(ctx.db.orm, clinicId, serviceUserId);
      await auditRead(ctx.db, ctx.clock, req.actor, { clinicId, entityType: 'service_user', entityId: serviceUserId, details: { version: current.version } });
      return {
        ...summaryOut(current, episode),
        record: current.record,
        reason: current.reason,
        recordedAt: current.recordedAt.toISOString(),
        recordedBy: current.recordedBy,
        episode: episodeSummaryOut(episode),
        prescriptionInForce: prescriptionOut(inForce),
        alerts: [...alertsFor(current, episode, inForce), ...(await careAlerts(ctx.db.orm, clinicId, serviceUserId, ctx.clock.now()))],
        photo: photo ? { ...photo, recordedAt: photo.recordedAt.toISOString() } : null,
      };
    },
  );
}
