import { z } from 'zod';
import type { ClinicSettings } from '../../domain/clinic/clinic-settings';
import type { CareRecord } from '../../domain/care/care-record';
import type { StoredPrescriptionVersion } from '../../store/prescriptions';
import { coveredSessions, type SessionTimes, type SupplyCover } from '../../domain/take-home/cover';
import { supplyAccount } from '../../domain/take-home/returns';
import type { TakeHomeReturn, TakeHomeSupply } from '../../domain/take-home/records';
import type { TakeHomeState } from './state';

/** What the take-home routes answer with (also the OpenAPI document's shapes). */

const recordFields = {
  recordId: z.string(),
  version: z.number().int(),
  serviceUserId: z.string(),
  effectiveDate: z.string(),
  occurredAt: z.string().nullable(),
  recordedAt: z.string(),
  recordedBy: z.string().nullable(),
};

export const AssessmentOut = z.object({
  ...recordFields,
  data: z.object({
    lockableBox: z.boolean(),
    childrenConsidered: z.boolean(),
    childrenNote: z.string().nullable(),
    safeStorageAdviceGiven: z.boolean(),
    authorised: z.boolean(),
    maxDaysPerSupply: z.number().int().nullable(),
    notes: z.string().nullable(),
  }),
});

export const SupplyOut = z.object({
  ...recordFields,
  data: z.object({
    fromDate: z.string(),
    toDate: z.string(),
    sessions: z.array(z.string()),
    days: z.number().int(),
    doses: z.number().int(),
    route: z.enum(['iv', 'im']),
    dosePerSessionMg: z.number(),
    totalMg: z.number(),
    ampoules: z.array(z.object({ itemId: z.string(), strengthMg: z.number(), perDose: z.number().int(), count: z.number().int(), registerSeq: z.number().int() })),
    equipment: z.array(z.object({ item: z.string(), quantity: z.number().int(), description: z.string().nullable() })),
    safeStorageConfirmed: z.boolean(),
    collectedBy: z.enum(['service_user', 'representative']),
    idRequested: z.boolean(),
    idShown: z.boolean(),
    witnessId: z.string(),
    assessmentRecordId: z.string(),
    prescriptionVersion: z.number().int(),
    notes: z.string().nullable(),
  }),
  status: z.enum(['upcoming', 'current', 'finished', 'ended_early']).describe('Upcoming: starts later; current: covers today; finished: ran its course; ended_early: a return ended it'),
  endedAt: z.string().nullable().describe('When a return ended it early'),
  covered: z.array(z.object({ clinicDate: z.string(), sessions: z.array(z.string()) })).describe('The sessions it covers, day by day (the person is not expected at the clinic for them)'),
  ampoulesSupplied: z.number().int(),
  ampoulesReturned: z.number().int(),
});

export const ReturnOut = z.object({
  ...recordFields,
  data: z.object({
    supplyRecordId: z.string(),
    unusedAmpoules: z.array(z.object({ strengthMg: z.number(), count: z.number().int(), patientReturnId: z.string() })),
    sharpsReturned: z.object({ bins: z.number().int(), loose: z.number().int() }),
    endsSupply: z.boolean(),
    endedAt: z.string().nullable(),
    witnessId: z.string().nullable(),
    notes: z.string().nullable(),
  }),
});

export const TakeHomeOut = z.object({
  today: z.string(),
  enabledAtClinic: z.boolean(),
  clinic: z.object({
    maxDaysPerSupply: z.number().int(),
    criteria: z.object({
      minWeeksInTreatment: z.number().int(),
      noIntoxicationRefusalWeeks: z.number().int(),
      streetHeroinNegativeWeeks: z.number().int(),
      noMissedDoseWeeks: z.number().int(),
      lockableBoxRequired: z.boolean(),
      childrenConsideredRequired: z.boolean(),
    }),
  }),
  criteria: z.array(z.object({ code: z.string(), label: z.string(), met: z.boolean(), detail: z.string().describe('Why, with the figures') })),
  latestAssessment: AssessmentOut.nullable(),
  authorised: z.boolean().describe('On at the clinic, authorised by the latest assessment, every criterion met now, and nothing in the way (away, re-titration, no active prescription)'),
  maxDaysPerSupply: z.number().int().nullable().describe('When authorised: the most days one supply may cover now'),
  suspendedBecause: z.array(z.object({ code: z.string(), message: z.string() })).describe('Everything that stops take-home now; empty when authorised'),
  prescription: z
    .object({ version: z.number().int(), status: z.string(), sessions: z.array(z.string()), ivDoseMg: z.number().nullable(), imDoseMg: z.number().nullable() })
    .nullable()
    .describe('The prescription in force now'),
  supplies: z.array(SupplyOut).describe('Newest first'),
  returns: z.array(ReturnOut).describe('Newest first'),
});

const record = <D>(r: CareRecord<D>) => ({
  recordId: r.recordId,
  version: r.version,
  serviceUserId: r.serviceUserId,
  effectiveDate: r.effectiveDate,
  occurredAt: r.occurredAt,
  recordedAt: r.recordedAt,
  recordedBy: r.recordedBy,
  data: r.data,
});

export function supplyOut(
  s: CareRecord<TakeHomeSupply>,
  cover: SupplyCover,
  returns: readonly CareRecord<TakeHomeReturn>[],
  settings: { sessions: readonly SessionTimes[]; timeZone: string },
  today: string,
) {
  const covered = coveredSessions(cover, settings.sessions, settings.timeZone);
  const byDay = new Map<string, string[]>();
  for (const c of covered) byDay.set(c.clinicDate, [...(byDay.get(c.clinicDate) ?? []), c.session]);
  const account = supplyAccount(s.data, returns, s.recordId);
  const status = cover.endedAt ? 'ended_early' : s.data.fromDate > today ? 'upcoming' : s.data.toDate < today ? 'finished' : 'current';
  return {
    ...record(s),
    status: status as 'upcoming' | 'current' | 'finished' | 'ended_early',
    endedAt: cover.endedAt ? cover.endedAt.toString() : null,
    covered: [...byDay].map(([clinicDate, sessions]) => ({ clinicDate, sessions })),
    ampoulesSupplied: [...account.supplied.values()].reduce((a, b) => a + b, 0),
    ampoulesReturned: [...account.returned.values()].reduce((a, b) => a + b, 0),
  };
}

export const returnOut = (r: CareRecord<TakeHomeReturn>) => record(r);

const newestFirst = <D>(a: CareRecord<D>, b: CareRecord<D>) => b.effectiveDate.localeCompare(a.effectiveDate) || b.recordedAt.localeCompare(a.recordedAt);

export function takeHomeOut(state: TakeHomeState, settings: Pick<ClinicSettings, 'takeHome' | 'sessions' | 'timeZone'>, today: string, prescription: StoredPrescriptionVersion | null) {
  const ev = state.evaluation;
  const supplies = state.supplies.map((s, i) => ({ s, cover: state.covers[i]! })).sort((a, b) => newestFirst(a.s, b.s));
  return {
    today,
    enabledAtClinic: ev.enabledAtClinic,
    clinic: { maxDaysPerSupply: settings.takeHome.maxDaysPerSupply, criteria: { ...settings.takeHome.criteria } },
    criteria: ev.criteria.map((c) => ({ code: c.code, label: c.label, met: c.met, detail: c.detail })),
    latestAssessment: ev.latestAssessment ? record(ev.latestAssessment) : null,
    authorised: ev.authorised,
    maxDaysPerSupply: ev.maxDaysPerSupply,
    suspendedBecause: ev.suspendedBecause,
    prescription: prescription
      ? { version: prescription.version, status: prescription.content.status, sessions: prescription.content.diamorphine.sessions, ivDoseMg: prescription.content.diamorphine.ivDoseMg, imDoseMg: prescription.content.diamorphine.imDoseMg }
      : null,
    supplies: supplies.map(({ s, cover }) => supplyOut(s, cover, state.returns, settings, today)),
    returns: [...state.returns].sort(newestFirst).map(returnOut),
  };
}
