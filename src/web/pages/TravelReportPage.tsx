import { useState } from 'react';
import { BarChart } from '@mantine/charts';
import { Anchor, Button, Card, Group, Loader, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { get } from '../api';
import { useClinicPath, useSession } from '../session';
import { ErrorNote } from '../components/ErrorNote';
import { clinicToday } from '../time';

interface Counts {
  expected: number;
  attended: number;
  given: number;
  attendancePercent: number | null;
}
interface TravelReport {
  from: string;
  to: string;
  people: (Counts & { serviceUserId: string; displayName: string; minutesOneWay: number | null; transport: string[]; changes: number | null; band: string; missed: number })[];
  bands: (Counts & { band: string; label: string; people: number })[];
}

const pct = (p: number | null) => (p === null ? '—' : `${p} %`);

function daysBefore(date: string, days: number): string {
  const d = new Date(`${date}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() - days);
  return d.toISOString().slice(0, 10);
}

/** Travel burden: attendance against the length of the journey, per band and per person. */
export function TravelReportPage() {
  const s = useSession();
  const path = useClinicPath();
  const today = clinicToday(s.timeZone);
  const [from, setFrom] = useState(() => daysBefore(today, 27));
  const [to, setTo] = useState(today);
  const [asked, setAsked] = useState({ from, to });
  const q = useQuery({
    queryKey: ['travel-report', s.clinicId, asked.from, asked.to],
    queryFn: () => get<TravelReport>(path(`/reports/travel?from=${asked.from}&to=${asked.to}`)),
    retry: false,
  });
  const r = q.data;
  return (
    <Stack>
      <Title order={2}>Travel burden</Title>
      <Text>
        Attendance against the journey to the clinic. A session counts once the person&apos;s dose has an outcome (given, refused, not given, or missed); attended means they came.
        Journeys are recorded on each person&apos;s Details.
      </Text>
      <Group align="flex-end" component="form" onSubmit={(e) => { e.preventDefault(); setAsked({ from, to }); }}>
        <TextInput type="date" label="From" value={from} onChange={(e) => setFrom(e.currentTarget.value)} w={180} />
        <TextInput type="date" label="To" value={to} onChange={(e) => setTo(e.currentTarget.value)} w={180} />
        <Button type="submit">Show</Button>
      </Group>
      {q.isLoading && <Loader role="status" aria-label="Loading" />}
      {q.error ? <ErrorNote error={q.error} /> : null}
      {r && (
        <>
          <Card withBorder component="section" aria-label="By journey length">
            <Title order={3} size="h4" mb="xs">
              By journey length (one way), {r.from} to {r.to}
            </Title>
            <BarChart
              h={220}
              data={r.bands.map((b) => ({ band: b.label, attendance: b.attendancePercent ?? 0 }))}
              dataKey="band"
              series={[{ name: 'attendance', color: 'blue.8', label: 'attendance %' }]}
              yAxisProps={{ domain: [0, 100] }}
              withLegend
            />
            <Table aria-label="Attendance by journey length (the chart's numbers)" mt="sm">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">Journey</Table.Th>
                  <Table.Th scope="col">People</Table.Th>
                  <Table.Th scope="col">Sessions expected</Table.Th>
                  <Table.Th scope="col">Attended</Table.Th>
                  <Table.Th scope="col">Doses given</Table.Th>
                  <Table.Th scope="col">Attendance</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {r.bands.map((b) => (
                  <Table.Tr key={b.band} data-band={b.band}>
                    <Table.Td>{b.label}</Table.Td>
                    <Table.Td>{b.people}</Table.Td>
                    <Table.Td>{b.expected}</Table.Td>
                    <Table.Td>{b.attended}</Table.Td>
                    <Table.Td>{b.given}</Table.Td>
                    <Table.Td>{pct(b.attendancePercent)}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Card>
          <Card withBorder component="section" aria-label="By person">
            <Title order={3} size="h4" mb="xs">
              By person
            </Title>
            {r.people.length === 0 ? (
              <Text c="gray.7">No sessions with an outcome in this period.</Text>
            ) : (
              <Table striped aria-label="Attendance by person">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th scope="col">Person</Table.Th>
                    <Table.Th scope="col">Minutes one way</Table.Th>
                    <Table.Th scope="col">Transport</Table.Th>
                    <Table.Th scope="col">Changes</Table.Th>
                    <Table.Th scope="col">Expected</Table.Th>
                    <Table.Th scope="col">Attended</Table.Th>
                    <Table.Th scope="col">Given</Table.Th>
                    <Table.Th scope="col">Attendance</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {r.people.map((p) => (
                    <Table.Tr key={p.serviceUserId}>
                      <Table.Td>
                        <Anchor component={Link} to={`/people/${p.serviceUserId}?tab=details`}>
                          {p.displayName}
                        </Anchor>
                      </Table.Td>
                      <Table.Td>{p.minutesOneWay ?? 'not recorded'}</Table.Td>
                      <Table.Td>{p.transport.join(', ') || '—'}</Table.Td>
                      <Table.Td>{p.changes ?? '—'}</Table.Td>
                      <Table.Td>{p.expected}</Table.Td>
                      <Table.Td>{p.attended}</Table.Td>
                      <Table.Td>{p.given}</Table.Td>
                      <Table.Td>{pct(p.attendancePercent)}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            )}
          </Card>
        </>
      )}
    </Stack>
  );
}
