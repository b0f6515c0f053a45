import { z } from 'zod';
import { ClinicParams, errors, Uuid } from '../../contract/common';
import { ServiceUserParams, ServiceUserVersionOut } from '../../contract/service-users';
import { EPISODE_STATES, TERMINAL_STATES, TREATMENT_STATES } from '../../domain/episode/episode-event';
import { refuse } from '../../domain/refusal';
import { displayName } from '../../domain/service-user/record';
import { clinicEpisodes } from '../../store/episodes';
import { currentVersion, listServiceUsers, lockServiceUser, recordNewVersion } from '../../store/service-users';
import { clinicStaff, getStaff, rolesAt } from '../../store/staff';
import { auditRead } from '../../store/transaction';
import type { App, AppContext } from '../context';
import { clinicIdOf } from '../clinic-output';
import { idParam } from '../clinical/output';
import { conflict, notFound, refused } from '../errors';
import { sendWrite } from '../write';

const AssignKeyworkerRequest = z.object({
  staffId: Uuid.nullable().describe('The keyworker (a member of staff with the keyworker role at this clinic), or null to leave the person without one'),
  reason: z.string().trim().min(3, 'say why (at least 3 characters)').max(500),
});

const CaseloadPerson = z.object({
  serviceUserId: z.string(),
  displayName: z.string(),
  episodeState: z.enum(EPISODE_STATES).nullable().describe('State of their latest episode (null: none)'),
});

const CaseloadsOut = z.object({
  keyworkers: z.array(
    z.object({
      staffId: z.string(),
      displayName: z.string(),
      active: z.boolean().describe('False: the account is deactivated; their people need a new keyworker'),
      people: z.array(CaseloadPerson).describe('Assigned to them, leaving out people whose latest episode has ended'),
    }),
  ),
  unassigned: z.array(CaseloadPerson).describe('In treatment with no keyworker (or one who is no longer a keyworker here)'),
});

/**
 * Keyworkers: assigning one to a person (a new version of the person's record, with the reason,
 * audited in the same transaction; 409 if it would change nothing) and each keyworker's caseload.
 */
export function registerKeyworker(app: App, ctx: AppContext) {
  app.put(
    '/api/v1/clinics/:clinicId/service-users/:serviceUserId/keyworker',
    {
      schema: {
        summary: "Assign (or remove) a person's keyworker: a new version of their record",
        tags: ['care'],
        params: ServiceUserParams,
        body: AssignKeyworkerRequest,
        response: { 200: ServiceUserVersionOut, ...errors(400, 401, 403, 404, 409, 422) },
      },
    },
    async (req, reply) => {
      const clinicId = clinicIdOf(req);
      const serviceUserId = idParam(req, 'serviceUserId', 'Service user');
      const staffId = req.body.staffId?.toLowerCase() ?? null;
      return sendWrite(ctx, req, reply, 200, async (w) => {
        if (!(await lockServiceUser(w.tx, clinicId, serviceUserId))) throw notFound('Service user');
        const current = (await currentVersion(w.tx, clinicId, serviceUserId))!;
        if (staffId !== null) {
          const roles = await rolesAt(w.tx, clinicId, staffId);
          if (!roles.includes('keyworker')) {
            // Name the person only if they work here: who works at other clinics is not this clinic's business.
            const who = roles.length > 0 ? `${(await getStaff(w.tx, staffId))!.displayName} (${roles.join(', ')})` : 'This member of staff';
            throw refused([refuse('not_a_keyworker', `${who} does not hold the keyworker role at this clinic`, 'staffId')]);
          }
          const member = (await getStaff(w.tx, staffId))!;
          if (!member.active) throw refused([refuse('keyworker_inactive', `${member.displayName}'s account is deactivated: choose an active keyworker`, 'staffId')]);
        }
        if (current.record.keyworkerStaffId === staffId) {
          throw conflict('keyworker_unchanged', staffId ? 'This is already their keyworker: nothing to change' : 'They have no keyworker already: nothing to change');
        }
        const saved = await recordNewVersion(w, clinicId, serviceUserId, current.version + 1, { ...current.record, keyworkerStaffId: staffId }, req.body.reason);
        return { version: saved.version, record: saved.record, reason: saved.reason, recordedAt: saved.recordedAt.toISOString(), recordedBy: saved.recordedBy };
      });
    },
  );

  app.get(
    '/api/v1/clinics/:clinicId/keyworkers/caseloads',
    {
      schema: {
        summary: "Each keyworker's caseload, and the people in treatment with no keyworker",
        tags: ['care'],
        params: ClinicParams,
        response: { 200: CaseloadsOut, ...errors(401, 403, 404) },
      },
    },
    async (req) => {
      const clinicId = clinicIdOf(req);
      const [staff, people, episodes] = await Promise.all([clinicStaff(ctx.db.orm, clinicId), listServiceUsers(ctx.db.orm, clinicId), clinicEpisodes(ctx.db.orm, clinicId)]);
      const keyworkers = staff.filter((s) => s.roles.includes('keyworker'));
      const stateOf = new Map(episodes.map((e) => [e.serviceUserId, e.episode.state]));
      const caseload = new Map<string, z.infer<typeof CaseloadPerson>[]>(keyworkers.map((k) => [k.staffId, []]));
      const unassigned: z.infer<typeof CaseloadPerson>[] = [];
      const byName = (a: { displayName: string }, b: { displayName: string }) => a.displayName.localeCompare(b.displayName);
      for (const v of people) {
        const episodeState = stateOf.get(v.serviceUserId) ?? null;
        const entry = { serviceUserId: v.serviceUserId, displayName: displayName(v.record), episodeState };
        const theirs = v.record.keyworkerStaffId ? caseload.get(v.record.keyworkerStaffId) : undefined;
        if (theirs) {
          if (episodeState === null || !TERMINAL_STATES.has(episodeState)) theirs.push(entry);
        } else if (episodeState !== null && TREATMENT_STATES.has(episodeState)) {
          unassigned.push(entry);
        }
      }
      const out = {
        keyworkers: keyworkers.map((k) => ({ staffId: k.staffId, displayName: k.displayName, active: k.active, people: caseload.get(k.staffId)!.sort(byName) })),
        unassigned: unassigned.sort(byName),
      };
      await auditRead(ctx.db, ctx.clock, req.actor, {
        clinicId,
        entityType: 'keyworker_caseloads',
        details: { serviceUserIds: [...out.keyworkers.flatMap((k) => k.people), ...out.unassigned].map((p) => p.serviceUserId) },
      });
      return out;
    },
  );
}
