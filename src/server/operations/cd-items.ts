import { z } from 'zod';
import { ClinicParams, errors } from '../../contract/common';
import { CdEntryOut, CdItemOut, CreateItemRequest, ItemParams } from '../../contract/cd';
import { createItem, getItem, listItems, pageEntries } from '../../store/cd-register';
import { currentSettings } from '../../store/clinics';
import { auditRead } from '../../store/transaction';
import type { App, AppContext } from '../context';
import { clinicIdOf } from '../clinic-output';
import { conflict, notFound } from '../errors';
import { idParam } from '../clinical/output';
import { entryOut, itemOut, pageCsv, pageHtml, staffNames } from '../cd/output';
import { sendWrite } from '../write';
import { sqlState } from '../errors';

/** Register pages (one per drug, form, strength and location) and each page's entries with its running balance. */
export function registerCdItems(app: App, ctx: AppContext) {
  app.get(
    '/api/v1/clinics/:clinicId/cd/items',
    { schema: { summary: 'Register pages with their balances', tags: ['controlled drugs'], params: ClinicParams, response: { 200: z.object({ items: z.array(CdItemOut) }), ...errors(401, 403, 404) } } },
    async (req) => ({ items: (await listItems(ctx.db.orm, clinicIdOf(req))).map(itemOut) }),
  );

  app.post(
    '/api/v1/clinics/:clinicId/cd/items',
    {
      schema: {
        summary: 'Open a register page (a 100 mg and a 500 mg ampoule are different pages)',
        tags: ['controlled drugs'],
        params: ClinicParams,
        body: CreateItemRequest,
        response: { 201: CdItemOut, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (req, reply) => {
      const clinicId = clinicIdOf(req);
      try {
        return await sendWrite(ctx, req, reply, 201, async (w) => itemOut({ ...(await createItem(w, clinicId, req.body)), balance: 0, entries: 0 }));
      } catch (err) {
        if (sqlState(err) === '23505') throw conflict('page_exists', 'This clinic already has a page for that drug, form, strength and location');
        throw err;
      }
    },
  );

  app.get(
    '/api/v1/clinics/:clinicId/cd/items/:itemId/register',
    {
      schema: {
        summary: 'A register page in order with its running balance (JSON, CSV or print-ready HTML)',
        tags: ['controlled drugs'],
        params: ItemParams,
        querystring: z.object({ format: z.enum(['json', 'csv', 'html']).default('json') }),
        response: { 200: z.object({ item: CdItemOut, entries: z.array(CdEntryOut) }).or(z.string()), ...errors(400, 401, 403, 404) },
      },
    },
    async (req, reply) => {
      const clinicId = clinicIdOf(req);
      const itemId = idParam(req, 'itemId', 'Register page');
      const item = await getItem(ctx.db.orm, clinicId, itemId);
      if (!item) throw notFound('Register page');
      const entries = await pageEntries(ctx.db.orm, clinicId, itemId);
      const names = await staffNames(ctx.db.orm, entries.flatMap((e) => [e.recordedBy, e.witnessId]));
      await auditRead(ctx.db, ctx.clock, req.actor, { clinicId, entityType: 'cd_register_page', entityId: itemId, details: { format: req.query.format } });
      const settings = (await currentSettings(ctx.db.orm, clinicId))!.settings;
      if (req.query.format === 'csv') {
        return reply
          .header('content-type', 'text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="cd-register-${item.strengthMg}mg-${itemId.slice(0, 8)}.csv"`)
          .send(pageCsv(item, entries, names, settings.timeZone));
      }
      if (req.query.format === 'html') {
        return reply.header('content-type', 'text/html; charset=utf-8').send(pageHtml(settings.name, item, entries, names, settings.timeZone, ctx.clock.now()));
      }
      const last = entries.at(-1);
      return { item: itemOut({ ...item, balance: last?.balanceAfter ?? 0, entries: entries.length }), entries: entries.map((e) => entryOut(e, names)) };
    },
  );
}
