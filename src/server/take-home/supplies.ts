import { z } from 'zod';
import { errors } from '../../contract/common';
import { Witness } from '../../contract/cd';
import { ServiceUserParams } from '../../contract/service-users';
import { versionInForce } from '../../domain/prescription/versions';
import { SupplyRequestData, type TakeHomeSupply } from '../../domain/take-home/records';
import { checkSupply } from '../../domain/take-home/supply';
import { supplyCovers } from '../../domain/take-home/cover';
import { dateToInstant } from '../../domain/time/clock';
import { getItem } from '../../store/cd-register';
import { insertCareRecord } from '../../store/care-records';
import { getStaff } from '../../store/staff';
import type { App, AppContext } from '../context';
import { clinicIdOf } from '../clinic-output';
import { idParam } from '../clinical/output';
import { lockPerson } from '../clinical/person';
import { verifyWitness } from '../clinical/signature';
import { recordCdEntry } from '../cd/record-entry';
import { badRequest, refused } from '../errors';
import { sendWrite } from '../write';
import { SupplyOut, supplyOut } from './output';
import { takeHomeState } from './state';

const SupplyBody = SupplyRequestData.extend({ witness: Witness });

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * A nurse hands over take-home doses: the controlled-drug register entries (kind
 * supply_take_home, one per page, witnessed, the running balance never below zero) and the
 * take_home_supply care record are written in one transaction, after every rule in
 * domain/take-home/supply.ts has passed against the person's locked state. A refusal writes nothing.
 */
export function registerTakeHomeSupplies(app: App, ctx: AppContext) {
  app.post(
    '/api/v1/clinics/:clinicId/service-users/:serviceUserId/take-home/supplies',
    {
      schema: {
        summary: 'Supply take-home doses: ampoules (register entries) and injecting equipment, within the prescription and the assessment, witnessed',
        tags: ['take-home doses'],
        params: ServiceUserParams,
        body: SupplyBody,
        response: {
          201: z.object({
            supply: SupplyOut,
            registerEntries: z.array(z.object({ itemId: z.string(), seq: z.number().int(), quantity: z.number().int(), balanceAfter: z.number().int() })),
          }),
          ...errors(400, 401, 403, 404, 409, 422),
        },
      },
    },
    async (req, reply) => {
      const clinicId = clinicIdOf(req);
      const serviceUserId = idParam(req, 'serviceUserId', 'Service user');
      const { witness: witnessBody, ...b } = req.body;
      const witness = await verifyWitness(ctx, req, clinicId, witnessBody);
      return sendWrite(ctx, req, reply, 201, async (w) => {
        const now = dateToInstant(w.now);
        const person = await lockPerson(w.tx, clinicId, serviceUserId, now);
        const settings = person.settings;
        b.sessions.forEach((s, i) => {
          if (!settings.sessions.some((d) => d.code === s)) throw badRequest(`sessions[${i}]`, `this clinic has no session ${s} (it has ${settings.sessions.map((d) => d.code).join(', ')})`);
        });
        const strengths = new Map<string, number>();
        const ampoules = [];
        for (const [i, a] of b.ampoules.entries()) {
          const item = UUID.test(a.itemId) ? await getItem(w.tx, clinicId, a.itemId.toLowerCase()) : null;
          if (!item || !/diamorphine/i.test(item.drug)) throw badRequest(`ampoules[${i}].itemId`, 'is not a diamorphine register page at this clinic');
          strengths.set(item.itemId, item.strengthMg);
          ampoules.push({ itemId: item.itemId, count: a.count });
        }
        const request = { ...b, ampoules };

        const state = await takeHomeState(w.tx, person, now);
        const dosedAtClinicToday = person.doses.filter((d) => d.dose.clinicDate === person.today && d.dose.kind === 'dose' && d.events.length > 0).map((d) => d.dose.sessionCode);
        const decision = checkSupply(request, {
          now,
          today: person.today,
          timeZone: settings.timeZone,
          sessions: settings.sessions,
          settings: settings.takeHome,
          limits: settings.dosingLimits,
          evaluation: state.evaluation,
          prescriptions: person.prescriptions,
          covered: state.covered,
          dosedAtClinicToday,
          strengths,
        });
        if (!decision.ok) throw refused(decision.refusals);
        const plan = decision.value;

        // The register: one entry per page, in the same transaction as the record.
        const rx = versionInForce(person.prescriptions, now)!;
        const prescriber = (await getStaff(w.tx, rx.signedBy))!;
        const r = person.record.record;
        const name = `${r.givenName} ${r.familyName}`;
        const address = [...(r.address?.lines ?? []), r.address?.postcode].filter(Boolean).join(', ');
        const note = `Take-home: ${plan.days} day${plan.days === 1 ? '' : 's'} ${b.fromDate} to ${b.toDate}, ${b.sessions.join(' + ')}, ${plan.doses} doses of ${b.dosePerSessionMg} mg ${b.route.toUpperCase()}`;
        const entries = [];
        for (const a of plan.ampoules) {
          const { entry } = await recordCdEntry(w, clinicId, a.itemId, {
            quantity: a.count,
            details: {
              kind: 'supply_take_home',
              serviceUser: { serviceUserId, name, address },
              prescriber: { staffId: prescriber.staffId, name: prescriber.displayName },
              collectedBy: `${name} (the service user)`,
              idRequested: b.idRequested,
              idShown: b.idShown,
            },
            occurredAt: now.toString(),
            witnessId: witness.staffId,
            note,
          });
          entries.push({ itemId: a.itemId, seq: entry.seq, quantity: entry.quantity, balanceAfter: entry.balanceAfter, strengthMg: a.strengthMg, perDose: a.perDose });
        }

        const data: TakeHomeSupply = {
          fromDate: b.fromDate,
          toDate: b.toDate,
          sessions: b.sessions,
          days: plan.days,
          doses: plan.doses,
          route: b.route,
          dosePerSessionMg: b.dosePerSessionMg,
          totalMg: plan.totalMg,
          ampoules: entries.map((e) => ({ itemId: e.itemId, strengthMg: e.strengthMg, perDose: e.perDose, count: e.quantity, registerSeq: e.seq })),
          equipment: b.equipment,
          safeStorageConfirmed: b.safeStorageConfirmed,
          collectedBy: b.collectedBy,
          idRequested: b.idRequested,
          idShown: b.idShown,
          witnessId: witness.staffId,
          assessmentRecordId: state.evaluation.latestAssessment!.recordId,
          prescriptionVersion: plan.prescriptionVersion,
          notes: b.notes,
        };
        const record = await insertCareRecord<TakeHomeSupply>(w, clinicId, { serviceUserId, kind: 'take_home_supply', effectiveDate: person.today, occurredAt: w.now, data });
        const [cover] = supplyCovers([record], []);
        return {
          supply: supplyOut(record, cover!, [], settings, person.today),
          registerEntries: entries.map(({ itemId, seq, quantity, balanceAfter }) => ({ itemId, seq, quantity, balanceAfter })),
        };
      });
    },
  );
}
