import { z } from 'zod';
import { ClinicParams, errors } from '../../contract/common';
import { DiscrepancyOut, RecordedEntry, ResolveDiscrepancyRequest, StockCheckRequest } from '../../contract/cd';
import { refuse } from '../../domain/refusal';
import { dateToInstant } from '../../domain/time/clock';
import { discrepancies, listItems, pageName, resolveDiscrepancy, type DiscrepancyRow } from '../../store/cd-register';
import type { App, AppContext } from '../context';
import { clinicIdOf } from '../clinic-output';
import { badRequest, notFound, refused } from '../errors';
import { idParam } from '../clinical/output';
import { verifyWitness } from '../clinical/signature';
import { entryOut, staffNames } from '../cd/output';
import { recordCdEntry } from '../cd/record-entry';
import { sendWrite } from '../write';

/**
 * Stock checks (two people count the cupboard) and the discrepancies they find. The register is
 * never edited: a discrepancy is resolved with a note, and, where the count was right and the
 * register wrong, a correcting entry that refers to the stock check.
 */
export function registerCdStockChecks(app: App, ctx: AppContext) {
  app.post(
    '/api/v1/clinics/:clinicId/cd/stock-checks',
    {
      schema: {
        summary: 'Record a stock check, counted by two people; a count that differs opens a discrepancy',
        tags: ['controlled drugs'],
        params: ClinicParams,
        body: StockCheckRequest,
        response: { 201: RecordedEntry, ...errors(400, 401, 403, 404, 422) },
      },
    },
    async (req, reply) => {
      const clinicId = clinicIdOf(req);
      const itemId = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(req.body.itemId) ? req.body.itemId.toLowerCase() : '';
      if (!itemId) throw badRequest('itemId', 'is not a register page');
      const second = await verifyWitness(ctx, req, clinicId, req.body.secondChecker, 'secondChecker');
      return sendWrite(ctx, req, reply, 201, async (w) => {
        const result = await recordCdEntry(w, clinicId, itemId, {
          quantity: 0,
          details: { kind: 'stock_check', countedQuantity: req.body.countedQuantity },
          occurredAt: dateToInstant(w.now).toString(),
          witnessId: second.staffId,
          note: req.body.note ?? null,
        });
        const names = await staffNames(w.tx, [result.entry.recordedBy, result.entry.witnessId]);
        return { entry: entryOut(result.entry, names), discrepancyId: result.discrepancyId };
      });
    },
  );

  const out = (d: DiscrepancyRow, names: Map<string, string>) => ({
    ...d,
    itemName: names.get(d.itemId) ?? 'unknown page',
    openedAt: d.openedAt.toISOString(),
    resolution: d.resolution ? { ...d.resolution, resolvedAt: d.resolution.resolvedAt.toISOString() } : null,
  });
  const itemNames = async (clinicId: string, orm = ctx.db.orm) => new Map((await listItems(orm, clinicId)).map((i) => [i.itemId, `${pageName(i)} (${i.location})`]));

  app.get(
    '/api/v1/clinics/:clinicId/cd/discrepancies',
    {
      schema: {
        summary: 'Discrepancies between stock checks and the register (open ones first)',
        tags: ['controlled drugs'],
        params: ClinicParams,
        querystring: z.object({ status: z.enum(['open', 'resolved', 'all']).default('open') }),
        response: { 200: z.object({ discrepancies: z.array(DiscrepancyOut) }), ...errors(400, 401, 403, 404) },
      },
    },
    async (req) => {
      const clinicId = clinicIdOf(req);
      const names = await itemNames(clinicId);
      const all = await discrepancies(ctx.db.orm, clinicId);
      const wanted = all.filter((d) => req.query.status === 'all' || (req.query.status === 'open') === (d.resolution === null));
      return { discrepancies: wanted.map((d) => out(d, names)) };
    },
  );

  app.post(
    '/api/v1/clinics/:clinicId/cd/discrepancies/:discrepancyId/resolution',
    {
      schema: {
        summary: 'Resolve a discrepancy with the investigation\'s findings (and, if needed, a correcting entry)',
        tags: ['controlled drugs'],
        params: z.object({ clinicId: z.string(), discrepancyId: z.string() }),
        body: ResolveDiscrepancyRequest,
        response: { 201: DiscrepancyOut, ...errors(400, 401, 403, 404, 409, 422) },
      },
    },
    async (req, reply) => {
      const clinicId = clinicIdOf(req);
      const discrepancyId = idParam(req, 'discrepancyId', 'Discrepancy');
      const witness = req.body.correction ? await verifyWitness(ctx, req, clinicId, req.body.correction.witness, 'correction.witness') : null;
      return sendWrite(ctx, req, reply, 201, async (w) => {
        const [d] = await discrepancies(w.tx, clinicId, discrepancyId);
        if (!d) throw notFound('Discrepancy');
        if (d.resolution) throw refused([refuse('already_resolved', `This discrepancy was resolved on ${d.resolution.resolvedAt.toISOString().slice(0, 10)}`)]);
        let correctionSeq: number | null = null;
        if (req.body.correction) {
          const result = await recordCdEntry(w, clinicId, d.itemId, {
            quantity: req.body.correction.quantity,
            details: { kind: 'correction', correctsSeq: d.stockCheckSeq, reason: req.body.correction.reason },
            occurredAt: dateToInstant(w.now).toString(),
            witnessId: witness!.staffId,
            note: `resolves discrepancy ${discrepancyId}`,
          });
          correctionSeq = result.entry.seq;
        }
        await resolveDiscrepancy(w, clinicId, { discrepancyId, note: req.body.note, correctionItemId: correctionSeq ? d.itemId : null, correctionSeq });
        const [after] = await discrepancies(w.tx, clinicId, discrepancyId);
        return out(after!, await itemNames(clinicId, w.tx));
      });
    },
  );
}
