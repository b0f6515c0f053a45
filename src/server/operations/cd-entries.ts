import { randomUUID } from 'node:crypto';
import { Temporal } from 'temporal-polyfill';
import { errors } from '../../contract/common';
import { CorrectionRequest, DestructionRequest, ItemParams, ReceiptRequest, RecordedEntry, ReturnToSupplierRequest, SupplyRequest, TransferRequest, WasteRequest } from '../../contract/cd';
import { displayName } from '../../domain/service-user/record';
import { versionInForce } from '../../domain/prescription/versions';
import { refuse } from '../../domain/refusal';
import { dateToInstant } from '../../domain/time/clock';
import { getItem, lockItem, pageName } from '../../store/cd-register';
import { currentSettings } from '../../store/clinics';
import { prescriptionHistory } from '../../store/prescriptions';
import { currentVersion } from '../../store/service-users';
import { getStaff, rolesAt } from '../../store/staff';
import type { WriteContext } from '../../store/transaction';
import type { App, AppContext } from '../context';
import { signedIn } from '../authorize';
import { clinicIdOf } from '../clinic-output';
import { badRequest, notFound, refused } from '../errors';
import { idParam } from '../clinical/output';
import { verifyWitness } from '../clinical/signature';
import { resolveWhen } from '../clinical/when';
import { entryOut, staffNames } from '../cd/output';
import { recordCdEntry, type CdEntryRequest } from '../cd/record-entry';
import { sendWrite } from '../write';
import type { FastifyReply, FastifyRequest } from 'fastify';

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Entries on a register page, one route per kind so that the permission table says who may make
 * each: nurses supply and record waste; the controlled-drug accountable officer receives, returns,
 * destroys, transfers and corrects. Every entry but a destruction (which has its Authorised Witness)
 * is witnessed by a second member of staff with their own password.
 */

const responses = { 201: RecordedEntry, ...errors(400, 401, 403, 404, 409, 422) };

async function answer(w: WriteContext, result: Awaited<ReturnType<typeof recordCdEntry>>) {
  const names = await staffNames(w.tx, [result.entry.recordedBy, result.entry.witnessId]);
  return { entry: entryOut(result.entry, names), discrepancyId: result.discrepancyId };
}

type Body = { occurredAt?: string; witness?: { staffId: string; password: string }; note?: string };

/** The common shape of an entry route: check the witness, then build and record the entry in one transaction. */
function entryRoute(
  ctx: AppContext,
  build: (w: WriteContext, req: FastifyRequest, clinicId: string, itemId: string) => Promise<Omit<CdEntryRequest, 'occurredAt' | 'witnessId' | 'note'>>,
) {
  return async (req: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const clinicId = clinicIdOf(req);
    const itemId = idParam(req, 'itemId', 'Register page');
    const body = req.body as Body;
    const witness = body.witness ? await verifyWitness(ctx, req, clinicId, body.witness) : null;
    await sendWrite(ctx, req, reply, 201, async (w) => {
      const occurredAt = resolveWhen(body.occurredAt, dateToInstant(w.now), 'occurredAt').toString();
      const parts = await build(w, req, clinicId, itemId);
      const result = await recordCdEntry(w, clinicId, itemId, { ...parts, occurredAt, witnessId: witness?.staffId ?? null, note: body.note ?? null });
      return answer(w, result);
    });
  };
}

async function sessionCode(w: WriteContext, clinicId: string, session: string | undefined): Promise<string | null> {
  if (!session) return null;
  const settings = (await currentSettings(w.tx, clinicId))!.settings;
  if (!settings.sessions.some((s) => s.code === session)) throw badRequest('session', `this clinic has no session ${session}`);
  return session;
}

export function registerCdEntries(app: App, ctx: AppContext) {
  app.post(
    '/api/v1/clinics/:clinicId/cd/items/:itemId/receipts',
    { schema: { summary: 'Record stock received (supplier, invoice, witness)', tags: ['controlled drugs'], params: ItemParams, body: ReceiptRequest, response: responses } },
    entryRoute(ctx, async (_w, req) => {
      const b = req.body as { quantity: number; supplier: { name: string; address: string }; invoiceReference: string };
      return { quantity: b.quantity, details: { kind: 'receipt', supplier: b.supplier, invoiceReference: b.invoiceReference } };
    }),
  );

  app.post(
    '/api/v1/clinics/:clinicId/cd/items/:itemId/supplies',
    {
      schema: {
        summary: 'Record a supply by administration (ampoules drawn up for a service user, under the prescription in force)',
        tags: ['controlled drugs'],
        params: ItemParams,
        body: SupplyRequest,
        response: responses,
      },
    },
    entryRoute(ctx, async (w, req, clinicId) => {
      const b = req.body as { quantity: number; serviceUserId: string; session?: string };
      const serviceUserId = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(b.serviceUserId) ? b.serviceUserId.toLowerCase() : '';
      const person = serviceUserId ? await currentVersion(w.tx, clinicId, serviceUserId) : null;
      if (!person) throw badRequest('serviceUserId', 'is not a service user at this clinic');
      const inForce = versionInForce(await prescriptionHistory(w.tx, clinicId, serviceUserId), dateToInstant(w.now));
      if (!inForce || inForce.content.status !== 'active') {
        throw refused([refuse('no_prescription_in_force', `${displayName(person.record)} has no active prescription in force; nothing can be supplied`)]);
      }
      const prescriber = (await getStaff(w.tx, inForce.signedBy))!;
      const r = person.record;
      const address = r.address ? [...r.address.lines, r.address.postcode].filter(Boolean).join(', ') : 'No fixed abode';
      const me = signedIn(req).staff;
      return {
        quantity: b.quantity,
        details: {
          kind: 'supply_administration',
          serviceUser: { serviceUserId, name: `${r.givenName} ${r.familyName}`, address },
          prescriber: { staffId: prescriber.staffId, name: prescriber.displayName },
          administeredBy: { staffId: me.staffId, name: me.displayName },
          session: await sessionCode(w, clinicId, b.session),
          doseId: null,
        },
      };
    }),
  );

  app.post(
    '/api/v1/clinics/:clinicId/cd/items/:itemId/waste',
    { schema: { summary: 'Record part-ampoule waste (denatured, witnessed; not a destruction)', tags: ['controlled drugs'], params: ItemParams, body: WasteRequest, response: responses } },
    entryRoute(ctx, async (w, req, clinicId) => {
      const b = req.body as { wastedMg: number; wastedMl?: number; fromSeq?: number; session?: string };
      return {
        quantity: 0,
        details: { kind: 'part_ampoule_waste', wastedMg: b.wastedMg, wastedMl: b.wastedMl ?? null, fromSeq: b.fromSeq ?? null, session: await sessionCode(w, clinicId, b.session) },
      };
    }),
  );

  app.post(
    '/api/v1/clinics/:clinicId/cd/items/:itemId/returns-to-supplier',
    { schema: { summary: 'Record stock returned to the supplier', tags: ['controlled drugs'], params: ItemParams, body: ReturnToSupplierRequest, response: responses } },
    entryRoute(ctx, async (_w, req) => {
      const b = req.body as { quantity: number; supplier: { name: string; address: string }; reference: string };
      return { quantity: b.quantity, details: { kind: 'return_to_supplier', supplier: b.supplier, reference: b.reference } };
    }),
  );

  app.post(
    '/api/v1/clinics/:clinicId/cd/items/:itemId/destructions',
    { schema: { summary: 'Record the destruction of expired or unusable stock, with the Authorised Witness', tags: ['controlled drugs'], params: ItemParams, body: DestructionRequest, response: responses } },
    entryRoute(ctx, async (_w, req) => {
      const b = req.body as { quantity: number; reason: 'expired'; authorisedWitness: { name: string; role: string; authorityNumber: string }; method: string };
      return { quantity: b.quantity, details: { kind: 'destruction', reason: b.reason, authorisedWitness: b.authorisedWitness, method: b.method } };
    }),
  );

  app.post(
    '/api/v1/clinics/:clinicId/cd/items/:itemId/corrections',
    {
      schema: {
        summary: 'Correct the register with a new entry that refers to the one it corrects (never an edit)',
        tags: ['controlled drugs'],
        params: ItemParams,
        body: CorrectionRequest,
        response: responses,
      },
    },
    entryRoute(ctx, async (_w, req) => {
      const b = req.body as { quantity: number; correctsSeq: number; reason: string };
      return { quantity: b.quantity, details: { kind: 'correction', correctsSeq: b.correctsSeq, reason: b.reason } };
    }),
  );

  app.post(
    '/api/v1/clinics/:clinicId/cd/items/:itemId/transfers',
    {
      schema: {
        summary: 'Transfer stock to another page (another location here, or another clinic): both entries in one transaction',
        tags: ['controlled drugs'],
        params: ItemParams,
        body: TransferRequest,
        response: { 201: RecordedEntry.extend({ receivingEntry: RecordedEntry.shape.entry }), ...errors(400, 401, 403, 404, 409, 422) },
      },
    },
    async (req, reply) => {
      const clinicId = clinicIdOf(req);
      const itemId = idParam(req, 'itemId', 'Register page');
      const { staff } = signedIn(req);
      const toClinicId = (req.body.toClinicId ?? clinicId).toLowerCase();
      // Ids are checked before they reach a query: one that is not a UUID used to be a 500 (found by the fuzzer).
      const toItemId = UUID_PATTERN.test(req.body.toItemId) ? req.body.toItemId.toLowerCase() : '';
      if (toClinicId !== clinicId && !(UUID_PATTERN.test(toClinicId) && (await rolesAt(ctx.db.orm, toClinicId, staff.staffId)).includes('cd_accountable'))) {
        throw badRequest('toClinicId', 'is not a clinic where you are the controlled-drug accountable officer');
      }
      if (toItemId === itemId && toClinicId === clinicId) throw badRequest('toItemId', 'is this page');
      const witness = await verifyWitness(ctx, req, clinicId, req.body.witness);
      return sendWrite(ctx, req, reply, 201, async (w) => {
        // Lock both pages in one fixed order, so two opposite transfers cannot deadlock.
        const order = [`${clinicId}/${itemId}`, `${toClinicId}/${toItemId}`].sort();
        for (const key of order) {
          const [c, i] = key.split('/') as [string, string];
          if (i && !(await lockItem(w.tx, c, i))) throw (i === itemId ? notFound('Register page') : badRequest('toItemId', 'is not a register page of that clinic'));
        }
        const from = (await getItem(w.tx, clinicId, itemId))!;
        const to = toItemId ? await getItem(w.tx, toClinicId, toItemId) : null;
        if (!to) throw badRequest('toItemId', 'is not a register page of that clinic');
        if (from.drug.toLowerCase() !== to.drug.toLowerCase() || from.form.toLowerCase() !== to.form.toLowerCase() || from.strengthMg !== to.strengthMg) {
          throw badRequest('toItemId', `is a page for ${pageName(to)}, not ${pageName(from)}`);
        }
        const transferId = randomUUID();
        const occurredAt = Temporal.Instant.fromEpochMilliseconds(w.now.getTime()).toString();
        const out = await recordCdEntry(w, clinicId, itemId, {
          quantity: req.body.quantity,
          details: { kind: 'transfer_out', transferId, to: `${to.location}${toClinicId !== clinicId ? ` (clinic ${toClinicId})` : ''}` },
          occurredAt,
          witnessId: witness.staffId,
          note: req.body.note ?? null,
        });
        const inn = await recordCdEntry(w, toClinicId, toItemId, {
          quantity: req.body.quantity,
          details: { kind: 'transfer_in', transferId, from: `${from.location}${toClinicId !== clinicId ? ` (clinic ${clinicId})` : ''}` },
          occurredAt,
          witnessId: null,
          note: req.body.note ?? null,
        });
        const first = await answer(w, out);
        return { ...first, receivingEntry: (await answer(w, inn)).entry };
      });
    },
  );
}
