import { errors } from '../../contract/common';
import { ServiceUserParams, ServiceUserVersionOut, UpdateServiceUserRequest } from '../../contract/service-users';
import { checkServiceUserRecord, recordDateProblems } from '../../domain/service-user/record';
import { findByNhsNumber, lockServiceUser, currentVersion, recordNewVersion } from '../../store/service-users';
import { isMember } from '../../store/clinics';
import type { App, AppContext } from '../context';
import { clinicIdOf } from '../clinic-output';
import { badRequest, conflict, invalid, notFound } from '../errors';
import { idParam } from '../clinical/output';
import { clinicToday } from '../clinical/person';
import { dateToInstant } from '../../domain/time/clock';
import { sendWrite } from '../write';

/** A new version of the whole record, with what changed and why; earlier versions stay. */
export function registerUpdateServiceUser(app: App, ctx: AppContext) {
  app.put(
    '/api/v1/clinics/:clinicId/service-users/:serviceUserId',
    {
      schema: {
        summary: 'Record a new version of a service user\'s record',
        tags: ['service users'],
        params: ServiceUserParams,
        body: UpdateServiceUserRequest,
        response: { 200: ServiceUserVersionOut, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (req, reply) => {
      const clinicId = clinicIdOf(req);
      const serviceUserId = idParam(req, 'serviceUserId', 'Service user');
      const checked = checkServiceUserRecord(req.body.record);
      if (!checked.ok) throw invalid(checked.problems.map((p) => ({ ...p, field: `record.${p.field}` })));
      const record = checked.value;
      return sendWrite(ctx, req, reply, 200, async (w) => {
        if (!(await lockServiceUser(w.tx, clinicId, serviceUserId))) throw notFound('Service user');
        const current = (await currentVersion(w.tx, clinicId, serviceUserId))!;
        if (current.version !== req.body.expectedVersion) {
          throw conflict('stale_version', `The record has changed since you opened it (now version ${current.version}); reload and try again`);
        }
        const dateProblems = recordDateProblems(record, await clinicToday(w.tx, clinicId, dateToInstant(w.now)));
        if (dateProblems.length) throw invalid(dateProblems.map((p) => ({ ...p, field: `record.${p.field}` })));
        if (record.keyworkerStaffId && !(await isMember(w.tx, clinicId, record.keyworkerStaffId))) {
          throw badRequest('record.keyworkerStaffId', 'is not a member of staff at this clinic');
        }
        if (record.nhsNumber && (await findByNhsNumber(w.tx, clinicId, record.nhsNumber)).some((id) => id !== serviceUserId)) {
          throw conflict('nhs_number_in_use', 'Another service user at this clinic has this NHS number');
        }
        const saved = await recordNewVersion(w, clinicId, serviceUserId, current.version + 1, record, req.body.reason);
        return { ...saved, recordedAt: saved.recordedAt.toISOString() };
      });
    },
  );
}
