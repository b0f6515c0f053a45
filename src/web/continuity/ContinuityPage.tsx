import { Anchor, Badge, Button, Card, Group, Loader, Stack, Table, Text, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link } from 'react-router';
import { get, post } from '../api';
import { useClinicPath, useSession } from '../session';
import { ErrorNote } from '../components/ErrorNote';
import type { ContinuityStatus } from './ContinuityBanner';

interface PersonPlan {
  serviceUserId: string;
  displayName: string;
  episodeState: string;
  away: boolean;
  plan: { state: 'none' | 'draft' | 'approved'; recordId: string | null; forCurrentHorizon: boolean; option: 'planned_reduction' | 'transfer' | null; approvedOn: string | null };
}
interface Continuity {
  today: string;
  status: ContinuityStatus;
  warning: string | null;
  people: PersonPlan[];
}
interface Drafts {
  drafted: { serviceUserId: string }[];
  superseded: { serviceUserId: string }[];
  skipped: { serviceUserId: string }[];
}

export const STATE_WORDS: Record<ContinuityStatus['state'], string> = {
  open_ended: 'Open-ended: no funding end date recorded',
  funded: 'Funded',
  notice: 'Notice period: plans needed',
  ended: 'Funding has ended',
};

const PLAN_LOOK = {
  none: { word: 'No plan', icon: '○', color: 'red.9' },
  draft: { word: 'Draft: to approve', icon: '◑', color: '#a63a06' },
  approved: { word: 'Approved', icon: '✓', color: 'teal.9' },
} as const;

export const OPTION_WORDS = { planned_reduction: 'Planned reduction', transfer: 'Transfer' } as const;

/** The funding horizon, everyone in treatment with their continuity plan, and drafting plans for those without. */
export function ContinuityPage() {
  const s = useSession();
  const path = useClinicPath();
  const client = useQueryClient();
  const q = useQuery({ queryKey: ['continuity', s.clinicId], queryFn: () => get<Continuity>(path('/continuity')) });
  const drafts = useMutation({
    mutationFn: () => post<Drafts>(path('/continuity/drafts')),
    onSuccess: () => void client.invalidateQueries({ queryKey: ['continuity', s.clinicId] }),
  });
  if (q.isLoading) return <Loader role="status" aria-label="Loading" />;
  if (!q.data) return <ErrorNote error={q.error} />;
  const { status, people } = q.data;
  const canDraft = s.has('admin', 'prescriber') && (status.state === 'funded' || status.state === 'notice');
  return (
    <Stack>
      <Title order={2}>Continuity planning</Title>
      <Card withBorder component="section" aria-labelledby="funding-heading">
        <Title order={3} size="h4" id="funding-heading" mb="xs">
          Funding
        </Title>
        <Table aria-label="Funding" variant="vertical" withTableBorder={false} maw={560}>
          <Table.Tbody>
            <Table.Tr>
              <Table.Th w={200}>State</Table.Th>
              <Table.Td data-testid="continuity-state">{STATE_WORDS[status.state]}</Table.Td>
            </Table.Tr>
            <Table.Tr>
              <Table.Th>Funded until</Table.Th>
              <Table.Td>{status.fundedUntil ?? '—'}</Table.Td>
            </Table.Tr>
            <Table.Tr>
              <Table.Th>Notice from</Table.Th>
              <Table.Td>{status.noticeFrom ?? '—'}</Table.Td>
            </Table.Tr>
            <Table.Tr>
              <Table.Th>Days left</Table.Th>
              <Table.Td data-testid="continuity-days-left">{status.daysLeft ?? '—'}</Table.Td>
            </Table.Tr>
          </Table.Tbody>
        </Table>
        <Text size="sm" c="gray.8" mt="xs">
          The funding end date and the notice period are clinic settings (Administration, <code>continuity</code>). Plans are drafts until a prescriber
          approves them with their password; no plan changes a prescription by itself.
        </Text>
      </Card>

      <Group justify="space-between">
        <Title order={3} size="h4">
          People in treatment
        </Title>
        <Group>
          <Anchor component={Link} to="/peer-support">
            Peer support contacts
          </Anchor>
          {s.has('admin', 'prescriber') && (
            <Button onClick={() => drafts.mutate()} loading={drafts.isPending} disabled={!canDraft}>
              Draft plans for everyone without one
            </Button>
          )}
        </Group>
      </Group>
      <ErrorNote error={drafts.error} />
      {drafts.data && (
        <Text role="status">
          Drafted {drafts.data.drafted.length}; withdrew {drafts.data.superseded.length} for an earlier funding date; {drafts.data.skipped.length} already had a plan.
        </Text>
      )}
      {people.length === 0 ? (
        <Text c="gray.8">Nobody is in treatment.</Text>
      ) : (
        <Table striped aria-label="Continuity plans">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Person</Table.Th>
              <Table.Th>Plan</Table.Th>
              <Table.Th>What</Table.Th>
              <Table.Th>Approved on</Table.Th>
              <Table.Th>Open</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {people.map((p) => {
              const look = PLAN_LOOK[p.plan.state];
              return (
                <Table.Tr key={p.serviceUserId} data-testid="continuity-person">
                  <Table.Td>
                    <Anchor component={Link} to={`/people/${p.serviceUserId}`}>
                      {p.displayName}
                    </Anchor>
                    {p.away ? ' (away)' : ''}
                  </Table.Td>
                  <Table.Td>
                    <Badge color={look.color} variant="filled" radius="sm" data-plan-state={p.plan.state}>
                      <span aria-hidden="true">{look.icon} </span>
                      {look.word}
                    </Badge>
                    {p.plan.state !== 'none' && !p.plan.forCurrentHorizon && <Text size="sm">for an earlier funding date: draft again</Text>}
                  </Table.Td>
                  <Table.Td>{p.plan.option ? OPTION_WORDS[p.plan.option] : '—'}</Table.Td>
                  <Table.Td>{p.plan.approvedOn ?? '—'}</Table.Td>
                  <Table.Td>
                    {p.plan.recordId ? (
                      <Anchor component={Link} to={`/continuity/plans/${p.plan.recordId}`} aria-label={`Open the plan for ${p.displayName}`}>
                        Open plan
                      </Anchor>
                    ) : (
                      '—'
                    )}
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
}
