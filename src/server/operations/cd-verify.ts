import { z } from 'zod';
import { ClinicParams, errors } from '../../contract/common';
import { VerifyReport } from '../../contract/cd';
import { ENTRY_KINDS } from '../../domain/cd-register/entries';
import { clinicDate, clinicInstant } from '../../domain/time/clinic-time';
import { Temporal } from 'temporal-polyfill';
import { entriesBetween, listItems, pageName } from '../../store/cd-register';
import { clinicDoses } from '../../store/dosing';
import { summariseDose } from '../../domain/dosing/dose-record';
import { verifyRegister } from '../cd/verify';
import { currentSettings } from '../../store/clinics';
import { auditRead } from '../../store/transaction';
import type { App, AppContext } from '../context';
import { clinicIdOf } from '../clinic-output';

export function registerCdVerify(app: App, ctx: AppContext) {
  app.get(
    '/api/v1/clinics/:clinicId/cd/verify',
    { schema: { summary: 'Verify the register: every page\'s hash chain and running balance', tags: ['controlled drugs'], params: ClinicParams, response: { 200: VerifyReport, ...errors(401, 403, 404) } } },
    async (req) => {
      const clinicId = clinicIdOf(req);
      const report = await verifyRegister(ctx.db.orm, clinicId);
      await auditRead(ctx.db, ctx.clock, req.actor, { clinicId, entityType: 'cd_verify', details: { ok: report.ok } });
      return { ok: report.ok, pages: report.pages.map(({ clinicId: _c, ...p }) => p) };
    },
  );

  const perKind = z.object(Object.fromEntries(ENTRY_KINDS.map((k) => [k, z.number().int()])) as Record<(typeof ENTRY_KINDS)[number], z.ZodNumber>);
  app.get(
    '/api/v1/clinics/:clinicId/cd/reconciliation',
    {
      schema: {
        summary: 'A day\'s reconciliation per session and page: ampoules drawn (supplied), waste, and the other movements',
        tags: ['controlled drugs'],
        params: ClinicParams,
        querystring: z.object({ date: z.iso.date().optional().describe('Clinic date; today if left out') }),
        response: {
          200: z.object({
            date: z.string(),
            sessions: z.array(
              z.object({
                session: z.string().describe('Session code, or "none" for entries not tied to a session'),
                itemId: z.string(),
                itemName: z.string(),
                ampoulesSupplied: z.number().int(),
                supplyEntries: z.number().int(),
                wasteMg: z.number(),
                wasteEntries: z.number().int(),
                movements: perKind.describe('Ampoules moved by each kind of entry'),
              }),
            ),
            doses: z
              .array(
                z.object({
                  session: z.string(),
                  mgDrawn: z.number().describe('Ampoules supplied × their strength'),
                  dosesGiven: z.number().int().describe('Doses and top-ups given, in full or in part'),
                  mgGiven: z.number(),
                  mgWasted: z.number().describe('Part-ampoule waste, including what was drawn and not given'),
                  unaccountedMg: z.number().describe('Drawn − given − wasted: 0 when the register and the doses agree'),
                }),
              )
              .describe('Per session: what the register says was drawn against what the dosing room says was given and wasted'),
          }),
          ...errors(400, 401, 403, 404),
        },
      },
    },
    async (req) => {
      const clinicId = clinicIdOf(req);
      const settings = (await currentSettings(ctx.db.orm, clinicId))!.settings;
      const date = req.query.date ? Temporal.PlainDate.from(req.query.date) : clinicDate(ctx.clock.now(), settings.timeZone);
      const from = clinicInstant(date, '00:00', settings.timeZone);
      const to = clinicInstant(date.add({ days: 1 }), '00:00', settings.timeZone);
      const entries = await entriesBetween(ctx.db.orm, clinicId, new Date(from.epochMilliseconds), new Date(to.epochMilliseconds));
      const names = new Map((await listItems(ctx.db.orm, clinicId)).map((i) => [i.itemId, `${pageName(i)} (${i.location})`]));
      const rows = new Map<string, { session: string; itemId: string; itemName: string; ampoulesSupplied: number; supplyEntries: number; wasteMg: number; wasteEntries: number; movements: Record<string, number> }>();
      for (const e of entries) {
        const session = 'session' in e.details && e.details.session ? e.details.session : 'none';
        const key = `${session}/${e.itemId}`;
        const row = rows.get(key) ?? {
          session,
          itemId: e.itemId,
          itemName: names.get(e.itemId) ?? e.itemId,
          ampoulesSupplied: 0,
          supplyEntries: 0,
          wasteMg: 0,
          wasteEntries: 0,
          movements: Object.fromEntries(ENTRY_KINDS.map((k) => [k, 0])),
        };
        row.movements[e.details.kind] = (row.movements[e.details.kind] ?? 0) + e.quantity;
        if (e.details.kind === 'supply_administration') {
          row.ampoulesSupplied += e.quantity;
          row.supplyEntries++;
        }
        if (e.details.kind === 'part_ampoule_waste') {
          row.wasteMg += e.details.wastedMg;
          row.wasteEntries++;
        }
        rows.set(key, row);
      }
      const order = new Map(settings.sessions.map((s, i) => [s.code, i]));
      const sessions = [...rows.values()].sort((a, b) => (order.get(a.session) ?? 99) - (order.get(b.session) ?? 99) || a.itemName.localeCompare(b.itemName));

      // The dosing room's side: every dose prepared in a session draws from the register in the same
      // transaction, and what is not given is waste; so drawn = given + wasted, exactly.
      const strengths = new Map((await listItems(ctx.db.orm, clinicId)).map((i) => [i.itemId, i.strengthMg]));
      const doses = await clinicDoses(ctx.db.orm, clinicId, date.toString(), date.toString());
      const perSession = new Map<string, { session: string; mgDrawn: number; dosesGiven: number; mgGiven: number; mgWasted: number }>();
      const row = (session: string) => perSession.get(session) ?? perSession.set(session, { session, mgDrawn: 0, dosesGiven: 0, mgGiven: 0, mgWasted: 0 }).get(session)!;
      for (const e of entries) {
        if (e.details.kind === 'supply_administration' && e.details.doseId) row(e.details.session ?? 'none').mgDrawn += e.quantity * (strengths.get(e.itemId) ?? 0);
      }
      for (const { dose, events } of doses) {
        const r = row(dose.sessionCode);
        for (const ev of events) {
          if (ev.type === 'prepared') r.mgWasted += ev.wasteMg;
          if (ev.type === 'administered') {
            r.mgGiven += ev.givenMg;
            r.mgWasted += ev.notGivenMg;
            if (ev.givenMg > 0) r.dosesGiven++;
          }
          if (ev.type === 'not_given') r.mgWasted += summariseDose(events).preparedMg;
        }
      }
      const doseRows = [...perSession.values()]
        .filter((r) => r.mgDrawn > 0 || r.mgGiven > 0)
        .sort((a, b) => (order.get(a.session) ?? 99) - (order.get(b.session) ?? 99))
        .map((r) => ({ ...r, unaccountedMg: r.mgDrawn - r.mgGiven - r.mgWasted }));
      return { date: date.toString(), sessions: sessions as never, doses: doseRows };
    },
  );
}
