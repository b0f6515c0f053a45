import { useState } from 'react';
import { Alert, Badge, Button, Card, Group, List, Loader, Stack, Table, Text, TextInput, Textarea, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiFailure, get, post } from '../api';
import { useClinicPath, useSession } from '../session';
import { ErrorNote } from '../components/ErrorNote';
import { clinicDateTime } from '../time';

interface Grant {
  grantId: string;
  recordClinicId: string;
  serviceUserId: string;
  staffId: string;
  staffName: string | null;
  fromClinicId: string;
  reason: string;
  grantedAt: string;
  expiresAt: string;
  active: boolean;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Emergency access ("break glass"): open one person's record at another clinic of this deployment,
 * read-only, for 4 hours, with a reason. Everything is audited and shown to that clinic's administrators.
 */
export function EmergencyAccessPage() {
  const s = useSession();
  const path = useClinicPath();
  const client = useQueryClient();
  const [recordClinicId, setRecordClinicId] = useState('');
  const [person, setPerson] = useState('');
  const [reason, setReason] = useState('');
  const [open, setOpen] = useState<Grant | null>(null);
  const mine = useQuery({ queryKey: ['emergency-access', s.clinicId], queryFn: () => get<{ grants: Grant[] }>(path('/emergency-access')) });
  const ask = useMutation({
    mutationFn: () =>
      post<Grant>(path('/emergency-access'), {
        recordClinicId: recordClinicId.trim(),
        ...(UUID.test(person.trim()) ? { serviceUserId: person.trim() } : { nhsNumber: person.trim() }),
        reason,
      }),
    onSuccess: (grant) => {
      setOpen(grant);
      setReason('');
      void client.invalidateQueries({ queryKey: ['emergency-access'] });
    },
  });
  const failure = ask.error instanceof ApiFailure ? ask.error : null;
  return (
    <Stack>
      <Title order={2}>Emergency access</Title>
      <Alert color="orange" title="Break the glass only in an emergency">
        You can open the record of someone in treatment at another clinic, read-only, for 4 hours. Your reason, and every look at the
        record, is recorded and shown to that clinic&apos;s administrators.
      </Alert>
      <Card withBorder component="form" onSubmit={(e) => { e.preventDefault(); ask.mutate(); }}>
        <Stack>
          <TextInput label="Clinic id (of the clinic that keeps the record)" required value={recordClinicId} onChange={(e) => setRecordClinicId(e.currentTarget.value)} error={failure?.forField('recordClinicId')} />
          <TextInput label="NHS number or service-user id" required value={person} onChange={(e) => setPerson(e.currentTarget.value)} error={failure?.forField('nhsNumber') ?? failure?.forField('serviceUserId')} />
          <Textarea label="Reason (what is happening, and why you need the record)" description="At least 20 characters" required minRows={3} value={reason} onChange={(e) => setReason(e.currentTarget.value)} error={failure?.forField('reason')} />
          <ErrorNote error={ask.error} />
          <Group>
            <Button type="submit" color="red" loading={ask.isPending}>Open the record</Button>
          </Group>
        </Stack>
      </Card>
      {open ? <EmergencyRecord grant={open} timeZone={s.timeZone} /> : null}
      <Title order={3}>Your emergency access</Title>
      {mine.isLoading ? <Loader role="status" aria-label="Loading" /> : null}
      <GrantTable grants={mine.data?.grants ?? []} timeZone={s.timeZone} onOpen={setOpen} />
    </Stack>
  );
}

interface RecordView {
  record: { familyName: string; givenName: string; dateOfBirth: string; nhsNumber: string | null };
  alerts: { code?: string; message: string }[];
  prescriptionInForce: unknown;
}

/** The person's record, as far as the grant reaches (read-only). */
function EmergencyRecord({ grant, timeZone }: { grant: Grant; timeZone: string }) {
  const record = useQuery({
    queryKey: ['emergency-record', grant.grantId],
    queryFn: () => get<RecordView>(`/api/v1/clinics/${grant.recordClinicId}/service-users/${grant.serviceUserId}`),
    retry: false,
  });
  return (
    <Card withBorder data-testid="emergency-record">
      <Stack gap="xs">
        <Group justify="space-between">
          <Title order={3}>Record (read-only)</Title>
          <Badge color="red">Until {clinicDateTime(grant.expiresAt, timeZone)}</Badge>
        </Group>
        {record.isLoading ? <Loader role="status" aria-label="Loading" /> : null}
        <ErrorNote error={record.error} />
        {record.data ? (
          <>
            <Text fw={700}>
              {record.data.record.givenName} {record.data.record.familyName}
            </Text>
            <Text>Born {record.data.record.dateOfBirth}; NHS number {record.data.record.nhsNumber ?? '—'}</Text>
            <Text fw={600}>Alerts</Text>
            {record.data.alerts.length > 0 ? <List size="sm">{record.data.alerts.map((a, i) => <List.Item key={i}>{a.message}</List.Item>)}</List> : <Text>None.</Text>}
            <Text fw={600}>Prescription in force</Text>
            {record.data.prescriptionInForce ? (
              <Text component="pre" size="xs" style={{ whiteSpace: 'pre-wrap' }}>{JSON.stringify(record.data.prescriptionInForce, null, 2)}</Text>
            ) : (
              <Text>None.</Text>
            )}
          </>
        ) : null}
      </Stack>
    </Card>
  );
}

function GrantTable({ grants, timeZone, onOpen }: { grants: Grant[]; timeZone: string; onOpen?: (g: Grant) => void }) {
  if (grants.length === 0) return <Text>None.</Text>;
  return (
    <Table striped>
      <Table.Thead>
        <Table.Tr>
          <Table.Th>When</Table.Th>
          <Table.Th>Who</Table.Th>
          <Table.Th>Service user</Table.Th>
          <Table.Th>Reason</Table.Th>
          <Table.Th>Until</Table.Th>
          {onOpen ? <Table.Th /> : null}
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {grants.map((g) => (
          <Table.Tr key={g.grantId}>
            <Table.Td>{clinicDateTime(g.grantedAt, timeZone)}</Table.Td>
            <Table.Td>{g.staffName ?? g.staffId}</Table.Td>
            <Table.Td>{g.serviceUserId}</Table.Td>
            <Table.Td>{g.reason}</Table.Td>
            <Table.Td>
              {clinicDateTime(g.expiresAt, timeZone)} {g.active ? <Badge color="red">active</Badge> : <Badge color="gray">expired</Badge>}
            </Table.Td>
            {onOpen ? <Table.Td>{g.active ? <Button size="xs" variant="light" onClick={() => onOpen(g)}>Open</Button> : null}</Table.Td> : null}
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

/** For administrators: every break-glass grant into this clinic's records. */
export function BreakGlassLogPage() {
  const s = useSession();
  const path = useClinicPath();
  const list = useQuery({ queryKey: ['break-glass', s.clinicId], queryFn: () => get<{ grants: Grant[] }>(path('/break-glass')) });
  return (
    <Stack>
      <Title order={2}>Emergency access to this clinic&apos;s records</Title>
      <Text>Staff of other clinics who broke the glass to read a record here: who, whom, why and until when.</Text>
      {list.isLoading ? <Loader role="status" aria-label="Loading" /> : null}
      <ErrorNote error={list.error} />
      <GrantTable grants={list.data?.grants ?? []} timeZone={s.timeZone} />
    </Stack>
  );
}
