import { z } from 'zod';

/**
 * A clinic's monitoring policy. Defaults (see docs/clinical-defaults.md and the seed study):
 * weekly toxicology; a daily breath test for people identified as using alcohol; three
 * consecutive uncollected methadone doses raise an alert (UK practice: the pharmacy stops
 * supplying and contacts the prescriber); an ECG when methadone exceeds 100 mg a day or other
 * QT risks exist, repeated yearly; QTc over 500 ms is a danger; Treatment Outcomes Profile at
 * entry, every 6 months and at exit.
 */
export const DEFAULT_TOXICOLOGY_PANEL = [
  'opiates',
  'morphine',
  '6-MAM',
  'acetylcodeine',
  'papaverine',
  'noscapine',
  'methadone',
  'EDDP',
  'cocaine',
  'benzoylecgonine',
  'benzodiazepines',
  'gabapentin',
  'pregabalin',
  'amphetamines',
  'cannabis',
  'EtG (alcohol)',
  'fentanyl',
  'xylazine',
] as const;

export const MonitoringSettingsSchema = z.object({
  toxicologyIntervalDays: z.number().int().min(1, 'must be at least 1 day').max(90, 'must be at most 90 days'),
  toxicologyPanel: z
    .array(z.string().trim().min(1, 'must not be empty').max(60))
    .min(1, 'list at least one substance')
    .max(60)
    .describe('Substances a toxicology result may report; the street-heroin markers are 6-MAM, acetylcodeine, papaverine and noscapine'),
  streetHeroinMarkers: z.array(z.string().trim().min(1).max(60)).max(10).describe('A positive for any of these means street heroin, not prescribed diamorphine'),
  breathTestValidMinutes: z.number().int().min(5).max(240).describe('How long a breath test stands in for one at the pre-dose assessment'),
  methadoneNonCollectionAlertAfter: z.number().int().min(1).max(14).describe('Consecutive uncollected methadone doses that raise an alert'),
  methadoneEcgThresholdMgPerDay: z.number().min(20).max(400),
  ecgRepeatDays: z.number().int().min(30).max(730),
  qtcWarningMs: z.number().int().min(380).max(600),
  qtcLimitMs: z.number().int().min(400).max(650),
  naloxoneExpiryWarningDays: z.number().int().min(0).max(180),
  carePlanReviewDays: z.number().int().min(7).max(365),
  outcomeEntryWithinDays: z.number().int().min(0).max(60).describe('Days after starting treatment by which the entry outcome profile is due'),
  outcomeReviewMonths: z.number().int().min(1).max(12),
});
export type MonitoringSettings = z.infer<typeof MonitoringSettingsSchema>;

export const DEFAULT_MONITORING_SETTINGS: MonitoringSettings = {
  toxicologyIntervalDays: 7,
  toxicologyPanel: [...DEFAULT_TOXICOLOGY_PANEL],
  streetHeroinMarkers: ['acetylcodeine', 'papaverine', 'noscapine'],
  breathTestValidMinutes: 60,
  methadoneNonCollectionAlertAfter: 3,
  methadoneEcgThresholdMgPerDay: 100,
  ecgRepeatDays: 365,
  qtcWarningMs: 450,
  qtcLimitMs: 500,
  naloxoneExpiryWarningDays: 30,
  carePlanReviewDays: 90,
  outcomeEntryWithinDays: 14,
  outcomeReviewMonths: 6,
};

export function monitoringSettingsProblems(s: MonitoringSettings): { field: string; message: string }[] {
  const problems: { field: string; message: string }[] = [];
  if (s.qtcWarningMs > s.qtcLimitMs) problems.push({ field: 'monitoring.qtcWarningMs', message: 'the QTc warning must not be above the QTc limit' });
  const panel = new Set(s.toxicologyPanel.map((x) => x.toLowerCase()));
  s.streetHeroinMarkers.forEach((m, i) => {
    if (!panel.has(m.toLowerCase())) problems.push({ field: `monitoring.streetHeroinMarkers[${i}]`, message: `${m} is not in the toxicology panel` });
  });
  const seen = new Set<string>();
  s.toxicologyPanel.forEach((x, i) => {
    if (seen.has(x.toLowerCase())) problems.push({ field: `monitoring.toxicologyPanel[${i}]`, message: `${x} is listed twice` });
    seen.add(x.toLowerCase());
  });
  return problems;
}
