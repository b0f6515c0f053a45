import { z } from 'zod';
import { ClinicParams } from '../../contract/common';
import { MAX_IMPORT_ROWS } from '../../domain/imports/csv-table';
import { columnOfPrescriptionField, parsePrescriptionsCsv, PRESCRIPTION_COLUMNS } from '../../domain/imports/prescriptions-csv';
import { dateToInstant } from '../../domain/time/clock';
import { insertCareImport } from '../../store/care-records';
import { listServiceUsers } from '../../store/service-users';
import { auditRead, inTransaction } from '../../store/transaction';
import type { App, AppContext } from '../context';
import { signedIn } from '../authorize';
import { clinicIdOf } from '../clinic-output';
import { ApiError } from '../errors';
import { lockPerson } from '../clinical/person';
import { signPrescription } from '../clinical/prescription-workflow';
import { verifySignature } from '../clinical/signature';
import { sendWrite } from '../write';
import { DryRunDone, fileHash, ImportRefused, ImportReport, importRequestFields, makeReport, importResponses, refusal, type ReportProblem } from './import-report';

/**
 * Prescriptions from a CSV (format: domain/imports/prescriptions-csv.ts), each signed by the
 * importing prescriber (their password, checked once). Every row goes through signPrescription,
 * the same workflow as POST /service-users/:id/prescriptions, inside the import's transaction:
 * every rule applies, and a refused row is reported with the rule's name, message and column.
 * A dry run does exactly the same and then rolls the transaction back, so its report is what an
 * import would do.
 */

const PrescriptionImportRequest = z.object({
  ...importRequestFields,
  signature: z.object({ password: z.string().min(1, 'must not be empty').max(200) }).describe("The importing prescriber's own password: they sign every prescription imported"),
});

export function registerPrescriptionImport(app: App, ctx: AppContext) {
  app.post(
    '/api/v1/clinics/:clinicId/imports/prescriptions',
    {
      bodyLimit: 5 * 1024 * 1024,
      schema: {
        summary: 'Import prescriptions from a CSV, each signed by the importing prescriber (or check it first: dryRun)',
        description: `Columns (header names in any case): ${PRESCRIPTION_COLUMNS.join(', ')}. nhs_number, sessions, start_date and review_date are required; one row per person. Each row is signed through the same checks as POST /service-users/{id}/prescriptions (first-dose and maximum limits, titration, sessions, review date, the prescriber's licence, the person's episode); a refused row names the rule. At most ${MAX_IMPORT_ROWS} rows and 2 MiB. dryRun: 200 with the report, nothing written. all_or_nothing with any problem, or a whole-file problem: 422 with the report, nothing written. Otherwise 201.`,
        tags: ['imports'],
        params: ClinicParams,
        body: PrescriptionImportRequest,
        response: importResponses(ImportReport),
      },
    },
    async (req, reply) => {
      const clinicId = clinicIdOf(req);
      const body = req.body;
      const sha256 = fileHash(body.csv);
      const { staff } = signedIn(req);
      const parsed = parsePrescriptionsCsv(body.csv);
      if (parsed.fileProblems.length > 0) {
        const r = makeReport('prescriptions', body, sha256, parsed.rowsTotal, { fileProblems: parsed.fileProblems });
        if (body.dryRun) {
          await auditRead(ctx.db, ctx.clock, req.actor, { clinicId, entityType: 'prescriptions_import_check', details: { fileName: r.fileName, sha256, rowsTotal: r.rowsTotal, rowsValid: 0 } });
          return reply.code(200).send(r);
        }
        return reply.code(422).send(refusal(r, true));
      }
      await verifySignature(ctx, req, staff, body.signature.password);

      const work = async (w: Parameters<Parameters<typeof inTransaction>[3]>[0]) => {
        const now = dateToInstant(w.now);
        const byNhs = new Map<string, string[]>();
        for (const v of await listServiceUsers(w.tx, clinicId)) if (v.record.nhsNumber) byNhs.set(v.record.nhsNumber, [...(byNhs.get(v.record.nhsNumber) ?? []), v.serviceUserId]);
        const rejected: ReportProblem[] = [];
        const created: ImportReport['created'] = [];
        let rowsRejected = 0;
        // Lock the people in id order (so two imports cannot deadlock), then sign row by row.
        const matched = parsed.rows.map((r) => {
          const problems: ReportProblem[] = [...r.problems];
          const ids = r.nhsNumber ? (byNhs.get(r.nhsNumber) ?? []) : [];
          if (r.nhsNumber && ids.length === 0) problems.push({ row: r.row, field: 'nhs_number', message: 'no service user at this clinic has this NHS number; import or add them first' });
          if (ids.length > 1) problems.push({ row: r.row, field: 'nhs_number', message: 'more than one service user at this clinic has this NHS number; sign this prescription on their record' });
          return { r, problems, personId: ids.length === 1 ? ids[0]! : null };
        });
        const people = new Map<string, Awaited<ReturnType<typeof lockPerson>>>();
        for (const id of [...new Set(matched.flatMap((m) => (m.personId && m.problems.length === 0 ? [m.personId] : [])))].sort()) {
          people.set(id, await lockPerson(w.tx, clinicId, id, now));
        }
        for (const m of matched) {
          if (m.problems.length === 0 && m.r.content && m.personId) {
            try {
              const reason = `imported from ${body.fileName ?? 'a CSV file'} (row ${m.r.row})${m.r.reason ? `: ${m.r.reason}` : ''}`;
              const saved = await signPrescription(w, people.get(m.personId)!, staff, { content: m.r.content, effectiveFrom: now, reason });
              created.push({ row: m.r.row, serviceUserId: m.personId, id: `${m.personId}/v${saved.version}` });
              continue;
            } catch (e) {
              if (!(e instanceof ApiError) || e.status !== 422) throw e;
              for (const refusal of e.refusals ?? [{ rule: e.code, message: e.message, field: e.field }]) {
                m.problems.push({ row: m.r.row, field: columnOfPrescriptionField(refusal.field), message: refusal.message, rule: refusal.rule });
              }
            }
          }
          rowsRejected++;
          rejected.push(...(m.problems.length > 0 ? m.problems : [{ row: m.r.row, field: '(row)', message: 'could not be read' }]));
        }
        const r = makeReport('prescriptions', body, sha256, parsed.rowsTotal, { rowsValid: created.length, rowsRejected, rejected });
        if (body.dryRun) throw new DryRunDone(r);
        if (r.outcome === 'refused') throw new ImportRefused(r);
        const imported = await insertCareImport(w, clinicId, { kind: 'prescriptions', fileName: r.fileName, sha256, mode: body.mode, rowsTotal: r.rowsTotal, rowsImported: created.length, rejected: r.rejected });
        return { ...r, importId: imported.importId, rowsImported: created.length, created };
      };

      try {
        if (body.dryRun) await inTransaction(ctx.db, ctx.clock, req.actor, work);
        return await sendWrite(ctx, req, reply, 201, work);
      } catch (e) {
        if (e instanceof DryRunDone) {
          await auditRead(ctx.db, ctx.clock, req.actor, { clinicId, entityType: 'prescriptions_import_check', details: { fileName: e.report.fileName, sha256, rowsTotal: e.report.rowsTotal, rowsValid: e.report.rowsValid } });
          return reply.code(200).send({ ...e.report, created: [] });
        }
        if (e instanceof ImportRefused) return reply.code(422).send(refusal(e.report, false));
        throw e;
      }
    },
  );
}
