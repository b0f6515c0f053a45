import { Badge, Card, Stack, Table, Tabs, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { get } from '../api';
import { useClinicPath, useSession } from '../session';
import { CareSection } from './CareSection';
import { kindViews } from './kinds';
import { OutcomeChange } from './OutcomeChange';
import { KeyworkerCard } from './KeyworkerCard';

/**
 * Monitoring and care on a person's record: one tab per area, each with its records, a form to
 * record a new one and corrections. Who may record what follows the server's permission table.
 */
export function CareTab({ serviceUserId, keyworkerStaffId }: { serviceUserId: string; keyworkerStaffId: string | null }) {
  const s = useSession();
  const path = useClinicPath();
  const clinic = useQuery({
    queryKey: ['clinic-settings', s.clinicId],
    queryFn: () => get<{ settings: { monitoring?: { toxicologyPanel: string[] }; dosing: { injectionSites: string[] } } }>(path()),
  });
  if (!clinic.data) return null;
  const KINDS = kindViews({ toxicologyPanel: clinic.data.settings.monitoring?.toxicologyPanel ?? [], injectionSites: clinic.data.settings.dosing.injectionSites });
  return (
    <Stack>
      <KeyworkerCard serviceUserId={serviceUserId} keyworkerStaffId={keyworkerStaffId} />
      <Tabs defaultValue="toxicology" keepMounted={false} variant="pills">
        <Tabs.List>
          {KINDS.map((k) => (
            <Tabs.Tab key={k.path} value={k.path}>
              {k.tab}
            </Tabs.Tab>
          ))}
        </Tabs.List>
        {KINDS.map((k) => (
          <Tabs.Panel key={k.path} value={k.path} pt="sm">
            <CareSection title={k.title} path={k.path} serviceUserId={serviceUserId} fields={k.fields} summary={k.summary} canWrite={s.has(...k.writers)} withTime={k.withTime} dateLabel={k.dateLabel}>
              {k.path === 'toxicology' && <ToxicologyTrends serviceUserId={serviceUserId} />}
              {k.path === 'outcomes' && <OutcomeChange serviceUserId={serviceUserId} />}
            </CareSection>
          </Tabs.Panel>
        ))}
      </Tabs>
    </Stack>
  );
}

interface Week {
  weekStarting: string;
  samplesTaken: number;
  attemptsNotTaken: number;
  streetHeroin: 'positive' | 'negative' | 'markers_not_tested' | 'results_pending' | 'no_sample';
  positives: string[];
}

const FINDING: Record<Week['streetHeroin'], { word: string; color: string }> = {
  positive: { word: 'street heroin', color: 'red.9' },
  negative: { word: 'no street heroin', color: 'green.9' },
  markers_not_tested: { word: 'markers not tested', color: 'gray.7' },
  results_pending: { word: 'results awaited', color: 'gray.7' },
  no_sample: { word: 'no sample', color: 'grape.9' },
};

/** Week by week: tested or not, and whether street heroin (its markers, not prescribed diamorphine's) was found. */
function ToxicologyTrends({ serviceUserId }: { serviceUserId: string }) {
  const s = useSession();
  const path = useClinicPath();
  const q = useQuery({
    queryKey: ['care', 'toxicology-trends', serviceUserId, s.clinicId],
    queryFn: () => get<{ weeks: Week[]; streetHeroinMarkers: string[]; summary: { weeks: number; weeksTested: number; weeksPositiveStreetHeroin: number; latest4: { weeksTested: number; weeksPositiveStreetHeroin: number } } }>(path(`/service-users/${serviceUserId}/toxicology/trends?weeks=12`)),
  });
  if (!q.data) return null;
  const d = q.data;
  return (
    <Card withBorder>
      <Title order={4} size="h5">
        {d.weeks.length === 1 ? 'This week' : `The last ${d.weeks.length} weeks`}
      </Title>
      <Text size="sm">
        Tested in {d.summary.weeksTested} of {d.summary.weeks} weeks; street heroin ({d.streetHeroinMarkers.join(', ')}) in {d.summary.weeksPositiveStreetHeroin}. Last 4 weeks: tested {d.summary.latest4.weeksTested}, street heroin {d.summary.latest4.weeksPositiveStreetHeroin}.
      </Text>
      <Table aria-label="Toxicology week by week" mt="xs">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Week of</Table.Th>
            <Table.Th>Samples</Table.Th>
            <Table.Th>Street heroin</Table.Th>
            <Table.Th>Positive for</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {d.weeks.map((w) => (
            <Table.Tr key={w.weekStarting}>
              <Table.Td>{w.weekStarting}</Table.Td>
              <Table.Td>
                {w.samplesTaken}
                {w.attemptsNotTaken ? ` (+${w.attemptsNotTaken} not taken)` : ''}
              </Table.Td>
              <Table.Td>
                <Badge color={FINDING[w.streetHeroin].color} variant="filled">
                  {FINDING[w.streetHeroin].word}
                </Badge>
              </Table.Td>
              <Table.Td>{w.positives.join(', ') || '—'}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Card>
  );
}
