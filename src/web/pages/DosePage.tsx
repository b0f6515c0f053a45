import { useState } from 'react';
import { Alert, Anchor, Button, Card, Checkbox, Group, Image, Loader, MultiSelect, NumberInput, PasswordInput, SegmentedControl, Select, Stack, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import { ApiFailure, get, post } from '../api';
import { useClinicPath, useSession } from '../session';
import { ErrorNote } from '../components/ErrorNote';
import { StatusBadge } from '../components/StatusBadge';
import { computePreparation } from '../../domain/dosing/preparation';
import { clinicTime, countdown } from '../time';
import { useNow } from './TodayPage';

interface Dose {
  doseId: string;
  serviceUserId: string;
  sessionCode: string;
  clinicDate: string;
  kind: 'dose' | 'top_up';
  stage: string;
  route: 'iv' | 'im' | null;
  preparedMg: number;
  givenMg: number;
  givenAt: string | null;
  observeUntil: string | null;
  events: Record<string, unknown>[];
  decision: { outcome: string; fraction: number; reasons: { rule: string; message: string }[] } | null;
  allowance: { maxMg: number; basis: string } | null;
  refusals: { rule: string; message: string }[];
  emergency: boolean;
}

const SEDATION = [
  { value: 'S', label: 'S asleep' },
  { value: '1', label: '1 awake' },
  { value: '2', label: '2 drowsy' },
  { value: '3', label: '3 drifts off' },
  { value: '4', label: '4 no response' },
];

function useStaff() {
  const s = useSession();
  const path = useClinicPath();
  return useQuery({ queryKey: ['staff', s.clinicId], queryFn: () => get<{ staff: { staffId: string; displayName: string; roles: string[] }[] }>(path('/staff')) });
}

/** Someone else at the clinic confirms with their own password, at this screen. */
function WitnessFields({ witness, setWitness, error }: { witness: { staffId: string | null; password: string }; setWitness: (w: { staffId: string | null; password: string }) => void; error?: ApiFailure | null }) {
  const s = useSession();
  const staff = useStaff();
  const others = (staff.data?.staff ?? []).filter((m) => m.staffId !== s.info?.staff.staffId).map((m) => ({ value: m.staffId, label: `${m.displayName} (${m.roles.join(', ')})` }));
  return (
    <Group grow align="flex-start">
      <Select label="Witness" data={others} value={witness.staffId} onChange={(v) => setWitness({ ...witness, staffId: v })} error={error?.forField('staffId')} searchable allowDeselect={false} />
      <PasswordInput label="Witness's password" value={witness.password} onChange={(e) => setWitness({ ...witness, password: e.currentTarget.value })} error={error?.forField('password')} autoComplete="off" />
    </Group>
  );
}

function PersonHeader({ serviceUserId }: { serviceUserId: string }) {
  const path = useClinicPath();
  const person = useQuery({ queryKey: ['person', serviceUserId], queryFn: () => get<{ displayName: string; dateOfBirth: string; photo: unknown; alerts: { kind: string; severity: string; text: string }[] }>(path(`/service-users/${serviceUserId}`)) });
  if (!person.data) return <Loader role="status" size="sm" aria-label="Loading" />;
  const p = person.data;
  return (
    <Card withBorder>
      <Group align="flex-start">
        {p.photo ? <Image src={path(`/service-users/${serviceUserId}/photo`)} alt={`Photo of ${p.displayName}`} w={120} h={120} fit="cover" radius="sm" /> : <Text c="gray.7" w={120}>No photo on file</Text>}
        <Stack gap={4}>
          <Title order={2}>{p.displayName}</Title>
          <Text>Born {p.dateOfBirth}</Text>
          {p.alerts.map((a) => (
            <Text key={a.kind + a.text} c={a.severity === 'danger' ? 'red.9' : undefined}>
              {a.severity === 'danger' ? '⚠ ' : a.severity === 'warning' ? '! ' : ''}
              {a.text}
            </Text>
          ))}
        </Stack>
      </Group>
    </Card>
  );
}

/** Step 1: the pre-dose assessment and the system's decision. */
export function AssessPage() {
  const { sessionId = '', serviceUserId = '' } = useParams();
  const [search] = useSearchParams();
  const kind = search.get('kind') === 'top_up' ? 'top_up' : 'dose';
  const path = useClinicPath();
  const navigate = useNavigate();
  const [identity, setIdentity] = useState(false);
  const [sedation, setSedation] = useState('1');
  const [rr, setRr] = useState<number | string>('');
  const [cows, setCows] = useState<number | string>('');
  const [intox, setIntox] = useState(false);
  const [sedatives, setSedatives] = useState(false);
  const [breath, setBreath] = useState<number | string>('');
  const [unit, setUnit] = useState('mg_per_l_breath');
  const [choice, setChoice] = useState<string | null>(null);
  const [notes, setNotes] = useState('');
  const [after, setAfter] = useState({ offeredToStay: false, naloxoneChecked: false, adviceGiven: false });
  const assess = useMutation({
    mutationFn: () =>
      post<Dose>(path(`/sessions/${sessionId}/assessments`), {
        serviceUserId,
        kind,
        findings: {
          identityConfirmed: identity,
          sedation: sedation === 'S' ? 'S' : Number(sedation),
          respiratoryRate: rr === '' ? null : Number(rr),
          withdrawalScore: cows === '' ? null : Number(cows),
          signsOfIntoxication: intox,
          recentSedativeUse: sedatives,
        },
        breathAlcohol: breath === '' ? null : { value: Number(breath), unit },
        ...(choice ? { chosenOutcome: choice } : {}),
        ...(notes ? { notes } : {}),
        afterRefusal: { ...after, reassessAt: null },
      }),
    onSuccess: (d) => navigate(`/doses/${d.doseId}`),
  });
  return (
    <Stack>
      <PersonHeader serviceUserId={serviceUserId} />
      <Card withBorder component="form" onSubmit={(e) => { e.preventDefault(); assess.mutate(); }}>
        <Stack>
          <Title order={2}>{kind === 'top_up' ? 'Assessment before a top-up' : 'Pre-dose assessment'}</Title>
          <Checkbox size="lg" label="Identity confirmed against the photo" checked={identity} onChange={(e) => setIdentity(e.currentTarget.checked)} />
          <div>
            <Text fw={500} id="sedation-label">Sedation (Pasero scale; S = asleep: rouse and score again)</Text>
            <SegmentedControl aria-labelledby="sedation-label" data={SEDATION} value={sedation} onChange={setSedation} size="md" fullWidth />
          </div>
          <Group grow>
            <NumberInput label="Respiratory rate (/min)" value={rr} onChange={setRr} min={0} max={80} />
            <NumberInput label="Withdrawal (COWS, 0–48)" value={cows} onChange={setCows} min={0} max={48} />
          </Group>
          <Checkbox size="lg" label="Signs of intoxication" checked={intox} onChange={(e) => setIntox(e.currentTarget.checked)} />
          <Checkbox size="lg" label="Recent benzodiazepines, street tablets or gabapentinoids" checked={sedatives} onChange={(e) => setSedatives(e.currentTarget.checked)} />
          <Group grow align="flex-end">
            <NumberInput label="Breath alcohol reading (as the meter shows it)" value={breath} onChange={setBreath} min={0} decimalScale={3} />
            <Select
              label="Meter unit (converted to mg/L of breath)"
              value={unit}
              onChange={(v) => setUnit(v ?? 'mg_per_l_breath')}
              data={[
                { value: 'mg_per_l_breath', label: 'mg/L breath' },
                { value: 'ug_per_100ml_breath', label: 'µg/100 mL breath' },
                { value: 'mg_per_100ml_blood', label: 'mg/100 mL blood' },
                { value: 'g_per_l_blood', label: 'g/L blood (‰)' },
              ]}
              allowDeselect={false}
            />
          </Group>
          <Select label="Your decision, if stricter than the system's" clearable data={[{ value: 'give_reduced', label: 'Give reduced' }, { value: 'refuse', label: 'Refuse' }, { value: 'emergency', label: 'Emergency' }]} value={choice} onChange={setChoice} />
          <fieldset style={{ border: 0, padding: 0 }}>
            <legend><Text fw={500}>If the dose is refused</Text></legend>
            <Group>
              <Checkbox label="Offered to stay and be observed" checked={after.offeredToStay} onChange={(e) => setAfter({ ...after, offeredToStay: e.currentTarget.checked })} />
              <Checkbox label="Take-home naloxone checked" checked={after.naloxoneChecked} onChange={(e) => setAfter({ ...after, naloxoneChecked: e.currentTarget.checked })} />
              <Checkbox label="Advice given" checked={after.adviceGiven} onChange={(e) => setAfter({ ...after, adviceGiven: e.currentTarget.checked })} />
            </Group>
          </fieldset>
          <Textarea label="Notes" value={notes} onChange={(e) => setNotes(e.currentTarget.value)} />
          <ErrorNote error={assess.error} />
          <Button type="submit" loading={assess.isPending}>
            Record assessment
          </Button>
        </Stack>
      </Card>
    </Stack>
  );
}

/** The dose, and the next step for it. */
export function DosePage() {
  const { doseId = '' } = useParams();
  const s = useSession();
  const path = useClinicPath();
  const dose = useQuery({ queryKey: ['dose', doseId], queryFn: () => get<Dose>(path(`/doses/${doseId}`)) });
  if (dose.isLoading) return <Loader role="status" aria-label="Loading" />;
  if (!dose.data) return <ErrorNote error={dose.error} />;
  const d = dose.data;
  const sessionId = d.events.length ? undefined : undefined;
  void sessionId;
  return (
    <Stack>
      <PersonHeader serviceUserId={d.serviceUserId} />
      <Card withBorder>
        <Group>
          <Title order={2}>
            {d.kind === 'top_up' ? 'Top-up' : 'Dose'} · {d.clinicDate} {d.sessionCode}
          </Title>
          <StatusBadge status={d.stage === 'assessed' ? 'in_assessment' : d.stage} />
        </Group>
        {d.emergency && (
          <Alert color="red" title="Emergency pathway" role="alert" mt="sm">
            Airway, naloxone, call an ambulance. Record naloxone and what happened below.
          </Alert>
        )}
        {d.decision && (
          <Stack gap={4} mt="sm" data-testid="decision">
            <Text fw={700}>System's decision: {d.decision.outcome.replace('_', ' ')}</Text>
            {d.decision.reasons.map((r) => (
              <Text key={r.rule}>
                <strong>{r.rule.replace(/_/g, ' ')}</strong>: {r.message}
              </Text>
            ))}
          </Stack>
        )}
        {d.allowance && <Text mt="sm" data-testid="allowance">May be given now: {d.allowance.maxMg} mg ({d.allowance.basis})</Text>}
        {d.refusals.length > 0 && (
          <Alert color="red" title="No dose may be given now" mt="sm">
            {d.refusals.map((r) => (
              <Text key={r.rule}>
                <strong>{r.rule.replace(/_/g, ' ')}</strong>: {r.message}
              </Text>
            ))}
          </Alert>
        )}
      </Card>
      {d.stage === 'assessed' && d.allowance && s.has('nurse') && <PrepareForm dose={d} />}
      {d.stage === 'prepared' && s.has('nurse') && <AdministerForm dose={d} />}
      {(d.stage === 'in_observation' || (d.stage === 'refused' && d.emergency)) && <ObserveForm dose={d} />}
      <Anchor component={Link} to="/today">
        Back to today
      </Anchor>
      <Text size="sm" c="gray.7">Times shown in {s.timeZone}. Last step at {clinicTime(String(d.events.at(-1)?.at ?? ''), s.timeZone)}.</Text>
    </Stack>
  );
}

function useRefreshDose(doseId: string) {
  const client = useQueryClient();
  return () => void client.invalidateQueries({ queryKey: ['dose', doseId] });
}

/** Step 2: drawing up, with the volume computed here and the witness's own check. */
function PrepareForm({ dose }: { dose: Dose }) {
  const s = useSession();
  const path = useClinicPath();
  const refresh = useRefreshDose(dose.doseId);
  const items = useQuery({ queryKey: ['cd-items', s.clinicId], queryFn: () => get<{ items: { itemId: string; name: string; strengthMg: number; location: string; balance: number }[] }>(path('/cd/items')) });
  const [route, setRoute] = useState<'iv' | 'im'>('iv');
  const [mg, setMg] = useState<number | string>(dose.allowance?.maxMg ?? '');
  const [itemId, setItemId] = useState<string | null>(null);
  const [count, setCount] = useState<number | string>(1);
  const [ml, setMl] = useState<number | string>(1);
  const [witness, setWitness] = useState<{ staffId: string | null; password: string }>({ staffId: null, password: '' });
  const [seenCount, setSeenCount] = useState<number | string>('');
  const [seenMl, setSeenMl] = useState<number | string>('');
  const item = items.data?.items.find((i) => i.itemId === itemId);
  const preview = item && Number(mg) > 0 && Number(ml) > 0 ? computePreparation({ ampoules: [{ strengthMg: item.strengthMg, count: Number(count) }], reconstitutionMl: Number(ml), doseMg: Number(mg) }) : null;
  const prepare = useMutation({
    mutationFn: () =>
      post(path(`/doses/${dose.doseId}/preparation`), {
        route,
        doseMg: Number(mg),
        ampoules: [{ itemId: itemId ?? '', count: Number(count) }],
        reconstitutionMl: Number(ml),
        witness: { staffId: witness.staffId ?? '', password: witness.password, ampoules: [{ strengthMg: item?.strengthMg ?? 0, count: Number(seenCount) }], reconstitutionMl: Number(seenMl) },
      }),
    onSuccess: refresh,
  });
  const e = prepare.error instanceof ApiFailure ? prepare.error : null;
  return (
    <Card withBorder component="form" onSubmit={(ev) => { ev.preventDefault(); prepare.mutate(); }}>
      <Stack>
        <Title order={3}>Preparation</Title>
        <Group grow>
          <Select label="Route" data={[{ value: 'iv', label: 'IV' }, { value: 'im', label: 'IM' }]} value={route} onChange={(v) => setRoute((v as 'iv' | 'im') ?? 'iv')} allowDeselect={false} />
          <NumberInput label="Dose (mg)" value={mg} onChange={setMg} min={1} error={e?.forField('mg') ?? e?.forField('doseMg')} />
        </Group>
        <Group grow>
          <Select label="Ampoules from register page" data={(items.data?.items ?? []).map((i) => ({ value: i.itemId, label: `${i.name} — ${i.location} (${i.balance} left)` }))} value={itemId} onChange={setItemId} error={e?.forField('itemId')} />
          <NumberInput label="Number of ampoules opened" value={count} onChange={setCount} min={1} max={20} />
          <NumberInput label="Water for injections (mL)" value={ml} onChange={setMl} min={0.1} max={20} decimalScale={2} />
        </Group>
        {preview &&
          (preview.ok ? (
            <Alert color="blue" title="Computed" data-testid="computed">
              {preview.value.totalMg} mg in {Number(ml)} mL = {preview.value.concentrationMgPerMl} mg/mL. <strong>Draw up {preview.value.drawMl} mL.</strong> Waste {preview.value.wasteMg} mg ({preview.value.wasteMl} mL), to be denatured and witnessed.
            </Alert>
          ) : (
            <Alert color="orange">{preview.refusals.map((r) => r.message).join('; ')}</Alert>
          ))}
        <Text fw={600}>Witness: check the ampoules and the volume yourself and enter what you saw</Text>
        <Group grow>
          <NumberInput label="Witness: ampoules seen" value={seenCount} onChange={setSeenCount} min={1} />
          <NumberInput label="Witness: water seen (mL)" value={seenMl} onChange={setSeenMl} min={0.1} decimalScale={2} />
        </Group>
        <WitnessFields witness={witness} setWitness={setWitness} error={e} />
        <ErrorNote error={prepare.error} />
        <Button type="submit" loading={prepare.isPending}>
          Record preparation
        </Button>
      </Stack>
    </Card>
  );
}

/** Step 3: the supervised self-injection. */
function AdministerForm({ dose }: { dose: Dose }) {
  const s = useSession();
  const path = useClinicPath();
  const refresh = useRefreshDose(dose.doseId);
  const clinic = useQuery({ queryKey: ['clinic-settings', s.clinicId], queryFn: () => get<{ settings: { dosing: { injectionSites: string[]; blockedSites: string[] } } }>(path()) });
  const [sites, setSites] = useState<string[]>([]);
  const [attempts, setAttempts] = useState<number | string>(1);
  const [given, setGiven] = useState<number | string>(dose.preparedMg);
  const [switched, setSwitched] = useState(false);
  const [ivPart, setIvPart] = useState<number | string>(0);
  const [witness, setWitness] = useState<{ staffId: string | null; password: string }>({ staffId: null, password: '' });
  const [reason, setReason] = useState('');
  const administer = useMutation({
    mutationFn: () => post(path(`/doses/${dose.doseId}/administration`), { route: dose.route ?? 'iv', sites, attempts: Number(attempts), givenMg: Number(given), switchedToIm: switched, givenIvMg: Number(ivPart), witness: { staffId: witness.staffId ?? '', password: witness.password } }),
    onSuccess: refresh,
  });
  const notGiven = useMutation({
    mutationFn: () => post(path(`/doses/${dose.doseId}/not-given`), { reason, witness: { staffId: witness.staffId ?? '', password: witness.password } }),
    onSuccess: refresh,
  });
  const allSites = [...(clinic.data?.settings.dosing.injectionSites ?? []), ...(clinic.data?.settings.dosing.blockedSites ?? []).map((x) => x)];
  const e = administer.error instanceof ApiFailure ? administer.error : null;
  return (
    <Card withBorder component="form" onSubmit={(ev) => { ev.preventDefault(); administer.mutate(); }}>
      <Stack>
        <Title order={3}>Administration (prepared {dose.preparedMg} mg {dose.route?.toUpperCase()})</Title>
        <MultiSelect label="Injection site(s)" data={allSites} value={sites} onChange={setSites} searchable error={e?.forField('site')} />
        <Group grow>
          <NumberInput label="Attempts" value={attempts} onChange={setAttempts} min={1} max={20} />
          <NumberInput label="Dose given (mg)" value={given} onChange={setGiven} min={0} max={dose.preparedMg} error={e?.forField('givenMg')} />
        </Group>
        <Checkbox size="lg" label="Venous access failed: continued IM" checked={switched} onChange={(ev) => setSwitched(ev.currentTarget.checked)} />
        {switched && <NumberInput label="Given into a vein before access failed (mg)" value={ivPart} onChange={setIvPart} min={0} />}
        <WitnessFields witness={witness} setWitness={setWitness} error={e} />
        <ErrorNote error={administer.error ?? notGiven.error} />
        <Group>
          <Button type="submit" loading={administer.isPending}>
            Record dose given
          </Button>
          <TextInput aria-label="Reason it was not given" placeholder="Reason it was not given" value={reason} onChange={(ev) => setReason(ev.currentTarget.value)} />
          <Button variant="outline" color="red" disabled={!reason.trim()} onClick={() => notGiven.mutate()}>
            Prepared, not given
          </Button>
        </Group>
      </Stack>
    </Card>
  );
}

/** Step 5: observation with a countdown, adverse events, naloxone, and discharge. */
function ObserveForm({ dose }: { dose: Dose }) {
  const path = useClinicPath();
  const refresh = useRefreshDose(dose.doseId);
  const now = useNow();
  const [sedation, setSedation] = useState('1');
  const [rr, setRr] = useState<number | string>('');
  const [spo2, setSpo2] = useState<number | string>('');
  const [events, setEvents] = useState<string[]>([]);
  const [naloxone, setNaloxone] = useState<number | string>('');
  const [left, setLeft] = useState(false);
  const observe = useMutation({
    mutationFn: () => post(path(`/doses/${dose.doseId}/observations`), { sedation: sedation === 'S' ? 'S' : Number(sedation), respiratoryRate: rr === '' ? null : Number(rr), spo2: spo2 === '' ? null : Number(spo2), adverseEvents: events, naloxoneMg: naloxone === '' ? null : Number(naloxone) }),
    onSuccess: refresh,
  });
  const discharge = useMutation({
    mutationFn: () => post(path(`/doses/${dose.doseId}/discharge`), { sedation: sedation === 'S' ? 'S' : Number(sedation), leftAgainstAdvice: left }),
    onSuccess: refresh,
  });
  return (
    <Card withBorder>
      <Stack>
        <Title order={3}>Observation</Title>
        {dose.observeUntil && (
          <Text size="xl" fw={700} aria-live="polite" data-testid="observation-countdown">
            {countdown(dose.observeUntil, now) === 'done' ? 'Observation period complete' : `Observation: ${countdown(dose.observeUntil, now)} left`}
          </Text>
        )}
        <div>
          <Text fw={500} id="obs-sedation">Sedation now</Text>
          <SegmentedControl aria-labelledby="obs-sedation" data={SEDATION} value={sedation} onChange={setSedation} fullWidth />
        </div>
        <Group grow>
          <NumberInput label="Respiratory rate (/min)" value={rr} onChange={setRr} min={0} max={80} />
          <NumberInput label="SpO2 (%)" value={spo2} onChange={setSpo2} min={50} max={100} />
          <NumberInput label="Naloxone given (mg)" value={naloxone} onChange={setNaloxone} min={0} decimalScale={2} />
        </Group>
        <MultiSelect label="Adverse events" data={[{ value: 'overdose', label: 'Overdose' }, { value: 'ambulance_called', label: 'Ambulance called' }, { value: 'injection_site_problem', label: 'Injection-site problem' }, { value: 'other', label: 'Other' }]} value={events} onChange={setEvents} />
        <ErrorNote error={observe.error ?? discharge.error} />
        <Group>
          <Button variant="outline" onClick={() => observe.mutate()} loading={observe.isPending}>
            Record observation
          </Button>
          {dose.stage === 'in_observation' && (
            <>
              <Checkbox label="Left against advice" checked={left} onChange={(ev) => setLeft(ev.currentTarget.checked)} />
              <Button onClick={() => discharge.mutate()} loading={discharge.isPending}>
                Discharge
              </Button>
            </>
          )}
        </Group>
      </Stack>
    </Card>
  );
}
