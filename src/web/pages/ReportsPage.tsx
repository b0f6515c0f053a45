import { BarChart, LineChart } from '@mantine/charts';
import { Anchor, Button, Card, Grid, Group, Loader, SegmentedControl, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { get } from '../api';
import { useClinicPath, useSession } from '../session';
import { ErrorNote } from '../components/ErrorNote';

type Shown = number | string;
type Figure = number | '*' | null;
interface SuppressedTable { rows: string[]; columns: string[]; cells: Shown[][]; rowTotals: Shown[]; columnTotals: Shown[]; total: Shown; smallLabel: string }
interface Report {
  from: string;
  to: string;
  threshold: number;
  places: { commissioned: number; table: SuppressedTable; occupancyPercent: Figure };
  referrals: { table: SuppressedTable; inductions: Shown; medianWaitDays: Figure; longestWaitDays: Figure };
  retention: { table: SuppressedTable; curve: { day: number; atRisk: Shown; retainedPercent: Figure }[] };
  attendance: { table: SuppressedTable; givenPercent: { session: string; percent: Figure }[] };
  adverseEvents: { label: string; doses: Shown }[];
  toxicology: { month: string; tested: Shown; positive: Shown; positivePercent: Figure }[];
  top: { stage: string; people: Shown; measures: { key: string; label: string; n: Shown; mean: Figure }[] }[];
}
interface NamedReport { clinicId: string | null; name: string; report: Report }

const show = (v: Shown | Figure | undefined) => (v === null || v === undefined ? '—' : String(v));
const num = (v: Shown | Figure) => (typeof v === 'number' ? v : null);

function CountTable({ label, t }: { label: string; t: SuppressedTable }) {
  const totals = t.columns.length > 1;
  return (
    <Table aria-label={label} withTableBorder>
      <Table.Thead>
        <Table.Tr><Table.Th /> {t.columns.map((c) => <Table.Th key={c}>{c}</Table.Th>)}{totals && <Table.Th>Total</Table.Th>}</Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {t.rows.map((r, i) => (
          <Table.Tr key={r}>
            <Table.Th scope="row">{r}</Table.Th>
            {t.cells[i]!.map((v, j) => <Table.Td key={j}>{show(v)}</Table.Td>)}
            {totals && <Table.Td>{show(t.rowTotals[i])}</Table.Td>}
          </Table.Tr>
        ))}
        {t.rows.length > 1 && (
          <Table.Tr>
            <Table.Th scope="row">Total</Table.Th>
            {t.columnTotals.map((v, j) => <Table.Td key={j}>{show(v)}</Table.Td>)}
            {totals && <Table.Td>{show(t.total)}</Table.Td>}
          </Table.Tr>
        )}
      </Table.Tbody>
    </Table>
  );
}

function SimpleTable({ label, columns, rows }: { label: string; columns: string[]; rows: (Shown | Figure)[][] }) {
  return (
    <Table aria-label={label} withTableBorder>
      <Table.Thead><Table.Tr>{columns.map((c) => <Table.Th key={c}>{c}</Table.Th>)}</Table.Tr></Table.Thead>
      <Table.Tbody>{rows.map((r, i) => <Table.Tr key={i}>{r.map((v, j) => (j === 0 ? <Table.Th key={j} scope="row">{show(v)}</Table.Th> : <Table.Td key={j}>{show(v)}</Table.Td>))}</Table.Tr>)}</Table.Tbody>
    </Table>
  );
}

function Section({ title, chart, children }: { title: string; chart?: React.ReactNode; children: React.ReactNode }) {
  return (
    <Card withBorder>
      <Title order={3} size="h4" mb="xs">{title}</Title>
      <Grid>
        {chart && <Grid.Col span={{ base: 12, md: 6 }}>{chart}</Grid.Col>}
        <Grid.Col span={{ base: 12, md: chart ? 6 : 12 }}>{children}</Grid.Col>
      </Grid>
    </Card>
  );
}

function ReportView({ r }: { r: Report }) {
  const curve = r.retention.curve.filter((p) => typeof p.retainedPercent === 'number').map((p) => ({ day: p.day, retained: p.retainedPercent as number }));
  const tox = r.toxicology.map((m) => ({ month: m.month, positive: num(m.positivePercent) }));
  const attendance = r.attendance.givenPercent.map((g) => ({ session: g.session, given: num(g.percent) }));
  const top = r.top[0]?.measures.map((m, i) => ({ measure: m.label, ...Object.fromEntries(r.top.map((s) => [s.stage, num(s.measures[i]!.mean)])) })) ?? [];
  return (
    <Stack>
      <Text size="sm">
        {r.from} to {r.to}. Counts from 1 to {r.threshold - 1} show as “&lt;{r.threshold}”; “*” marks a figure hidden so that a small count cannot be worked out. Charts leave hidden figures out.
      </Text>
      <Section title="Places used">
        <CountTable label="People holding a place now" t={r.places.table} />
        <Text>Places commissioned: {r.places.commissioned}; in use: {show(r.places.occupancyPercent)}%</Text>
      </Section>
      <Section title="Referrals and waiting time">
        <CountTable label="Referrals in the period by outcome" t={r.referrals.table} />
        <Text>Inductions in the period: {show(r.referrals.inductions)}; median wait from referral: {show(r.referrals.medianWaitDays)} days; longest: {show(r.referrals.longestWaitDays)} days.</Text>
      </Section>
      <Section
        title="Retention in treatment (Kaplan–Meier)"
        chart={<LineChart h={220} data={curve} dataKey="day" curveType="stepAfter" yAxisProps={{ domain: [0, 100] }} series={[{ name: 'retained', color: 'blue.9', label: '% retained' }]} withLegend aria-label="Retention curve" />}
      >
        <SimpleTable label="Retention with numbers at risk" columns={['Days since induction', 'Number at risk', 'Retained (%)']} rows={r.retention.curve.map((p) => [p.day, p.atRisk, p.retainedPercent])} />
        <CountTable label="People who started treatment by status" t={r.retention.table} />
      </Section>
      <Section title="Attendance per session" chart={<BarChart h={200} data={attendance} dataKey="session" yAxisProps={{ domain: [0, 100] }} series={[{ name: 'given', color: 'teal.9', label: '% of scheduled doses given' }]} withLegend />}>
        <CountTable label="Scheduled doses by outcome" t={r.attendance.table} />
      </Section>
      <Section title="Adverse events and naloxone">
        <SimpleTable label="Adverse events" columns={['Event', 'Doses']} rows={r.adverseEvents.map((a) => [a.label, a.doses])} />
      </Section>
      <Section title="Street heroin in toxicology" chart={<BarChart h={200} data={tox} dataKey="month" yAxisProps={{ domain: [0, 100] }} series={[{ name: 'positive', color: 'red.9', label: '% of people tested positive for street heroin' }]} withLegend />}>
        <SimpleTable label="Toxicology by month" columns={['Month', 'People tested', 'People positive', 'Positive (%)']} rows={r.toxicology.map((m) => [m.month, m.tested, m.positive, m.positivePercent])} />
      </Section>
      <Section
        title="Treatment Outcomes Profile: entry, review, exit"
        chart={<BarChart h={260} data={top} dataKey="measure" series={r.top.map((s, i) => ({ name: s.stage, color: ['grape.9', 'blue.9', 'teal.9'][i] ?? 'gray.9' }))} withLegend />}
      >
        <SimpleTable label="TOP means per stage" columns={['Stage', 'People', ...(r.top[0]?.measures.map((m) => m.label) ?? [])]} rows={r.top.map((s) => [s.stage, s.people, ...s.measures.map((m) => `${show(m.mean)} (n ${show(m.n)})`)])} />
      </Section>
    </Stack>
  );
}

/** The commissioners' dashboard: this clinic, or every clinic where you may see reports and all of them combined. */
export function ReportsPage() {
  const s = useSession();
  const path = useClinicPath();
  const [scope, setScope] = useState<'clinic' | 'all'>('clinic');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [applied, setApplied] = useState({ from: '', to: '' });
  const query = new URLSearchParams(Object.entries(applied).filter(([, v]) => v)).toString();
  const base = scope === 'clinic' ? path('/reports') : '/api/v1/reports';
  const q = useQuery({
    queryKey: ['reports', s.clinicId, scope, query],
    queryFn: async () => (scope === 'clinic' ? [await get<NamedReport>(`${base}?${query}`)] : (await get<{ reports: NamedReport[] }>(`${base}?${query}`)).reports),
  });
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2}>Reports</Title>
        <Group>
          <Anchor href={`${base}.csv?${query}`} download>Download CSV</Anchor>
          <Anchor href={`${base}.pdf?${query}`} download>Download PDF</Anchor>
          <Anchor href={`${base}/print?${query}`} target="_blank" rel="noopener">Printable report</Anchor>
        </Group>
      </Group>
      <Group align="end">
        <SegmentedControl aria-label="Which clinics" value={scope} onChange={(v) => setScope(v as 'clinic' | 'all')} data={[{ value: 'clinic', label: 'This clinic' }, { value: 'all', label: 'All my clinics' }]} />
        <TextInput label="From" type="date" value={from} onChange={(e) => setFrom(e.currentTarget.value)} />
        <TextInput label="To" type="date" value={to} onChange={(e) => setTo(e.currentTarget.value)} />
        <Button onClick={() => setApplied({ from, to })}>Show</Button>
      </Group>
      {q.isLoading && <Loader role="status" aria-label="Loading" />}
      {q.error && <ErrorNote error={q.error} />}
      {q.data?.length === 0 && <Text>You are not a commissioner or administrator at any clinic.</Text>}
      {q.data?.map((r) => (
        <Stack key={r.clinicId ?? 'all'}>
          {scope === 'all' && <Title order={2} size="h3">{r.name}</Title>}
          <ReportView r={r.report} />
        </Stack>
      ))}
    </Stack>
  );
}
