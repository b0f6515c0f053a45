import { useState } from 'react';
import { Anchor, Button, Card, Checkbox, Group, Loader, MultiSelect, Select, Stack, Table, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import { get, post } from '../api';
import { useClinicPath, useSession } from '../session';
import { ErrorNote } from '../components/ErrorNote';
import { DoseListTable, type DoseListEntry } from './TodayPage';
import { clinicDateTime } from '../time';

const ITEMS = [
  ['naloxone', 'Naloxone', true],
  ['oxygen', 'Oxygen', true],
  ['bag_valve_mask', 'Bag-valve mask', false],
  ['suction', 'Suction', false],
  ['defibrillator', 'Defibrillator', false],
] as const;

interface StaffMember {
  staffId: string;
  displayName: string;
  roles: string[];
}

interface SessionOut {
  sessionId: string;
  sessionCode: string;
  clinicDate: string;
  windowOpens: string;
  windowCloses: string;
  closed: { closedAt: string; automatic: boolean; missed: number } | null;
  handover: { noteId: string; writtenAt: string; note: string; fromSessionId: string }[];
}

/** Opening a session: staff on duty, the key holder, the emergency kit. */
function OpenSessionForm({ code }: { code: string }) {
  const s = useSession();
  const path = useClinicPath();
  const navigate = useNavigate();
  const staff = useQuery({ queryKey: ['staff', s.clinicId], queryFn: () => get<{ staff: StaffMember[] }>(path('/staff')) });
  const [onDuty, setOnDuty] = useState<string[]>(s.info ? [s.info.staff.staffId] : []);
  const [keyHolder, setKeyHolder] = useState<string | null>(s.info?.staff.staffId ?? null);
  const [checks, setChecks] = useState<Record<string, { present: boolean; expiresOn: string }>>(Object.fromEntries(ITEMS.map(([k]) => [k, { present: false, expiresOn: '' }])));
  const open = useMutation({
    mutationFn: () =>
      post<SessionOut>(path('/sessions'), {
        sessionCode: code,
        staffOnDuty: onDuty,
        cdKeyHolderId: keyHolder ?? '',
        checklist: ITEMS.map(([item, , dated]) => ({ item, present: checks[item]!.present, expiresOn: dated && checks[item]!.expiresOn ? checks[item]!.expiresOn : null })),
      }),
    onSuccess: (x) => navigate(`/sessions/${x.sessionId}`, { replace: true }),
  });
  const people = (staff.data?.staff ?? []).map((m) => ({ value: m.staffId, label: `${m.displayName} (${m.roles.join(', ')})` }));
  return (
    <Card withBorder component="form" onSubmit={(e) => { e.preventDefault(); open.mutate(); }}>
      <Stack>
        <Title order={2}>Open session {code}</Title>
        <MultiSelect label="Staff on duty (a nurse and at least one more)" data={people} value={onDuty} onChange={setOnDuty} searchable />
        <Select label="Controlled-drug key holder" data={people.filter((p) => onDuty.includes(p.value))} value={keyHolder} onChange={setKeyHolder} />
        <fieldset style={{ border: 0, padding: 0 }}>
          <legend>
            <Text fw={600}>Emergency kit checked</Text>
          </legend>
          <Stack gap="xs">
            {ITEMS.map(([item, label, dated]) => (
              <Group key={item}>
                <Checkbox size="md" label={`${label} present`} checked={checks[item]!.present} onChange={(e) => setChecks({ ...checks, [item]: { ...checks[item]!, present: e.currentTarget.checked } })} />
                {dated && <TextInput type="date" label={`${label} expires`} value={checks[item]!.expiresOn} onChange={(e) => setChecks({ ...checks, [item]: { ...checks[item]!, expiresOn: e.currentTarget.value } })} />}
              </Group>
            ))}
          </Stack>
        </fieldset>
        <ErrorNote error={open.error} />
        <Button type="submit" loading={open.isPending}>
          Open session
        </Button>
      </Stack>
    </Card>
  );
}

export function SessionPage() {
  const { sessionId = '' } = useParams();
  const [search] = useSearchParams();
  if (sessionId === 'new') return <OpenSessionForm code={search.get('code') ?? 'AM'} />;
  return <SessionView sessionId={sessionId} />;
}

function SessionView({ sessionId }: { sessionId: string }) {
  const s = useSession();
  const path = useClinicPath();
  const client = useQueryClient();
  const session = useQuery({ queryKey: ['session-detail', sessionId], queryFn: () => get<SessionOut>(path(`/sessions/${sessionId}`)) });
  const code = session.data?.sessionCode;
  const list = useQuery({
    queryKey: ['dose-list', s.clinicId, code, session.data?.clinicDate],
    queryFn: () => get<{ entries: DoseListEntry[] }>(path(`/dose-list?session=${code}&date=${session.data!.clinicDate}`)),
    enabled: !!code,
  });
  const [note, setNote] = useState('');
  const handover = useMutation({
    mutationFn: () => post(path(`/sessions/${sessionId}/handover`), { note }),
    onSuccess: () => {
      setNote('');
      void client.invalidateQueries({ queryKey: ['session-detail', sessionId] });
    },
  });
  const close = useMutation({ mutationFn: () => post(path(`/sessions/${sessionId}/close`)), onSuccess: () => void client.invalidateQueries() });
  if (session.isLoading) return <Loader role="status" aria-label="Loading" />;
  if (!session.data) return <ErrorNote error={session.error} />;
  const x = session.data;
  const entries = list.data?.entries ?? [];
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2}>
          Session {x.sessionCode} · {x.clinicDate}
        </Title>
        <Group>
          <Button variant="outline" component="a" href={path(`/sessions/${sessionId}/downtime-pack`)} target="_blank" rel="noopener">
            Downtime pack (print)
          </Button>
          {!x.closed && s.has('nurse', 'admin') && (
            <Button color="red" variant="outline" onClick={() => close.mutate()} loading={close.isPending}>
              Close session
            </Button>
          )}
        </Group>
      </Group>
      <Text>
        {x.closed ? `Closed ${clinicDateTime(x.closed.closedAt, s.timeZone)}${x.closed.automatic ? ' automatically' : ''}: ${x.closed.missed} missed.` : `Open: window ${clinicDateTime(x.windowOpens, s.timeZone)} to ${clinicDateTime(x.windowCloses, s.timeZone)}.`}
      </Text>
      <ErrorNote error={close.error} />
      <Card withBorder>
        <Title order={3} mb="sm">
          People
        </Title>
        <DoseListTable entries={entries} timeZone={s.timeZone} />
        {!x.closed && s.has('nurse') && (
          <Group mt="sm" gap="xs">
            {entries
              .filter((e) => e.status === 'due' || e.status === 'refused' || e.status === 'in_assessment')
              .map((e) => (
                <Button key={e.serviceUserId} component={Link} to={`/sessions/${sessionId}/assess/${e.serviceUserId}`} variant="outline">
                  Assess {e.displayName}
                </Button>
              ))}
          </Group>
        )}
      </Card>
      <Card withBorder>
        <Title order={3} mb="sm">
          Handover
        </Title>
        {x.handover.length === 0 ? <Text c="gray.7">No handover notes.</Text> : (
          <Table>
            <Table.Tbody>
              {x.handover.map((h) => (
                <Table.Tr key={h.noteId}>
                  <Table.Td>{clinicDateTime(h.writtenAt, s.timeZone)}{h.fromSessionId !== sessionId ? ' (previous session)' : ''}</Table.Td>
                  <Table.Td>{h.note}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
        <form onSubmit={(e) => { e.preventDefault(); handover.mutate(); }}>
          <Stack mt="sm">
            <Textarea label="Handover note (who was refused or sedated, incidents, who needs re-assessment)" value={note} onChange={(e) => setNote(e.currentTarget.value)} autosize minRows={2} />
            <ErrorNote error={handover.error} />
            <Button type="submit" variant="outline" disabled={!note.trim()}>
              Add handover note
            </Button>
          </Stack>
        </form>
      </Card>
      <Anchor component={Link} to="/today">
        Back to today
      </Anchor>
    </Stack>
  );
}
