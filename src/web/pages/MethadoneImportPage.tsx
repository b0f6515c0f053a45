import { useState } from 'react';
import { Alert, Button, Card, FileInput, Group, Radio, Stack, Table, Text, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiFailure, get, post } from '../api';
import { useClinicPath, useSession } from '../session';
import { RejectedRows } from '../components/RejectedRows';
import { clinicDateTime } from '../time';

interface Rejected {
  row: number;
  field: string;
  message: string;
}
interface ImportReport {
  dryRun?: boolean;
  mode: string;
  rowsTotal: number;
  rowsValid: number;
  rowsImported: number;
  rejected: Rejected[];
  importId?: string | null;
}

/**
 * A community pharmacy's methadone collection log, as the CSV it sends: check it first (nothing is
 * written), then import all rows or, if staff choose, exactly the valid ones. Every rejected row is
 * listed with the line number, the column and why.
 */
export function MethadoneImportPage() {
  const s = useSession();
  const path = useClinicPath();
  const qc = useQueryClient();
  const [file, setFile] = useState<File | null>(null);
  const [mode, setMode] = useState<'all_or_nothing' | 'valid_rows_only'>('all_or_nothing');
  const [report, setReport] = useState<ImportReport | null>(null);
  const [failure, setFailure] = useState<ApiFailure | null>(null);
  const imports = useQuery({
    queryKey: ['methadone-imports', s.clinicId],
    queryFn: () => get<{ imports: { importId: string; fileName: string | null; rowsTotal: number; rowsImported: number; rejected: Rejected[]; importedAt: string; mode: string }[] }>(path('/methadone-collections/imports')),
  });
  const send = useMutation({
    mutationFn: async (dryRun: boolean) => {
      const csv = await file!.text();
      return post<ImportReport>(path('/methadone-collections/imports'), { fileName: file!.name, csv, mode, dryRun });
    },
    onSuccess: (r) => {
      setReport(r);
      setFailure(null);
      void qc.invalidateQueries({ queryKey: ['methadone-imports'] });
      void qc.invalidateQueries({ queryKey: ['work-lists'] });
    },
    onError: (e) => {
      setReport(null);
      setFailure(e instanceof ApiFailure ? e : new ApiFailure(0, 'error', String(e)));
    },
  });
  const rejected: Rejected[] = report?.rejected ?? (failure?.problems?.map((p) => ({ row: Number(/^row (\d+)/.exec(p.field)?.[1] ?? 0), field: p.field, message: p.message })) ?? []);
  return (
    <Stack>
      <Title order={2}>Pharmacy methadone collections: import</Title>
      <Card withBorder>
        <Stack>
          <Text>
            The CSV needs a header row with <code>nhs_number</code> (or <code>service_user_id</code>), <code>date</code>, <code>status</code> (collected, not_collected, partial or supervised) and
            optionally <code>dose_mg</code>, <code>collected_mg</code>, <code>pharmacy</code>, <code>notes</code>.
          </Text>
          <FileInput label="CSV file from the pharmacy" accept=".csv,text/csv" value={file} onChange={setFile} clearable clearButtonProps={{ 'aria-label': 'Clear the file' }} />
          <Radio.Group label="If some rows are wrong" value={mode} onChange={(v) => setMode(v as typeof mode)}>
            <Stack gap={4} mt={4}>
              <Radio value="all_or_nothing" label="Import nothing until every row is right" />
              <Radio value="valid_rows_only" label="Import the valid rows and list the rest" />
            </Stack>
          </Radio.Group>
          <Group>
            <Button variant="outline" disabled={!file} loading={send.isPending} onClick={() => send.mutate(true)}>
              Check the file
            </Button>
            <Button disabled={!file} loading={send.isPending} onClick={() => send.mutate(false)}>
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
          {report.rowsTotal} row(s) in the file; {report.dryRun ? `${report.rowsValid} would be imported` : `${report.rowsImported} imported`}; {report.rowsTotal - report.rowsValid} row(s) rejected.
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
              <Table.Th>File</Table.Th>
              <Table.Th>Rows</Table.Th>
              <Table.Th>Imported</Table.Th>
              <Table.Th>Rejected</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {imports.data!.imports.map((i) => (
              <Table.Tr key={i.importId}>
                <Table.Td>{clinicDateTime(i.importedAt, s.timeZone)}</Table.Td>
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
