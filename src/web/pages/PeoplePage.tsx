import { useState } from 'react';
import { Anchor, Button, Card, Group, Loader, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate } from 'react-router';
import { ApiFailure, get, post } from '../api';
import { useClinicPath, useSession } from '../session';
import { ErrorNote } from '../components/ErrorNote';

interface Summary {
  serviceUserId: string;
  displayName: string;
  dateOfBirth: string;
  nhsNumber: string | null;
  episode: { state: string } | null;
}

export function PeoplePage() {
  const s = useSession();
  const path = useClinicPath();
  const [search, setSearch] = useState('');
  const people = useQuery({ queryKey: ['people', s.clinicId, search], queryFn: () => get<{ serviceUsers: Summary[] }>(path(`/service-users${search ? `?search=${encodeURIComponent(search)}` : ''}`)) });
  return (
    <Stack>
      <Title order={2}>Service users</Title>
      <TextInput label="Search by name or NHS number" value={search} onChange={(e) => setSearch(e.currentTarget.value)} maw={400} />
      {people.isLoading ? (
        <Loader role="status" aria-label="Loading" />
      ) : people.data?.serviceUsers.length === 0 ? (
        <Text c="gray.7">Nobody found.</Text>
      ) : (
        <Table striped aria-label="Service users">
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">Name</Table.Th>
              <Table.Th scope="col">Born</Table.Th>
              <Table.Th scope="col">NHS number</Table.Th>
              <Table.Th scope="col">Treatment</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {people.data?.serviceUsers.map((p) => (
              <Table.Tr key={p.serviceUserId}>
                <Table.Td>
                  <Anchor component={Link} to={`/people/${p.serviceUserId}`}>
                    {p.displayName}
                  </Anchor>
                </Table.Td>
                <Table.Td>{p.dateOfBirth}</Table.Td>
                <Table.Td>{p.nhsNumber ?? '—'}</Table.Td>
                <Table.Td>{p.episode?.state.replace(/_/g, ' ') ?? 'not referred'}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {s.has('admin', 'prescriber', 'nurse', 'keyworker') && <NewPersonForm />}
    </Stack>
  );
}

const SEX_OPTIONS = [
  { value: 'female', label: 'Female' },
  { value: 'male', label: 'Male' },
  { value: 'indeterminate', label: 'Indeterminate' },
  { value: 'not_stated', label: 'Prefers not to say' },
  { value: 'not_known', label: 'Not asked yet' },
];

function NewPersonForm() {
  const path = useClinicPath();
  const client = useQueryClient();
  const navigate = useNavigate();
  const [f, setF] = useState({ givenName: '', familyName: '', preferredName: '', dateOfBirth: '', sex: 'not_known', nhsNumber: '', line1: '', town: '', postcode: '', source: '' });
  const set = (k: keyof typeof f) => (e: React.ChangeEvent<HTMLInputElement>) => setF({ ...f, [k]: e.currentTarget.value });
  const create = useMutation({
    mutationFn: () =>
      post<{ serviceUserId: string }>(path('/service-users'), {
        record: {
          givenName: f.givenName,
          familyName: f.familyName,
          preferredName: f.preferredName || null,
          dateOfBirth: f.dateOfBirth,
          sex: f.sex,
          nhsNumber: f.nhsNumber || null,
          address: f.line1 ? { lines: [f.line1, f.town].filter(Boolean), postcode: f.postcode || null } : null,
        },
        ...(f.source ? { referral: { source: f.source } } : {}),
      }),
    onSuccess: (x) => {
      void client.invalidateQueries({ queryKey: ['people'] });
      navigate(`/people/${x.serviceUserId}`);
    },
  });
  const e = create.error instanceof ApiFailure ? create.error : null;
  return (
    <Card withBorder component="form" onSubmit={(ev) => { ev.preventDefault(); create.mutate(); }}>
      <Stack>
        <Title order={3}>Add a service user</Title>
        <Group grow>
          <TextInput label="Given name" required value={f.givenName} onChange={set('givenName')} error={e?.forField('record.givenName')} />
          <TextInput label="Family name" required value={f.familyName} onChange={set('familyName')} error={e?.forField('record.familyName')} />
          <TextInput label="Preferred name" value={f.preferredName} onChange={set('preferredName')} />
        </Group>
        <Group grow>
          <TextInput label="Date of birth" type="date" required value={f.dateOfBirth} onChange={set('dateOfBirth')} error={e?.forField('record.dateOfBirth')} />
          <Select
            label="Sex (as the person states it)"
            description="Asked for the national (NDTMS) return"
            data={SEX_OPTIONS}
            value={f.sex}
            onChange={(v) => setF({ ...f, sex: v ?? 'not_known' })}
            allowDeselect={false}
            error={e?.forField('record.sex')}
          />
          <TextInput label="NHS number" value={f.nhsNumber} onChange={set('nhsNumber')} error={e?.forField('record.nhsNumber')} />
        </Group>
        <Group grow>
          <TextInput label="Address" value={f.line1} onChange={set('line1')} error={e?.forField('record.address')} />
          <TextInput label="Town" value={f.town} onChange={set('town')} />
          <TextInput label="Postcode" value={f.postcode} onChange={set('postcode')} />
        </Group>
        <TextInput label="Referred by (opens an episode)" value={f.source} onChange={set('source')} />
        <ErrorNote error={create.error} />
        <Button type="submit" loading={create.isPending}>
          Add
        </Button>
      </Stack>
    </Card>
  );
}
