import { z } from 'zod';
import { Temporal } from 'temporal-polyfill';
import { checkWith, type Checked } from '../validation';
import { isValidNhsNumber, normaliseNhsNumber } from './nhs-number';

/**
 * What the clinic knows about a person in treatment. Every change is a new version of the whole
 * record with a reason (nothing is overwritten); this schema is what each version must satisfy.
 * Fields that make a dose unsafe (interacting medicines, alcohol, pregnancy, safeguarding) feed the
 * alerts staff see before each dose.
 */

const isoDate = z.iso.date('must be a date as YYYY-MM-DD');
const text = (max: number) => z.string().trim().min(1, 'must not be empty').max(max);
const optionalText = (max: number) => z.string().trim().max(max).nullable().default(null);

/**
 * Sex as the person states it, for national returns (NDTMS asks for it) and for clinical reference
 * ranges; 'not_known' when it has not been asked, 'not_stated' when the person declines to say.
 */
export const SEXES = ['male', 'female', 'indeterminate', 'not_stated', 'not_known'] as const;
export type Sex = (typeof SEXES)[number];

export const INTERACTING_CLASSES = ['benzodiazepine', 'gabapentinoid', 'opioid', 'other_sedative', 'other'] as const;

export const TRANSPORT_MODES = ['walk', 'bus', 'train', 'tram', 'car', 'lift', 'taxi', 'bicycle', 'other'] as const;

/** Risks of a long QT interval besides methadone: with any of these, an ECG is due (see care/heart-safety.ts). */
export const HEART_RISKS = [
  'qt_prolonging_medicine',
  'heart_disease',
  'family_history_sudden_death',
  'low_potassium_or_magnesium',
  'fainting_or_palpitations',
  'cocaine_or_stimulant_use',
  'other',
] as const;

export const ServiceUserRecordSchema = z
  .object({
    familyName: text(100),
    givenName: text(100),
    preferredName: optionalText(100),
    dateOfBirth: isoDate,
    sex: z.enum(SEXES).default('not_known').describe('As the person states it; used in the NDTMS return'),
    nhsNumber: z
      .string()
      .trim()
      .nullable()
      .default(null)
      .refine((v) => v === null || v === '' || isValidNhsNumber(v), 'is not a valid NHS number (10 digits with a correct check digit)'),
    address: z
      .object({
        lines: z.array(text(120)).min(1, 'give at least one address line').max(5),
        postcode: optionalText(10),
      })
      .nullable()
      .default(null)
      .describe('Needed for the controlled-drug register; null only with noFixedAbode'),
    noFixedAbode: z.boolean().default(false),
    phone: optionalText(40),
    contacts: z
      .array(z.object({ name: text(120), relationship: text(60), phone: optionalText(40), notes: optionalText(500) }))
      .max(20)
      .default([]),
    gp: z.object({ practice: text(200), address: optionalText(300), phone: optionalText(40) }).nullable().default(null),
    consentToShare: z
      .object({
        gp: z.boolean(),
        pharmacy: z.boolean(),
        others: z.array(z.object({ name: text(200), scope: optionalText(300) })).max(20).default([]),
        recordedOn: isoDate.nullable().default(null),
      })
      .default({ gp: false, pharmacy: false, others: [], recordedOn: null }),
    communityPharmacy: z.object({ name: text(200), address: optionalText(300), phone: optionalText(40) }).nullable().default(null),
    keyworkerStaffId: z.uuid().nullable().default(null),
    alcohol: z
      .object({
        knownUse: z.boolean().describe('Identified alcohol use: a daily breathalyser before dosing'),
        notes: optionalText(500),
      })
      .default({ knownUse: false, notes: null }),
    allergies: z.array(z.object({ substance: text(120), reaction: optionalText(300) })).max(30).default([]),
    interactingMedicines: z
      .array(z.object({ name: text(120), class: z.enum(INTERACTING_CLASSES), dose: optionalText(120), prescribedBy: optionalText(200) }))
      .max(30)
      .default([]),
    pregnancy: z
      .object({
        status: z.enum(['not_pregnant', 'pregnant', 'unknown', 'not_applicable']),
        dueDate: isoDate.nullable().default(null),
        midwife: optionalText(300),
      })
      .default({ status: 'unknown', dueDate: null, midwife: null }),
    childrenInHousehold: z.object({ count: z.number().int().min(0).max(20), notes: optionalText(500) }).default({ count: 0, notes: null }),
    safeguardingAlerts: z.array(z.object({ text: text(500), raisedOn: isoDate })).max(30).default([]),
    bloodBorneViruses: z
      .object({
        hbvVaccination: z.enum(['complete', 'partial', 'none', 'immune', 'unknown']),
        hcv: z.object({ testedOn: isoDate, result: z.enum(['negative', 'antibody_positive', 'rna_positive', 'cleared']) }).nullable().default(null),
        hiv: z.object({ testedOn: isoDate, result: z.enum(['negative', 'positive']) }).nullable().default(null),
        treatment: optionalText(500),
      })
      .default({ hbvVaccination: 'unknown', hcv: null, hiv: null, treatment: null }),
    risks: z.array(text(500)).max(30).default([]),
    alerts: z.array(z.object({ text: text(300), severity: z.enum(['info', 'warning', 'danger']) })).max(30).default([]),
    reviewIntervalDays: z.number().int().min(1, 'must be at least 1 day').max(28, 'must be at most 28 days').default(7),
    toxicologyIntervalDays: z
      .number()
      .int()
      .min(1, 'must be at least 1 day')
      .max(90, 'must be at most 90 days')
      .nullable()
      .default(null)
      .describe("This person's toxicology schedule in days; null follows the clinic's (weekly by default)"),
    heartRisks: z.array(z.enum(HEART_RISKS)).max(HEART_RISKS.length).default([]).describe('QT risks besides methadone; any of these makes an ECG due'),
    travel: z
      .object({
        minutesOneWay: z.number().int().min(0, 'must be 0 or more').max(600, 'must be at most 600 minutes'),
        transport: z.array(z.enum(TRANSPORT_MODES)).min(1, 'say how they travel').max(TRANSPORT_MODES.length),
        changes: z.number().int().min(0).max(10).nullable().default(null).describe('Changes of bus or train each way'),
        notes: optionalText(300),
      })
      .nullable()
      .default(null)
      .describe('The journey to the clinic: twice a day, every day, it is the heaviest burden of treatment'),
  })
  .superRefine((r, ctx) => {
    if (r.address === null && !r.noFixedAbode) {
      ctx.addIssue({ code: 'custom', path: ['address'], message: 'give an address, or mark no fixed abode (the controlled-drug register records where each supply went)' });
    }
    if (r.pregnancy.status === 'pregnant' && r.pregnancy.dueDate === null) {
      ctx.addIssue({ code: 'custom', path: ['pregnancy', 'dueDate'], message: 'give the due date of a pregnancy' });
    }
  });

export type ServiceUserRecord = z.output<typeof ServiceUserRecordSchema>;
export type ServiceUserRecordInput = z.input<typeof ServiceUserRecordSchema>;

/**
 * Check a record and put it in its stored form: the NHS number as its ten digits. (Kept out of
 * the schema as a transform so the same schema can describe the record in API answers.)
 */
export function checkServiceUserRecord(input: unknown): Checked<ServiceUserRecord> {
  const checked = checkWith(ServiceUserRecordSchema, input);
  if (!checked.ok) return checked;
  const nhs = checked.value.nhsNumber;
  return { ok: true, value: { ...checked.value, nhsNumber: nhs ? normaliseNhsNumber(nhs) : null } };
}

/**
 * A record as stored by an earlier version of openhat may lack fields added since; those read as
 * their defaults (a stored version is never rewritten).
 */
export function readStoredRecord(stored: unknown): ServiceUserRecord {
  const r = stored as Partial<ServiceUserRecord>;
  return { ...r, sex: r.sex ?? 'not_known', toxicologyIntervalDays: r.toxicologyIntervalDays ?? null, heartRisks: r.heartRisks ?? [], travel: r.travel ?? null } as ServiceUserRecord;
}

/** Problems that depend on today's date (a birth date in the future, an implausible age). */
export function recordDateProblems(record: ServiceUserRecord, today: string): { field: string; message: string }[] {
  const problems: { field: string; message: string }[] = [];
  if (record.dateOfBirth > today) problems.push({ field: 'dateOfBirth', message: 'is in the future' });
  else if (Temporal.PlainDate.from(record.dateOfBirth).until(today, { largestUnit: 'years' }).years > 110) {
    problems.push({ field: 'dateOfBirth', message: 'gives an age over 110; check the year' });
  }
  return problems;
}

export interface PreDoseAlert {
  kind: 'interacting_medicine' | 'alcohol' | 'pregnancy' | 'safeguarding' | 'allergy' | 'alert' | (string & {});
  severity: 'info' | 'warning' | 'danger';
  text: string;
}

/** What the nurse at the hatch must see before a dose, from the record alone. */
export function recordAlerts(r: ServiceUserRecord): PreDoseAlert[] {
  const alerts: PreDoseAlert[] = [];
  for (const m of r.interactingMedicines) {
    const sedative = m.class !== 'other';
    alerts.push({
      kind: 'interacting_medicine',
      severity: sedative ? 'danger' : 'warning',
      text: `Also takes ${m.name}${m.dose ? ` ${m.dose}` : ''} (${m.class.replace('_', ' ')})${sedative ? ': adds to sedation and respiratory depression' : ''}`,
    });
  }
  if (r.alcohol.knownUse) alerts.push({ kind: 'alcohol', severity: 'warning', text: 'Identified alcohol use: breathalyser before every dose' });
  if (r.pregnancy.status === 'pregnant') {
    alerts.push({ kind: 'pregnancy', severity: 'danger', text: `Pregnant, due ${r.pregnancy.dueDate}${r.pregnancy.midwife ? `; midwife: ${r.pregnancy.midwife}` : ''}` });
  }
  for (const s of r.safeguardingAlerts) alerts.push({ kind: 'safeguarding', severity: 'warning', text: `Safeguarding (${s.raisedOn}): ${s.text}` });
  for (const a of r.allergies) alerts.push({ kind: 'allergy', severity: 'warning', text: `Allergy: ${a.substance}${a.reaction ? ` (${a.reaction})` : ''}` });
  for (const a of r.alerts) alerts.push({ kind: 'alert', severity: a.severity, text: a.text });
  return alerts;
}

/** "Jo (Joanne) Bloggs": the name staff say at the hatch, with the legal name for identity checks. */
export function displayName(r: Pick<ServiceUserRecord, 'givenName' | 'familyName' | 'preferredName'>): string {
  return r.preferredName && r.preferredName !== r.givenName
    ? `${r.preferredName} (${r.givenName}) ${r.familyName}`
    : `${r.givenName} ${r.familyName}`;
}
