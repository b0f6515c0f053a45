import { Alert, Anchor, Button, Card, Group, Loader, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { get } from '../api';
import { useClinicPath, useSession } from '../session';
import { ErrorNote } from '../components/ErrorNote';

interface NdtmsAnswer {
  month: string;
  fields: string[];
  rows: Record<string, string | number | null>[];
  problems: { row: number; clientId: string; field: string; message: string }[];
}

function lastMonth(): string {
  const d = new Date();
  d.setUTCDate(1);
  d.setUTCMonth(d.getUTCMonth() - 1);
  return d.toISOString().slice(0, 7);
}

/** Enough to find the person: initials and date of birth, as in the return itself. */
function personWords(row: Record<string, string | number | null> | undefined): string {
  if (!row) return 'open the record';
  return `${row.FINITIAL ?? '?'}${row.SINITIAL ?? '?'}, born ${row.DOB ?? 'unknown'}`;
}

/** The national return (NDTMS) and the pseudonymised research extract: admins only, every download audited. */
export function ExportsPage() {
  const s = useSession();
  const path = useClinicPath();
  const [month, setMonth] = useState(lastMonth());
  const [from, setFrom] = useState(`${lastMonth()}-01`);
  const [to, setTo] = useState(new Date().toISOString().slice(0, 10));
  const validMonth = /^\d{4}-(0[1-9]|1[0-2])$/.test(month);
  const q = useQuery({
    queryKey: ['ndtms', s.clinicId, month],
    queryFn: () => get<NdtmsAnswer>(path(`/exports/ndtms?month=${month}`)),
    enabled: validMonth && s.has('admin'),
  });
  if (!s.has('admin')) return <Alert title="Administrators only">The national return and the research extract hold person-level data: only the clinic's administrators may produce them.</Alert>;
  return (
    <Stack>
      <Title order={2}>National return and research extract</Title>
      <Card withBorder>
        <Stack>
          <Title order={3}>NDTMS monthly return</Title>
          <Text size="sm">One row per episode active in the month, in the shape of the NDTMS adult dataset. It carries client identifiers (initials, date of birth, postcode district) under NDTMS's legal basis; each download is recorded in the audit log.</Text>
          <Group align="end">
            <TextInput type="month" label="Month (YYYY-MM)" value={month} onChange={(e) => setMonth(e.currentTarget.value)} w={200} error={validMonth ? undefined : 'Give a month as YYYY-MM'} />
            <Button component="a" href={path(`/exports/ndtms?month=${month}&format=csv`)} variant="outline" disabled={!validMonth}>
              Download CSV
            </Button>
          </Group>
          {q.isLoading ? <Loader role="status" aria-label="Loading the return" /> : null}
          {q.error ? <ErrorNote error={q.error} /> : null}
          {q.data ? (
            <>
              <Text>
                {q.data.rows.length} {q.data.rows.length === 1 ? 'episode' : 'episodes'};{' '}
                <strong>{q.data.problems.length === 0 ? 'no problems: fit to submit' : `${q.data.problems.length} ${q.data.problems.length === 1 ? 'problem' : 'problems'} to fix before submitting`}</strong>
              </Text>
              {q.data.problems.length > 0 ? (
                <>
                  <Title order={4} id="ndtms-problems">Problems found by the validator</Title>
                  <Table striped withTableBorder aria-labelledby="ndtms-problems">
                    <Table.Thead>
                      <Table.Tr>
                        <Table.Th scope="col">Row</Table.Th>
                        <Table.Th scope="col">Client</Table.Th>
                        <Table.Th scope="col">Field</Table.Th>
                        <Table.Th scope="col">Problem</Table.Th>
                      </Table.Tr>
                    </Table.Thead>
                    <Table.Tbody>
                      {q.data.problems.map((p, i) => (
                        <Table.Tr key={i}>
                          <Table.Td>{p.row}</Table.Td>
                          <Table.Td>
                            <Anchor component={Link} to={`/people/${p.clientId}`}>
                              {personWords(q.data.rows[p.row - 1])}
                            </Anchor>
                          </Table.Td>
                          <Table.Td>{p.field}</Table.Td>
                          <Table.Td>{p.message}</Table.Td>
                        </Table.Tr>
                      ))}
                    </Table.Tbody>
                  </Table>
                </>
              ) : null}
            </>
          ) : null}
        </Stack>
      </Card>
      <Card withBorder>
        <Stack>
          <Title order={3}>Research extract</Title>
          <Text size="sm">
            Pseudonymised: a new pseudonym for each person in every extract, no names, NHS numbers, addresses, dates of birth or notes, ages in five-year bands, and each person's dates shifted by up to 14 days (intervals kept exact). It is still personal data: share it only under a data-sharing agreement.
          </Text>
          <Group align="end">
            <TextInput type="date" label="From" value={from} onChange={(e) => setFrom(e.currentTarget.value)} w={180} />
            <TextInput type="date" label="To" value={to} onChange={(e) => setTo(e.currentTarget.value)} w={180} />
            <Button component="a" href={path(`/exports/research?from=${from}&to=${to}&format=csv`)} variant="outline" disabled={!from || !to || to < from}>
              Download CSV
            </Button>
          </Group>
        </Stack>
      </Card>
    </Stack>
  );
}
