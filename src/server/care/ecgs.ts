import { z } from 'zod';
import { ClinicParams, errors } from '../../contract/common';
import { EcgData, ecgStatus, ecgWorkItems, QTC_CORRECTIONS } from '../../domain/care/heart-safety';
import { byUrgency } from '../../domain/care/work-list';
import { auditRead } from '../../store/transaction';
import type { App, AppContext } from '../context';
import { clinicIdOf } from '../clinic-output';
import { registerCareRecordRoutes } from './care-routes';
import { clinicCare } from './people-in-care';

const DueEcg = z.object({
  serviceUserId: z.string(),
  displayName: z.string(),
  dueOn: z.string(),
  overdue: z.boolean(),
  severity: z.enum(['info', 'warning', 'danger']),
  text: z.string().describe('What is due and why, with the figures'),
  recordId: z.string().nullable().describe('The latest ECG, if any'),
  reasons: z.array(z.string()).describe('Why an ECG is needed (methadone dose, heart risks, recent cocaine); empty if only the QTc is the concern'),
  methadoneMgPerDay: z.number().nullable(),
  latestEcg: z.object({ recordId: z.string(), on: z.string(), qtcMs: z.number(), correction: z.enum(QTC_CORRECTIONS) }).nullable(),
});

/**
 * Heart safety: ECGs (QTc) as care records, and who needs one. The rules (who needs an ECG, when
 * it is due, what QTc is too long) are in domain/care/heart-safety.ts.
 */
export function registerEcgs(app: App, ctx: AppContext) {
  registerCareRecordRoutes(app, ctx, { kind: 'ecg', path: 'ecgs', noun: 'ECG', tag: 'heart safety', data: EcgData });

  app.get(
    '/api/v1/clinics/:clinicId/ecgs/due',
    {
      schema: {
        summary: 'Who needs an ECG (methadone over the threshold, heart risks, recent cocaine) or has a QTc over the limit, most urgent first',
        tags: ['heart safety'],
        params: ClinicParams,
        querystring: z.object({ withinDays: z.coerce.number().int().min(0).max(90).default(0).describe('Also list ECGs falling due within this many days (for booking)') }),
        response: { 200: z.object({ today: z.string(), due: z.array(DueEcg) }), ...errors(400, 401, 403, 404) },
      },
    },
    async (req) => {
      const clinicId = clinicIdOf(req);
      const care = await clinicCare(ctx.db.orm, clinicId, ctx.clock.now());
      const due: z.infer<typeof DueEcg>[] = [];
      for (const person of care.people) {
        const input = { person, settings: care.settings, today: care.today, now: care.now };
        const items = ecgWorkItems(input, req.query.withinDays);
        if (items.length === 0) continue;
        const s = ecgStatus(input);
        for (const item of items) {
          due.push({
            serviceUserId: person.serviceUserId,
            displayName: person.displayName,
            dueOn: item.dueOn,
            overdue: item.overdue,
            severity: item.severity,
            text: item.text,
            recordId: item.recordId ?? null,
            reasons: s.reasons,
            methadoneMgPerDay: s.methadoneMgPerDay,
            latestEcg: s.latest,
          });
        }
      }
      due.sort((a, b) => byUrgency({ ...a, list: 'ecg_due' }, { ...b, list: 'ecg_due' }) || a.displayName.localeCompare(b.displayName));
      await auditRead(ctx.db, ctx.clock, req.actor, { clinicId, entityType: 'ecgs_due', details: { serviceUserIds: [...new Set(due.map((d) => d.serviceUserId))] } });
      return { today: care.today, due };
    },
  );
}
