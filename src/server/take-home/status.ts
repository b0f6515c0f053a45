import { errors } from '../../contract/common';
import { ServiceUserParams } from '../../contract/service-users';
import { versionInForce } from '../../domain/prescription/versions';
import { serviceUserExists } from '../../store/service-users';
import { auditRead } from '../../store/transaction';
import type { App, AppContext } from '../context';
import { clinicIdOf } from '../clinic-output';
import { idParam } from '../clinical/output';
import { readPerson } from '../clinical/person';
import { notFound } from '../errors';
import { takeHomeOut, TakeHomeOut } from './output';
import { takeHomeState } from './state';

/** A person's take-home doses: each criterion met or not with its figures, the verdict and why, supplies and returns. */
export function registerTakeHomeStatus(app: App, ctx: AppContext) {
  app.get(
    '/api/v1/clinics/:clinicId/service-users/:serviceUserId/take-home',
    {
      schema: {
        summary: "A person's take-home doses: the stability criteria (met or not, with the figures), the latest assessment, whether authorised now and why not, supplies and returns",
        tags: ['take-home doses'],
        params: ServiceUserParams,
        response: { 200: TakeHomeOut, ...errors(401, 403, 404) },
      },
    },
    async (req) => {
      const clinicId = clinicIdOf(req);
      const serviceUserId = idParam(req, 'serviceUserId', 'Service user');
      if (!(await serviceUserExists(ctx.db.orm, clinicId, serviceUserId))) throw notFound('Service user');
      const now = ctx.clock.now();
      const person = await readPerson(ctx.db.orm, clinicId, serviceUserId, now);
      const state = await takeHomeState(ctx.db.orm, person, now);
      await auditRead(ctx.db, ctx.clock, req.actor, { clinicId, entityType: 'take_home', entityId: serviceUserId });
      return takeHomeOut(state, person.settings, person.today, versionInForce(person.prescriptions, now));
    },
  );
}
