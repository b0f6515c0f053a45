import { z } from 'zod';
import { errors } from '../../contract/common';
import { Witness } from '../../contract/cd';
import { ServiceUserParams } from '../../contract/service-users';
import type { CareRecord } from '../../domain/care/care-record';
import { supplyCovers } from '../../domain/take-home/cover';
import { ReturnRequestData, type TakeHomeReturn, type TakeHomeSupply } from '../../domain/take-home/records';
import { checkReturn } from '../../domain/take-home/returns';
import { dateToInstant } from '../../domain/time/clock';
import { recordPatientReturn } from '../../store/cd-register';
import { careRecordVersions, insertCareRecord } from '../../store/care-records';
import type { App, AppContext } from '../context';
import { clinicIdOf } from '../clinic-output';
import { idParam } from '../clinical/output';
import { lockPerson } from '../clinical/person';
import { verifyWitness } from '../clinical/signature';
import { badRequest, refused } from '../errors';
import { sendWrite } from '../write';
import { ReturnOut, returnOut, SupplyOut, supplyOut } from './output';
import { takeHomeState } from './state';

const ReturnBody = ReturnRequestData.extend({
  witness: Witness.optional().describe('Required when ampoules come back: a second member of staff, as for any patient return'),
});

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * What comes back from a take-home supply: unused ampoules go to the patient-returns record
 * (witnessed, destroyed later; never back into stock, so the register's balance does not move),
 * used equipment and sharps are noted, and the return may end the supply early. The patient
 * returns and the take_home_return record are written in one transaction.
 */
export function registerTakeHomeReturns(app: App, ctx: AppContext) {
  app.post(
    '/api/v1/clinics/:clinicId/service-users/:serviceUserId/take-home/returns',
    {
      schema: {
        summary: 'Record what came back from a take-home supply: unused ampoules (to patient returns, never into stock), sharps; optionally end the supply',
        tags: ['take-home doses'],
        params: ServiceUserParams,
        body: ReturnBody,
        response: {
          201: z.object({ return: ReturnOut, supply: SupplyOut, patientReturns: z.array(z.object({ returnId: z.string(), strengthMg: z.number(), quantity: z.number().int() })) }),
          ...errors(400, 401, 403, 404, 409, 422),
        },
      },
    },
    async (req, reply) => {
      const clinicId = clinicIdOf(req);
      const serviceUserId = idParam(req, 'serviceUserId', 'Service user');
      const { witness: witnessBody, ...b } = req.body;
      if (b.unusedAmpoules.length > 0 && !witnessBody) throw badRequest('witness', 'a second member of staff witnesses ampoules brought back');
      const witness = witnessBody ? await verifyWitness(ctx, req, clinicId, witnessBody) : null;
      return sendWrite(ctx, req, reply, 201, async (w) => {
        const now = dateToInstant(w.now);
        const person = await lockPerson(w.tx, clinicId, serviceUserId, now);
        const supplyId = UUID.test(b.supplyRecordId) ? b.supplyRecordId.toLowerCase() : '';
        const versions = supplyId ? await careRecordVersions<TakeHomeSupply>(w.tx, clinicId, supplyId) : [];
        const supply = versions.at(-1);
        if (!supply || supply.kind !== 'take_home_supply' || supply.serviceUserId !== serviceUserId || supply.enteredInError) {
          throw badRequest('supplyRecordId', "is not one of this person's take-home supplies");
        }
        const state = await takeHomeState(w.tx, person, now);
        const returns = state.returns.filter((r) => r.data.supplyRecordId === supply.recordId);
        const cover = supplyCovers([supply], returns)[0]!;
        const decision = checkReturn(b, { now, supply, returns, cover, sessions: person.settings.sessions, timeZone: person.settings.timeZone });
        if (!decision.ok) throw refused(decision.refusals);

        const patientReturns = [];
        for (const a of b.unusedAmpoules) {
          const row = await recordPatientReturn(w, clinicId, {
            serviceUserId,
            description: `Diamorphine ${a.strengthMg} mg ampoules, unused, returned from the take-home supply of ${supply.effectiveDate} (${supply.data.fromDate} to ${supply.data.toDate})`,
            strengthMg: a.strengthMg,
            quantity: a.count,
            returnedAt: w.now,
            witnessId: witness!.staffId,
            note: b.notes,
          });
          patientReturns.push({ returnId: row.returnId, strengthMg: a.strengthMg, quantity: a.count });
        }
        const data: TakeHomeReturn = {
          supplyRecordId: supply.recordId,
          unusedAmpoules: patientReturns.map((p) => ({ strengthMg: p.strengthMg, count: p.quantity, patientReturnId: p.returnId })),
          sharpsReturned: b.sharpsReturned,
          endsSupply: b.endsSupply,
          endedAt: b.endsSupply ? now.toString() : null,
          witnessId: witness?.staffId ?? null,
          notes: b.notes,
        };
        const record = await insertCareRecord<TakeHomeReturn>(w, clinicId, { serviceUserId, kind: 'take_home_return', effectiveDate: person.today, occurredAt: w.now, data });
        const all: CareRecord<TakeHomeReturn>[] = [...returns, record];
        return {
          return: returnOut(record),
          supply: supplyOut(supply, supplyCovers([supply], all)[0]!, all, person.settings, person.today),
          patientReturns,
        };
      });
    },
  );
}
