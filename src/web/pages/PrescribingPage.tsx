import { Anchor, Badge, Loader, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { get } from '../api';
import { useClinicPath, useSession } from '../session';
import { clinicDateTime } from '../time';

interface Due {
  serviceUserId: string;
  displayName: string;
  state: string;
  dueOn: string;
  overdue: boolean;
  why: string;
  lastReviewedAt: string | null;
  sinceLastReview: { prescriptionVersions: number; absences: number };
}

/** The prescriber's list: who is due a review (within a week), overdue first. */
export function PrescribingPage() {
  const s = useSession();
  const path = useClinicPath();
  const due = useQuery({ queryKey: ['reviews-due', s.clinicId], queryFn: () => get<{ today: string; due: Due[] }>(path('/reviews/due?withinDays=7')) });
  if (due.isLoading) return <Loader role="status" aria-label="Loading" />;
  return (
    <Stack>
      <Title order={2}>Reviews due</Title>
      {due.data?.due.length === 0 ? (
        <Text c="gray.7">Nobody is due a review this week.</Text>
      ) : (
        <Table striped aria-label="Reviews due">
          <Table.Thead>
            <Table.Tr><Table.Th>Person</Table.Th><Table.Th>Due</Table.Th><Table.Th>Why</Table.Th><Table.Th>Last review</Table.Th><Table.Th>Since then</Table.Th></Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {due.data?.due.map((d) => (
              <Table.Tr key={d.serviceUserId}>
                <Table.Td><Anchor component={Link} to={`/people/${d.serviceUserId}`}>{d.displayName}</Anchor></Table.Td>
                <Table.Td>{d.dueOn} {d.overdue && <Badge color="red.9" variant="filled">overdue</Badge>}</Table.Td>
                <Table.Td>{d.why}</Table.Td>
                <Table.Td>{clinicDateTime(d.lastReviewedAt, s.timeZone)}</Table.Td>
                <Table.Td>{d.sinceLastReview.prescriptionVersions} prescription change(s), {d.sinceLastReview.absences} absence(s)</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
}
