import { useState } from 'react';
import { BarChart, LineChart } from '@mantine/charts';
import { Badge, Button, Card, Checkbox, FileInput, Grid, Group, Image, Loader, NumberInput, PasswordInput, Select, Stack, Table, Tabs, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useParams, useSearchParams } from 'react-router';
import { CareTab } from '../care/CareTab';
import { TakeHomePanel } from '../take-home/TakeHomePanel';
import { PortalCard } from '../portal/PortalCard';
import { PersonArrivalCards } from '../arrival/PersonArrivalCards';
import { ApiFailure, get, post } from '../api';
import { useClinicPath, useSession } from '../session';
import { ErrorNote } from '../components/ErrorNote';
import { StatusBadge } from '../components/StatusBadge';
import { clinicDateTime } from '../time';
import type { PrescriptionContent } from '../../domain/prescription/prescription';

interface Detail {
  serviceUserId: string;
  displayName: string;
  dateOfBirth: string;
  nhsNumber: string | null;
  version: number;
  record: Record<string, unknown>;
  episode: { episodeId: string; state: string; absence: { kind: string; since: string } | null; retitrationRequired: boolean; reviewRequired: boolean } | null;
  prescriptionInForce: { version: number; status: string; content: PrescriptionContent; reason: string } | null;
  alerts: { kind: string; severity: string; text: string }[];
  photo: { recordedAt: string } | null;
}

interface DoseRow {
  doseId: string;
  clinicDate: string;
  sessionCode: string;
  kind: string;
  stage: string;
  route: string | null;
  givenMg: number;
  givenAt: string | null;
  reasons: string[];
}

export function PersonPage() {
  const { serviceUserId = '' } = useParams();
  const [search] = useSearchParams();
  const s = useSession();
  const path = useClinicPath();
  const detail = useQuery({ queryKey: ['person', serviceUserId], queryFn: () => get<Detail>(path(`/service-users/${serviceUserId}`)) });
  const doses = useQuery({ queryKey: ['person-doses', serviceUserId], queryFn: () => get<{ doses: DoseRow[] }>(path(`/service-users/${serviceUserId}/doses`)) });
  const rx = useQuery({ queryKey: ['prescriptions', serviceUserId], queryFn: () => get<{ versions: { version: number; status: string; effectiveFrom: string; reason: string; content: PrescriptionContent }[] }>(path(`/service-users/${serviceUserId}/prescriptions`)) });
  const reviews = useQuery({ queryKey: ['reviews', serviceUserId], queryFn: () => get<{ reviews: { reviewId: string; reviewedAt: string; notes: string; nextReviewDue: string; prescriptionVersion: number | null }[] }>(path(`/service-users/${serviceUserId}/reviews`)) });
  if (detail.isLoading) return <Loader role="status" aria-label="Loading" />;
  if (!detail.data) return <ErrorNote error={detail.error} />;
  const d = detail.data;
  const byDay = new Map<string, { date: string; mg: number; given: number; refused: number; missed: number }>();
  for (const x of [...(doses.data?.doses ?? [])].reverse()) {
    const row = byDay.get(x.clinicDate) ?? { date: x.clinicDate, mg: 0, given: 0, refused: 0, missed: 0 };
    row.mg += x.givenMg;
    if (x.givenMg > 0) row.given++;
    if (x.stage === 'refused') row.refused++;
    if (x.stage === 'missed') row.missed++;
    byDay.set(x.clinicDate, row);
  }
  const days = [...byDay.values()];
  return (
    <Stack>
      <Grid>
        <Grid.Col span={{ base: 12, md: 8 }}>
          <Card withBorder>
            <Group align="flex-start">
              {d.photo ? <Image src={`${path(`/service-users/${serviceUserId}/photo`)}?v=${d.photo.recordedAt}`} alt={`Photo of ${d.displayName}`} w={140} h={140} fit="cover" radius="sm" /> : <Text c="gray.7" w={140}>No photo</Text>}
              <Stack gap={4}>
                <Title order={2}>{d.displayName}</Title>
                <Text>Born {d.dateOfBirth} · NHS {d.nhsNumber ?? '—'}</Text>
                <Text>
                  Treatment: <Badge color="blue.9" variant="filled">{d.episode?.state.replace(/_/g, ' ') ?? 'not referred'}</Badge>
                  {d.episode?.absence && ` · away (${d.episode.absence.kind}) since ${d.episode.absence.since.slice(0, 10)}`}
                </Text>
                <Text>Prescription: {d.prescriptionInForce ? `v${d.prescriptionInForce.version} ${d.prescriptionInForce.status}, IV ${d.prescriptionInForce.content.diamorphine.ivDoseMg ?? '—'} mg / IM ${d.prescriptionInForce.content.diamorphine.imDoseMg ?? '—'} mg, ${d.prescriptionInForce.content.diamorphine.sessions.join(' + ')}` : 'none in force'}</Text>
              </Stack>
            </Group>
          </Card>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 4 }}>
          <Card withBorder h="100%">
            <Title order={3} size="h4">Alerts</Title>
            {d.alerts.length === 0 ? <Text c="gray.7">None</Text> : d.alerts.map((a) => (
              <Text key={a.kind + a.text} c={a.severity === 'danger' ? 'red.9' : undefined}>
                {a.severity === 'danger' ? '⚠ ' : a.severity === 'warning' ? '! ' : ''}{a.text}
              </Text>
            ))}
          </Card>
        </Grid.Col>
      </Grid>
      <Tabs defaultValue={search.get('tab') ?? 'timeline'} keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="timeline">Doses</Tabs.Tab>
          <Tabs.Tab value="charts">Charts</Tabs.Tab>
          <Tabs.Tab value="care">Monitoring and care</Tabs.Tab>
          <Tabs.Tab value="take-home">Take-home</Tabs.Tab>
          <Tabs.Tab value="prescriptions">Prescriptions</Tabs.Tab>
          <Tabs.Tab value="reviews">Reviews</Tabs.Tab>
          <Tabs.Tab value="treatment">Treatment</Tabs.Tab>
          <Tabs.Tab value="details">Details</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="timeline" pt="sm">
          {(doses.data?.doses ?? []).length === 0 ? <Text c="gray.7">No doses yet.</Text> : (
            <Table striped aria-label="Doses">
              <Table.Thead><Table.Tr><Table.Th>Date</Table.Th><Table.Th>Session</Table.Th><Table.Th>Status</Table.Th><Table.Th>Given</Table.Th><Table.Th>Why</Table.Th></Table.Tr></Table.Thead>
              <Table.Tbody>
                {doses.data!.doses.map((x) => (
                  <Table.Tr key={x.doseId}>
                    <Table.Td>{x.clinicDate}</Table.Td>
                    <Table.Td>{x.sessionCode}{x.kind === 'top_up' ? ' top-up' : ''}</Table.Td>
                    <Table.Td><StatusBadge status={x.stage === 'assessed' ? 'in_assessment' : x.stage} /></Table.Td>
                    <Table.Td>{x.givenMg ? `${x.givenMg} mg ${x.route?.toUpperCase()} at ${clinicDateTime(x.givenAt, s.timeZone)}` : '—'}</Table.Td>
                    <Table.Td>{x.reasons.join('; ')}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
        </Tabs.Panel>
        <Tabs.Panel value="charts" pt="sm">
          {days.length === 0 ? <Text c="gray.7">No doses to chart yet.</Text> : (
            <Stack>
              <Title order={3} size="h4">Dose given per day (mg)</Title>
              <LineChart h={220} data={days} dataKey="date" series={[{ name: 'mg', color: 'blue.8', label: 'mg given' }]} withLegend />
              <Title order={3} size="h4">Attendance per day</Title>
              <BarChart h={220} data={days} dataKey="date" type="stacked" series={[{ name: 'given', color: 'teal.8', label: 'given' }, { name: 'refused', color: 'red.8', label: 'refused' }, { name: 'missed', color: 'grape.8', label: 'missed' }]} withLegend />
              <Table aria-label="Attendance per day (the chart's numbers)">
                <Table.Thead><Table.Tr><Table.Th>Date</Table.Th><Table.Th>mg</Table.Th><Table.Th>Given</Table.Th><Table.Th>Refused</Table.Th><Table.Th>Missed</Table.Th></Table.Tr></Table.Thead>
                <Table.Tbody>{days.map((r) => <Table.Tr key={r.date}><Table.Td>{r.date}</Table.Td><Table.Td>{r.mg}</Table.Td><Table.Td>{r.given}</Table.Td><Table.Td>{r.refused}</Table.Td><Table.Td>{r.missed}</Table.Td></Table.Tr>)}</Table.Tbody>
              </Table>
            </Stack>
          )}
        </Tabs.Panel>
        <Tabs.Panel value="care" pt="sm">
          <CareTab serviceUserId={serviceUserId} keyworkerStaffId={(d.record.keyworkerStaffId as string | null | undefined) ?? null} />
        </Tabs.Panel>
        <Tabs.Panel value="take-home" pt="sm">
          <TakeHomePanel serviceUserId={serviceUserId} />
        </Tabs.Panel>
        <Tabs.Panel value="prescriptions" pt="sm">
          <Stack>
            <Table aria-label="Prescription versions">
              <Table.Thead><Table.Tr><Table.Th>Version</Table.Th><Table.Th>Status</Table.Th><Table.Th>From</Table.Th><Table.Th>Dose</Table.Th><Table.Th>Reason</Table.Th></Table.Tr></Table.Thead>
              <Table.Tbody>
                {(rx.data?.versions ?? []).map((v) => (
                  <Table.Tr key={v.version}>
                    <Table.Td>{v.version}</Table.Td><Table.Td>{v.status}</Table.Td><Table.Td>{clinicDateTime(v.effectiveFrom, s.timeZone)}</Table.Td>
                    <Table.Td>IV {v.content.diamorphine.ivDoseMg ?? '—'} / IM {v.content.diamorphine.imDoseMg ?? '—'} mg</Table.Td><Table.Td>{v.reason}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
            {s.has('prescriber') && <PrescriptionForm serviceUserId={serviceUserId} current={d.prescriptionInForce?.content ?? null} />}
          </Stack>
        </Tabs.Panel>
        <Tabs.Panel value="reviews" pt="sm">
          <Stack>
            {(reviews.data?.reviews ?? []).map((r) => (
              <Card key={r.reviewId} withBorder>
                <Text fw={600}>{clinicDateTime(r.reviewedAt, s.timeZone)} · next due {r.nextReviewDue}{r.prescriptionVersion ? ` · prescription v${r.prescriptionVersion}` : ''}</Text>
                <Text>{r.notes}</Text>
              </Card>
            ))}
            {s.has('prescriber') && <ReviewForm serviceUserId={serviceUserId} current={d.prescriptionInForce?.content ?? null} />}
          </Stack>
        </Tabs.Panel>
        <Tabs.Panel value="treatment" pt="sm">
          <Stack>
            <EpisodeActions detail={d} />
            <PortalCard serviceUserId={serviceUserId} />
          </Stack>
        </Tabs.Panel>
        <Tabs.Panel value="details" pt="sm">
          <Stack>
            <Table><Table.Tbody>{Object.entries(d.record).filter(([, v]) => v !== null && !(Array.isArray(v) && v.length === 0)).map(([k, v]) => <Table.Tr key={k}><Table.Th scope="row">{k}</Table.Th><Table.Td>{typeof v === 'object' ? JSON.stringify(v) : String(v)}</Table.Td></Table.Tr>)}</Table.Tbody></Table>
            {s.has('admin', 'prescriber', 'nurse', 'hca', 'keyworker') && <PhotoUpload serviceUserId={serviceUserId} />}
            <PersonArrivalCards serviceUserId={serviceUserId} />
          </Stack>
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}

function PhotoUpload({ serviceUserId }: { serviceUserId: string }) {
  const path = useClinicPath();
  const client = useQueryClient();
  const upload = useMutation({
    mutationFn: async (file: File) => {
      const data = new Uint8Array(await file.arrayBuffer());
      let binary = '';
      for (const b of data) binary += String.fromCharCode(b);
      return post(path(`/service-users/${serviceUserId}/photo`), { contentType: file.type, dataBase64: btoa(binary) });
    },
    onSuccess: () => void client.invalidateQueries({ queryKey: ['person', serviceUserId] }),
  });
  return (
    <Stack maw={420}>
      <FileInput label="Identity photo (JPEG, PNG or WebP, up to 2 MiB)" accept="image/jpeg,image/png,image/webp" onChange={(f) => f && upload.mutate(f)} />
      <ErrorNote error={upload.error} />
    </Stack>
  );
}

/** The steps of the episode this person's role may take. */
function EpisodeActions({ detail }: { detail: Detail }) {
  const s = useSession();
  const path = useClinicPath();
  const client = useQueryClient();
  const [liaison, setLiaison] = useState('');
  const [kind, setKind] = useState<string | null>('hospital');
  const [dischargeReason, setDischargeReason] = useState<string | null>('planned');
  const step = useMutation({
    mutationFn: ({ action, body }: { action: string; body?: unknown }) =>
      action === 'refer' ? post(path(`/service-users/${detail.serviceUserId}/episodes`), body) : post(path(`/episodes/${detail.episode!.episodeId}/${action}`), body ?? {}),
    onSuccess: () => void client.invalidateQueries(),
  });
  const st = detail.episode?.state;
  const ended = !st || st === 'discharged' || st === 'not_eligible';
  return (
    <Stack>
      <Group>
        {ended && s.has('admin', 'prescriber', 'nurse', 'keyworker') && <Button onClick={() => step.mutate({ action: 'refer', body: { source: 'clinic' } })}>Record a referral</Button>}
        {st === 'referred' && s.has('prescriber', 'nurse', 'keyworker') && <Button onClick={() => step.mutate({ action: 'assessment' })}>Start assessment</Button>}
        {st === 'assessing' && s.has('prescriber') && <Button onClick={() => step.mutate({ action: 'eligibility', body: { outcomes: [{ code: 'long_term_opioid_dependence', outcome: 'met' }, { code: 'previous_treatment_without_benefit', outcome: 'met' }] } })}>Eligible: all criteria met</Button>}
        {st === 'waiting_list' && s.has('admin', 'prescriber') && <Button onClick={() => step.mutate({ action: 'place-offer' })}>Offer a place</Button>}
        {st === 'accepted' && s.has('prescriber') && <Button onClick={() => step.mutate({ action: 'induction' })}>Start induction</Button>}
        {st === 'induction' && s.has('prescriber') && <Button onClick={() => step.mutate({ action: 'maintenance' })}>Move to maintenance</Button>}
        {detail.episode?.absence && s.has('admin', 'prescriber', 'nurse', 'keyworker') && <Button onClick={() => step.mutate({ action: 'absences/end' })}>Record their return</Button>}
      </Group>
      {(st === 'induction' || st === 'maintenance') && !detail.episode?.absence && (
        <Group align="flex-end">
          <Select label="Absence" data={['hospital', 'custody', 'holiday', 'other']} value={kind} onChange={setKind} />
          <TextInput label="Liaison contact (ward, custody healthcare)" value={liaison} onChange={(e) => setLiaison(e.currentTarget.value)} />
          <Button variant="outline" onClick={() => step.mutate({ action: 'absences', body: { kind, liaison } })}>Record absence</Button>
        </Group>
      )}
      {!ended && s.has('admin', 'prescriber', 'nurse', 'keyworker') && (
        <Group align="flex-end">
          <Select label="Discharge reason" data={['planned', 'transfer', 'disengaged', 'custody', 'deceased', 'other']} value={dischargeReason} onChange={setDischargeReason} />
          <Button color="red" variant="outline" onClick={() => step.mutate({ action: 'discharge', body: { reason: dischargeReason } })}>Discharge</Button>
        </Group>
      )}
      <ErrorNote error={step.error} />
    </Stack>
  );
}

interface RxFields {
  sessions: string[];
  iv: number | string;
  im: number | string;
  titrate: boolean;
  start: number | string;
  steps: string;
  topUp: number | string;
  retitration: number | string;
  methadone: number | string;
  pharmacy: string;
  startDate: string;
  reviewDate: string;
}

function rxBody(f: RxFields) {
  return {
    diamorphine: {
      sessions: f.sessions,
      ivDoseMg: f.iv === '' ? null : Number(f.iv),
      imDoseMg: f.im === '' ? null : Number(f.im),
      titration: f.titrate ? { startDoseMg: Number(f.start), steps: f.steps.split('\n').map((l) => l.trim()).filter(Boolean).map((l) => { const [fromDate, mg] = l.split(/\s+/); return { fromDate: fromDate ?? '', doseMg: Number(mg) }; }) } : null,
      topUp: f.topUp === '' || Number(f.topUp) === 0 ? null : { maxMg: Number(f.topUp), minWaitMinutes: 20 },
      retitrationStartDoseMg: Number(f.retitration),
    },
    methadone: f.methadone === '' ? null : { drug: 'methadone oral solution 1 mg/mL', dailyDoseMg: Number(f.methadone), pharmacy: f.pharmacy, supervised: false },
    startDate: f.startDate,
    endDate: null,
    reviewDate: f.reviewDate,
  };
}

function RxFieldsForm({ f, setF, error }: { f: RxFields; setF: (f: RxFields) => void; error: ApiFailure | null }) {
  const field = (name: string) => error?.forField(name);
  return (
    <Stack>
      <Group grow>
        <Select label="Sessions" data={['AM', 'PM', 'AM+PM']} value={f.sessions.join('+')} onChange={(v) => setF({ ...f, sessions: (v ?? 'AM+PM').split('+') })} />
        <NumberInput label="IV dose per session (mg)" value={f.iv} onChange={(v) => setF({ ...f, iv: v })} error={field('diamorphine.ivDoseMg')} />
        <NumberInput label="IM dose per session (mg)" value={f.im} onChange={(v) => setF({ ...f, im: v })} error={field('diamorphine.imDoseMg')} />
      </Group>
      <Checkbox label="Titration plan" checked={f.titrate} onChange={(e) => setF({ ...f, titrate: e.currentTarget.checked })} />
      {f.titrate && (
        <Group grow align="flex-start">
          <NumberInput label="Start dose (mg)" value={f.start} onChange={(v) => setF({ ...f, start: v })} error={field('diamorphine.titration.startDoseMg')} />
          <Textarea label="Steps: one per line, 'YYYY-MM-DD mg'" value={f.steps} onChange={(e) => setF({ ...f, steps: e.currentTarget.value })} autosize minRows={2} />
        </Group>
      )}
      <Group grow>
        <NumberInput label="Top-up up to (mg; 0 for none)" value={f.topUp} onChange={(v) => setF({ ...f, topUp: v })} error={field('diamorphine.topUp.maxMg')} />
        <NumberInput label="Re-titration start dose (mg)" value={f.retitration} onChange={(v) => setF({ ...f, retitration: v })} error={field('diamorphine.retitrationStartDoseMg')} />
        <NumberInput label="Methadone mg/day (blank for none)" value={f.methadone} onChange={(v) => setF({ ...f, methadone: v })} />
        <TextInput label="Pharmacy" value={f.pharmacy} onChange={(e) => setF({ ...f, pharmacy: e.currentTarget.value })} />
      </Group>
      <Group grow>
        <TextInput type="date" label="Start date" value={f.startDate} onChange={(e) => setF({ ...f, startDate: e.currentTarget.value })} />
        <TextInput type="date" label="Review date" value={f.reviewDate} onChange={(e) => setF({ ...f, reviewDate: e.currentTarget.value })} error={field('reviewDate')} />
      </Group>
    </Stack>
  );
}

function initialRx(current: PrescriptionContent | null): RxFields {
  const today = new Date().toISOString().slice(0, 10);
  const week = new Date(Date.now() + 7 * 864e5).toISOString().slice(0, 10);
  const o = current?.diamorphine;
  return { sessions: o?.sessions ?? ['AM', 'PM'], iv: o?.ivDoseMg ?? '', im: o?.imDoseMg ?? '', titrate: !o, start: 30, steps: '', topUp: o?.topUp?.maxMg ?? 0, retitration: o?.retitrationStartDoseMg ?? 30, methadone: current?.methadone?.dailyDoseMg ?? '', pharmacy: current?.methadone?.pharmacy ?? '', startDate: today, reviewDate: week };
}

/** A new prescription version, signed with the prescriber's own password. */
function PrescriptionForm({ serviceUserId, current }: { serviceUserId: string; current: PrescriptionContent | null }) {
  const path = useClinicPath();
  const client = useQueryClient();
  const [f, setF] = useState<RxFields>(() => initialRx(current));
  const [reason, setReason] = useState('');
  const [password, setPassword] = useState('');
  const sign = useMutation({
    mutationFn: () => post(path(`/service-users/${serviceUserId}/prescriptions`), { content: rxBody(f), reason, signature: { password } }),
    onSuccess: () => { setPassword(''); void client.invalidateQueries(); },
  });
  const e = sign.error instanceof ApiFailure ? sign.error : null;
  return (
    <Card withBorder component="form" onSubmit={(ev) => { ev.preventDefault(); sign.mutate(); }}>
      <Stack>
        <Title order={3} size="h4">New prescription version</Title>
        <RxFieldsForm f={f} setF={setF} error={e} />
        <TextInput label="Reason" required value={reason} onChange={(ev) => setReason(ev.currentTarget.value)} />
        <PasswordInput label="Your password (signature)" required value={password} onChange={(ev) => setPassword(ev.currentTarget.value)} error={e?.forField('signature.password')} autoComplete="off" />
        <ErrorNote error={sign.error} />
        <Button type="submit" loading={sign.isPending}>Sign prescription</Button>
      </Stack>
    </Card>
  );
}

/** A review; with a re-titration plan it unlocks dosing after an absence or missed doses. */
function ReviewForm({ serviceUserId, current }: { serviceUserId: string; current: PrescriptionContent | null }) {
  const path = useClinicPath();
  const client = useQueryClient();
  const [notes, setNotes] = useState('');
  const [withRx, setWithRx] = useState(false);
  const [retitration, setRetitration] = useState(false);
  const [f, setF] = useState<RxFields>(() => initialRx(current));
  const [password, setPassword] = useState('');
  const record = useMutation({
    mutationFn: () => post(path(`/service-users/${serviceUserId}/reviews`), { notes, retitrationPlanned: retitration, ...(withRx ? { prescription: { content: rxBody(f), reason: retitration ? 're-titration plan' : 'review' } } : {}), signature: { password } }),
    onSuccess: () => { setPassword(''); setNotes(''); void client.invalidateQueries(); },
  });
  const e = record.error instanceof ApiFailure ? record.error : null;
  return (
    <Card withBorder component="form" onSubmit={(ev) => { ev.preventDefault(); record.mutate(); }}>
      <Stack>
        <Title order={3} size="h4">Record a review</Title>
        <Textarea label="Review notes" required value={notes} onChange={(ev) => setNotes(ev.currentTarget.value)} />
        <Checkbox
          label="Re-titration planned (after an absence or missed doses)"
          checked={retitration}
          onChange={(ev) => {
            const on = ev.currentTarget.checked;
            setRetitration(on);
            // A re-titration plan is a prescription that starts again at the re-titration dose.
            if (on) {
              setWithRx(true);
              setF({ ...f, titrate: true, start: f.retitration });
            }
          }}
        />
        <Checkbox label="Issue a new prescription with this review" checked={withRx} onChange={(ev) => setWithRx(ev.currentTarget.checked)} />
        {withRx && <RxFieldsForm f={f} setF={setF} error={e} />}
        <PasswordInput label="Your password (signature)" required value={password} onChange={(ev) => setPassword(ev.currentTarget.value)} error={e?.forField('signature.password')} autoComplete="off" />
        <ErrorNote error={record.error} />
        <Button type="submit" loading={record.isPending}>Record review</Button>
      </Stack>
    </Card>
  );
}
