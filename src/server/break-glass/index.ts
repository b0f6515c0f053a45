import { ClinicParams, errors } from '../../contract/common';
import { decideBreakGlass } from '../../domain/staff/break-glass';
import { normaliseNhsNumber } from '../../domain/service-user/nhs-number';
import { dateToInstant, instantToDate } from '../../domain/time/clock';
import { activeBreakGlassGrant, grantsIntoClinic, grantsMadeBy, insertBreakGlassGrant, type BreakGlassGrant } from '../../store/break-glass';
import type { Orm } from '../../store/database';
import { clinicExists } from '../../store/clinics';
import { currentVersion, findByNhsNumber } from '../../store/service-users';
import { getStaff, rolesAt } from '../../store/staff';
import { auditRead } from '../../store/transaction';
import type { App, AppContext } from '../context';
import { clinicIdOf } from '../clinic-output';
import { notFound, refused } from '../errors';
import { sendWrite } from '../write';
import { BreakGlassGrantOut, BreakGlassList, BreakGlassRequestBody } from './schemas';

export { activeBreakGlassGrant };

async function grantOut(orm: Orm, g: BreakGlassGrant, now: Date) {
  const staff = await getStaff(orm, g.staffId);
  return {
    grantId: g.grantId,
    recordClinicId: g.clinicId,
    serviceUserId: g.serviceUserId,
    staffId: g.staffId,
    staffName: staff?.displayName ?? null,
    fromClinicId: g.fromClinicId,
    reason: g.reason,
    grantedAt: g.grantedAt.toISOString(),
    expiresAt: g.expiresAt.toISOString(),
    active: g.grantedAt <= now && now < g.expiresAt,
  };
}

const notFoundThere = () => notFound('That clinic or that person');

function registerRequest(app: App, ctx: AppContext) {
  app.post(
    '/api/v1/clinics/:clinicId/emergency-access',
    {
      schema: {
        summary: 'Break the glass: open one person\'s record at another clinic, read-only, for 4 hours, with a reason (audited; reported to that clinic\'s administrators)',
        tags: ['break-glass'],
        params: ClinicParams,
        body: BreakGlassRequestBody,
        response: { 201: BreakGlassGrantOut, ...errors(400, 401, 403, 404, 422) },
      },
    },
    async (req, reply) => {
      const fromClinicId = clinicIdOf(req);
      const staffId = req.auth!.staff.staffId;
      const recordClinicId = req.body.recordClinicId.toLowerCase();
      return sendWrite(ctx, req, reply, 201, async (w) => {
        if (!(await clinicExists(w.tx, recordClinicId))) throw notFoundThere();
        let serviceUserId: string;
        if (req.body.serviceUserId) {
          serviceUserId = req.body.serviceUserId.toLowerCase();
          if (!(await currentVersion(w.tx, recordClinicId, serviceUserId))) throw notFoundThere();
        } else {
          const nhsNumber = normaliseNhsNumber(req.body.nhsNumber ?? '');
          const found = nhsNumber ? await findByNhsNumber(w.tx, recordClinicId, nhsNumber) : [];
          if (found.length !== 1) throw notFoundThere();
          serviceUserId = found[0]!;
        }
        const decision = decideBreakGlass(
          { rolesHere: req.rolesHere, rolesThere: await rolesAt(w.tx, recordClinicId, staffId), reason: req.body.reason },
          dateToInstant(w.now),
        );
        if (!decision.ok) throw refused(decision.refusals);
        const grant = await insertBreakGlassGrant(w, {
          clinicId: recordClinicId,
          serviceUserId,
          staffId,
          fromClinicId,
          reason: req.body.reason.trim(),
          expiresAt: instantToDate(decision.value.expiresAt),
        });
        return grantOut(w.tx, grant, w.now);
      });
    },
  );
}

function registerMine(app: App, ctx: AppContext) {
  app.get(
    '/api/v1/clinics/:clinicId/emergency-access',
    {
      schema: {
        summary: 'The emergency-access grants you asked for from this clinic, newest first',
        tags: ['break-glass'],
        params: ClinicParams,
        response: { 200: BreakGlassList, ...errors(401, 403, 404) },
      },
    },
    async (req) => {
      const now = instantToDate(ctx.clock.now());
      const grants = await grantsMadeBy(ctx.db.orm, clinicIdOf(req), req.auth!.staff.staffId);
      return { grants: await Promise.all(grants.map((g) => grantOut(ctx.db.orm, g, now))) };
    },
  );
}

function registerAdminList(app: App, ctx: AppContext) {
  app.get(
    '/api/v1/clinics/:clinicId/break-glass',
    {
      schema: {
        summary: 'Break-glass grants into this clinic\'s records, newest first (who, whom, why, until when)',
        tags: ['break-glass'],
        params: ClinicParams,
        response: { 200: BreakGlassList, ...errors(401, 403, 404) },
      },
    },
    async (req) => {
      const clinicId = clinicIdOf(req);
      const now = instantToDate(ctx.clock.now());
      const grants = await grantsIntoClinic(ctx.db.orm, clinicId);
      await auditRead(ctx.db, ctx.clock, req.actor, { clinicId, entityType: 'break_glass_grants' });
      return { grants: await Promise.all(grants.map((g) => grantOut(ctx.db.orm, g, now))) };
    },
  );
}

/** This area's operations. */
export const breakGlassOperations: ((app: App, ctx: AppContext) => void)[] = [registerRequest, registerMine, registerAdminList];
