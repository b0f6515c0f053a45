import { z } from 'zod';
import { errors } from '../../contract/common';
import { ServiceUserParams, ServiceUserVersionOut } from '../../contract/service-users';
import { versionHistory } from '../../store/service-users';
import { auditRead } from '../../store/transaction';
import type { App, AppContext } from '../context';
import { clinicIdOf } from '../clinic-output';
import { notFound } from '../errors';
import { idParam } from '../clinical/output';

export function registerServiceUserHistory(app: App, ctx: AppContext) {
  app.get(
    '/api/v1/clinics/:clinicId/service-users/:serviceUserId/history',
    {
      schema: {
        summary: 'Every version of a service user\'s record, newest first',
        tags: ['service users'],
        params: ServiceUserParams,
        response: { 200: z.object({ versions: z.array(ServiceUserVersionOut) }), ...errors(401, 403, 404) },
      },
    },
    async (req) => {
      const clinicId = clinicIdOf(req);
      const serviceUserId = idParam(req, 'serviceUserId', 'Service user');
      const versions = await versionHistory(ctx.db.orm, clinicId, serviceUserId);
      if (versions.length === 0) throw notFound('Service user');
      await auditRead(ctx.db, ctx.clock, req.actor, { clinicId, entityType: 'service_user_history', entityId: serviceUserId });
      return { versions: versions.map((v) => ({ ...v, recordedAt: v.recordedAt.toISOString() })) };
    },
  );
}
