import { Badge, Card, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { get } from '../api';
import { useClinicPath, useSession } from '../session';

interface Measure {
  measure: string;
  label: string;
  start: number | boolean | null;
  latest: number | boolean | null;
  change: number | null;
  direction: 'better' | 'worse' | 'same' | 'unknown';
}

const DIRECTION = {
  better: { color: 'green.9', word: 'better' },
  worse: { color: 'red.9', word: 'worse' },
  same: { color: 'gray.7', word: 'same' },
  unknown: { color: 'gray.7', word: 'not known' },
} as const;

const show = (v: number | boolean | null) => (v === null ? '—' : v === true ? 'yes' : v === false ? 'no' : String(v));

/** The change since the start of treatment, measure by measure: what commissioners and the person can see improve. */
export function OutcomeChange({ serviceUserId }: { serviceUserId: string }) {
  const s = useSession();
  const path = useClinicPath();
  const q = useQuery({
    queryKey: ['care', 'outcome-change', serviceUserId, s.clinicId],
    queryFn: () => get<{ start: { effectiveDate: string } | null; latest: { effectiveDate: string } | null; measures: Measure[] }>(path(`/service-users/${serviceUserId}/outcomes/change`)),
  });
  if (!q.data) return null;
  const d = q.data;
  if (!d.start) return <Text c="gray.7">No treatment-start profile yet, so no change to show.</Text>;
  if (!d.latest) return <Text c="gray.7">Treatment-start profile on {d.start.effectiveDate}; the change shows once a review or exit profile is recorded.</Text>;
  return (
    <Card withBorder>
      <Title order={4} size="h5">
        Change since the start of treatment ({d.start.effectiveDate} to {d.latest.effectiveDate})
      </Title>
      <Table aria-label="Change in outcomes" mt="xs">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Measure</Table.Th>
            <Table.Th>At start</Table.Th>
            <Table.Th>Latest</Table.Th>
            <Table.Th>Change</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {d.measures.map((m) => (
            <Table.Tr key={m.measure}>
              <Table.Td>{m.label}</Table.Td>
              <Table.Td>{show(m.start)}</Table.Td>
              <Table.Td>{show(m.latest)}</Table.Td>
              <Table.Td>
                <Badge color={DIRECTION[m.direction].color} variant="filled">
                  {m.change !== null && m.change !== 0 ? `${m.change > 0 ? '+' : ''}${m.change} ` : ''}
                  {DIRECTION[m.direction].word}
                </Badge>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Card>
  );
}
