import type { ReactNode } from 'react';
import type { Role } from '../session';
import type { Field } from './CareForm';
import type { CareRecordView } from './CareSection';

/**
 * Each kind of monitoring and care record as the web app shows it: its tab, form fields (matching
 * the server's schema in src/domain/care/), one-line summary, and who may record it (the same roles
 * as the server's permission table; the server decides, this only hides buttons).
 */
export interface KindView {
  path: string;
  tab: string;
  title: string;
  dateLabel?: string;
  withTime?: boolean;
  writers: Role[];
  fields: Field[];
  summary: (r: CareRecordView) => ReactNode;
}

export interface ClinicMonitoring {
  toxicologyPanel: string[];
  injectionSites: string[];
}

const words = (s: unknown) => String(s ?? '').replace(/_/g, ' ');
const join = (...parts: (string | null | false | undefined)[]) => parts.filter(Boolean).join(' · ');
const d = (r: CareRecordView): unknown => r.data;

const CLINICAL: Role[] = ['nurse', 'hca', 'prescriber'];

export function kindViews(c: ClinicMonitoring): KindView[] {
  return [
    {
      path: 'toxicology',
      tab: 'Toxicology',
      title: 'Toxicology sample',
      dateLabel: 'Sample date',
      writers: CLINICAL,
      fields: [
        { name: 'outcome', label: 'Sample', type: 'select', required: true, options: [{ value: 'taken', label: 'taken' }, { value: 'refused', label: 'refused' }, { value: 'not_possible', label: 'not possible' }] },
        { name: 'reasonNotTaken', label: 'Why not taken', type: 'text', empty: 'null', when: (v) => v.outcome !== 'taken' && v.outcome !== null },
        { name: 'sampleType', label: 'Sample type', type: 'select', empty: 'null', options: ['urine', 'oral_fluid', 'blood', 'hair'], when: (v) => v.outcome === 'taken' },
        { name: 'method', label: 'Tested', type: 'select', empty: 'null', options: [{ value: 'point_of_care', label: 'at the clinic (point of care)' }, { value: 'laboratory', label: 'sent to a laboratory' }], when: (v) => v.outcome === 'taken' },
        {
          name: 'results',
          label: 'Results (leave empty while laboratory results are awaited)',
          type: 'list',
          itemLabel: 'result',
          when: (v) => v.outcome === 'taken',
          fields: [
            { name: 'substance', label: 'Substance', type: 'select', required: true, options: c.toxicologyPanel.map((p) => ({ value: p, label: p })) },
            { name: 'result', label: 'Result', type: 'select', required: true, options: ['positive', 'negative', 'level'] },
            { name: 'level', label: 'Level', type: 'number', empty: 'null', min: 0, step: 0.1, when: (v) => v.result === 'level' },
            { name: 'unit', label: 'Unit', type: 'text', empty: 'null', when: (v) => v.result === 'level' },
          ],
        },
        { name: 'notes', label: 'Notes', type: 'textarea', empty: 'null' },
      ],
      summary: (r) => {
        const x = d(r) as { outcome: string; reasonNotTaken: string | null; sampleType: string | null; results: { substance: string; result: string; level: number | null; unit: string | null }[] };
        if (x.outcome !== 'taken') return join(words(x.outcome), x.reasonNotTaken);
        const positives = x.results.filter((t) => t.result === 'positive' || (t.result === 'level' && (t.level ?? 0) > 0)).map((t) => (t.result === 'level' ? `${t.substance} ${t.level} ${t.unit}` : t.substance));
        return join(words(x.sampleType), x.results.length === 0 ? 'results awaited' : positives.length ? `positive: ${positives.join(', ')}` : 'all negative');
      },
    },
    {
      path: 'breath-tests',
      tab: 'Breath',
      title: 'Breath test',
      withTime: true,
      writers: ['nurse', 'hca'],
      fields: [
        {
          name: 'reading',
          label: 'Reading',
          type: 'group',
          fields: [
            { name: 'value', label: 'Reading on the meter', type: 'number', required: true, min: 0, step: 0.01 },
            { name: 'unit', label: 'Unit the meter shows', type: 'select', required: true, options: [{ value: 'mg_per_l_breath', label: 'mg/L breath' }, { value: 'ug_per_100ml_breath', label: 'µg/100 mL breath' }, { value: 'mg_per_100ml_blood', label: 'mg/100 mL blood' }, { value: 'g_per_l_blood', label: 'g/L blood (‰)' }] },
          ],
        },
        { name: 'reason', label: 'Why', type: 'select', required: true, options: [{ value: 'daily_required', label: 'daily test (identified alcohol use)' }, { value: 'on_request', label: 'on request' }, { value: 'other', label: 'other' }] },
        { name: 'notes', label: 'Notes', type: 'textarea', empty: 'null' },
      ],
      summary: (r) => {
        const x = d(r) as { mgPerL: number; reason: string; reading: { value: number; unit: string } };
        return join(`${x.mgPerL} mg/L breath`, `meter ${x.reading.value} ${words(x.reading.unit)}`, words(x.reason));
      },
    },
    {
      path: 'outcomes',
      tab: 'Outcomes (TOP)',
      title: 'Treatment Outcomes Profile',
      dateLabel: 'Interview date',
      writers: ['keyworker', 'prescriber', 'nurse'],
      fields: [
        { name: 'stage', label: 'Stage', type: 'select', required: true, options: [{ value: 'start', label: 'treatment start' }, { value: 'review', label: 'review' }, { value: 'exit', label: 'treatment exit' }] },
        {
          name: 'substanceUse',
          label: 'Section 1: substance use (days in each of the past four weeks)',
          type: 'group',
          fields: [
            { name: 'alcohol', label: 'Alcohol', type: 'days', amount: 'Units on a typical drinking day' },
            { name: 'opiates', label: 'Opiates/opioids (illicit)', type: 'days', amount: 'Grams on a using day' },
            { name: 'crack', label: 'Crack', type: 'days', amount: 'Grams on a using day' },
            { name: 'cocaine', label: 'Cocaine', type: 'days', amount: 'Grams on a using day' },
            { name: 'amphetamines', label: 'Amphetamines', type: 'days', amount: 'Grams on a using day' },
            { name: 'cannabis', label: 'Cannabis', type: 'days', amount: 'Spliffs on a using day' },
            { name: 'other', label: 'Other problem substance', type: 'days', amount: 'Grams on a using day', named: true },
            { name: 'tobacco', label: 'Tobacco', type: 'days' },
          ],
        },
        {
          name: 'injectingRisk',
          label: 'Section 2: injecting risk behaviour',
          type: 'group',
          fields: [
            { name: 'injected', label: 'Days injected non-prescribed drugs', type: 'days' },
            { name: 'sharedNeedleOrSyringe', label: 'Injected with a needle or syringe used by someone else', type: 'yesno' },
            { name: 'sharedSpoonWaterOrFilter', label: 'Injected with a spoon, water or filter used by someone else', type: 'yesno' },
          ],
        },
        {
          name: 'crime',
          label: 'Section 3: crime',
          type: 'group',
          fields: [
            { name: 'shoplifting', label: 'Days shoplifting', type: 'days' },
            { name: 'drugSelling', label: 'Days selling drugs', type: 'days' },
            { name: 'theftFromOrOfVehicle', label: 'Theft from or of a vehicle', type: 'yesno' },
            { name: 'otherPropertyTheftOrBurglary', label: 'Other property theft or burglary', type: 'yesno' },
            { name: 'fraudForgeryOrHandlingStolenGoods', label: 'Fraud, forgery and handling stolen goods', type: 'yesno' },
            { name: 'assaultOrViolence', label: 'Committing assault or violence', type: 'yesno' },
          ],
        },
        {
          name: 'healthAndSocialFunctioning',
          label: 'Section 4: health and social functioning',
          type: 'group',
          fields: [
            { name: 'psychologicalHealth', label: 'Psychological health (0 poor – 20 good)', type: 'number', min: 0, max: 20, empty: 'null' },
            { name: 'paidWork', label: 'Days in paid work', type: 'days' },
            { name: 'collegeOrSchool', label: 'Days attended college or school', type: 'days' },
            { name: 'physicalHealth', label: 'Physical health (0 poor – 20 good)', type: 'number', min: 0, max: 20, empty: 'null' },
            { name: 'acuteHousingProblem', label: 'Acute housing problem', type: 'yesno' },
            { name: 'atRiskOfEviction', label: 'At risk of eviction', type: 'yesno' },
            { name: 'qualityOfLife', label: 'Overall quality of life (0 poor – 20 good)', type: 'number', min: 0, max: 20, empty: 'null' },
          ],
        },
      ],
      summary: (r) => {
        const x = d(r) as { stage: string; substanceUse: { opiates: { days: number } | null; crack: { days: number } | null }; healthAndSocialFunctioning: { qualityOfLife: number | null }; notAnswered?: string[] };
        const days = (v: { days: number } | null) => (v ? `${v.days}/28 days` : 'not answered');
        return join(
          ({ start: 'treatment start', review: 'review', exit: 'treatment exit' } as Record<string, string>)[x.stage],
          `opiates ${days(x.substanceUse.opiates)}`,
          `crack ${days(x.substanceUse.crack)}`,
          `quality of life ${x.healthAndSocialFunctioning.qualityOfLife ?? '—'}/20`,
          x.notAnswered?.length ? `${x.notAnswered.length} not answered` : null,
        );
      },
    },
  ];
}
