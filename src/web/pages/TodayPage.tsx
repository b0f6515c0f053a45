import { useEffect, useState } from 'react';
import { Anchor, Badge, Button, Card, Group, Loader, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { get } from '../api';
import { useClinicPath, useSession } from '../session';
import { StatusBadge } from '../components/StatusBadge';
import { clinicTime, countdown } from '../time';
import { ArrivalCell, useArrivalsToday, type Placement } from '../arrival/arrivals';

export interface DoseListEntry {
  serviceUserId: string;
  displayName: string;
  status: string;
  doseId: string | null;
  plannedMg: number | null;
  route: string | null;
  nextPossibleAt: string | null;
  observeUntil: string | null;
  alerts: { kind: string; severity: 'info' | 'warning' | 'danger'; text: string }[];
}

export interface SessionInfo {
  sessionId: string;
  sessionCode: string;
  clinicDate: string;
  windowOpens: string;
  windowCloses: string;
  closed: { automatic: boolean; missed: number } | null;
}

/** A clock that ticks every second, for countdowns. */
export function useNow(intervalMs = 1000) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(t);
  }, [intervalMs]);
  return now;
}

export function DoseListTable({ entries, timeZone, sessionId, arrivals }: { entries: DoseListEntry[]; timeZone: string; sessionId?: string; arrivals?: Map<string, Placement> | undefined }) {
  const now = useNow();
  if (entries.length === 0) return <Text c="gray.7">Nobody is expected at this session.</Text>;
  return (
    <Table striped highlightOnHover verticalSpacing="sm" aria-label="Dose list">
      <Table.Thead>
        <Table.Tr>
          <Table.Th scope="col">Person</Table.Th>
          {arrivals && <Table.Th scope="col">Slot · area</Table.Th>}
          <Table.Th scope="col">Status</Table.Th>
          <Table.Th scope="col">Dose now</Table.Th>
          <Table.Th scope="col">Next possible</Table.Th>
          <Table.Th scope="col">Alerts</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {entries.map((e) => (
          <Table.Tr key={e.serviceUserId} data-person={e.displayName}>
            <Table.Td>
              <Anchor component={Link} to={`/people/${e.serviceUserId}`}>
                {e.displayName}
              </Anchor>
            </Table.Td>
            {arrivals && (
              <Table.Td>
                <ArrivalCell placement={arrivals.get(e.serviceUserId)} />
              </Table.Td>
            )}
            <Table.Td>
              <Group gap="xs">
                <StatusBadge status={e.status} />
                {e.observeUntil && (
                  <Text size="sm" fw={700} aria-live="polite" data-testid="countdown">
                    {countdown(e.observeUntil, now) === 'done' ? 'observation done' : `${countdown(e.observeUntil, now)} left`}
                  </Text>
                )}
                {e.doseId && (
                  <Anchor component={Link} to={`/doses/${e.doseId}`} size="sm">
                    open dose
                  </Anchor>
                )}
              </Group>
            </Table.Td>
            <Table.Td>{e.plannedMg !== null ? `${e.plannedMg} mg ${e.route?.toUpperCase() ?? ''}` : '—'}</Table.Td>
            <Table.Td>{clinicTime(e.nextPossibleAt, timeZone)}</Table.Td>
            <Table.Td>
              <Stack gap={2}>
                {e.alerts.map((a) => (
                  <Text key={a.kind + a.text} size="sm" c={a.severity === 'danger' ? 'red.9' : undefined}>
                    {a.severity === 'danger' ? '⚠ ' : a.severity === 'warning' ? '! ' : ''}
                    {a.text}
                  </Text>
                ))}
              </Stack>
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
  void sessionId;
}

/** Today: each session with its dose list, live for everyone in the room. */
export function TodayPage() {
  const s = useSession();
  const path = useClinicPath();
  const clinic = useQuery({ queryKey: ['clinic', s.clinicId], queryFn: () => get<{ settings: { sessions: { code: string; label: string; start: string; end: string }[] } }>(path()) });
  const sessions = useQuery({ queryKey: ['sessions', s.clinicId, 'today'], queryFn: () => get<{ date: string; sessions: SessionInfo[] }>(path('/sessions')) });
  if (clinic.isLoading || sessions.isLoading) return <Loader role="status" aria-label="Loading" />;
  const defs = clinic.data?.settings.sessions ?? [];
  return (
    <Stack>
      <Title order={2}>Today {sessions.data?.date}</Title>
      <SimpleGrid cols={{ base: 1, lg: 1 }}>
        {defs.map((def) => {
          const open = sessions.data?.sessions.find((x) => x.sessionCode === def.code);
          return <SessionCard key={def.code} code={def.code} label={`${def.label} (${def.start}–${def.end})`} session={open ?? null} />;
        })}
      </SimpleGrid>
    </Stack>
  );
}

function SessionCard({ code, label, session }: { code: string; label: string; session: SessionInfo | null }) {
  const s = useSession();
  const path = useClinicPath();
  const list = useQuery({ queryKey: ['dose-list', s.clinicId, code], queryFn: () => get<{ entries: DoseListEntry[] }>(path(`/dose-list?session=${code}`)) });
  const arrivals = useArrivalsToday(code);
  return (
    <Card withBorder component="section" aria-label={`Session ${code}`}>
      <Group justify="space-between" mb="sm">
        <Title order={3}>
          {code} · {label}
        </Title>
        {session ? (
          <Group>
            <Badge color={session.closed ? 'gray.8' : 'teal.9'} variant="filled">
              {session.closed ? `closed${session.closed.automatic ? ' automatically' : ''} · ${session.closed.missed} missed` : 'open'}
            </Badge>
            <Button component={Link} to={`/sessions/${session.sessionId}`}>
              Go to session
            </Button>
          </Group>
        ) : (
          s.has('nurse', 'admin') && (
            <Button component={Link} to={`/sessions/new?code=${code}`}>
              Open session {code}
            </Button>
          )
        )}
      </Group>
      {list.isLoading ? <Loader role="status" size="sm" aria-label="Loading" /> : <DoseListTable entries={list.data?.entries ?? []} timeZone={s.timeZone} arrivals={arrivals} />}
    </Card>
  );
}
