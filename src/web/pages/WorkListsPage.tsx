import { Anchor, Badge, Card, Group, Loader, SegmentedControl, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { get } from '../api';
import { useClinicPath, useSession } from '../session';
import { ErrorNote } from '../components/ErrorNote';

interface Item {
  list: string;
  serviceUserId: string;
  displayName: string;
  dueOn: string;
  overdue: boolean;
  severity: 'info' | 'warning' | 'danger';
  text: string;
}
interface WorkLists {
  today: string;
  lists: { list: string; label: string; roles: string[]; items: Item[] }[];
}

const SEVERITY = {
  danger: { color: 'red.9', word: 'urgent', mark: '⚠' },
  warning: { color: '#a63a06', word: 'soon', mark: '!' },
  info: { color: 'blue.9', word: 'due', mark: '•' },
} as const;

/** What monitoring and care need doing, list by list for the signed-in person's roles, overdue first. */
export function WorkListsPage() {
  const s = useSession();
  const path = useClinicPath();
  const [show, setShow] = useState<'with_items' | 'all'>('with_items');
  const q = useQuery({ queryKey: ['work-lists', s.clinicId], queryFn: () => get<WorkLists>(path('/work-lists')), refetchInterval: 60_000 });
  if (q.isLoading) return <Loader role="status" aria-label="Loading" />;
  if (!q.data) return <ErrorNote error={q.error} />;
  const lists = q.data.lists.filter((l) => show === 'all' || l.items.length > 0);
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2}>Work lists · {q.data.today}</Title>
        <SegmentedControl
          aria-label="Which lists"
          value={show}
          onChange={(v) => setShow(v as 'with_items' | 'all')}
          data={[
            { value: 'with_items', label: 'Lists with work' },
            { value: 'all', label: 'All my lists' },
          ]}
        />
      </Group>
      {lists.length === 0 && <Text>Nothing due on your lists today.</Text>}
      {lists.map((l) => (
        <Card withBorder key={l.list} component="section" aria-label={l.label}>
          <Group justify="space-between" mb="xs">
            <Title order={3} size="h4">
              {l.label}
            </Title>
            <Badge color={l.items.some((i) => i.overdue) ? 'red.9' : 'gray.7'} variant="filled">
              {l.items.length} {l.items.length === 1 ? 'person' : 'people'}
            </Badge>
          </Group>
          {l.items.length === 0 ? (
            <Text c="gray.7">Nothing due.</Text>
          ) : (
            <Table striped aria-label={l.label}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Person</Table.Th>
                  <Table.Th>Due</Table.Th>
                  <Table.Th>What and why</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {l.items.map((i) => (
                  <Table.Tr key={`${i.serviceUserId}-${i.text}`}>
                    <Table.Td>
                      <Anchor component={Link} to={`/people/${i.serviceUserId}?tab=care`}>
                        {i.displayName}
                      </Anchor>
                    </Table.Td>
                    <Table.Td>
                      {i.dueOn}{' '}
                      {i.overdue ? (
                        <Badge color="red.9" variant="filled">
                          overdue
                        </Badge>
                      ) : null}
                    </Table.Td>
                    <Table.Td>
                      <Text c={SEVERITY[i.severity].color} span>
                        {SEVERITY[i.severity].mark}{' '}
                      </Text>
                      {i.text}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
        </Card>
      ))}
    </Stack>
  );
}
