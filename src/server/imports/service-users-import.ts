import { z } from 'zod';
import { Temporal } from 'temporal-polyfill';
import { ClinicParams } from '../../contract/common';
import { checkServiceUserRows, parseServiceUsersCsv, SERVICE_USER_COLUMNS, type CheckedServiceUsers, type ParsedServiceUsers } from '../../domain/imports/service-users-csv';
import { MAX_IMPORT_ROWS } from '../../domain/imports/csv-table';
import { readStoredClinicSettings } from '../../domain/clinic/clinic-settings';
import { clinicDate } from '../../domain/time/clinic-time';
import { dateToInstant } from '../../domain/time/clock';
import { insertCareImport } from '../../store/care-records';
import { currentSettings } from '../../store/clinics';
import type { Orm } from '../../store/database';
import { createServiceUser, findByNhsNumber, listServiceUsers } from '../../store/service-users';
import { auditRead } from '../../store/transaction';
import type { App, AppContext } from '../context';
import { signedIn } from '../authorize';
import { clinicIdOf } from '../clinic-output';
import { lockPerson } from '../clinical/person';
import { recordEpisodeEvent } from '../clinical/episode-workflow';
import { sendWrite } from '../write';
import { fileHash, ImportRefused, ImportReport, importRequestFields, makeReport, importResponses, refusal } from './import-report';

/**
 * Service users from a CSV (format: domain/imports/service-users-csv.ts). Each valid row is created
 * exactly as POST /service-users creates a person: the same record checks, the first record
 * version, and (with a referral) the referral that opens their episode through the episode
 * workflow. All in one transaction with the import's own record.
 */

const ServiceUserImportRequest = z.object(importRequestFields);

async function existingNhsNumbers(orm: Orm, clinicId: string): Promise<Set<string>> {
  const out = new Set<string>();
  for (const v of await listServiceUsers(orm, clinicId)) if (v.record.nhsNumber) out.add(v.record.nhsNumber);
  return out;
}

function checkedCounts(c: CheckedServiceUsers) {
  return { rowsValid: c.valid.length, rowsRejected: c.rowsRejected, rejected: c.rejected };
}

export function registerServiceUserImport(app: App, ctx: AppContext) {
  app.post(
    '/api/v1/clinics/:clinicId/imports/service-users',
    {
      bodyLimit: 5 * 1024 * 1024,
      schema: {
        summary: 'Import service users from a CSV (or check it first: dryRun)',
        description: `Columns (header names in any case): ${SERVICE_USER_COLUMNS.join(', ')}. family_name, given_name and date_of_birth are required; dates YYYY-MM-DD or DD/MM/YYYY; yes/no columns take yes, no, y, n, true, false, 1, 0. Every row is checked as POST /service-users checks a record; an NHS number already at the clinic or twice in the file is an error. episode_state: empty or referred (the referral needs referral_source; referral_date defaults to today); waiting_list and in_treatment are refused (they need a clinician's assessment and eligibility decision). At most ${MAX_IMPORT_ROWS} rows and 2 MiB. dryRun: 200 with the report, nothing written. all_or_nothing with any problem, or a whole-file problem: 422 with the report, nothing written. Otherwise 201.`,
        tags: ['imports'],
        params: ClinicParams,
        body: ServiceUserImportRequest,
        response: importResponses(ImportReport),
      },
    },
    async (req, reply) => {
      const clinicId = clinicIdOf(req);
      const body = req.body;
      const sha256 = fileHash(body.csv);
      const settings = readStoredClinicSettings((await currentSettings(ctx.db.orm, clinicId))!.settings);
      const today = clinicDate(ctx.clock.now(), settings.timeZone).toString();
      const parsed: ParsedServiceUsers = parseServiceUsersCsv(body.csv, today);
      const { staff } = signedIn(req);

      if (body.dryRun) {
        const checked = parsed.fileProblems.length > 0 ? null : checkServiceUserRows(parsed.rows, await existingNhsNumbers(ctx.db.orm, clinicId));
        const r = makeReport('service_users', body, sha256, parsed.rowsTotal, checked ? checkedCounts(checked) : { fileProblems: parsed.fileProblems });
        await auditRead(ctx.db, ctx.clock, req.actor, { clinicId, entityType: 'service_users_import_check', details: { fileName: r.fileName, sha256, rowsTotal: r.rowsTotal, rowsValid: r.rowsValid } });
        return reply.code(200).send(r);
      }
      if (parsed.fileProblems.length > 0) {
        return reply.code(422).send(refusal(makeReport('service_users', body, sha256, parsed.rowsTotal, { fileProblems: parsed.fileProblems }), true));
      }
      try {
        return await sendWrite(ctx, req, reply, 201, async (w) => {
          // As the create route does: take each NHS number's lock (in order, so two imports cannot
          // deadlock) while looking it up, so nobody adds the same person meanwhile.
          const existing = new Set<string>();
          for (const n of [...new Set(parsed.rows.flatMap((r) => (r.nhsNumber ? [r.nhsNumber] : [])))].sort()) {
            if ((await findByNhsNumber(w.tx, clinicId, n)).length > 0) existing.add(n);
          }
          const checked = checkServiceUserRows(parsed.rows, existing);
          const r = makeReport('service_users', body, sha256, parsed.rowsTotal, checkedCounts(checked));
          if (r.outcome === 'refused') throw new ImportRefused(r);
          const now = dateToInstant(w.now);
          const created: ImportReport['created'] = [];
          for (const v of checked.valid) {
            const person = await createServiceUser(w, clinicId, v.record);
            const state = await lockPerson(w.tx, clinicId, person.serviceUserId, now);
            if (v.referral) {
              const atStart = Temporal.PlainDate.from(v.referral.date).toZonedDateTime({ timeZone: settings.timeZone, plainTime: '09:00' }).toInstant();
              const at = Temporal.Instant.compare(atStart, now) > 0 ? now : atStart;
              await recordEpisodeEvent(w, state, staff, { type: 'referred', source: v.referral.source, reason: `imported from ${body.fileName ?? 'a CSV file'} (row ${v.row})` }, at);
            }
            created.push({ row: v.row, serviceUserId: person.serviceUserId, id: person.serviceUserId });
          }
          const imported = await insertCareImport(w, clinicId, {
            kind: 'service_users',
            fileName: r.fileName,
            sha256,
            mode: body.mode,
            rowsTotal: r.rowsTotal,
            rowsImported: created.length,
            rejected: r.rejected,
          });
          return { ...r, importId: imported.importId, rowsImported: created.length, created };
        });
      } catch (e) {
        if (e instanceof ImportRefused) return reply.code(422).send(refusal(e.report, false));
        throw e;
      }
    },
  );
}
