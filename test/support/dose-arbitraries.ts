import fc from 'fast-check';
import type { AdverseEvent, DoseEvent } from '../../src/domain/dosing/dose-record';

const at = '2026-01-20T09:00:00Z';
const ADVERSE: AdverseEvent[] = ['overdose', 'naloxone_given', 'ambulance_called', 'injection_site_problem', 'other'];

/**
 * Any dose step, with what the dashboard reads of it varied (given mg, adverse events, naloxone),
 * for sequences in any order: the routes allow only some orders, and a summary of the steps must
 * not depend on that.
 */
export const anyDoseEvent: fc.Arbitrary<DoseEvent> = fc.oneof(
  fc.constantFrom('give', 'give_reduced', 'refuse', 'emergency').map((chosen) => ({ type: 'assessed', at, by: null, findings: { sedation: 1 } as never, decision: { fraction: 0.5 } as never, chosen: chosen as never, notes: null }) as DoseEvent),
  fc.constant({ type: 'refused', at, by: null, reasons: [], offeredToStay: false, naloxoneChecked: false, adviceGiven: false, reassessAt: null } as DoseEvent),
  fc.integer({ min: 0, max: 200 }).map((doseMg) => ({ type: 'prepared', at, by: null, witnessId: 'w', route: 'iv', doseMg, ampoules: [], reconstitutionMl: 1, concentrationMgPerMl: 100, drawMl: 1, wasteMg: 0 }) as DoseEvent),
  fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 200 }), fc.double({ min: 0, max: 1, noNaN: true })).map(
    (givenMg) => ({ type: 'administered', at, by: null, witnessId: 'w', route: 'iv', sites: ['arm'], attempts: 1, givenMg, switchedToIm: false, notGivenMg: 0 }) as DoseEvent,
  ),
  fc.constant({ type: 'not_given', at, by: null, reason: 'left' } as DoseEvent),
  fc
    .record({ adverseEvents: fc.array(fc.constantFrom(...ADVERSE), { maxLength: 4 }), naloxoneMg: fc.oneof(fc.constant(null), fc.constant(0), fc.double({ min: 0, max: 2, noNaN: true })) })
    .map(({ adverseEvents, naloxoneMg }) => ({ type: 'observed', at, by: null, sedation: 1, respiratoryRate: 12, spo2: 96, adverseEvents, naloxoneMg, notes: null }) as DoseEvent),
  fc.boolean().map((leftAgainstAdvice) => ({ type: 'discharged', at, by: null, sedation: 1, leftAgainstAdvice }) as DoseEvent),
  fc.constant({ type: 'missed', at, by: null } as DoseEvent),
);
