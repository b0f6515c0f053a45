import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AdverseEvent, DoseEvent } from '../dosing/dose-record';
import { anyDoseEvent as anyEvent } from '../../../test/support/dose-arbitraries';
import { addDoseCounts, attendance, doseCounts, doseOutcome, doseReportFacts, type DoseFacts, type DoseOutcome } from './report';

/*
 * The dashboard used to fold every dose's steps when asked; it now reads a per-dose summary
 * (dose_outcomes) kept by doseReportFacts. These are the two functions of report.ts as they were
 * before that change, verbatim, as the oracle: for any doses with any steps, the counts from the
 * summaries must be what the report computed from the full steps.
 */
const inPeriod = (d: string | null, from: string, to: string): d is string => d !== null && d >= from && d <= to;
function oldAttendance(doses: readonly DoseFacts[], from: string, to: string) {
  const rows = new Map<string, Record<DoseOutcome, number>>();
  for (const d of doses) {
    if (d.kind !== 'dose' || !inPeriod(d.clinicDate, from, to)) continue;
    const row = rows.get(d.sessionCode) ?? { given: 0, refused: 0, missed: 0, not_given: 0 };
    row[doseOutcome(d.events)] += 1;
    rows.set(d.sessionCode, row);
  }
  return new Map([...rows.entries()].sort(([a], [b]) => a.localeCompare(b)));
}
function oldAdverseEvents(doses: readonly DoseFacts[], from: string, to: string) {
  const counts: Record<AdverseEvent | 'naloxone_used', number> = { overdose: 0, naloxone_given: 0, ambulance_called: 0, injection_site_problem: 0, other: 0, naloxone_used: 0 };
  for (const d of doses) {
    if (!inPeriod(d.clinicDate, from, to)) continue;
    const seen = new Set<AdverseEvent>();
    let naloxone = false;
    for (const e of d.events) {
      if (e.type !== 'observed') continue;
      e.adverseEvents.forEach((a) => seen.add(a));
      if ((e.naloxoneMg ?? 0) > 0 || e.adverseEvents.includes('naloxone_given')) naloxone = true;
    }
    seen.forEach((a) => (counts[a] += 1));
    if (naloxone) counts.naloxone_used += 1;
  }
  return counts;
}

const ADVERSE: AdverseEvent[] = ['overdose', 'naloxone_given', 'ambulance_called', 'injection_site_problem', 'other'];
const at = '2026-01-20T09:00:00Z';
const anyDose: fc.Arbitrary<DoseFacts> = fc.record({
  serviceUserId: fc.constantFrom('A', 'B'),
  clinicDate: fc.constantFrom('2025-12-31', '2026-01-01', '2026-01-20', '2026-03-31', '2026-04-01'),
  sessionCode: fc.constantFrom('AM', 'PM', 'EVE'),
  kind: fc.constantFrom('dose', 'top_up'),
  events: fc.array(anyEvent, { maxLength: 9 }),
});

describe('doseReportFacts: the per-dose summary the dashboard is counted from', () => {
  const from = '2026-01-01';
  const to = '2026-03-31';

  it('counted, equals what the report computed from the full steps (property)', () => {
    fc.assert(
      fc.property(fc.array(anyDose, { maxLength: 25 }), (doses) => {
        const counts = doseCounts(doses, from, to);
        expect(attendance(counts)).toEqual(oldAttendance(doses, from, to));
        expect(counts.adverse).toEqual(oldAdverseEvents(doses, from, to));
      }),
      { numRuns: 500 },
    );
  });

  it('per dose: the outcome of doseOutcome, the distinct adverse events in byte order, naloxone as the report counted it (property)', () => {
    fc.assert(
      fc.property(anyDose, (d) => {
        const f = doseReportFacts(d.events);
        const inside = { ...d, clinicDate: from };
        const row = oldAttendance([{ ...inside, kind: 'dose' }], from, to).get(d.sessionCode)!;
        expect(row[f.outcome]).toBe(1);
        const old = oldAdverseEvents([inside], from, to);
        expect(f.adverseEvents).toEqual(ADVERSE.filter((a) => old[a] === 1).sort());
        expect(new Set(f.adverseEvents).size).toBe(f.adverseEvents.length);
        expect(f.naloxoneUsed).toBe(old.naloxone_used === 1);
      }),
      { numRuns: 1000 },
    );
  });

  it('clinics added up count as one clinic with all their doses (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.array(anyDose, { maxLength: 10 }), { maxLength: 4 }), (clinics) => {
        const sum = addDoseCounts(clinics.map((doses) => doseCounts(doses, from, to)));
        const all = doseCounts(clinics.flat(), from, to);
        expect(attendance(sum)).toEqual(attendance(all));
        expect(sum.adverse).toEqual(all.adverse);
      }),
    );
  });

  it('examples: a late assessment after a missed dose undoes the missed; a later administration of 0 mg undoes the given', () => {
    const missed: DoseEvent = { type: 'missed', at, by: null };
    const assessed: DoseEvent = { type: 'assessed', at, by: null, findings: {} as never, decision: { fraction: 1 } as never, chosen: 'give', notes: null };
    expect(doseReportFacts([missed]).outcome).toBe('missed');
    expect(doseReportFacts([missed, assessed]).outcome).toBe('not_given');
    const administered = (givenMg: number): DoseEvent => ({ type: 'administered', at, by: null, witnessId: 'w', route: 'iv', sites: [], attempts: 1, givenMg, switchedToIm: false, notGivenMg: 0 });
    expect(doseReportFacts([assessed, administered(60)]).outcome).toBe('given');
    expect(doseReportFacts([assessed, administered(60), administered(0)]).outcome).toBe('not_given');
    expect(doseReportFacts([])).toEqual({ outcome: 'not_given', adverseEvents: [], naloxoneUsed: false });
  });
});
