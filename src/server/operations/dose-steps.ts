import { Temporal } from 'temporal-polyfill';
import { errors } from '../../contract/common';
import { AdministrationRequest, AssessmentRequest, DischargeRequest, DoseOut, DoseParams, NotGivenRequest, ObservationRequest, PreparationRequest, SessionParams } from '../../contract/dosing';
import { decideFromAssessment, nurseMayChoose, type AssessmentOutcome } from '../../domain/dosing/assessment';
import { toMgPerLitreBreath } from '../../domain/dosing/breath-alcohol';
import { breathAlcoholForAssessment, breathTestReadings, type BreathReading, type BreathTestRecordData } from '../../domain/care/breath-tests';
import { checkDose, witnessRefusals } from '../../domain/dosing/dose-rules';
import { summariseDose, type DoseEvent } from '../../domain/dosing/dose-record';
import { computePreparation, witnessAgrees } from '../../domain/dosing/preparation';
import { dischargeRefusals, imAfterFailedIv, siteRefusals } from '../../domain/dosing/session-rules';
import { plannedDoseMg } from '../../domain/prescription/prescription';
import { versionInForce } from '../../domain/prescription/versions';
import { refuse, type Refusal } from '../../domain/refusal';
import { dateToInstant } from '../../domain/time/clock';
import { personCareRecords } from '../../store/care-records';
import { getItem } from '../../store/cd-register';
import { appendDoseEvent, doseFor, eventsOfDoses, exceptionsFor, getDose, getSession, lockDose, personDoses, type DoseRow } from '../../store/dosing';
import { z } from 'zod';
import { getStaff } from '../../store/staff';
import { auditRead, type WriteContext } from '../../store/transaction';
import type { App, AppContext } from '../context';
import { signedIn } from '../authorize';
import { clinicIdOf } from '../clinic-output';
import { badRequest, notFound, refused } from '../errors';
import { idParam } from '../clinical/output';
import { clinicToday, lockPerson, readPerson, type PersonState } from '../clinical/person';
import { verifyWitness } from '../clinical/signature';
import { recordCdEntry } from '../cd/record-entry';
import { doseContext } from '../dosing/dose-context';
import { doseOut, type SessionTimes } from '../dosing/output';
import { sendWrite } from '../write';
import { resolveWhen } from '../clinical/when';

/**
 * A dose in the steps that really happen at the hatch, each its own route and transaction:
 * assessment → preparation (with the register supply and any waste) → administration →
 * observation → discharge, or a refusal at any point. The safety rules run on every step.
 */

const instant = (d: Date) => Temporal.Instant.fromEpochMilliseconds(d.getTime());

async function sessionTimes(w: { tx: WriteContext['tx'] }, clinicId: string, sessionId: string | null): Promise<SessionTimes & { closed: boolean }> {
  const found = sessionId ? await getSession(w.tx, clinicId, sessionId) : null;
  if (!found) throw notFound('Session');
  return { code: found.session.sessionCode, clinicDate: found.session.clinicDate, opens: instant(found.session.windowOpens), closes: instant(found.session.windowCloses), closed: found.closure !== null };
}

/** The dose, its person locked, its own row locked, and its events. */
async function openDose(w: WriteContext, clinicId: string, doseId: string) {
  const head = await getDose(w.tx, clinicId, doseId);
  if (!head) throw notFound('Dose');
  const person = await lockPerson(w.tx, clinicId, head.serviceUserId, dateToInstant(w.now));
  const dose = (await lockDose(w.tx, clinicId, doseId))!;
  const events = (await eventsOfDoses(w.tx, clinicId, [doseId])).get(doseId)!;
  const session = await sessionTimes(w, clinicId, dose.sessionId);
  const exceptions = await exceptionsFor(w.tx, clinicId, dose.serviceUserId, w.now);
  return { dose, person, events, session, exceptions };
}

async function append(w: WriteContext, clinicId: string, dose: DoseRow, events: DoseEvent[], event: DoseEvent) {
  await appendDoseEvent(w, clinicId, dose, events.length + 1, event, events);
  events.push(event);
}

function stageMustBe(events: DoseEvent[], allowed: string[], doing: string) {
  const stage = summariseDose(events).stage;
  if (!allowed.includes(stage)) throw refused([refuse('wrong_step', `Cannot ${doing} a dose that is ${stage.replace(/_/g, ' ')}`)]);
}

/** When a step happened: now, or (a late entry) earlier, never in the future. */
function happened(w: WriteContext, occurredAt: string | undefined): { at: Temporal.Instant; late: boolean } {
  const now = dateToInstant(w.now);
  const at = resolveWhen(occurredAt, now, 'occurredAt');
  return { at, late: now.epochMilliseconds - at.epochMilliseconds > 60_000 };
}

const stamp = (h: { at: Temporal.Instant; late: boolean }, by: string) => ({ at: h.at.toString(), by, ...(h.late ? { late: true } : {}) });

function prescriberOf(person: PersonState, now: Temporal.Instant) {
  return versionInForce(person.prescriptions, now);
}

export function registerDoseSteps(app: App, ctx: AppContext) {
  const respond = (w: WriteContext, x: Awaited<ReturnType<typeof openDose>>) => doseOut(x.dose, x.events, x.person, x.session, dateToInstant(w.now), x.exceptions);

  app.post(
    '/api/v1/clinics/:clinicId/sessions/:sessionId/assessments',
    {
      schema: {
        summary: 'Pre-dose assessment: the system decides give, give reduced, refuse or emergency; a nurse may only be stricter',
        tags: ['dosing room'],
        params: SessionParams,
        body: AssessmentRequest,
        response: { 201: DoseOut, ...errors(400, 401, 403, 404, 409, 422) },
      },
    },
    async (req, reply) => {
      const clinicId = clinicIdOf(req);
      const sessionId = idParam(req, 'sessionId', 'Session');
      const b = req.body;
      const { staff } = signedIn(req);
      return sendWrite(ctx, req, reply, 201, async (w) => {
        const h = happened(w, b.occurredAt);
        const now = h.at;
        const session = await sessionTimes(w, clinicId, sessionId);
        const duringWindow = Temporal.Instant.compare(now, session.opens) >= 0 && Temporal.Instant.compare(now, session.closes) <= 0;
        if (session.closed && !(h.late && duringWindow)) {
          throw refused([refuse('session_closed', 'This session is closed; a late entry for it must give the time it happened, within the session')]);
        }
        const serviceUserId = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(b.serviceUserId) ? b.serviceUserId.toLowerCase() : '';
        if (!serviceUserId) throw badRequest('serviceUserId', 'is not a service user at this clinic');
        const person = await lockPerson(w.tx, clinicId, serviceUserId, now);
        const dose = await doseFor(w, clinicId, { serviceUserId, clinicDate: session.clinicDate, sessionCode: session.code, kind: b.kind, sessionId });
        const events = (await eventsOfDoses(w.tx, clinicId, [dose.doseId])).get(dose.doseId)!;
        if (events.length > 0) stageMustBe(events, h.late ? ['assessed', 'refused', 'missed'] : ['assessed', 'refused'], 'assess');
        let breath: number | null;
        let breathTest: BreathReading | null = null;
        if (b.breathAlcohol) {
          const converted = toMgPerLitreBreath(b.breathAlcohol.value, b.breathAlcohol.unit);
          if (!converted.ok) throw refused(converted.refusals);
          breath = converted.value;
        } else {
          // No reading typed in: a recent breath test (within the clinic's valid minutes, not after
          // the assessment) stands in for one, and counts exactly as if typed in.
          const tests = await personCareRecords<BreathTestRecordData>(w.tx, clinicId, serviceUserId, ['breath_test']);
          breathTest = breathAlcoholForAssessment(breathTestReadings(tests, person.settings.timeZone), now, person.settings.monitoring.breathTestValidMinutes);
          breath = breathTest?.mgPerL ?? null;
        }
        const findings = { ...b.findings, breathAlcoholMgPerL: breath, breathTestRequired: person.record.record.alcohol.knownUse };
        const decision = decideFromAssessment(findings, person.settings.dosing);
        const chosen: AssessmentOutcome = b.chosenOutcome ?? decision.outcome;
        if (!nurseMayChoose(decision.outcome, chosen)) {
          throw refused([
            refuse('loosening_not_allowed', `The assessment allows at most "${decision.outcome.replace('_', ' ')}" (${decision.reasons.map((r) => r.message).join('; ')}); nobody at the hatch can make it less strict`, 'chosenOutcome'),
          ]);
        }
        await append(w, clinicId, dose, events, { type: 'assessed', ...stamp(h, staff.staffId), findings, decision, chosen, notes: b.notes ?? null, ...(breathTest ? { breathTest } : {}) });
        if (chosen === 'refuse' || chosen === 'emergency') {
          const reasons: Refusal[] = decision.outcome === chosen ? decision.reasons : [refuse('nurse_refused', 'Refused by the nurse on assessment'), ...decision.reasons];
          const after = b.afterRefusal ?? { offeredToStay: false, naloxoneChecked: false, adviceGiven: false, reassessAt: null };
          await append(w, clinicId, dose, events, { type: 'refused', ...stamp(h, staff.staffId), reasons, ...after });
        }
        const exceptions = await exceptionsFor(w.tx, clinicId, serviceUserId, w.now);
        return doseOut(dose, events, person, session, now, exceptions);
      });
    },
  );

  app.get(
    '/api/v1/clinics/:clinicId/doses/:doseId',
    { schema: { summary: 'A dose with every step so far', tags: ['dosing room'], params: DoseParams, response: { 200: DoseOut, ...errors(401, 403, 404) } } },
    async (req) => {
      const clinicId = clinicIdOf(req);
      const doseId = idParam(req, 'doseId', 'Dose');
      const dose = await getDose(ctx.db.orm, clinicId, doseId);
      if (!dose) throw notFound('Dose');
      const now = ctx.clock.now();
      const person = await readPerson(ctx.db.orm, clinicId, dose.serviceUserId, now);
      const events = (await eventsOfDoses(ctx.db.orm, clinicId, [doseId])).get(doseId)!;
      const session = await sessionTimes({ tx: ctx.db.orm }, clinicId, dose.sessionId);
      await auditRead(ctx.db, ctx.clock, req.actor, { clinicId, entityType: 'dose', entityId: doseId, details: { serviceUserId: dose.serviceUserId } });
      return doseOut(dose, events, person, session, now, await exceptionsFor(ctx.db.orm, clinicId, dose.serviceUserId, new Date(now.epochMilliseconds)));
    },
  );

  app.post(
    '/api/v1/clinics/:clinicId/doses/:doseId/preparation',
    {
      schema: {
        summary: 'Draw up the dose: the system computes the mL; the witness confirms strength and volume; the register supply and any waste are written with it',
        tags: ['dosing room'],
        params: DoseParams,
        body: PreparationRequest,
        response: { 201: DoseOut, ...errors(400, 401, 403, 404, 409, 422) },
      },
    },
    async (req, reply) => {
      const clinicId = clinicIdOf(req);
      const doseId = idParam(req, 'doseId', 'Dose');
      const b = req.body;
      const { staff } = signedIn(req);
      const witness = await verifyWitness(ctx, req, clinicId, b.witness);
      return sendWrite(ctx, req, reply, 201, async (w) => {
        const x = await openDose(w, clinicId, doseId);
        stageMustBe(x.events, ['assessed'], 'prepare');
        const h = happened(w, b.occurredAt);
        const now = h.at;
        const refusals: Refusal[] = [...witnessRefusals(witness.staffId, staff.staffId)];
        const decision = checkDose({ kind: x.dose.kind as 'dose' | 'top_up', route: b.route, mg: b.doseMg }, doseContext(x.person, x.session, now, x.exceptions, x.events));
        if (!decision.ok) refusals.push(...decision.refusals);
        const pages = [];
        for (const [i, a] of b.ampoules.entries()) {
          const item = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(a.itemId) ? await getItem(w.tx, clinicId, a.itemId.toLowerCase()) : null;
          if (!item) throw badRequest(`ampoules[${i}].itemId`, 'is not a register page of this clinic');
          pages.push({ item, count: a.count });
        }
        const recorded = { ampoules: pages.map((p) => ({ strengthMg: p.item.strengthMg, count: p.count })), reconstitutionMl: b.reconstitutionMl, doseMg: b.doseMg };
        const prep = computePreparation(recorded);
        if (!prep.ok) refusals.push(...prep.refusals);
        refusals.push(...witnessAgrees(recorded, b.witness));
        if (refusals.length) throw refused(refusals);
        const result = prep.ok ? prep.value : null!;
        const rx = prescriberOf(x.person, now)!;
        const prescriber = (await getStaff(w.tx, rx.signedBy))!;
        const r = x.person.record.record;
        const address = r.address ? [...r.address.lines, r.address.postcode].filter(Boolean).join(', ') : 'No fixed abode';
        let lastSupply: { itemId: string; seq: number } | null = null;
        for (const p of pages) {
          const supply = await recordCdEntry(w, clinicId, p.item.itemId, {
            quantity: p.count,
            details: {
              kind: 'supply_administration',
              serviceUser: { serviceUserId: x.dose.serviceUserId, name: `${r.givenName} ${r.familyName}`, address },
              prescriber: { staffId: prescriber.staffId, name: prescriber.displayName },
              administeredBy: { staffId: staff.staffId, name: staff.displayName },
              session: x.dose.sessionCode,
              doseId,
            },
            occurredAt: now.toString(),
            witnessId: witness.staffId,
            note: null,
          });
          lastSupply = { itemId: p.item.itemId, seq: supply.entry.seq };
        }
        if (result.wasteMg > 0 && lastSupply) {
          await recordCdEntry(w, clinicId, lastSupply.itemId, {
            quantity: 0,
            details: { kind: 'part_ampoule_waste', wastedMg: result.wasteMg, wastedMl: result.wasteMl, fromSeq: lastSupply.seq, session: x.dose.sessionCode },
            occurredAt: now.toString(),
            witnessId: witness.staffId,
            note: `left over from preparing dose ${doseId}`,
          });
        }
        await append(w, clinicId, x.dose, x.events, {
          type: 'prepared',
          ...stamp(h, staff.staffId),
          witnessId: witness.staffId,
          route: b.route,
          doseMg: b.doseMg,
          ampoules: pages.map((p) => ({ itemId: p.item.itemId, strengthMg: p.item.strengthMg, count: p.count })),
          reconstitutionMl: b.reconstitutionMl,
          concentrationMgPerMl: result.concentrationMgPerMl,
          drawMl: result.drawMl,
          wasteMg: result.wasteMg,
        });
        return respond(w, x);
      });
    },
  );

  /** Whatever was drawn but not given is witnessed waste on the register page it came from. */
  async function wasteUnGiven(w: WriteContext, clinicId: string, events: DoseEvent[], mg: number, witnessId: string, note: string, at: Temporal.Instant) {
    const prepared = [...events].reverse().find((e) => e.type === 'prepared');
    if (!prepared || prepared.type !== 'prepared' || mg <= 0) return;
    await recordCdEntry(w, clinicId, prepared.ampoules.at(-1)!.itemId, {
      quantity: 0,
      details: { kind: 'part_ampoule_waste', wastedMg: mg, wastedMl: Math.round((mg / prepared.concentrationMgPerMl) * 100) / 100, fromSeq: null, session: null },
      occurredAt: at.toString(),
      witnessId,
      note,
    });
  }

  app.post(
    '/api/v1/clinics/:clinicId/doses/:doseId/administration',
    {
      schema: {
        summary: 'Record the supervised self-injection: route, sites, attempts, the dose given (any part not given is witnessed waste)',
        tags: ['dosing room'],
        params: DoseParams,
        body: AdministrationRequest,
        response: { 201: DoseOut, ...errors(400, 401, 403, 404, 409, 422) },
      },
    },
    async (req, reply) => {
      const clinicId = clinicIdOf(req);
      const doseId = idParam(req, 'doseId', 'Dose');
      const b = req.body;
      const { staff } = signedIn(req);
      const witness = await verifyWitness(ctx, req, clinicId, b.witness);
      return sendWrite(ctx, req, reply, 201, async (w) => {
        const x = await openDose(w, clinicId, doseId);
        stageMustBe(x.events, ['prepared'], 'record the administration of');
        const h = happened(w, b.occurredAt);
        const now = h.at;
        const summary = summariseDose(x.events);
        const refusals: Refusal[] = [...witnessRefusals(witness.staffId, staff.staffId)];
        const siteExceptions = x.exceptions.filter((e) => e.kind === 'injection_site' && e.site).map((e) => e.site!);
        for (const site of b.sites) refusals.push(...siteRefusals(site, x.person.settings.dosing, siteExceptions));
        const route = b.switchedToIm ? 'im' : b.route;
        if (b.givenMg > summary.preparedMg) {
          refusals.push(refuse('above_prepared_dose', `${b.givenMg} mg is more than was prepared (${summary.preparedMg} mg)`, 'givenMg'));
        }
        if (b.switchedToIm) {
          // The IM part may be at most the prescription's IM dose less what already went into a vein.
          const order = prescriberOf(x.person, now)?.content.diamorphine;
          const imRoom = imAfterFailedIv(order ? plannedDoseMg(order, 'im', x.session.clinicDate) : null, b.givenIvMg);
          if (b.givenIvMg > b.givenMg) refusals.push(refuse('given_iv_above_total', 'The IV part cannot be more than the whole dose given', 'givenIvMg'));
          else if (b.givenMg - b.givenIvMg > imRoom) {
            refusals.push(refuse('above_im_dose', `${b.givenMg - b.givenIvMg} mg IM is more than the IM dose allows after ${b.givenIvMg} mg IV (${imRoom} mg)`, 'givenMg'));
          }
        }
        if (refusals.length) throw refused(refusals);
        const notGiven = summary.preparedMg - b.givenMg;
        await wasteUnGiven(w, clinicId, x.events, notGiven, witness.staffId, `not given from dose ${doseId}`, now);
        await append(w, clinicId, x.dose, x.events, {
          type: 'administered',
          ...stamp(h, staff.staffId),
          witnessId: witness.staffId,
          route,
          sites: b.sites,
          attempts: b.attempts,
          givenMg: b.givenMg,
          switchedToIm: b.switchedToIm,
          notGivenMg: notGiven,
        });
        return respond(w, x);
      });
    },
  );

  app.post(
    '/api/v1/clinics/:clinicId/doses/:doseId/not-given',
    {
      schema: {
        summary: 'Prepared but not given: the drawn dose is destroyed as witnessed waste (it has left stock)',
        tags: ['dosing room'],
        params: DoseParams,
        body: NotGivenRequest,
        response: { 201: DoseOut, ...errors(400, 401, 403, 404, 422) },
      },
    },
    async (req, reply) => {
      const clinicId = clinicIdOf(req);
      const doseId = idParam(req, 'doseId', 'Dose');
      const { staff } = signedIn(req);
      const witness = await verifyWitness(ctx, req, clinicId, req.body.witness);
      return sendWrite(ctx, req, reply, 201, async (w) => {
        const x = await openDose(w, clinicId, doseId);
        stageMustBe(x.events, ['prepared'], 'record as not given');
        const h = happened(w, req.body.occurredAt);
        await wasteUnGiven(w, clinicId, x.events, summariseDose(x.events).preparedMg, witness.staffId, `prepared, not given: ${req.body.reason}`, h.at);
        await append(w, clinicId, x.dose, x.events, { type: 'not_given', ...stamp(h, staff.staffId), reason: req.body.reason });
        return respond(w, x);
      });
    },
  );

  app.post(
    '/api/v1/clinics/:clinicId/doses/:doseId/observations',
    {
      schema: {
        summary: 'Record an observation after the dose (sedation, breathing, adverse events, naloxone)',
        tags: ['dosing room'],
        params: DoseParams,
        body: ObservationRequest,
        response: { 201: DoseOut, ...errors(400, 401, 403, 404, 422) },
      },
    },
    async (req, reply) => {
      const clinicId = clinicIdOf(req);
      const doseId = idParam(req, 'doseId', 'Dose');
      const { staff } = signedIn(req);
      return sendWrite(ctx, req, reply, 201, async (w) => {
        const x = await openDose(w, clinicId, doseId);
        // After a dose, or after an emergency found at assessment (naloxone, ambulance) with no dose.
        const emergencyRefusal = x.events.some((e) => e.type === 'assessed' && e.chosen === 'emergency');
        stageMustBe(x.events, emergencyRefusal ? ['in_observation', 'refused'] : ['in_observation'], 'observe');
        const { occurredAt, ...b } = req.body;
        if (b.naloxoneMg !== null && !b.adverseEvents.includes('naloxone_given')) b.adverseEvents.push('naloxone_given');
        await append(w, clinicId, x.dose, x.events, { type: 'observed', ...stamp(happened(w, occurredAt), staff.staffId), ...b });
        return respond(w, x);
      });
    },
  );

  app.post(
    '/api/v1/clinics/:clinicId/doses/:doseId/discharge',
    {
      schema: {
        summary: 'Discharge from observation: after the period for the route, with acceptable sedation (or record that they left against advice)',
        tags: ['dosing room'],
        params: DoseParams,
        body: DischargeRequest,
        response: { 201: DoseOut, ...errors(400, 401, 403, 404, 422) },
      },
    },
    async (req, reply) => {
      const clinicId = clinicIdOf(req);
      const doseId = idParam(req, 'doseId', 'Dose');
      const { staff } = signedIn(req);
      return sendWrite(ctx, req, reply, 201, async (w) => {
        const x = await openDose(w, clinicId, doseId);
        stageMustBe(x.events, ['in_observation'], 'discharge');
        const h = happened(w, req.body.occurredAt);
        const s = summariseDose(x.events);
        const problems = dischargeRefusals({ givenAt: s.givenAt!, route: s.route!, now: h.at, sedation: req.body.sedation, leftAgainstAdvice: req.body.leftAgainstAdvice }, x.person.settings.dosing);
        if (problems.length) throw refused(problems);
        await append(w, clinicId, x.dose, x.events, { type: 'discharged', ...stamp(h, staff.staffId), sedation: req.body.sedation, leftAgainstAdvice: req.body.leftAgainstAdvice });
        return respond(w, x);
      });
    },
  );
}

/** A person's doses for their record: the timeline and the charts. */
export function registerPersonDoses(app: App, ctx: AppContext) {
  app.get(
    '/api/v1/clinics/:clinicId/service-users/:serviceUserId/doses',
    {
      schema: {
        summary: 'A person\'s doses, refusals and missed doses (the last 90 days), newest first',
        tags: ['dosing room'],
        params: z.object({ clinicId: z.string(), serviceUserId: z.string() }),
        response: {
          200: z.object({
            doses: z.array(
              z.object({
                doseId: z.string(),
                clinicDate: z.string(),
                sessionCode: z.string(),
                kind: z.string(),
                stage: z.string(),
                route: z.string().nullable(),
                givenMg: z.number(),
                givenAt: z.string().nullable(),
                reasons: z.array(z.string()),
              }),
            ),
          }),
          ...errors(401, 403, 404),
        },
      },
    },
    async (req) => {
      const clinicId = clinicIdOf(req);
      const serviceUserId = idParam(req, 'serviceUserId', 'Service user');
      const now = ctx.clock.now();
      // Only the clinic's date is needed here, not the person's dosing state (the record page reads that separately).
      const from = Temporal.PlainDate.from(await clinicToday(ctx.db.orm, clinicId, now)).subtract({ days: 90 }).toString();
      const rows = await personDoses(ctx.db.orm, clinicId, serviceUserId, from);
      await auditRead(ctx.db, ctx.clock, req.actor, { clinicId, entityType: 'service_user_doses', entityId: serviceUserId });
      return {
        doses: rows
          .map(({ dose, events }) => {
            const s = summariseDose(events);
            const refusal = [...events].reverse().find((e) => e.type === 'refused');
            return {
              doseId: dose.doseId,
              clinicDate: dose.clinicDate,
              sessionCode: dose.sessionCode,
              kind: dose.kind,
              stage: s.stage,
              route: s.route,
              givenMg: s.givenMg,
              givenAt: s.givenAt?.toString() ?? null,
              reasons: refusal && refusal.type === 'refused' ? refusal.reasons.map((r) => r.message) : [],
            };
          })
          .reverse(),
      };
    },
  );
}
