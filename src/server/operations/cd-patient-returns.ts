import { z } from 'zod';
import { ClinicParams, errors } from '../../contract/common';
import { DestroyReturnRequest, PatientReturnOut, PatientReturnRequest } from '../../contract/cd';
import { refuse } from '../../domain/refusal';
import { dateToInstant } from '../../domain/time/clock';
import { destroyPatientReturn, patientReturns, recordPatientReturn } from '../../store/cd-register';
import { serviceUserExists } from '../../store/service-users';
import type { App, AppContext } from '../context';
import { clinicIdOf } from '../clinic-output';
import { badRequest, notFound, refused } from '../errors';
import { idParam } from '../clinical/output';
import { verifyWitness } from '../clinical/signature';
import { resolveWhen } from '../clinical/when';
import { sendWrite } from '../write';

type Row = Awaited<ReturnType<typeof patientReturns>>[number];
const out = (r: Row) => ({
  ...r,
  returnedAt: r.returnedAt.toISOString(),
  destruction: r.destruction ? { destroyedAt: r.destruction.destroyedAt.toISOString(), destroyedBy: r.destruction.destroyedBy, witnessId: r.destruction.witnessId, method: r.destruction.method } : null,
});

/** Unused doses a person brings back: recorded apart from stock (never back into it) and destroyed with a witness. */
export function registerCdPatientReturns(app: App, ctx: AppContext) {
  app.get(
    '/api/v1/clinics/:clinicId/cd/patient-returns',
    { schema: { summary: 'Patient returns, newest first', tags: ['controlled drugs'], params: ClinicParams, response: { 200: z.object({ returns: z.array(PatientReturnOut) }), ...errors(401, 403, 404) } } },
    async (req) => ({ returns: (await patientReturns(ctx.db.orm, clinicIdOf(req))).map(out) }),
  );

  app.post(
    '/api/v1/clinics/:clinicId/cd/patient-returns',
    { schema: { summary: 'Record doses brought back by a service user (not into stock)', tags: ['controlled drugs'], params: ClinicParams, body: PatientReturnRequest, response: { 201: PatientReturnOut, ...errors(400, 401, 403, 404, 422) } } },
    async (req, reply) => {
      const clinicId = clinicIdOf(req);
      const witness = await verifyWitness(ctx, req, clinicId, req.body.witness);
      return sendWrite(ctx, req, reply, 201, async (w) => {
        const serviceUserId = req.body.serviceUserId.toLowerCase();
        if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(serviceUserId) || !(await serviceUserExists(w.tx, clinicId, serviceUserId))) {
          throw badRequest('serviceUserId', 'is not a service user at this clinic');
        }
        const row = await recordPatientReturn(w, clinicId, {
          serviceUserId,
          description: req.body.description,
          strengthMg: req.body.strengthMg,
          quantity: req.body.quantity,
          returnedAt: new Date(resolveWhen(req.body.occurredAt, dateToInstant(w.now), 'occurredAt').epochMilliseconds),
          witnessId: witness.staffId,
          note: req.body.note ?? null,
        });
        return out({ ...row, destruction: null });
      });
    },
  );

  app.post(
    '/api/v1/clinics/:clinicId/cd/patient-returns/:returnId/destruction',
    {
      schema: {
        summary: 'Record the witnessed destruction of a patient return',
        tags: ['controlled drugs'],
        params: z.object({ clinicId: z.string(), returnId: z.string() }),
        body: DestroyReturnRequest,
        response: { 201: PatientReturnOut, ...errors(400, 401, 403, 404, 422) },
      },
    },
    async (req, reply) => {
      const clinicId = clinicIdOf(req);
      const returnId = idParam(req, 'returnId', 'Patient return');
      const witness = await verifyWitness(ctx, req, clinicId, req.body.witness);
      return sendWrite(ctx, req, reply, 201, async (w) => {
        const [r] = await patientReturns(w.tx, clinicId, returnId);
        if (!r) throw notFound('Patient return');
        if (r.destruction) throw refused([refuse('already_destroyed', 'This return has already been destroyed')]);
        await destroyPatientReturn(w, clinicId, returnId, witness.staffId, req.body.method);
        return out((await patientReturns(w.tx, clinicId, returnId))[0]!);
      });
    },
  );
}
