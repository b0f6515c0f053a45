import { Loader, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { get } from '../api';
import { useClinicPath, useSession } from '../session';
import { ErrorNote } from '../components/ErrorNote';

interface PeerContact {
  name: string;
  role: string;
  contact: string;
  availability: string | null;
}

/** The peer champions and contacts the clinic offers (kept in its settings; shown in every continuity letter). */
export function PeerSupportPage() {
  const s = useSession();
  const path = useClinicPath();
  const q = useQuery({ queryKey: ['peer-support', s.clinicId], queryFn: () => get<{ contacts: PeerContact[] }>(path('/peer-support')) });
  if (q.isLoading) return <Loader role="status" aria-label="Loading" />;
  if (!q.data) return <ErrorNote error={q.error} />;
  return (
    <Stack>
      <Title order={2}>Peer support</Title>
      <Text>Peer champions, mutual-aid groups and advocacy the clinic offers. Administrators keep this list in the clinic settings (peerSupport).</Text>
      {q.data.contacts.length === 0 ? (
        <Text c="gray.8">No peer contacts recorded yet.</Text>
      ) : (
        <Table striped aria-label="Peer support contacts">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Name</Table.Th>
              <Table.Th>Role</Table.Th>
              <Table.Th>Contact</Table.Th>
              <Table.Th>When</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {q.data.contacts.map((c) => (
              <Table.Tr key={`${c.name}-${c.contact}`}>
                <Table.Td>{c.name}</Table.Td>
                <Table.Td>{c.role}</Table.Td>
                <Table.Td>{c.contact}</Table.Td>
                <Table.Td>{c.availability ?? '—'}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
}
