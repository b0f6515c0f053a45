import { useState } from 'react';
import { Button, Card, Group, MultiSelect, NumberInput, Select, Stack, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiFailure, get, post, put } from '../api';
import { useClinicPath, useSession } from '../session';
import { ErrorNote } from '../components/ErrorNote';
import { SEPARATION_WORDS, type SeparateBecause } from './arrivals';

/** The ways people get to the clinic (the record's TRANSPORT_MODES; the server checks them). */
const TRANSPORT = ['walk', 'bus', 'train', 'tram', 'car', 'lift', 'taxi', 'bicycle', 'other'];

interface Travel {
  minutesOneWay: number;
  transport: string[];
  changes: number | null;
  notes: string | null;
}
interface Detail {
  version: number;
  record: Record<string, unknown> & { travel?: Travel | null };
}
interface ClinicView {
  settings: {
    sessions: { code: string; label: string; start: string; end: string }[];
    arrival: { slotsEnabled: boolean; slotMinutes: number; waitingAreas: { code: string; name: string; purpose: string | null }[] };
  };
}
interface PlanData {
  preferredSlots: Record<string, string | null>;
  preferredArea: string | null;
  separateBecause: SeparateBecause;
  notes: string | null;
}

const minutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
const hhmm = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
/** Slot starts of a session, as the server makes them (every slotMinutes from the start, before the end). */
function slotStarts(session: { start: string; end: string }, step: number): string[] {
  const out: string[] = [];
  for (let m = minutes(session.start); m < minutes(session.end); m += step) out.push(hhmm(m));
  return out;
}

/** On a person's Details: their journey to the clinic and their standing arrival plan. */
export function PersonArrivalCards({ serviceUserId }: { serviceUserId: string }) {
  return (
    <Stack>
      <JourneyCard serviceUserId={serviceUserId} />
      <ArrivalPlanCard serviceUserId={serviceUserId} />
    </Stack>
  );
}

/** The journey (minutes one way, transport, changes): a new version of the record with a reason. */
export function JourneyCard({ serviceUserId }: { serviceUserId: string }) {
  const s = useSession();
  const path = useClinicPath();
  const qc = useQueryClient();
  const detail = useQuery({ queryKey: ['person', serviceUserId], queryFn: () => get<Detail>(path(`/service-users/${serviceUserId}`)) });
  const travel = detail.data?.record.travel ?? null;
  const [editing, setEditing] = useState(false);
  const [mins, setMins] = useState<number | string>('');
  const [transport, setTransport] = useState<string[]>([]);
  const [changes, setChanges] = useState<number | string>('');
  const [notes, setNotes] = useState('');
  const [reason, setReason] = useState('');
  const canEdit = s.has('admin', 'prescriber', 'nurse', 'keyworker');
  const open = () => {
    setMins(travel?.minutesOneWay ?? '');
    setTransport(travel?.transport ?? []);
    setChanges(travel?.changes ?? '');
    setNotes(travel?.notes ?? '');
    setReason('');
    setEditing(true);
  };
  const save = useMutation({
    mutationFn: () =>
      put(path(`/service-users/${serviceUserId}`), {
        expectedVersion: detail.data!.version,
        reason,
        record: {
          ...detail.data!.record,
          travel: { minutesOneWay: mins === '' ? null : Number(mins), transport, changes: changes === '' ? null : Number(changes), notes: notes.trim() || null },
        },
      }),
    onSuccess: () => {
      setEditing(false);
      void qc.invalidateQueries({ queryKey: ['person', serviceUserId] });
    },
  });
  const error = save.error instanceof ApiFailure ? save.error : null;
  return (
    <Card withBorder component="section" aria-label="Journey to the clinic">
      <Group justify="space-between" mb="xs">
        <Title order={3} size="h4">
          Journey to the clinic
        </Title>
        {canEdit && !editing && detail.data && (
          <Button variant="outline" size="compact-md" onClick={open}>
            {travel ? 'Change journey' : 'Record journey'}
          </Button>
        )}
      </Group>
      {!editing && (
        <Text data-testid="journey">
          {travel
            ? `${travel.minutesOneWay} min one way · ${travel.transport.join(', ')}${travel.changes !== null ? ` · ${travel.changes} ${travel.changes === 1 ? 'change' : 'changes'}` : ''}${travel.notes ? ` · ${travel.notes}` : ''}`
            : 'Not recorded.'}
        </Text>
      )}
      {editing && (
        <form onSubmit={(e) => { e.preventDefault(); save.mutate(); }}>
          <Group align="flex-start" wrap="wrap">
            <NumberInput label="Minutes one way" required min={0} max={600} value={mins} onChange={setMins} error={error?.forField('minutesOneWay')} w={160} />
            <MultiSelect label="Transport" required searchable data={TRANSPORT} value={transport} onChange={setTransport} error={error?.forField('transport')} w={260} />
            <NumberInput label="Changes each way" description="Buses or trains" min={0} max={10} value={changes} onChange={setChanges} error={error?.forField('changes')} w={160} />
            <TextInput label="Notes" value={notes} onChange={(e) => setNotes(e.currentTarget.value)} error={error?.forField('notes')} w={260} />
            <TextInput label="Reason for the change" required value={reason} onChange={(e) => setReason(e.currentTarget.value)} error={error?.forField('reason')} w={260} />
          </Group>
          <Group mt="sm">
            <Button type="submit" loading={save.isPending}>
              Save journey
            </Button>
            <Button variant="subtle" onClick={() => setEditing(false)}>
              Cancel
            </Button>
          </Group>
          {save.error && !error?.field ? <ErrorNote error={save.error} /> : null}
        </form>
      )}
    </Card>
  );
}

/** The standing arrival plan: a preferred slot per session, a preferred area, whether to wait apart. */
export function ArrivalPlanCard({ serviceUserId }: { serviceUserId: string }) {
  const s = useSession();
  const path = useClinicPath();
  const qc = useQueryClient();
  const clinic = useQuery({ queryKey: ['clinic', s.clinicId], queryFn: () => get<ClinicView>(path()) });
  const plans = useQuery({ queryKey: ['arrival-plans', serviceUserId], queryFn: () => get<{ records: { recordId: string; effectiveDate: string; data: PlanData }[] }>(path(`/service-users/${serviceUserId}/arrival-plans`)) });
  const current = plans.data?.records[0]?.data ?? null;
  const canEdit = s.has('admin', 'nurse', 'hca', 'keyworker', 'prescriber');
  const [editing, setEditing] = useState(false);
  const [slots, setSlots] = useState<Record<string, string | null>>({});
  const [area, setArea] = useState<string | null>(null);
  const [apart, setApart] = useState<string | null>(null);
  const [notes, setNotes] = useState('');
  const open = () => {
    setSlots(current?.preferredSlots ?? {});
    setArea(current?.preferredArea ?? null);
    setApart(current?.separateBecause ?? null);
    setNotes(current?.notes ?? '');
    setEditing(true);
  };
  const save = useMutation({
    mutationFn: () => post(path(`/service-users/${serviceUserId}/arrival-plans`), { preferredSlots: slots, preferredArea: area, separateBecause: apart, notes: notes.trim() || null }),
    onSuccess: () => {
      setEditing(false);
      void qc.invalidateQueries({ queryKey: ['arrival-plans', serviceUserId] });
      void qc.invalidateQueries({ queryKey: ['arrival-slots'] });
    },
  });
  const error = save.error instanceof ApiFailure ? save.error : null;
  const settings = clinic.data?.settings;
  if (!settings) return null;
  const areas = settings.arrival.waitingAreas;
  const areaName = (code: string | null) => (code ? (areas.find((a) => a.code === code)?.name ?? code) : 'none');
  return (
    <Card withBorder component="section" aria-label="Arrival plan">
      <Group justify="space-between" mb="xs">
        <Title order={3} size="h4">
          Arrival plan{settings.arrival.slotsEnabled ? '' : ' (arrival slots are off at this clinic)'}
        </Title>
        {canEdit && !editing && (
          <Button variant="outline" size="compact-md" onClick={open}>
            {current ? 'Change plan' : 'Make a plan'}
          </Button>
        )}
      </Group>
      {!editing && (
        <Text data-testid="arrival-plan">
          {current
            ? [
                ...settings.sessions.map((x) => `${x.code}: ${current.preferredSlots[x.code] ?? 'any slot'}`),
                `area: ${areaName(current.preferredArea)}`,
                current.separateBecause ? `wait apart: ${SEPARATION_WORDS[current.separateBecause].toLowerCase()}` : null,
                current.notes,
              ]
                .filter(Boolean)
                .join(' · ')
            : 'No plan: slots and areas are assigned each day.'}
        </Text>
      )}
      {editing && (
        <form onSubmit={(e) => { e.preventDefault(); save.mutate(); }}>
          <Group align="flex-start" wrap="wrap">
            {settings.sessions.map((x) => (
              <Select
                key={x.code}
                label={`Preferred ${x.code} slot`}
                placeholder="any slot"
                clearable
                data={slotStarts(x, settings.arrival.slotMinutes)}
                value={slots[x.code] ?? null}
                onChange={(v) => setSlots({ ...slots, [x.code]: v })}
                error={error?.forField(`preferredSlots.${x.code}`)}
                w={180}
              />
            ))}
            <Select label="Preferred waiting area" placeholder="no preference" clearable data={areas.map((a) => ({ value: a.code, label: a.name }))} value={area} onChange={setArea} error={error?.forField('preferredArea')} w={220} />
            <Select
              label="Wait apart"
              placeholder="no need"
              clearable
              data={Object.entries(SEPARATION_WORDS).map(([value, label]) => ({ value, label }))}
              value={apart}
              onChange={setApart}
              error={error?.forField('separateBecause')}
              w={220}
            />
            <Textarea label="Notes" value={notes} onChange={(e) => setNotes(e.currentTarget.value)} autosize minRows={1} w={300} />
          </Group>
          <Group mt="sm">
            <Button type="submit" loading={save.isPending}>
              Save plan
            </Button>
            <Button variant="subtle" onClick={() => setEditing(false)}>
              Cancel
            </Button>
          </Group>
          {save.error && !error?.field ? <ErrorNote error={save.error} /> : null}
        </form>
      )}
    </Card>
  );
}
