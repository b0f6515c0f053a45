import { z } from 'zod';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Bundle, Resource } from '@medplum/fhirtypes';
import { toBundle, operationOutcome } from '../../domain/fhir/bundle';
import { auditRead } from '../../store/transaction';
import type { App, AppContext } from '../context';
import { signedIn } from '../authorize';
import { allPatients, allPractitioners, auditEventsAt, clinicOfPerson, FHIR_TYPES, fhirClinics, personRecord, readAt, type FhirType } from './fhir-data';

export const FHIR_JSON = 'application/fhir+json; charset=utf-8';
const DEFAULT_COUNT = 50;
const MAX_COUNT = 500;

const FhirResourceSchema = z.looseObject({ resourceType: z.string(), id: z.string().optional() }).describe('A FHIR R4 resource');
const Outcome = z.looseObject({ resourceType: z.literal('OperationOutcome'), issue: z.array(z.looseObject({ severity: z.string(), code: z.string() })) }).describe('A FHIR R4 OperationOutcome');
/** A typed FHIR resource as the route's (loose) response schema sees it. */
const asJson = (r: Resource | Bundle) => r as unknown as z.infer<typeof FhirResourceSchema>;
const fhirErrors = { 400: Outcome, 404: Outcome };
const typeDoc = `One of ${FHIR_TYPES.join(', ')}`;

function outcome(reply: FastifyReply, status: 400 | 404, code: 'not-found' | 'invalid', message: string, expression?: string) {
  return reply.code(status).type(FHIR_JSON).send(operationOutcome(code, message, expression));
}

const isType = (t: string): t is FhirType => (FHIR_TYPES as readonly string[]).includes(t);
const baseUrl = (req: FastifyRequest) => `${req.protocol}://${req.host}/fhir/R4`;
const patientIdOf = (p: string) => (p.startsWith('Patient/') ? p.slice('Patient/'.length) : p);

/**
 * FHIR R4, read-only: read and search for Patient, Practitioner, MedicationRequest,
 * MedicationAdministration, Observation and AuditEvent, and one person's record as a Bundle
 * ($everything). Only the caller's clinics with a clinical role are searched; a resource
 * elsewhere is answered exactly as one that does not exist (404). Every answer is audited.
 */
export function registerFhir(app: App, ctx: AppContext) {
  app.get(
    '/fhir/R4/:type/:id',
    {
      schema: {
        summary: 'FHIR R4 read: one resource by type and id',
        tags: ['fhir'],
        params: z.object({ type: z.string().describe(typeDoc), id: z.string().max(200) }),
        response: { 200: FhirResourceSchema, ...fhirErrors },
      },
    },
    async (req, reply) => {
      const { type, id } = req.params;
      if (!isType(type)) return outcome(reply, 404, 'not-found', `Resource type ${type} is not supported (${typeDoc})`);
      const { staff } = signedIn(req);
      for (const clinicId of await fhirClinics(ctx.db.orm, staff.staffId, type)) {
        const found = await readAt(ctx.db.orm, clinicId, type, id);
        if (found) {
          await auditRead(ctx.db, ctx.clock, req.actor, { clinicId, entityType: `fhir_${type}`, entityId: id });
          return reply.type(FHIR_JSON).send(asJson(found));
        }
      }
      return outcome(reply, 404, 'not-found', `${type}/${id} was not found`);
    },
  );

  app.get(
    '/fhir/R4/:type',
    {
      schema: {
        summary: 'FHIR R4 search: a searchset Bundle (by patient; Patient, Practitioner and AuditEvent may also be listed without one)',
        tags: ['fhir'],
        params: z.object({ type: z.string().describe(typeDoc) }),
        querystring: z.object({
          patient: z.string().max(200).optional().describe('Patient/{id} or {id}; required for MedicationRequest, MedicationAdministration and Observation'),
          _count: z.string().max(10).optional().describe(`Most resources to return, 1 to ${MAX_COUNT} (default ${DEFAULT_COUNT})`),
        }),
        response: { 200: FhirResourceSchema, ...fhirErrors },
      },
    },
    async (req, reply) => {
      const { type } = req.params;
      if (!isType(type)) return outcome(reply, 404, 'not-found', `Resource type ${type} is not supported (${typeDoc})`);
      let count = DEFAULT_COUNT;
      if (req.query._count !== undefined) {
        count = Number(req.query._count);
        if (!/^\d+$/.test(req.query._count) || count < 1 || count > MAX_COUNT) return outcome(reply, 400, 'invalid', `_count must be a whole number from 1 to ${MAX_COUNT}`, '_count');
      }
      const patient = req.query.patient ? patientIdOf(req.query.patient) : null;
      if (patient === null && (type === 'MedicationRequest' || type === 'MedicationAdministration' || type === 'Observation')) {
        return outcome(reply, 400, 'invalid', `Searching ${type} needs a patient (patient=Patient/{id})`, 'patient');
      }
      const { staff } = signedIn(req);
      const clinics = await fhirClinics(ctx.db.orm, staff.staffId, type);
      const found: { clinicId: string; resources: Resource[] }[] = [];
      if (patient !== null) {
        // Only the clinics where the caller may see this person's clinical record; the audit log
        // needs the audit roles as well.
        const clinicalClinics = type === 'AuditEvent' ? await fhirClinics(ctx.db.orm, staff.staffId, 'Patient') : clinics;
        const clinicId = await clinicOfPerson(ctx.db.orm, clinicalClinics.filter((c) => clinics.includes(c)), patient);
        if (clinicId) {
          if (type === 'AuditEvent') found.push({ clinicId, resources: await auditEventsAt(ctx.db.orm, clinicId, MAX_COUNT, patient) });
          else {
            const rec = (await personRecord(ctx.db.orm, clinicId, patient))!;
            const byType: Record<Exclude<FhirType, 'AuditEvent'>, Resource[]> = {
              Patient: [rec.patient],
              Practitioner: rec.practitioners,
              MedicationRequest: rec.requests,
              MedicationAdministration: rec.administrations,
              Observation: rec.observations,
            };
            found.push({ clinicId, resources: byType[type] });
          }
        }
      } else {
        for (const clinicId of clinics) {
          const resources = type === 'Patient' ? await allPatients(ctx.db.orm, clinicId) : type === 'Practitioner' ? await allPractitioners(ctx.db.orm, clinicId) : await auditEventsAt(ctx.db.orm, clinicId, MAX_COUNT);
          found.push({ clinicId, resources });
        }
      }
      const all = found.flatMap((f) => f.resources);
      const page = all.slice(0, count);
      for (const f of found) {
        const shown = f.resources.filter((r) => page.includes(r));
        await auditRead(ctx.db, ctx.clock, req.actor, { clinicId: f.clinicId, entityType: `fhir_${type}_search`, ...(patient ? { entityId: patient } : {}), details: { count: shown.length, ids: shown.map((r) => r.id) } });
      }
      return reply.type(FHIR_JSON).send(asJson(toBundle('searchset', page, { baseUrl: baseUrl(req), timestamp: ctx.clock.now().toString(), total: all.length })));
    },
  );

  app.get(
    '/fhir/R4/Patient/:id/$everything',
    {
      schema: {
        summary: "FHIR R4 Patient $everything: one person's record as a collection Bundle (Patient, MedicationRequests, MedicationAdministrations, Observations and the Practitioners they refer to)",
        tags: ['fhir'],
        params: z.object({ id: z.string().max(200) }),
        response: { 200: FhirResourceSchema, ...fhirErrors },
      },
    },
    async (req, reply) => {
      const { staff } = signedIn(req);
      const id = req.params.id;
      const clinicId = await clinicOfPerson(ctx.db.orm, await fhirClinics(ctx.db.orm, staff.staffId, 'Patient'), id);
      if (!clinicId) return outcome(reply, 404, 'not-found', `Patient/${id} was not found`);
      const rec = (await personRecord(ctx.db.orm, clinicId, id))!;
      const resources: Resource[] = [rec.patient, ...rec.practitioners, ...rec.requests, ...rec.administrations, ...rec.observations];
      await auditRead(ctx.db, ctx.clock, req.actor, { clinicId, entityType: 'fhir_everything', entityId: id, details: { resources: resources.length } });
      return reply.type(FHIR_JSON).send(asJson(toBundle('collection', resources, { baseUrl: baseUrl(req), timestamp: ctx.clock.now().toString() })));
    },
  );
}
