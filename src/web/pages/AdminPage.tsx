import { useState } from 'react';
import { Autocomplete, Button, Card, Checkbox, Group, JsonInput, Loader, MultiSelect, PasswordInput, Stack, Table, Tabs, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { get, post, put } from '../api';
import { useClinicPath, useSession } from '../session';
import { ErrorNote } from '../components/ErrorNote';
import { clinicDateTime } from '../time';

const ROLES = ['admin', 'prescriber', 'nurse', 'hca', 'keyworker', 'cd_accountable', 'commissioner'];

/** Clinic settings, staff and roles, and the audit log. */
export function AdminPage() {
  return (
    <Stack>
      <Title order={2}>Administration</Title>
      <Tabs defaultValue="settings" keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="settings">Clinic settings</Tabs.Tab>
          <Tabs.Tab value="staff">Staff and roles</Tabs.Tab>
          <Tabs.Tab value="audit">Audit log</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="settings" pt="sm"><Settings /></Tabs.Panel>
        <Tabs.Panel value="staff" pt="sm"><Staff /></Tabs.Panel>
        <Tabs.Panel value="audit" pt="sm"><Audit /></Tabs.Panel>
      </Tabs>
    </Stack>
  );
}

/** Every setting (sessions, ceilings, thresholds, eligibility criteria, sites) as checked JSON: the server names any field it refuses. */
function Settings() {
  const s = useSession();
  const path = useClinicPath();
  const client = useQueryClient();
  const clinic = useQuery({ queryKey: ['clinic-admin', s.clinicId], queryFn: () => get<{ settingsVersion: number; settings: unknown }>(path()) });
  const [text, setText] = useState<string | null>(null);
  const [reason, setReason] = useState('');
  const save = useMutation({
    mutationFn: () => put(path('/settings'), { expectedVersion: clinic.data!.settingsVersion, reason, settings: JSON.parse(text ?? '{}') }),
    onSuccess: () => { setText(null); void client.invalidateQueries(); },
  });
  if (!clinic.data) return <Loader role="status" aria-label="Loading" />;
  return (
    <Card withBorder component="form" onSubmit={(e) => { e.preventDefault(); save.mutate(); }}>
      <Stack>
        <Text>Version {clinic.data.settingsVersion}. Every change is a new version with a reason.</Text>
        <JsonInput label="Settings" autosize minRows={20} validationError="Not valid JSON" formatOnBlur value={text ?? JSON.stringify(clinic.data.settings, null, 2)} onChange={setText} />
        <TextInput label="Reason for the change" required value={reason} onChange={(e) => setReason(e.currentTarget.value)} />
        <ErrorNote error={save.error} />
        <Button type="submit" disabled={text === null} loading={save.isPending}>Save as a new version</Button>
      </Stack>
    </Card>
  );
}

function Staff() {
  const s = useSession();
  const path = useClinicPath();
  const client = useQueryClient();
  const staff = useQuery({ queryKey: ['staff', s.clinicId], queryFn: () => get<{ staff: { staffId: string; displayName: string; email: string; roles: string[]; lockedUntil: string | null }[] }>(path('/staff')) });
  const [f, setF] = useState({ email: '', displayName: '', roles: [] as string[], temporaryPassword: '' });
  const add = useMutation({ mutationFn: () => post(path('/staff'), f), onSuccess: () => { setF({ email: '', displayName: '', roles: [], temporaryPassword: '' }); void client.invalidateQueries({ queryKey: ['staff'] }); } });
  const setRoles = useMutation({ mutationFn: ({ id, roles }: { id: string; roles: string[] }) => put(path(`/staff/${id}/roles`), { roles }), onSuccess: () => void client.invalidateQueries({ queryKey: ['staff'] }) });
  return (
    <Stack>
      <Table aria-label="Staff">
        <Table.Thead><Table.Tr><Table.Th>Name</Table.Th><Table.Th>Email</Table.Th><Table.Th>Roles here</Table.Th></Table.Tr></Table.Thead>
        <Table.Tbody>
          {staff.data?.staff.map((m) => (
            <Table.Tr key={m.staffId}>
              <Table.Td>{m.displayName}{m.lockedUntil ? ' (locked)' : ''}</Table.Td>
              <Table.Td>{m.email}</Table.Td>
              <Table.Td><MultiSelect aria-label={`Roles of ${m.displayName}`} data={ROLES} value={m.roles} onChange={(roles) => setRoles.mutate({ id: m.staffId, roles })} /></Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <ErrorNote error={setRoles.error} />
      <Card withBorder component="form" onSubmit={(e) => { e.preventDefault(); add.mutate(); }}>
        <Stack>
          <Title order={3}>Add a member of staff</Title>
          <Group grow>
            <TextInput label="Email" value={f.email} onChange={(e) => setF({ ...f, email: e.currentTarget.value })} />
            <TextInput label="Name" value={f.displayName} onChange={(e) => setF({ ...f, displayName: e.currentTarget.value })} />
          </Group>
          <Group grow>
            <MultiSelect label="Roles" data={ROLES} value={f.roles} onChange={(roles) => setF({ ...f, roles })} />
            <PasswordInput label="Temporary password (they change it at first sign-in)" value={f.temporaryPassword} onChange={(e) => setF({ ...f, temporaryPassword: e.currentTarget.value })} autoComplete="new-password" />
          </Group>
          <ErrorNote error={add.error} />
          <Button type="submit">Add</Button>
        </Stack>
      </Card>
    </Stack>
  );
}

/** What the audit log records, for the filter's suggestions (any other text still filters). */
const AUDITED_ENTITY_TYPES = [
  'service_user', 'service_user_photo', 'episode', 'episode_event', 'prescription_version', 'review', 'dosing_session', 'handover_note',
  'dose', 'dose_event', 'dosing_exception', 'cd_item', 'cd_entry', 'cd_discrepancy', 'cd_patient_return', 'cd_verify', 'clinic_settings',
  'staff', 'staff_roles', 'auth_session', 'audit_log', 'backup',
];

function Audit() {
  const s = useSession();
  const path = useClinicPath();
  const [filters, setFilters] = useState({ entityType: '', entityId: '', from: '', to: '' });
  const [applied, setApplied] = useState(filters);
  const [reads, setReads] = useState(true);
  const qs = new URLSearchParams(Object.entries(applied).filter(([, v]) => v).map(([k, v]) => [k, k === 'from' || k === 'to' ? new Date(v).toISOString() : v]));
  const audit = useQuery({ queryKey: ['audit', s.clinicId, qs.toString()], queryFn: () => get<{ events: { auditId: string; occurredAt: string; staffName: string | null; action: string; entityType: string; entityId: string | null; ip: string | null }[] }>(path(`/audit?limit=200&${qs}`)) });
  const events = (audit.data?.events ?? []).filter((e) => reads || e.action !== 'read');
  return (
    <Stack>
      <Group align="flex-end" component="form" onSubmit={(e) => { e.preventDefault(); setApplied(filters); }}>
        <Autocomplete label="Entity type" data={AUDITED_ENTITY_TYPES} value={filters.entityType} onChange={(v) => setFilters({ ...filters, entityType: v })} />
        <TextInput label="Record id" value={filters.entityId} onChange={(e) => setFilters({ ...filters, entityId: e.currentTarget.value })} />
        <TextInput type="datetime-local" label="From" value={filters.from} onChange={(e) => setFilters({ ...filters, from: e.currentTarget.value })} />
        <TextInput type="datetime-local" label="To" value={filters.to} onChange={(e) => setFilters({ ...filters, to: e.currentTarget.value })} />
        <Button type="submit" variant="outline">Filter</Button>
        <Checkbox label="Show reads" checked={reads} onChange={(e) => setReads(e.currentTarget.checked)} />
      </Group>
      <ErrorNote error={audit.error} />
      <Table striped aria-label="Audit log">
        <Table.Thead><Table.Tr><Table.Th>When</Table.Th><Table.Th>Who</Table.Th><Table.Th>What</Table.Th><Table.Th>Record</Table.Th><Table.Th>From</Table.Th></Table.Tr></Table.Thead>
        <Table.Tbody>
          {events.map((e) => (
            <Table.Tr key={e.auditId}>
              <Table.Td>{clinicDateTime(e.occurredAt, s.timeZone)}</Table.Td><Table.Td>{e.staffName ?? 'system'}</Table.Td><Table.Td>{e.action} {e.entityType}</Table.Td><Table.Td>{e.entityId ?? ''}</Table.Td><Table.Td>{e.ip ?? ''}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Stack>
  );
}
