import { errors } from '../../contract/common';
import {
  PrescriptionsOut,
  PrescriptionVersionOut,
  SignPrescriptionRequest,
  StopPrescriptionRequest,
  SuspendPrescriptionRequest,
} from '../../contract/prescriptions';
import { ServiceUserParams } from '../../contract/service-users';
import { dateToInstant } from '../../domain/time/clock';
import { prescriptionHistory } from '../../store/prescriptions';
import { serviceUserExists } from '../../store/service-users';
import { auditRead } from '../../store/transaction';
import type { App, AppContext } from '../context';
import { signedIn } from '../authorize';
import { clinicIdOf } from '../clinic-output';
import { notFound } from '../errors';
import { idParam, inForceNow, prescriptionOut } from '../clinical/output';
import { lockPerson } from '../clinical/person';
import { signPrescription, stopPrescription } from '../clinical/prescription-workflow';
import { verifySignature } from '../clinical/signature';
import { sendWrite } from '../write';
import { Temporal } from 'temporal-polyfill';

/**
 * Prescriptions are versions, never edited. Signing one needs the prescriber's password and a
 * valid Home Office licence, and every clinic ceiling is checked in the domain; suspending is
 * open to nurses too (stopping is always the safer way), cancelling and ending to prescribers.
 */
export function registerPrescriptions(app: App, ctx: AppContext) {
  app.get(
    '/api/v1/clinics/:clinicId/service-users/:serviceUserId/prescriptions',
    {
      schema: { summary: 'The prescription in force and every version', tags: ['prescriptions'], params: ServiceUserParams, response: { 200: PrescriptionsOut, ...errors(401, 403, 404) } },
    },
    async (req) => {
      const clinicId = clinicIdOf(req);
      const serviceUserId = idParam(req, 'serviceUserId', 'Service user');
      if (!(await serviceUserExists(ctx.db.orm, clinicId, serviceUserId))) throw notFound('Service user');
      const versions = await prescriptionHistory(ctx.db.orm, clinicId, serviceUserId);
      await auditRead(ctx.db, ctx.clock, req.actor, { clinicId, entityType: 'prescriptions', entityId: serviceUserId });
      return {
        inForce: prescriptionOut(inForceNow(versions, ctx.clock.now())),
        versions: [...versions].reverse().map((v) => prescriptionOut(v)!),
      };
    },
  );

  app.post(
    '/api/v1/clinics/:clinicId/service-users/:serviceUserId/prescriptions',
    {
      schema: {
        summary: 'Sign a new prescription version (prescriber, with their password)',
        tags: ['prescriptions'],
        params: ServiceUserParams,
        body: SignPrescriptionRequest,
        response: { 201: PrescriptionVersionOut, ...errors(400, 401, 403, 404, 409, 422) },
      },
    },
    async (req, reply) => {
      const clinicId = clinicIdOf(req);
      const serviceUserId = idParam(req, 'serviceUserId', 'Service user');
      const { staff } = signedIn(req);
      await verifySignature(ctx, req, staff, req.body.signature.password);
      return sendWrite(ctx, req, reply, 201, async (w) => {
        const now = dateToInstant(w.now);
        const effectiveFrom = req.body.effectiveFrom ? Temporal.Instant.from(req.body.effectiveFrom) : now;
        const person = await lockPerson(w.tx, clinicId, serviceUserId, now);
        return prescriptionOut(await signPrescription(w, person, staff, { content: req.body.content, effectiveFrom, reason: req.body.reason }))!;
      });
    },
  );

  app.post(
    '/api/v1/clinics/:clinicId/service-users/:serviceUserId/prescriptions/suspension',
    {
      schema: {
        summary: 'Suspend the prescription in force, from now',
        tags: ['prescriptions'],
        params: ServiceUserParams,
        body: SuspendPrescriptionRequest,
        response: { 201: PrescriptionVersionOut, ...errors(400, 401, 403, 404, 422) },
      },
    },
    async (req, reply) => {
      const clinicId = clinicIdOf(req);
      const serviceUserId = idParam(req, 'serviceUserId', 'Service user');
      const { staff } = signedIn(req);
      return sendWrite(ctx, req, reply, 201, async (w) => {
        const person = await lockPerson(w.tx, clinicId, serviceUserId, dateToInstant(w.now));
        return prescriptionOut(await stopPrescription(w, person, staff, 'suspended', req.body.reason))!;
      });
    },
  );

  app.post(
    '/api/v1/clinics/:clinicId/service-users/:serviceUserId/prescriptions/stop',
    {
      schema: {
        summary: 'Cancel or end the prescription in force, from now (prescriber, with their password)',
        tags: ['prescriptions'],
        params: ServiceUserParams,
        body: StopPrescriptionRequest,
        response: { 201: PrescriptionVersionOut, ...errors(400, 401, 403, 404, 422) },
      },
    },
    async (req, reply) => {
      const clinicId = clinicIdOf(req);
      const serviceUserId = idParam(req, 'serviceUserId', 'Service user');
      const { staff } = signedIn(req);
      await verifySignature(ctx, req, staff, req.body.signature.password);
      return sendWrite(ctx, req, reply, 201, async (w) => {
        const person = await lockPerson(w.tx, clinicId, serviceUserId, dateToInstant(w.now));
        return prescriptionOut(await stopPrescription(w, person, staff, req.body.status, req.body.reason))!;
      });
    },
  );
}
