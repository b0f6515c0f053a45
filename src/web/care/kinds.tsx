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
const HARM: Role[] = ['nurse', 'hca', 'keyworker', 'prescriber'];
const CARE: Role[] = ['keyworker', 'prescriber', 'nurse'];
const CARE_DOMAINS = ['drug_use', 'alcohol', 'physical_health', 'mental_health', 'housing', 'finances_benefits', 'employment_education', 'family_relationships', 'offending', 'other'];

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
      path: 'methadone-collections',
      tab: 'Methadone',
      title: 'Methadone collection',
      dateLabel: 'Dose due on',
      writers: ['nurse', 'hca', 'prescriber', 'keyworker', 'admin'],
      fields: [
        { name: 'status', label: 'At the pharmacy', type: 'select', required: true, options: [{ value: 'collected', label: 'collected' }, { value: 'supervised', label: 'taken under supervision' }, { value: 'partial', label: 'partly collected' }, { value: 'not_collected', label: 'not collected' }] },
        { name: 'doseMg', label: 'Dose due (mg)', type: 'number', empty: 'null', min: 0, step: 0.5 },
        { name: 'collectedMg', label: 'Collected (mg)', type: 'number', empty: 'null', min: 0, step: 0.5, when: (v) => v.status !== 'not_collected' },
        { name: 'pharmacy', label: 'Pharmacy', type: 'text', empty: 'null' },
        { name: 'notes', label: 'Notes', type: 'textarea', empty: 'null' },
      ],
      summary: (r) => {
        const x = d(r) as { status: string; doseMg: number | null; collectedMg: number | null; pharmacy: string | null };
        return join(words(x.status), x.doseMg !== null && `due ${x.doseMg} mg`, x.collectedMg !== null && `collected ${x.collectedMg} mg`, x.pharmacy);
      },
    },
    {
      path: 'methadone-alert-actions',
      tab: 'Methadone actions',
      title: "Prescriber's action on missed methadone",
      writers: ['prescriber'],
      fields: [
        { name: 'action', label: 'Action', type: 'select', required: true, options: [{ value: 'contacted_pharmacy', label: 'contacted the pharmacy' }, { value: 'contacted_service_user', label: 'contacted the service user' }, { value: 'prescription_reviewed', label: 'reviewed the prescription' }, { value: 'other', label: 'other' }] },
        { name: 'notes', label: 'Notes', type: 'textarea', empty: 'null' },
      ],
      summary: (r) => {
        const x = d(r) as { action: string; notes: string | null };
        return join(words(x.action), x.notes);
      },
    },
    {
      path: 'ecgs',
      tab: 'ECG',
      title: 'ECG',
      writers: ['prescriber', 'nurse'],
      fields: [
        { name: 'qtcMs', label: 'QTc (ms)', type: 'number', required: true, min: 250, max: 750 },
        { name: 'correction', label: 'QT corrected by', type: 'select', required: true, options: [{ value: 'bazett', label: 'Bazett' }, { value: 'fridericia', label: 'Fridericia' }, { value: 'machine', label: "the machine's reading" }, { value: 'unknown', label: 'not known' }] },
        { name: 'heartRateBpm', label: 'Heart rate (a minute)', type: 'number', empty: 'null', min: 20, max: 250 },
        { name: 'rhythm', label: 'Rhythm', type: 'text', empty: 'null' },
        { name: 'interpretedBy', label: 'Read by', type: 'text', empty: 'null' },
        { name: 'actionTaken', label: 'Action taken', type: 'textarea', empty: 'null' },
        { name: 'notes', label: 'Notes', type: 'textarea', empty: 'null' },
      ],
      summary: (r) => {
        const x = d(r) as { qtcMs: number; correction: string; heartRateBpm: number | null; rhythm: string | null };
        return join(`QTc ${x.qtcMs} ms (${words(x.correction)})`, x.heartRateBpm !== null && `${x.heartRateBpm}/min`, x.rhythm);
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
    {
      path: 'naloxone-supplies',
      tab: 'Naloxone',
      title: 'Naloxone kit supplied',
      dateLabel: 'Supplied on',
      writers: HARM,
      fields: [
        { name: 'product', label: 'Product', type: 'select', required: true, options: [{ value: 'prenoxad_injection', label: 'Prenoxad (injection)' }, { value: 'nyxoid_nasal', label: 'Nyxoid (nasal spray)' }, { value: 'other', label: 'other' }] },
        { name: 'productName', label: 'Product name', type: 'text', empty: 'null', when: (v) => v.product === 'other' },
        { name: 'quantity', label: 'Kits', type: 'number', required: true, min: 1, max: 10, initial: 1 },
        { name: 'batch', label: 'Batch', type: 'text', required: true },
        { name: 'expiryDate', label: 'Expires', type: 'date', required: true },
        { name: 'reason', label: 'Why', type: 'select', required: true, options: [{ value: 'first_supply', label: 'first kit' }, { value: 'replaces_used', label: 'replaces a kit used' }, { value: 'replaces_lost', label: 'replaces a kit lost' }, { value: 'replaces_expired', label: 'replaces an expired kit' }, { value: 'additional', label: 'an additional kit' }] },
        { name: 'trainingGiven', label: 'Training given', type: 'checkbox' },
        { name: 'notes', label: 'Notes', type: 'textarea', empty: 'null' },
      ],
      summary: (r) => {
        const x = d(r) as { product: string; productName: string | null; quantity: number; expiryDate: string; reason: string };
        return join(`${x.quantity} × ${x.productName ?? words(x.product)}`, `expires ${x.expiryDate}`, words(x.reason));
      },
    },
    {
      path: 'naloxone-uses',
      tab: 'Naloxone used',
      title: 'Naloxone use',
      dateLabel: 'Used on',
      writers: HARM,
      fields: [
        { name: 'usedOn', label: 'Used on', type: 'select', required: true, options: [{ value: 'self', label: 'themselves' }, { value: 'someone_else', label: 'someone else' }] },
        { name: 'ambulanceCalled', label: 'Ambulance called', type: 'checkbox' },
        { name: 'outcome', label: 'Outcome', type: 'text', empty: 'null' },
        { name: 'notes', label: 'Notes', type: 'textarea', empty: 'null' },
      ],
      summary: (r) => {
        const x = d(r) as { usedOn: string; ambulanceCalled: boolean; outcome: string | null };
        return join(x.usedOn === 'self' ? 'on themselves' : 'on someone else', x.ambulanceCalled && 'ambulance called', x.outcome);
      },
    },
    {
      path: 'equipment',
      tab: 'Equipment',
      title: 'Injecting equipment',
      writers: HARM,
      fields: [
        {
          name: 'given',
          label: 'Given',
          type: 'list',
          itemLabel: 'item',
          fields: [
            { name: 'item', label: 'Item', type: 'select', required: true, options: ['needles', 'syringes', 'filters', 'cookers', 'water_ampoules', 'swabs', 'citric_acid', 'foil', 'sharps_bin', 'other'] },
            { name: 'quantity', label: 'How many', type: 'number', required: true, min: 1, max: 500 },
            { name: 'description', label: 'What (e.g. needle size)', type: 'text', empty: 'null' },
          ],
        },
        {
          name: 'sharpsReturned',
          label: 'Sharps returned',
          type: 'group',
          fields: [
            { name: 'bins', label: 'Bins', type: 'number', min: 0, max: 20, initial: 0 },
            { name: 'loose', label: 'Loose items', type: 'number', min: 0, max: 500, initial: 0 },
          ],
        },
        { name: 'notes', label: 'Notes', type: 'textarea', empty: 'null' },
      ],
      summary: (r) => {
        const x = d(r) as { given: { item: string; quantity: number }[]; sharpsReturned: { bins: number; loose: number } };
        return join(x.given.map((g) => `${g.quantity} ${words(g.item)}`).join(', ') || 'nothing given', `sharps back: ${x.sharpsReturned.bins} bin(s), ${x.sharpsReturned.loose} loose`);
      },
    },
    {
      path: 'injection-site-problems',
      tab: 'Wounds',
      title: 'Injection-site problem',
      dateLabel: 'Found on',
      writers: HARM,
      fields: [
        { name: 'site', label: 'Site', type: 'select', required: true, options: c.injectionSites.map((x) => ({ value: x, label: x })) },
        { name: 'problem', label: 'Problem', type: 'select', required: true, options: [{ value: 'abscess', label: 'abscess' }, { value: 'cellulitis', label: 'cellulitis' }, { value: 'dvt', label: 'DVT (suspected)' }, { value: 'ulcer', label: 'ulcer' }, { value: 'other', label: 'other' }] },
        { name: 'description', label: 'Description', type: 'textarea', required: true },
        { name: 'severity', label: 'Severity', type: 'select', required: true, options: ['mild', 'moderate', 'severe'] },
        { name: 'status', label: 'Status', type: 'select', required: true, options: ['open', 'resolved'], initial: 'open' },
        { name: 'resolvedOn', label: 'Resolved on', type: 'date', empty: 'null', when: (v) => v.status === 'resolved' },
        {
          name: 'referral',
          label: 'Referral for wound care',
          type: 'group',
          nullable: true,
          fields: [
            { name: 'to', label: 'Referred to', type: 'select', required: true, options: [{ value: 'wound_clinic', label: 'wound clinic' }, { value: 'tissue_viability', label: 'tissue viability' }, { value: 'gp', label: 'GP' }, { value: 'emergency_department', label: 'emergency department' }, { value: 'other', label: 'other' }] },
            { name: 'referredOn', label: 'Referred on', type: 'date', required: true },
            { name: 'notes', label: 'Notes', type: 'text', empty: 'null' },
          ],
        },
      ],
      summary: (r) => {
        const x = d(r) as { site: string; problem: string; severity: string; status: string; referral: { to: string } | null };
        return join(`${x.problem === 'dvt' ? 'DVT' : x.problem} at ${x.site}`, x.severity, x.status, x.referral ? `referred to ${words(x.referral.to)}` : 'not referred');
      },
    },
    {
      path: 'care-plans',
      tab: 'Care plan',
      title: 'Care plan',
      dateLabel: 'Agreed on',
      writers: CARE,
      fields: [
        {
          name: 'goals',
          label: 'Goals',
          type: 'list',
          itemLabel: 'goal',
          fields: [
            { name: 'domain', label: 'Area', type: 'select', required: true, options: CARE_DOMAINS },
            { name: 'goal', label: 'Goal', type: 'text', required: true },
            { name: 'actions', label: 'Actions', type: 'text', required: true },
            { name: 'owner', label: 'Whose', type: 'select', required: true, options: [{ value: 'service_user', label: 'service user' }, { value: 'keyworker', label: 'keyworker' }, { value: 'other', label: 'other' }] },
            { name: 'targetDate', label: 'By', type: 'date', empty: 'null' },
            { name: 'status', label: 'Status', type: 'select', required: true, options: ['open', 'achieved', 'dropped'], initial: 'open' },
          ],
        },
        { name: 'agreedWithServiceUser', label: 'Agreed with the service user', type: 'checkbox' },
        { name: 'reviewOn', label: 'Review on (empty: the clinic\'s interval)', type: 'date', empty: 'null' },
      ],
      summary: (r) => {
        const x = d(r) as { goals: { goal: string; status: string }[]; reviewOn: string; agreedWithServiceUser: boolean };
        return join(`${x.goals.length} goal(s): ${x.goals.map((g) => `${g.goal} (${g.status})`).join('; ')}`, `review ${x.reviewOn}`, x.agreedWithServiceUser ? 'agreed with them' : 'not yet agreed');
      },
    },
    {
      path: 'keywork-sessions',
      tab: 'Key work',
      title: 'Key-work session',
      writers: CARE,
      fields: [
        { name: 'attendance', label: 'Attendance', type: 'select', required: true, options: [{ value: 'attended', label: 'attended' }, { value: 'did_not_attend', label: 'did not attend' }, { value: 'cancelled', label: 'cancelled' }] },
        { name: 'durationMinutes', label: 'Minutes', type: 'number', empty: 'null', min: 5, max: 240, when: (v) => v.attendance === 'attended' },
        { name: 'topics', label: 'Topics', type: 'multiselect', options: CARE_DOMAINS },
        { name: 'notes', label: 'Notes', type: 'textarea', empty: 'null' },
        { name: 'nextSessionOn', label: 'Next session', type: 'date', empty: 'null' },
      ],
      summary: (r) => {
        const x = d(r) as { attendance: string; durationMinutes: number | null; topics: string[]; nextSessionOn: string | null };
        return join(words(x.attendance), x.durationMinutes ? `${x.durationMinutes} min` : null, x.topics.map(words).join(', '), x.nextSessionOn && `next ${x.nextSessionOn}`);
      },
    },
    {
      path: 'referrals',
      tab: 'Referrals',
      title: 'Referral',
      writers: CARE,
      fields: [
        { name: 'service', label: 'For', type: 'select', required: true, options: [{ value: 'housing', label: 'housing' }, { value: 'benefits', label: 'benefits' }, { value: 'mental_health', label: 'mental health' }, { value: 'physical_health', label: 'physical health' }, { value: 'bbv_testing', label: 'blood-borne virus testing' }, { value: 'bbv_treatment', label: 'blood-borne virus treatment' }, { value: 'dental', label: 'dental' }, { value: 'employment', label: 'employment' }, { value: 'education', label: 'education' }, { value: 'other', label: 'other' }] },
        { name: 'organisation', label: 'To (organisation)', type: 'text', required: true },
        { name: 'reason', label: 'Why', type: 'textarea', required: true },
        { name: 'status', label: 'Status', type: 'select', required: true, options: [{ value: 'to_make', label: 'to make' }, 'made', 'accepted', 'declined', 'attending', 'completed', 'closed'] },
        { name: 'madeOn', label: 'Made on', type: 'date', empty: 'null', when: (v) => v.status !== 'to_make' && v.status !== null },
        { name: 'notes', label: 'Notes', type: 'textarea', empty: 'null' },
      ],
      summary: (r) => {
        const x = d(r) as { service: string; organisation: string; status: string; madeOn: string | null };
        return join(`${words(x.service)}: ${x.organisation}`, words(x.status), x.madeOn && `made ${x.madeOn}`);
      },
    },
    {
      path: 'mdt-reviews',
      tab: 'MDT',
      title: 'Multidisciplinary review',
      writers: ['prescriber', 'nurse', 'keyworker'],
      fields: [
        {
          name: 'attendees',
          label: 'Who was there',
          type: 'list',
          itemLabel: 'attendee',
          fields: [
            { name: 'name', label: 'Name', type: 'text', required: true },
            { name: 'role', label: 'Role', type: 'text', required: true },
          ],
        },
        { name: 'serviceUserAttended', label: 'The service user attended', type: 'checkbox' },
        { name: 'notes', label: 'Discussion', type: 'textarea', required: true },
        {
          name: 'actions',
          label: 'Actions agreed',
          type: 'list',
          itemLabel: 'action',
          fields: [
            { name: 'action', label: 'Action', type: 'text', required: true },
            { name: 'owner', label: 'Who', type: 'text', required: true },
            { name: 'dueOn', label: 'By', type: 'date', empty: 'null' },
          ],
        },
      ],
      summary: (r) => {
        const x = d(r) as { attendees: { name: string }[]; actions: unknown[]; notes: string };
        return join(x.attendees.map((a) => a.name).join(', '), `${x.actions.length} action(s)`, x.notes.slice(0, 80));
      },
    },
  ];
}
