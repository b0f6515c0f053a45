import { normaliseOutcomeProfile, OutcomeProfileData } from '../care/outcome-profile';

/** A fully answered TOP, for the exports' tests. */
export const topForm = (stage: 'start' | 'review' | 'exit' = 'start') =>
  normaliseOutcomeProfile(
    OutcomeProfileData.parse({
      stage,
      substanceUse: {
        alcohol: { weeks: [2, 3, 1, 0], averagePerUsingDay: 12 },
        opiates: { weeks: [7, 7, 7, 7], averagePerUsingDay: 0.5 },
        crack: { days: 10, averagePerUsingDay: 1 },
        cocaine: { days: 0 },
        amphetamines: { days: 0 },
        cannabis: null,
        other: { name: null, days: 0 },
        tobacco: { days: 28 },
      },
      injectingRisk: { injected: { weeks: [5, 6, 7, 7] }, sharedNeedleOrSyringe: false, sharedSpoonWaterOrFilter: true },
      crime: { shoplifting: { days: 4 }, drugSelling: { days: 0 }, theftFromOrOfVehicle: false, otherPropertyTheftOrBurglary: true, fraudForgeryOrHandlingStolenGoods: false, assaultOrViolence: false },
      healthAndSocialFunctioning: { psychologicalHealth: 6, paidWork: { days: 0 }, collegeOrSchool: { days: 0 }, physicalHealth: 9, acuteHousingProblem: true, atRiskOfEviction: false, qualityOfLife: 5 },
    }),
  );

