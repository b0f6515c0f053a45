import { useState } from 'react';
import { Alert, Anchor, Badge, Button, Card, Group, List, Loader, SegmentedControl, Select, SimpleGrid, Stack, Table, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link } from 'react-router';
import { ApiFailure, get, post } from '../api';
import { useClinicPath, useSession } from '../session';
import { ErrorNote } from '../components/ErrorNote';
import { BASIS_WORDS, SEPARATION_WORDS, useAllocation, type AllocationView, type Placement } from '../arrival/arrivals';

interface ClinicView {
  settings: { sessions: { code: string; label: string; start: string; end: string }[] };
}

/**
 * Arrivals: a session's slots and waiting areas for a day — who comes when and waits where, the
 * places left, any clash between people stopping street drugs and people actively using — and a
 * control to move someone for the day, with a reason.
 */
export function ArrivalsPage() {
  const s = useSession();
  const path = useClinicPath();
  const clinic = useQuery({ queryKey: ['clinic', s.clinicId], queryFn: () => get<ClinicView>(path()) });
  const sessions = clinic.data?.settings.sessions ?? [];
  const [chosen, setChosen] = useState<string | null>(null);
  const [date, setDate] = useState('');
  const session = chosen ?? sessions[0]?.code ?? '';
  const q = useAllocation(session, date || null, sessions.length > 0);
  const [moving, setMoving] = useState<string | null>(null);
  if (clinic.isLoading) return <Loader role="status" aria-label="Loading" />;
  const a = q.data;
  const canMove = s.has('admin', 'nurse', 'hca', 'keyworker', 'prescriber');
  return (
    <Stack>
      <Title order={2}>
        Arrivals{a ? ` · ${a.date} · ${a.session.code} ${a.session.label} (${a.session.start}–${a.session.end})` : ''}
      </Title>
      <Group align="flex-end">
        {sessions.length > 1 && (
          <Stack gap={4}>
            <Text size="sm" fw={500} id="arrivals-session">
              Session
            </Text>
            <SegmentedControl aria-labelledby="arrivals-session" value={session} onChange={(v) => { setChosen(v); setMoving(null); }} data={sessions.map((x) => ({ value: x.code, label: `${x.code} · ${x.label}` }))} />
          </Stack>
        )}
        <TextInput type="date" label="Date" description="Leave empty for today" value={date} onChange={(e) => { setDate(e.currentTarget.value); setMoving(null); }} w={200} />
      </Group>
      {q.isLoading && <Loader role="status" aria-label="Loading" />}
      {q.error ? <ErrorNote error={q.error} /> : null}
      {a && (
        <>
          {!a.enabled && (
            <Alert color="gray" title="Arrival slots are off at this clinic">
              This is how people would be allocated. An administrator turns slots on in Administration (settings, <code>arrival.slotsEnabled</code>); until then nobody can be moved.
            </Alert>
          )}
          {a.warnings.map((w) => (
            <Alert key={w.message} color="red" title="Warning: people who must wait apart share an area" role="alert">
              {w.message}
              {w.people.length > 0 && `: ${w.people.map((p) => p.displayName).join(', ')}`}
            </Alert>
          ))}
          {a.unallocated.length > 0 && (
            <Alert color="orange" title="No place for everyone">
              <List size="sm">
                {a.unallocated.map((u) => (
                  <List.Item key={u.serviceUserId}>
                    {u.displayName}: {u.why}
                  </List.Item>
                ))}
              </List>
            </Alert>
          )}
          <Areas a={a} />
          <WhoIsWhere a={a} canMove={canMove && a.enabled} onMove={setMoving} />
          {moving && a.people.some((p) => p.serviceUserId === moving) && <MoveForm key={moving} a={a} person={a.people.find((p) => p.serviceUserId === moving)!} onDone={() => setMoving(null)} />}
          <Slots a={a} />
        </>
      )}
    </Stack>
  );
}

function Areas({ a }: { a: AllocationView }) {
  if (a.areas.length === 0) {
    return <Text c="gray.7">No waiting areas are configured: everyone waits in one room. An administrator adds areas in Administration (settings, <code>arrival.waitingAreas</code>).</Text>;
  }
  return (
    <section aria-label="Waiting areas">
      <Title order={3} mb="xs">
        Waiting areas
      </Title>
      <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }}>
        {a.areas.map((area) => {
          const here = a.people.filter((p) => p.area === area.code);
          return (
            <Card withBorder key={area.code} component="section" aria-label={area.name}>
              <Group justify="space-between" mb={4}>
                <Title order={4}>{area.name}</Title>
                <Badge color={area.count >= area.capacity ? 'red.9' : 'teal.9'} variant="filled">
                  {area.count} of {area.capacity}
                  {area.count >= area.capacity ? ' · full' : ''}
                </Badge>
              </Group>
              {area.purpose && (
                <Text size="sm" c="gray.7" mb={4}>
                  {area.purpose}
                </Text>
              )}
              {here.length === 0 ? (
                <Text size="sm">Nobody</Text>
              ) : (
                <List size="sm">
                  {here.map((p) => (
                    <List.Item key={p.serviceUserId}>
                      {p.displayName} · {p.slot?.start ?? 'no slot'}
                    </List.Item>
                  ))}
                </List>
              )}
            </Card>
          );
        })}
      </SimpleGrid>
    </section>
  );
}

function WhoIsWhere({ a, canMove, onMove }: { a: AllocationView; canMove: boolean; onMove: (id: string) => void }) {
  return (
    <section aria-label="Who is where">
      <Title order={3} mb="xs">
        Who is where
      </Title>
      {a.people.length === 0 ? (
        <Text c="gray.7">Nobody is expected at this session.</Text>
      ) : (
        <Table striped verticalSpacing="sm" aria-label="Who is where">
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">Person</Table.Th>
              <Table.Th scope="col">Slot</Table.Th>
              <Table.Th scope="col">Waiting area</Table.Th>
              <Table.Th scope="col">Wait apart</Table.Th>
              <Table.Th scope="col">Why here</Table.Th>
              {canMove && <Table.Th scope="col">Move</Table.Th>}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {a.people.map((p) => (
              <Table.Tr key={p.serviceUserId} data-person={p.displayName}>
                <Table.Td>
                  <Anchor component={Link} to={`/people/${p.serviceUserId}?tab=details`}>
                    {p.displayName}
                  </Anchor>
                </Table.Td>
                <Table.Td>{p.slot ? `${p.slot.start}–${p.slot.end}` : 'none'}</Table.Td>
                <Table.Td>{p.areaName ?? (a.areas.length ? 'none' : '—')}</Table.Td>
                <Table.Td>{p.separateBecause ? SEPARATION_WORDS[p.separateBecause] : '—'}</Table.Td>
                <Table.Td>
                  <Stack gap={2}>
                    <Text size="sm">
                      Slot: {p.slotBasis ? BASIS_WORDS[p.slotBasis] : '—'}
                      {a.areas.length > 0 && `; area: ${p.areaBasis ? BASIS_WORDS[p.areaBasis] : '—'}`}
                    </Text>
                    {p.lastMove && <Text size="sm">Moved: {p.lastMove.reason}</Text>}
                    {p.notes.map((n) => (
                      <Text size="sm" key={n}>
                        {n}
                      </Text>
                    ))}
                  </Stack>
                </Table.Td>
                {canMove && (
                  <Table.Td>
                    <Button size="compact-md" variant="outline" onClick={() => onMove(p.serviceUserId)} aria-label={`Move ${p.displayName}`}>
                      Move
                    </Button>
                  </Table.Td>
                )}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </section>
  );
}

function MoveForm({ a, person, onDone }: { a: AllocationView; person: Placement; onDone: () => void }) {
  const path = useClinicPath();
  const qc = useQueryClient();
  const [slot, setSlot] = useState<string | null>(null);
  const [area, setArea] = useState<string | null>(null);
  const [reason, setReason] = useState('');
  const move = useMutation({
    mutationFn: () => post(path('/arrival-slots/moves'), { serviceUserId: person.serviceUserId, date: a.date, session: a.session.code, ...(slot ? { slot } : {}), ...(area ? { area } : {}), reason }),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: ['arrival-slots'] });
      onDone();
    },
  });
  const error = move.error instanceof ApiFailure ? move.error : null;
  const slotOptions = a.slots.map((x) => {
    const mine = person.slot?.code === x.code;
    const full = !mine && x.count >= x.places;
    return { value: x.start, label: `${x.start}–${x.end} (${x.count} of ${x.places}${full ? ', full' : ''}${mine ? ', now' : ''})`, disabled: full };
  });
  const areaOptions = a.areas.map((x) => {
    const mine = person.area === x.code;
    const full = !mine && x.count >= x.capacity;
    return { value: x.code, label: `${x.name} (${x.count} of ${x.capacity}${full ? ', full' : ''}${mine ? ', now' : ''})`, disabled: full };
  });
  return (
    <Card withBorder component="form" aria-label={`Move ${person.displayName}`} onSubmit={(e) => { e.preventDefault(); move.mutate(); }}>
      <Title order={3} size="h4" mb="xs">
        Move {person.displayName} for {a.session.code} on {a.date}
      </Title>
      <Text size="sm" mb="xs">
        Now: {person.slot?.start ?? 'no slot'} · {person.areaName ?? 'no area'}. Leave a field empty to keep it.
      </Text>
      <Group align="flex-start" wrap="wrap">
        <Select label="New slot" placeholder="keep the slot" data={slotOptions} value={slot} onChange={setSlot} clearable error={error?.forField('slot')} w={240} />
        {a.areas.length > 0 && <Select label="New waiting area" placeholder="keep the area" data={areaOptions} value={area} onChange={setArea} clearable error={error?.forField('area')} w={280} />}
        <Textarea label="Reason" required value={reason} onChange={(e) => setReason(e.currentTarget.value)} error={error?.forField('reason')} w={320} autosize minRows={1} />
      </Group>
      <Group mt="sm">
        <Button type="submit" loading={move.isPending} disabled={!slot && !area}>
          Move
        </Button>
        <Button variant="subtle" onClick={onDone}>
          Cancel
        </Button>
      </Group>
      {move.error && !(error?.field && ['slot', 'area', 'reason'].includes(error.field)) ? <ErrorNote error={move.error} /> : null}
    </Card>
  );
}

function Slots({ a }: { a: AllocationView }) {
  return (
    <section aria-label="Slots">
      <Title order={3} mb="xs">
        Slots · every {a.slotMinutes} min, {a.peoplePerSlot} {a.peoplePerSlot === 1 ? 'place' : 'places'} each
      </Title>
      <Table striped aria-label="Slots">
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">Time</Table.Th>
            <Table.Th scope="col">Places taken</Table.Th>
            <Table.Th scope="col">People</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {a.slots.map((x) => (
            <Table.Tr key={x.code}>
              <Table.Td>
                {x.start}–{x.end}
              </Table.Td>
              <Table.Td>
                {x.count} of {x.places}
                {x.count >= x.places ? ' (full)' : ''}
              </Table.Td>
              <Table.Td>{x.people.map((p) => p.displayName).join(', ') || '—'}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </section>
  );
}
