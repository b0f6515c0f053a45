import { AuditPage, AuditQueryParams } from '../../contract/audit';
import { ClinicParams, errors } from '../../contract/common';
import { queryAudit, type AuditRecord } from '../../store/audit-log';
import { auditRead } from '../../store/transaction';
import type { App, AppContext } from '../context';
import { clinicIdOf } from '../clinic-output';

export function auditOut(e: AuditRecord) {
  return { ...e, occurredAt: e.occurredAt.toISOString(), details: e.details ?? null };
}

export function auditPage(events: AuditRecord[], limit: number) {
  return {
    events: events.map(auditOut),
    nextBefore: events.length === limit ? (events[events.length - 1]?.auditId ?? null) : null,
  };
}

/** The clinic's audit log, by person, record and time. Looking at it is itself audited. */
export function registerClinicAudit(app: App, ctx: AppContext) {
  app.get(
    '/api/v1/clinics/:clinicId/audit',
    {
      schema: {
        summary: 'Query this clinic\'s audit log (newest first)',
        tags: ['audit'],
        params: ClinicParams,
        querystring: AuditQueryParams,
        response: { 200: AuditPage, ...errors(400, 401, 403, 404) },
      },
    },
    async (req) => {
      const clinicId = clinicIdOf(req);
      const q = req.query;
      const events = await queryAudit(ctx.db.orm, {
        clinicId,
        ...q,
        from: q.from ? new Date(q.from) : undefined,
        to: q.to ? new Date(q.to) : undefined,
      });
      await auditRead(ctx.db, ctx.clock, req.actor, { clinicId, entityType: 'audit_log', details: { query: q } });
      return auditPage(events, q.limit);
    },
  );
}
