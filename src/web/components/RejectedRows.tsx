import { Table } from '@mantine/core';

export interface RejectedRow {
  row: number;
  field: string;
  message: string;
  /** For a row refused by a safety or clinical rule: the rule's name. */
  rule?: string;
}

/** A CSV import's rejected rows: the row as a spreadsheet numbers it, the column and why. */
export function RejectedRows({ rows }: { rows: readonly RejectedRow[] }) {
  if (rows.length === 0) return null;
  const withRules = rows.some((r) => r.rule);
  return (
    <Table striped aria-label="Rejected rows">
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Row</Table.Th>
          <Table.Th>Column</Table.Th>
          <Table.Th>Problem</Table.Th>
          {withRules && <Table.Th>Rule</Table.Th>}
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {rows.map((r, i) => (
          <Table.Tr key={i}>
            <Table.Td>{r.row || '—'}</Table.Td>
            <Table.Td>{r.field}</Table.Td>
            <Table.Td>{r.message}</Table.Td>
            {withRules && <Table.Td>{r.rule ?? '—'}</Table.Td>}
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
