import { z } from 'zod';
import { Temporal } from 'temporal-polyfill';
import { errors, Timestamp } from '../../contract/common';
import { ServiceUserParams } from '../../contract/service-users';
import type { CareRecord, CareRecordKind } from '../../domain/care/care-record';
import { inDateOrder } from '../../domain/care/care-record';
import { zodProblems } from '../../domain/validation';
import type { Refusal } from '../../domain/refusal';
import { clinicDate } from '../../domain/time/clinic-time';
import { dateToInstant } from '../../domain/time/clock';
import { careRecordVersions, insertCareRecord, insertCareRecordVersion, personCareRecords } from '../../store/care-records';
import { serviceUserExists } from '../../store/service-users';
import { auditRead, type WriteContext } from '../../store/transaction';
import type { App, AppContext } from '../context';
import { clinicIdOf } from '../clinic-output';
import { idParam } from '../clinical/output';
import { lockPerson, type PersonState } from '../clinical/person';
import { badRequest, conflict, invalid, notFound, refused } from '../errors';
import { sendWrite } from '../write';
import { recordOut } from './record-out';

/**
 * The routes every kind of care record has, built from one description of the kind:
 *
 *   POST /clinics/{clinicId}/service-users/{serviceUserId}/{path}   record something new
 *   GET  /clinics/{clinicId}/service-users/{serviceUserId}/{path}   a person's records, newest first
 *   GET  /clinics/{clinicId}/{path}/{recordId}                      one record with every version
 *   POST /clinics/{clinicId}/{path}/{recordId}/corrections          a correction, or "entered in error"
 *
 * The body of a new record is the kind's data plus, optionally, `effectiveDate` (the clinic date it
 * is about; default: the day of `occurredAt`, or today) and `occurredAt` (when it happened). Neither
 * may be in the future. Each kind's `check` applies its domain rules (with the person's locked state)
 * and may refuse; the record, its audit entry and nothing else commit together.
 */

export interface CareKindSpec<S extends z.ZodObject> {
  kind: CareRecordKind;
  /** URL segment, e.g. `toxicology`, `breath-tests`. */
  path: string;
  /** Words for the OpenAPI document, e.g. "toxicology test". */
  noun: string;
  tag: string;
  data: S;
  /** Domain rules beyond the shape; returns the data to store (it may add derived fields) or refusals. */
  check?: (
    data: z.output<S>,
    person: PersonState,
    when: { effectiveDate: string; occurredAt: Temporal.Instant | null },
    /** The person's other current records of this kind (a correction's own record left out). */
    others: CareRecord[],
  ) => { ok: true; value: unknown } | { ok: false; refusals: Refusal[] };
  /** Extra writes that belong with the record (in the same transaction). */
  after?: (w: WriteContext, person: PersonState, record: CareRecord) => Promise<void>;
}

const isoDate = z.iso.date('must be a date as YYYY-MM-DD');

export const RecordParams = z.object({ clinicId: z.string(), recordId: z.string().describe('Record id (UUID)') });

const CorrectionRequest = z.object({
  reason: z.string().trim().min(3, 'say why (at least 3 characters)').max(500),
  enteredInError: z.boolean().default(false).describe('True: this record should not have been made; it stays in the history, marked'),
  effectiveDate: isoDate.optional(),
  occurredAt: Timestamp.optional(),
  data: z.record(z.string(), z.unknown()).optional().describe("The corrected record (every field, as when recording it); required unless enteredInError"),
});

/** When a record is about: both default from now; neither may be in the future. */
export function whenOf(
  now: Temporal.Instant,
  timeZone: string,
  body: { effectiveDate?: string | undefined; occurredAt?: string | undefined },
): { effectiveDate: string; occurredAt: Temporal.Instant | null } {
  const occurredAt = body.occurredAt ? Temporal.Instant.from(body.occurredAt) : null;
  // A minute's grace for a device clock a little ahead of the server's.
  if (occurredAt && Temporal.Instant.compare(occurredAt, now.add({ minutes: 1 })) > 0) throw badRequest('occurredAt', 'is in the future');
  const today = clinicDate(now, timeZone).toString();
  const effectiveDate = body.effectiveDate ?? (occurredAt ? clinicDate(occurredAt, timeZone).toString() : today);
  if (effectiveDate > today) throw badRequest('effectiveDate', `is after today (${today})`);
  if (occurredAt && body.effectiveDate && clinicDate(occurredAt, timeZone).toString() !== body.effectiveDate) {
    throw badRequest('effectiveDate', 'is not the clinic date of occurredAt');
  }
  return { effectiveDate, occurredAt };
}

export function registerCareRecordRoutes<S extends z.ZodObject>(app: App, ctx: AppContext, spec: CareKindSpec<S>) {
  const Out = recordOut(spec.data);
  const Body = spec.data.extend({
    effectiveDate: isoDate.optional().describe('The clinic date this is about (default: the day of occurredAt, or today)'),
    occurredAt: Timestamp.optional().describe('When it happened (default: unknown time on effectiveDate)'),
  });

  const checked = async (
    tx: WriteContext['tx'],
    data: z.output<S>,
    person: PersonState,
    when: { effectiveDate: string; occurredAt: Temporal.Instant | null },
    except: string | null,
  ) => {
    if (!spec.check) return data as unknown;
    const others = (await personCareRecords(tx, person.clinicId, person.serviceUserId, [spec.kind])).filter((r) => r.recordId !== except);
    const result = spec.check(data, person, when, others);
    if (!result.ok) throw refused(result.refusals);
    return result.value;
  };

  app.post(
    `/api/v1/clinics/:clinicId/service-users/:serviceUserId/${spec.path}`,
    {
      schema: {
        summary: `Record a ${spec.noun}`,
        tags: [spec.tag],
        params: ServiceUserParams,
        body: Body,
        response: { 201: Out, ...errors(400, 401, 403, 404, 409, 422) },
      },
    },
    async (req, reply) => {
      const clinicId = clinicIdOf(req);
      const serviceUserId = idParam(req, 'serviceUserId', 'Service user');
      return sendWrite(ctx, req, reply, 201, async (w) => {
        const now = dateToInstant(w.now);
        const person = await lockPerson(w.tx, clinicId, serviceUserId, now);
        const { effectiveDate, occurredAt, ...rest } = req.body as { effectiveDate?: string; occurredAt?: string } & Record<string, unknown>;
        const when = whenOf(now, person.settings.timeZone, { effectiveDate, occurredAt });
        const data = await checked(w.tx, rest as z.output<S>, person, when, null);
        const record = await insertCareRecord<Record<string, unknown>>(w, clinicId, {
          serviceUserId,
          kind: spec.kind,
          effectiveDate: when.effectiveDate,
          occurredAt: when.occurredAt ? new Date(when.occurredAt.epochMilliseconds) : null,
          data,
        });
        if (spec.after) await spec.after(w, person, record);
        return record;
      });
    },
  );

  app.get(
    `/api/v1/clinics/:clinicId/service-users/:serviceUserId/${spec.path}`,
    {
      schema: {
        summary: `A person's ${spec.noun} records (latest version of each, newest first)`,
        tags: [spec.tag],
        params: ServiceUserParams,
        response: { 200: z.object({ records: z.array(Out) }), ...errors(401, 403, 404) },
      },
    },
    async (req) => {
      const clinicId = clinicIdOf(req);
      const serviceUserId = idParam(req, 'serviceUserId', 'Service user');
      if (!(await serviceUserExists(ctx.db.orm, clinicId, serviceUserId))) throw notFound('Service user');
      await auditRead(ctx.db, ctx.clock, req.actor, { clinicId, entityType: `${spec.kind}_records`, entityId: serviceUserId });
      const records = inDateOrder(await personCareRecords<Record<string, unknown>>(ctx.db.orm, clinicId, serviceUserId, [spec.kind])).reverse();
      return { records };
    },
  );

  app.get(
    `/api/v1/clinics/:clinicId/${spec.path}/:recordId`,
    {
      schema: {
        summary: `One ${spec.noun} with every version, oldest first`,
        tags: [spec.tag],
        params: RecordParams,
        response: { 200: z.object({ versions: z.array(Out) }), ...errors(401, 403, 404) },
      },
    },
    async (req) => {
      const clinicId = clinicIdOf(req);
      const recordId = idParam(req, 'recordId', spec.noun);
      const versions = await careRecordVersions<Record<string, unknown>>(ctx.db.orm, clinicId, recordId);
      if (versions.length === 0 || versions[0]!.kind !== spec.kind) throw notFound(capitalise(spec.noun));
      await auditRead(ctx.db, ctx.clock, req.actor, { clinicId, entityType: spec.kind, entityId: recordId, details: { serviceUserId: versions[0]!.serviceUserId } });
      return { versions };
    },
  );

  app.post(
    `/api/v1/clinics/:clinicId/${spec.path}/:recordId/corrections`,
    {
      schema: {
        summary: `Correct a ${spec.noun}, or mark it entered in error: a new version with a reason; the old one stays`,
        tags: [spec.tag],
        params: RecordParams,
        body: CorrectionRequest,
        response: { 201: Out, ...errors(400, 401, 403, 404, 409, 422) },
      },
    },
    async (req, reply) => {
      const clinicId = clinicIdOf(req);
      const recordId = idParam(req, 'recordId', spec.noun);
      const b = req.body;
      return sendWrite(ctx, req, reply, 201, async (w) => {
        const before = await careRecordVersions<Record<string, unknown>>(w.tx, clinicId, recordId);
        const previous = before.at(-1);
        if (!previous || previous.kind !== spec.kind) throw notFound(capitalise(spec.noun));
        const now = dateToInstant(w.now);
        const person = await lockPerson(w.tx, clinicId, previous.serviceUserId, now);
        // Read again under the person's lock: a correction made meanwhile is the one we correct.
        const latest = (await careRecordVersions<Record<string, unknown>>(w.tx, clinicId, recordId)).at(-1)!;
        if (b.enteredInError) {
          if (latest.enteredInError) throw conflict('already_entered_in_error', `This ${spec.noun} is already marked entered in error`);
          return insertCareRecordVersion<Record<string, unknown>>(w, clinicId, latest, {
            effectiveDate: latest.effectiveDate,
            occurredAt: latest.occurredAt ? new Date(latest.occurredAt) : null,
            data: latest.data,
            enteredInError: true,
            reason: b.reason,
          });
        }
        if (!b.data) throw badRequest('data', 'give the corrected record (or set enteredInError)');
        const parsed = spec.data.safeParse(b.data);
        if (!parsed.success) {
          throw invalid(zodProblems(parsed.error, 'data'));
        }
        const when = whenOf(now, person.settings.timeZone, {
          effectiveDate: b.effectiveDate ?? (b.occurredAt ? undefined : latest.effectiveDate),
          occurredAt: b.occurredAt ?? latest.occurredAt ?? undefined,
        });
        const data = await checked(w.tx, parsed.data, person, when, latest.recordId);
        return insertCareRecordVersion<Record<string, unknown>>(w, clinicId, latest, {
          effectiveDate: when.effectiveDate,
          occurredAt: when.occurredAt ? new Date(when.occurredAt.epochMilliseconds) : null,
          data,
          enteredInError: false,
          reason: b.reason,
        });
      });
    },
  );
}

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
