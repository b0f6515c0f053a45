import type { MedicationAdministration } from '@medplum/fhirtypes';
import type { DoseEvent } from '../dosing/dose-record';
import type { CodeableConcept } from '@medplum/fhirtypes';
import { DIAMORPHINE, diamorphineProduct, ROUTE_TEXT, routeConcept, UCUM, type CdProduct } from './codes';

/** A dose (or top-up) as openhat keeps it: the row and its events in order. */
export interface DoseForFhir {
  doseId: string;
  serviceUserId: string;
  clinicDate: string;
  sessionCode: string;
  kind: 'dose' | 'top_up';
  events: readonly DoseEvent[];
}

/**
 * A dose as a MedicationAdministration, from what happened at the hatch:
 * - given (any amount): completed, with the dose given, route and injection site(s);
 * - refused at assessment: not-done, the reason being the rule(s) that refused it;
 * - missed (the session ended without them) or prepared and not given: not-done, with why;
 * - assessed or prepared and nothing more yet: in-progress.
 * A later assessment after a refusal or a missed dose re-opens it, as the dose's own fold does.
 * Returns null for a dose with no events (nothing happened).
 *
 * The medication is coded with the dm+d VMP of what was drawn up (`products`: the CD register's
 * pages by item id) when the last preparation used one product that has a verified code; otherwise,
 * and before any preparation, it is text only.
 */
export function toMedicationAdministration(d: DoseForFhir, products: ReadonlyMap<string, CdProduct> = new Map()): MedicationAdministration | null {
  const last = d.events.at(-1);
  if (!last) return null;
  const what = `${d.kind === 'top_up' ? 'Top-up' : 'Dose'} at the ${d.sessionCode} session on ${d.clinicDate}`;
  const base: MedicationAdministration = {
    resourceType: 'MedicationAdministration',
    id: d.doseId,
    status: 'in-progress',
    medicationCodeableConcept: medicationOf(d.events, products),
    subject: { reference: `Patient/${d.serviceUserId}` },
    effectiveDateTime: last.at,
    note: [{ text: what }],
  };
  let state: { kind: 'open' } | { kind: 'given'; e: Extract<DoseEvent, { type: 'administered' }> } | { kind: 'not_done'; reason: string; at: string; by: string | null } = { kind: 'open' };
  for (const e of d.events) {
    switch (e.type) {
      case 'assessed':
        if (state.kind === 'not_done') state = { kind: 'open' };
        break;
      case 'refused':
        state = { kind: 'not_done', reason: `Refused: ${e.reasons.map((r) => `${r.rule} (${r.message})`).join('; ')}`, at: e.at, by: e.by };
        break;
      case 'administered':
        state = e.givenMg > 0 ? { kind: 'given', e } : { kind: 'not_done', reason: 'Prepared but not given', at: e.at, by: e.by };
        break;
      case 'not_given':
        state = { kind: 'not_done', reason: `Prepared but not given: ${e.reason}`, at: e.at, by: e.by };
        break;
      case 'missed':
        state = { kind: 'not_done', reason: 'Missed: did not attend before the session ended', at: e.at, by: e.by };
        break;
      default:
        break;
    }
  }
  if (state.kind === 'given') {
    const e = state.e;
    return {
      ...base,
      status: 'completed',
      effectiveDateTime: e.at,
      ...(e.by ? { performer: [{ actor: { reference: `Practitioner/${e.by}` } }] } : {}),
      dosage: {
        text: `${e.givenMg} mg ${ROUTE_TEXT[e.route].toLowerCase()}${e.switchedToIm ? ' (switched to intramuscular)' : ''}, ${e.attempts} attempt${e.attempts === 1 ? '' : 's'}`,
        ...(e.sites.length > 0 ? { site: { text: e.sites.join(', ') } } : {}),
        route: routeConcept(e.route),
        dose: { value: e.givenMg, unit: 'mg', system: UCUM, code: 'mg' },
      },
    };
  }
  if (state.kind === 'not_done') {
    return {
      ...base,
      status: 'not-done',
      statusReason: [{ text: state.reason }],
      effectiveDateTime: state.at,
      ...(state.by ? { performer: [{ actor: { reference: `Practitioner/${state.by}` } }] } : {}),
    };
  }
  return base;
}

/** Diamorphine, coded with the dm+d product drawn up at the last preparation if it was one known product. */
export function medicationOf(events: readonly DoseEvent[], products: ReadonlyMap<string, CdProduct>): CodeableConcept {
  const prepared = events.filter((e) => e.type === 'prepared').at(-1);
  if (!prepared || prepared.ampoules.length === 0) return { ...DIAMORPHINE };
  const codings = prepared.ampoules.map((a) => {
    const p = products.get(a.itemId);
    return p && p.strengthMg === a.strengthMg ? diamorphineProduct(p) : null;
  });
  const first = codings[0];
  if (!first || codings.some((c) => c?.code !== first.code)) return { ...DIAMORPHINE };
  return { coding: [first], text: DIAMORPHINE.text };
}
