import { z } from 'zod';
import { ClinicParams, errors } from '../../contract/common';
import { byUrgency, listsForRoles, WORK_LIST_LABELS, WORK_LIST_ROLES, WORK_LISTS, type WorkItem, type WorkListName } from '../../domain/care/work-list';
import { auditRead } from '../../store/transaction';
import type { App, AppContext } from '../context';
import { clinicIdOf } from '../clinic-output';
import { forbidden } from '../errors';
import { reviewsDue } from '../operations/reviews';
import { CARE_RULES } from './care-rules';
import { clinicCare } from './people-in-care';
import { Temporal } from 'temporal-polyfill';
import { breakGlassWorkItems } from '../../domain/staff/break-glass';
import { displayName } from '../../domain/service-user/record';
import { grantsIntoClinic } from '../../store/break-glass';
import { listClinics } from '../../store/clinics';
import { currentVersion } from '../../store/service-users';
import { getStaff } from '../../store/staff';
import type { Orm } from '../../store/database';

const WorkItemOut = z.object({
  list: z.enum(WORK_LISTS),
  serviceUserId: z.string(),
  displayName: z.string(),
  dueOn: z.string().describe('Clinic date it is (or was) due'),
  overdue: z.boolean(),
  severity: z.enum(['info', 'warning', 'danger']),
  text: z.string().describe('What is due and why, with the figures'),
  recordId: z.string().nullable(),
});

const WorkListsOut = z.object({
  today: z.string(),
  lists: z.array(z.object({ list: z.enum(WORK_LISTS), label: z.string(), roles: z.array(z.string()), items: z.array(WorkItemOut) })),
});

/**
 * Work lists: for each role, what monitoring and care need doing today (toxicology due, reviews
 * due, methadone not collected, ECGs, outcome forms, breath tests, naloxone, care plans, wounds),
 * overdue first. Everything comes from the pure rules of each area over the same data.
 */
export function registerWorkLists(app: App, ctx: AppContext) {
  app.get(
    '/api/v1/clinics/:clinicId/work-lists',
    {
      schema: {
        summary: 'Work lists for your roles here (or one list): what is due, overdue first',
        tags: ['work lists'],
        params: ClinicParams,
        querystring: z.object({ list: z.enum(WORK_LISTS).optional().describe('Only this list (it must be one of your roles\' lists)') }),
        response: { 200: WorkListsOut, ...errors(400, 401, 403, 404) },
      },
    },
    async (req) => {
      const clinicId = clinicIdOf(req);
      const mine = listsForRoles(req.rolesHere);
      if (req.query.list && !mine.includes(req.query.list)) {
        throw forbidden(`The ${WORK_LIST_LABELS[req.query.list]} list is for: ${WORK_LIST_ROLES[req.query.list].join(', ')}`);
      }
      const wanted: WorkListName[] = req.query.list ? [req.query.list] : mine;
      const now = ctx.clock.now();
      const care = await clinicCare(ctx.db.orm, clinicId, now);
      const names = new Map(care.people.map((p) => [p.serviceUserId, p.displayName]));
      const items: WorkItem[] = [];
      for (const person of care.people) {
        const input = { person, settings: care.settings, today: care.today, now };
        for (const { rules } of CARE_RULES) items.push(...rules.workItems(input));
      }
      if (wanted.includes('reviews_due')) {
        for (const r of (await reviewsDue(ctx.db.orm, clinicId, now, 0)).due) {
          items.push({ list: 'reviews_due', serviceUserId: r.serviceUserId, dueOn: r.dueOn, overdue: r.overdue, severity: r.overdue ? 'warning' : 'info', text: `Prescriber review ${r.overdue ? `overdue since ${r.dueOn}` : 'due today'} (${r.why})` });
        }
      }
      if (wanted.includes('emergency_access')) {
        for (const item of await emergencyAccessToReview(ctx.db.orm, clinicId, now, care.settings.timeZone)) {
          items.push(item.item);
          if (!names.has(item.item.serviceUserId)) names.set(item.item.serviceUserId, item.personName);
        }
      }
      const lists = wanted.map((list) => ({
        list,
        label: WORK_LIST_LABELS[list],
        roles: [...WORK_LIST_ROLES[list]],
        items: items
          .filter((i) => i.list === list)
          .sort((a, b) => byUrgency(a, b) || (names.get(a.serviceUserId) ?? '').localeCompare(names.get(b.serviceUserId) ?? ''))
          .map((i) => ({ ...i, displayName: names.get(i.serviceUserId) ?? '(unknown)', recordId: i.recordId ?? null })),
      }));
      await auditRead(ctx.db, ctx.clock, req.actor, {
        clinicId,
        entityType: 'work_lists',
        details: { lists: wanted, serviceUserIds: [...new Set(lists.flatMap((l) => l.items.map((i) => i.serviceUserId)))] },
      });
      return { today: care.today, lists };
    },
  );
}

/** Break-glass grants into this clinic's records lately, for its administrators to check. */
async function emergencyAccessToReview(orm: Orm, clinicId: string, now: Temporal.Instant, timeZone: string) {
  const grants = await grantsIntoClinic(orm, clinicId, 200);
  const clinicNames = new Map((await listClinics(orm, [...new Set(grants.map((g) => g.fromClinicId))])).map((c) => [c.clinicId, c.name]));
  const staffNames = new Map<string, string>();
  for (const id of new Set(grants.map((g) => g.staffId))) staffNames.set(id, (await getStaff(orm, id))?.displayName ?? 'someone');
  const items = breakGlassWorkItems(
    grants.map((g) => ({
      grantId: g.grantId,
      serviceUserId: g.serviceUserId,
      grantedAt: Temporal.Instant.fromEpochMilliseconds(g.grantedAt.getTime()),
      expiresAt: Temporal.Instant.fromEpochMilliseconds(g.expiresAt.getTime()),
      reason: g.reason,
      requester: staffNames.get(g.staffId) ?? 'someone',
      fromClinic: clinicNames.get(g.fromClinicId) ?? 'another clinic',
    })),
    now,
    timeZone,
  );
  const out = [];
  for (const item of items) {
    const person = await currentVersion(orm, clinicId, item.serviceUserId);
    out.push({ item, personName: person ? displayName(person.record) : '(unknown)' });
  }
  return out;
}
