import { useState, type ReactNode } from 'react';
import { Alert, Button, Card, FileInput, Group, Radio, Stack, Table, Text, Title } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { ApiFailure } from '../api';
import { clinicDateTime } from '../time';
import { RejectedRows, type RejectedRow } from './RejectedRows';

export type ImportMode = 'all_or_nothing' | 'valid_rows_only';

/** What every CSV import answers (dry run or real). */
export interface CsvImportReport {
  dryRun?: boolean;
  rowsTotal: number;
  rowsValid: number;
  rowsRejected: number;
  rowsImported: number;
  rejected: RejectedRow[];
}

export interface CsvImportRequest {
  fileName: string;
  csv: string;
  mode: ImportMode;
  dryRun: boolean;
}

/**
 * The form every CSV import shares: choose a file, check it first (a dry run: nothing written,
 * every problem listed by row and column), then import all rows or exactly the valid ones.
 *
 * `children` (what the file holds) stand above the file; `extra` (e.g. a signature) below the
 * choice of mode. What was checked or imported is shown until `resetKey` changes.
 */
export function CsvImportForm({
  fileLabel,
  send,
  onSent,
  ready = true,
  resetKey = '',
  extra,
  children,
}: {
  fileLabel: string;
  send: (request: CsvImportRequest) => Promise<CsvImportReport>;
  onSent?: (report: CsvImportReport) => void;
  /** Whatever else the import needs is filled in (the file itself is checked here). */
  ready?: boolean;
  resetKey?: string;
  extra?: ReactNode;
  children?: ReactNode;
}) {
  const [file, setFile] = useState<File | null>(null);
  const [mode, setMode] = useState<ImportMode>('all_or_nothing');
  const [result, setResult] = useState<{ key: string; report: CsvImportReport | null; failure: ApiFailure | null } | null>(null);
  const mutation = useMutation({
    mutationFn: async (dryRun: boolean) => send({ fileName: file!.name, csv: await file!.text(), mode, dryRun }),
    onSuccess: (report) => {
      setResult({ key: resetKey, report, failure: null });
      onSent?.(report);
    },
    onError: (e) => setResult({ key: resetKey, report: null, failure: e instanceof ApiFailure ? e : new ApiFailure(0, 'error', String(e)) }),
  });
  const shown = result?.key === resetKey ? result : null;
  const report = shown?.report ?? null;
  const failure = shown?.failure ?? null;
  // A refusal without a report names each problem "row N: column".
  const rejected: RejectedRow[] = report?.rejected ?? failure?.problems?.map((p) => ({ row: Number(/^row (\d+)/.exec(p.field)?.[1] ?? 0), field: p.field.replace(/^row \d+: /, ''), message: p.message })) ?? [];
  const canSend = !!file && ready;
  return (
    <>
      <Card withBorder>
        <Stack>
          {children}
          <FileInput label={fileLabel} accept=".csv,text/csv" value={file} onChange={setFile} clearable clearButtonProps={{ 'aria-label': 'Clear the file' }} />
          <Radio.Group label="If some rows are wrong" value={mode} onChange={(v) => setMode(v as ImportMode)}>
            <Stack gap={4} mt={4}>
              <Radio value="all_or_nothing" label="Import nothing until every row is right" />
              <Radio value="valid_rows_only" label="Import the valid rows and list the rest" />
            </Stack>
          </Radio.Group>
          {extra}
          <Group>
            <Button variant="outline" disabled={!canSend} loading={mutation.isPending} onClick={() => mutation.mutate(true)}>
              Check the file
            </Button>
            <Button disabled={!canSend} loading={mutation.isPending} onClick={() => mutation.mutate(false)}>
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
    </>
  );
}

export interface PastImport {
  importId: string;
  fileName: string | null;
  rowsTotal: number;
  rowsImported: number;
  rejected: RejectedRow[];
  importedAt: string;
}

/** Earlier imports, newest first as the server lists them; `what` adds a column saying what each held. */
export function EarlierImports<T extends PastImport>({ imports, timeZone, what }: { imports: readonly T[] | undefined; timeZone: string; what?: (i: T) => string }) {
  return (
    <>
      <Title order={3} size="h4">
        Earlier imports
      </Title>
      {(imports ?? []).length === 0 ? (
        <Text c="gray.7">None yet.</Text>
      ) : (
        <Table striped aria-label="Earlier imports">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>When</Table.Th>
              {what && <Table.Th>What</Table.Th>}
              <Table.Th>File</Table.Th>
              <Table.Th>Rows</Table.Th>
              <Table.Th>Imported</Table.Th>
              <Table.Th>Problems</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {imports!.map((i) => (
              <Table.Tr key={i.importId}>
                <Table.Td>{clinicDateTime(i.importedAt, timeZone)}</Table.Td>
                {what && <Table.Td>{what(i)}</Table.Td>}
                <Table.Td>{i.fileName ?? '—'}</Table.Td>
                <Table.Td>{i.rowsTotal}</Table.Td>
                <Table.Td>{i.rowsImported}</Table.Td>
                <Table.Td>{i.rejected.length}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </>
  );
}
