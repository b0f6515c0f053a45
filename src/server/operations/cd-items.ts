import { z } from 'zod';
import { ClinicParams, errors } from '../../contract/common';
import { CdItemOut, CreateItemRequest, ItemParams } from '../../contract/cd';
import { Readable } from 'node:stream';
import { countPageEntries, createItem, getItem, lastPageEntry, listItems, pageEntriesBefore, pageEntriesBetween } from '../../store/cd-register';
import { dateRange, EXPORT_BATCH, RegisterPageOut, RegisterQuery } from '../cd/register-query';
import { currentSettings } from '../../store/clinics';
import { auditRead } from '../../store/transaction';
import type { App, AppContext } from '../context';
import { clinicIdOf } from '../clinic-output';
import { conflict, notFound } from '../errors';
import { idParam } from '../clinical/output';
import { cachedStaffNames, datesLabel, entryOut, itemOut, staffNames, streamCsv, streamHtml } from '../cd/output';
import { sendWrite } from '../write';
import { sqlState } from '../errors';

/** Text produced a piece at a time, sent as it comes (Fastify streams a Readable; the route's schema types only the JSON answer). */
const streamed = (pieces: AsyncIterable<string>) => Readable.from(pieces) as unknown as string;

async function* none(): AsyncGenerator<never> {}

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
        summary: 'A register page in order with its running balance: the latest entries a page at a time (JSON), or the whole page (CSV or print-ready HTML)',
        tags: ['controlled drugs'],
        params: ItemParams,
        querystring: RegisterQuery,
        response: { 200: RegisterPageOut.or(z.string()), ...errors(400, 401, 403, 404) },
      },
    },
    async (req, reply) => {
      const clinicId = clinicIdOf(req);
      const itemId = idParam(req, 'itemId', 'Register page');
      const item = await getItem(ctx.db.orm, clinicId, itemId);
      if (!item) throw notFound('Register page');
      const q = req.query;
      const settings = (await currentSettings(ctx.db.orm, clinicId))!.settings;
      const range = dateRange(q, settings.timeZone);
      const head = await lastPageEntry(ctx.db.orm, clinicId, itemId);
      await auditRead(ctx.db, ctx.clock, req.actor, {
        clinicId,
        entityType: 'cd_register_page',
        entityId: itemId,
        details: { format: q.format, ...(q.from ? { from: q.from } : {}), ...(q.to ? { to: q.to } : {}), ...(q.format === 'json' ? { limit: q.limit, ...(q.before ? { before: q.before } : {}) } : {}) },
      });

      if (q.format !== 'json') {
        // The legal copy: every entry (of the dates asked for), fetched and sent a batch at a time, up
        // to the entry that was last when the request came (entries are never changed, only added).
        const last = range.from || range.to ? await lastPageEntry(ctx.db.orm, clinicId, itemId, range) : head;
        const batches = last ? pageEntriesBetween(ctx.db.orm, clinicId, itemId, { ...range, through: last.seq }, EXPORT_BATCH) : none();
        const namesFor = cachedStaffNames(ctx.db.orm);
        if (q.format === 'csv') {
          const dates = q.from || q.to ? `-${q.from ?? 'start'}-to-${q.to ?? 'now'}` : '';
          return reply
            .header('content-type', 'text/csv; charset=utf-8')
            .header('content-disposition', `attachment; filename="cd-register-${item.strengthMg}mg-${itemId.slice(0, 8)}${dates}.csv"`)
            .send(streamed(streamCsv(item, batches, namesFor, settings.timeZone)));
        }
        return reply
          .header('content-type', 'text/html; charset=utf-8')
          .send(streamed(streamHtml(settings.name, item, last?.balanceAfter ?? null, batches, namesFor, settings.timeZone, ctx.clock.now(), datesLabel(q.from, q.to))));
      }

      // The latest entries are those before the one after the last (a bound the index serves at once).
      // One more than asked for says whether there is an older page.
      const before = q.before ?? (head ? head.seq + 1 : null);
      const entries = before === null ? [] : await pageEntriesBefore(ctx.db.orm, clinicId, itemId, before, q.limit + 1, range);
      const older = entries.length > q.limit;
      const shown = older ? entries.slice(1) : entries;
      const names = await staffNames(ctx.db.orm, shown.flatMap((e) => [e.recordedBy, e.witnessId]));
      const total = range.from || range.to ? await countPageEntries(ctx.db.orm, clinicId, itemId, range) : (head?.seq ?? 0);
      return {
        item: itemOut({ ...item, balance: head?.balanceAfter ?? 0, entries: head?.seq ?? 0 }),
        entries: shown.map((e) => entryOut(e, names)),
        page: { limit: q.limit, total, first: shown[0]?.seq ?? null, last: shown.at(-1)?.seq ?? null, olderBefore: older ? shown[0]!.seq : null },
      };
    },
  );
}
