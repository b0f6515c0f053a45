import { TREATMENT_STATES } from '../../domain/episode/episode-event';
import { checkStabilityAssessment, StabilityAssessmentData } from '../../domain/take-home/records';
import type { App, AppContext } from '../context';
import { registerCareRecordRoutes } from '../care/care-routes';

/**
 * The prescriber's stability assessment: the criteria only a conversation can answer (a lockable
 * box, children in the household, safe-storage advice) and their decision, kept as versions like
 * every care record. The routes are the care records' four (…/stability-assessments).
 */
export function registerStabilityAssessments(app: App, ctx: AppContext) {
  registerCareRecordRoutes(app, ctx, {
    kind: 'stability_assessment',
    path: 'stability-assessments',
    noun: 'stability assessment for take-home doses',
    tag: 'take-home doses',
    data: StabilityAssessmentData,
    check: (data, person) => {
      const r = person.record.record;
      const episode = person.episode?.episode ?? null;
      return checkStabilityAssessment(data, person.settings.takeHome, {
        noFixedAbode: r.noFixedAbode || r.address === null,
        inTreatment: episode !== null && TREATMENT_STATES.has(episode.state),
      });
    },
  });
}
