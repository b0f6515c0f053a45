import { AuditPage, AuditQueryParams } from '../../contract/audit';
import { errors } from '../../contract/common';
import { queryAudit } from '../../store/audit-log';
import { auditRead } from '../../store/transaction';
import type { App, AppContext } from '../context';
import { auditPage } from './clinic-audit';

/** Events that belong to no clinic: sign-ins, sign-outs, failed and refused sign-ins. */
export function registerDeploymentAudit(app: App, ctx: AppContext) {
  app.get(
    '/api/v1/audit',
    {
      schema: {
        summary: 'Query the deployment-wide audit log (sign-ins and the like)',
        tags: ['audit'],
        querystring: AuditQueryParams,
        response: { 200: AuditPage, ...errors(400, 401, 403) },
      },
    },
    async (req) => {
      const q = req.query;
      const events = await queryAudit(ctx.db.orm, {
        clinicId: null,
        ...q,
        from: q.from ? new Date(q.from) : undefined,
        to: q.to ? new Date(q.to) : undefined,
      });
      await auditRead(ctx.db, ctx.clock, req.actor, { clinicId: null, entityType: 'audit_log', details: { query: q } });
      return auditPage(events, q.limit);
    },
  );
}
