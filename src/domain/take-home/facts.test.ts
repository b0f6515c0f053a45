import { describe, expect, it } from 'vitest';
import type { DoseEvent } from '../dosing/dose-record';
import { replayEpisode } from '../episode/episode';
import type { EpisodeEvent } from '../episode/episode-event';
import { refuse } from '../refusal';
import { doseFactsFrom, episodeFactsFrom } from './facts';

const refused = (at: string, ...rules: string[]): DoseEvent => ({ type: 'refused', at, by: 'n', reasons: rules.map((r) => refuse(r, r)), offeredToStay: true, naloxoneChecked: true, adviceGiven: true, reassessAt: null });
const missed = (at: string): DoseEvent => ({ type: 'missed', at, by: null });
const assessed = (at: string): DoseEvent => ({
  type: 'assessed',
  at,
  by: 'n',
  late: true,
  findings: { identityConfirmed: true, sedation: 1, respiratoryRate: 14, withdrawalScore: null, signsOfIntoxication: false, recentSedativeUse: false, breathAlcoholMgPerL: null, breathTestRequired: false },
  decision: { outcome: 'give', fraction: 1, reasons: [] },
  chosen: 'give',
  notes: null,
});

describe('take-home facts from the store', () => {
  it('counts every refusal (even one followed by a dose), and a missed dose only while it stands', () => {
    const facts = doseFactsFrom(
      [
        { clinicDate: '2026-04-01', sessionCode: 'AM', kind: 'dose', events: [refused('2026-04-01T08:10:00Z', 'signs_of_intoxication'), assessed('2026-04-01T09:30:00Z')] },
        { clinicDate: '2026-04-02', sessionCode: 'PM', kind: 'dose', events: [missed('2026-04-02T16:30:00Z')] },
        // Missed, then a late entry from the downtime pack shows they came.
        { clinicDate: '2026-04-03', sessionCode: 'AM', kind: 'dose', events: [missed('2026-04-03T10:30:00Z'), assessed('2026-04-03T09:00:00Z')] },
        { clinicDate: '2026-04-03', sessionCode: 'PM', kind: 'top_up', events: [missed('2026-04-03T16:30:00Z')] },
        { clinicDate: '2026-03-01', sessionCode: 'AM', kind: 'dose', events: [missed('2026-03-01T10:30:00Z')] },
      ],
      '2026-03-15',
    );
    expect(facts).toEqual({
      from: '2026-03-15',
      refusals: [{ clinicDate: '2026-04-01', session: 'AM', rules: ['signs_of_intoxication'] }],
      missed: [{ clinicDate: '2026-04-02', session: 'PM' }],
    });
  });

  it('reads treatment, its start and every absence from the episode', () => {
    const events: EpisodeEvent[] = [
      { type: 'referred', at: '2026-01-05T10:00:00Z', by: 'a', source: 'GP' },
      { type: 'assessment_started', at: '2026-01-05T10:05:00Z', by: 'a' },
      { type: 'eligibility_decided', at: '2026-01-05T10:10:00Z', by: 'd', criteria: [], eligible: true, placeOffered: true },
      { type: 'induction_started', at: '2026-01-05T23:30:00Z', by: 'd' },
      { type: 'absence_started', at: '2026-02-10T09:00:00Z', by: 'n', kind: 'hospital', liaison: 'Ward 9' },
      { type: 'absence_ended', at: '2026-02-12T09:00:00Z', by: 'n' },
    ];
    const facts = episodeFactsFrom({ episode: replayEpisode(events), events }, 'Europe/London');
    expect(facts).toEqual({ inTreatment: true, treatmentStartedOn: '2026-01-05', absent: false, retitrationRequired: true, reviewRequired: true, absenceStartedOn: ['2026-02-10'] });
    expect(episodeFactsFrom(null, 'Europe/London')).toMatchObject({ inTreatment: false, treatmentStartedOn: null });
  });
});
