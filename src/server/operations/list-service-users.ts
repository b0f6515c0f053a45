import { z } from 'zod';
import { ClinicParams, errors } from '../../contract/common';
import { ServiceUserSummary } from '../../contract/service-users';
import { clinicEpisodes } from '../../store/episodes';
import { listServiceUsers } from '../../store/service-users';
import { auditRead } from '../../store/transaction';
import type { App, AppContext } from '../context';
import { clinicIdOf } from '../clinic-output';
import { summaryOut } from '../clinical/output';

export function registerListServiceUsers(app: App, ctx: AppContext) {
  app.get(
    '/api/v1/clinics/:clinicId/service-users',
    {
      schema: {
        summary: 'Service users of the clinic, with where each is in treatment (search by name or NHS number)',
        tags: ['service users'],
        params: ClinicParams,
        querystring: z.object({ search: z.string().max(100).optional() }),
        response: { 200: z.object({ serviceUsers: z.array(ServiceUserSummary) }), ...errors(400, 401, 403, 404) },
      },
    },
    async (req) => {
      const clinicId = clinicIdOf(req);
      const people = await listServiceUsers(ctx.db.orm, clinicId, req.query.search);
      const episodes = new Map((await clinicEpisodes(ctx.db.orm, clinicId)).map((e) => [e.serviceUserId, e]));
      await auditRead(ctx.db, ctx.clock, req.actor, {
        clinicId,
        entityType: 'service_user_list',
        details: { search: req.query.search ?? null, serviceUserIds: people.map((p) => p.serviceUserId) },
      });
      return { serviceUsers: people.map((p) => summaryOut(p, episodes.get(p.serviceUserId) ?? null)) };
    },
  );
}
