import { z } from 'zod';
import { ClinicParams, errors } from '../../contract/common';
import { listCareImports } from '../../store/care-records';
import { auditRead } from '../../store/transaction';
import type { App, AppContext } from '../context';
import { clinicIdOf } from '../clinic-output';
import { IMPORT_KINDS, importOutFields, newestImportFirst, pastImportOut } from './import-report';

const ImportOut = z.object({ ...importOutFields, kind: z.enum(IMPORT_KINDS) });

/** Past service-user and prescription imports, newest first, with the rows each rejected. */
export function registerImportList(app: App, ctx: AppContext) {
  app.get(
    '/api/v1/clinics/:clinicId/imports',
    {
      schema: {
        summary: 'Service-user and prescription imports, newest first, with the rows each rejected',
        tags: ['imports'],
        params: ClinicParams,
        response: { 200: z.object({ imports: z.array(ImportOut) }), ...errors(401, 403, 404) },
      },
    },
    async (req) => {
      const clinicId = clinicIdOf(req);
      const rows = (await Promise.all(IMPORT_KINDS.map(async (kind) => (await listCareImports(ctx.db.orm, clinicId, kind)).map((i) => ({ ...i, kind }))))).flat();
      await auditRead(ctx.db, ctx.clock, req.actor, { clinicId, entityType: 'imports' });
      return { imports: rows.sort(newestImportFirst).map((i) => ({ ...pastImportOut(i), kind: i.kind })) };
    },
  );
}
