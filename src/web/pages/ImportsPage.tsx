import { useState } from 'react';
import { Alert, Button, Card, FileInput, Group, PasswordInput, Radio, Stack, Table, Text, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiFailure, get, post } from '../api';
import { useClinicPath, useSession } from '../session';
import { RejectedRows } from '../components/RejectedRows';
import { clinicDateTime } from '../time';

interface Rejected {
  row: number;
  field: string;
  message: string;
  rule?: string;
}
interface ImportReport {
  kind: Kind;
  dryRun?: boolean;
  mode: string;
  rowsTotal: number;
  rowsValid: number;
  rowsRejected: number;
  rowsImported: number;
  rejected: Rejected[];
  importId?: string | null;
}
type Kind = 'service_users' | 'prescriptions';

const KINDS: Record<Kind, { label: string; path: string; columns: string }> = {
  service_users: {
    label: 'Service users',
    path: '/imports/service-users',
    columns:
      'family_name, given_name, date_of_birth (required; dates YYYY-MM-DD or DD/MM/YYYY), preferred_name, nhs_number, address_line_1 to address_line_3, postcode, no_fixed_abode (yes/no), phone, gp_practice, alcohol_known_use (yes/no), referral_source, referral_date, episode_state (empty or referred)',
  },
  prescriptions: {
    label: 'Prescriptions',
    path: '/imports/prescriptions',
    columns:
      'nhs_number, sessions (e.g. "AM PM"), start_date, review_date (required), iv_dose_mg, im_dose_mg, end_date, titration_start_mg, titration_steps (e.g. "2026-03-03:60; 2026-03-04:90"), retitration_start_mg, top_up_max_mg, top_up_wait_minutes, methadone_drug, methadone_daily_mg, methadone_pharmacy, methadone_supervised, reason',
  },
};

/**
 * Bringing a clinic's people and prescriptions in from paper or another system: check the CSV
 * first (nothing written), then import all rows or exactly the valid ones. Administrators import
 * people; prescribers import prescriptions, signing each with their password, and every safety
 * rule applies to every row.
 */
export function ImportsPage() {
  const s = useSession();
  const path = useClinicPath();
  const qc = useQueryClient();
  const allowed = (Object.keys(KINDS) as Kind[]).filter((k) => (k === 'service_users' ? s.has('admin') : s.has('prescriber')));
  const [kind, setKind] = useState<Kind>(allowed[0] ?? 'service_users');
  const [file, setFile] = useState<File | null>(null);
  const [password, setPassword] = useState('');
  const [mode, setMode] = useState<'all_or_nothing' | 'valid_rows_only'>('all_or_nothing');
  const [report, setReport] = useState<ImportReport | null>(null);
  const [failure, setFailure] = useState<ApiFailure | null>(null);
  const imports = useQuery({
    queryKey: ['imports', s.clinicId],
    queryFn: () => get<{ imports: { importId: string; kind: Kind; fileName: string | null; rowsTotal: number; rowsImported: number; rejected: Rejected[]; importedAt: string; mode: string }[] }>(path('/imports')),
  });
  const send = useMutation({
    mutationFn: async (dryRun: boolean) => {
      const csv = await file!.text();
      const body = { fileName: file!.name, csv, mode, dryRun, ...(kind === 'prescriptions' ? { signature: { password } } : {}) };
      return post<ImportReport>(path(KINDS[kind].path), body);
    },
    onSuccess: (r) => {
      setReport(r);
      setFailure(null);
      if (!r.dryRun) setPassword('');
      void qc.invalidateQueries({ queryKey: ['imports'] });
    },
    onError: (e) => {
      setReport(null);
      setFailure(e instanceof ApiFailure ? e : new ApiFailure(0, 'error', String(e)));
    },
  });
  const rejected: Rejected[] = report?.rejected ?? failure?.problems?.map((p) => ({ row: Number(/^row (\d+)/.exec(p.field)?.[1] ?? 0), field: p.field.replace(/^row \d+: /, ''), message: p.message })) ?? [];
  const ready = !!file && (kind === 'service_users' || password !== '');
  if (allowed.length === 0) return <Text>Imports are for administrators (service users) and prescribers (prescriptions).</Text>;
  return (
    <Stack>
      <Title order={2}>Imports</Title>
      <Card withBorder>
        <Stack>
          <Radio.Group
            label="What the file holds"
            value={kind}
            onChange={(v) => {
              setKind(v as Kind);
              setReport(null);
              setFailure(null);
            }}
          >
            <Group mt={4}>
              {allowed.map((k) => (
                <Radio key={k} value={k} label={KINDS[k].label} />
              ))}
            </Group>
          </Radio.Group>
          <Text>
            Columns (a header row, names in any case): <code>{KINDS[kind].columns}</code>.
          </Text>
          {kind === 'prescriptions' && (
            <Text>
              Every row is signed by you and checked by every prescribing rule (first-dose limit, maximum doses, titration, review date, your licence, the person&apos;s episode), exactly as when you sign one
              prescription.
            </Text>
          )}
          <FileInput label="CSV file" accept=".csv,text/csv" value={file} onChange={setFile} clearable clearButtonProps={{ 'aria-label': 'Clear the file' }} />
          <Radio.Group label="If some rows are wrong" value={mode} onChange={(v) => setMode(v as typeof mode)}>
            <Stack gap={4} mt={4}>
              <Radio value="all_or_nothing" label="Import nothing until every row is right" />
              <Radio value="valid_rows_only" label="Import the valid rows and list the rest" />
            </Stack>
          </Radio.Group>
          {kind === 'prescriptions' && <PasswordInput label="Your password (signs every prescription)" value={password} onChange={(e) => setPassword(e.currentTarget.value)} autoComplete="current-password" />}
          <Group>
            <Button variant="outline" disabled={!ready} loading={send.isPending} onClick={() => send.mutate(true)}>
              Check the file
            </Button>
            <Button disabled={!ready} loading={send.isPending} onClick={() => send.mutate(false)}>
              Import
            </Button>
          </Group>
        </Stack>
      </Card>
      {failure && (
        <Alert color="red" title="Nothing was imported" role="alert">
          {failure.message.length > 400 ? `${failure.message.slice(0, 400)}…` : failure.message}
        </Alert>
      )}
      {report && (
        <Alert color={report.rejected.length ? 'orange' : 'green'} title={report.dryRun ? 'Checked: nothing written' : 'Imported'} role="status">
          {report.rowsTotal} row(s) in the file; {report.dryRun ? `${report.rowsValid} would be imported` : `${report.rowsImported} imported`}; {report.rowsRejected} row(s) rejected.
        </Alert>
      )}
      <RejectedRows rows={rejected} />
      <Title order={3} size="h4">
        Earlier imports
      </Title>
      {(imports.data?.imports ?? []).length === 0 ? (
        <Text c="gray.7">None yet.</Text>
      ) : (
        <Table striped aria-label="Earlier imports">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>When</Table.Th>
              <Table.Th>What</Table.Th>
              <Table.Th>File</Table.Th>
              <Table.Th>Rows</Table.Th>
              <Table.Th>Imported</Table.Th>
              <Table.Th>Problems</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {imports.data!.imports.map((i) => (
              <Table.Tr key={i.importId}>
                <Table.Td>{clinicDateTime(i.importedAt, s.timeZone)}</Table.Td>
                <Table.Td>{KINDS[i.kind].label}</Table.Td>
                <Table.Td>{i.fileName ?? '—'}</Table.Td>
                <Table.Td>{i.rowsTotal}</Table.Td>
                <Table.Td>{i.rowsImported}</Table.Td>
                <Table.Td>{i.rejected.length}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
}
