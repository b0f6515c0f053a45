import { useState, type ReactNode } from 'react';
import { Temporal } from 'temporal-polyfill';
import { Badge, Button, Card, Group, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiFailure, get, post } from '../api';
import { useClinicPath, useSession } from '../session';
import { ErrorNote } from '../components/ErrorNote';
import { clinicDateTime, clinicToday } from '../time';
import { bodyOf, Fields, initialValues, type Field, type Values } from './CareForm';

export interface CareRecordView {
  recordId: string;
  version: number;
  effectiveDate: string;
  occurredAt: string | null;
  data: Values;
  reason: string | null;
  source: 'staff' | 'import';
  recordedAt: string;
}

export interface CareSectionProps {
  title: string;
  /** The URL segment of the kind, e.g. `toxicology`. */
  path: string;
  serviceUserId: string;
  fields: Field[];
  /** One line about a record, in staff's words. */
  summary: (r: CareRecordView) => ReactNode;
  canWrite: boolean;
  /** Ask for the time as well as the date (breath tests, where the time matters). */
  withTime?: boolean;
  dateLabel?: string;
  /** Shown above the list, e.g. a chart or the change in outcomes. */
  children?: ReactNode;
}

/** A wall-clock time at the clinic (whatever the browser's zone) as an instant. */
const toIso = (local: string, timeZone: string) => Temporal.PlainDateTime.from(local).toZonedDateTime(timeZone).toInstant().toString();

/**
 * One kind of monitoring or care record for one person: the latest version of each record, a form
 * to record a new one, and corrections (the same form, with a reason) or "entered in error". The
 * server keeps every version; this screen shows the current one.
 */
export function CareSection(p: CareSectionProps) {
  const s = useSession();
  const path = useClinicPath();
  const qc = useQueryClient();
  const key = ['care', p.path, p.serviceUserId];
  const list = useQuery({ queryKey: key, queryFn: () => get<{ records: CareRecordView[] }>(path(`/service-users/${p.serviceUserId}/${p.path}`)) });
  const [editing, setEditing] = useState<{ record: CareRecordView | null; errorOnly?: boolean } | null>(null);
  const [values, setValues] = useState<Values>(() => initialValues(p.fields));
  const [date, setDate] = useState('');
  const [time, setTime] = useState('');
  const [reason, setReason] = useState('');
  const open = (record: CareRecordView | null, errorOnly = false) => {
    setEditing({ record, errorOnly });
    setValues(initialValues(p.fields, record?.data ?? null));
    setDate(record?.effectiveDate ?? '');
    setTime('');
    setReason('');
    save.reset();
  };
  const save = useMutation({
    mutationFn: () => {
      const when = p.withTime && date && time ? { occurredAt: toIso(`${date}T${time}`, s.timeZone) } : date ? { effectiveDate: date } : {};
      if (!editing?.record) return post(path(`/service-users/${p.serviceUserId}/${p.path}`), { ...bodyOf(p.fields, values), ...when });
      if (editing.errorOnly) return post(path(`/${p.path}/${editing.record.recordId}/corrections`), { reason, enteredInError: true });
      return post(path(`/${p.path}/${editing.record.recordId}/corrections`), { reason, data: bodyOf(p.fields, values), ...when });
    },
    onSuccess: () => {
      setEditing(null);
      void qc.invalidateQueries({ queryKey: ['care'] });
      void qc.invalidateQueries({ queryKey: ['person', p.serviceUserId] });
      void qc.invalidateQueries({ queryKey: ['work-lists'] });
    },
  });
  const error = save.error instanceof ApiFailure ? save.error : null;
  const records = list.data?.records ?? [];
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={3} size="h4">
          {p.title}
        </Title>
        {p.canWrite && !editing && <Button onClick={() => open(null)}>Record {p.title.toLowerCase()}</Button>}
      </Group>
      {editing && (
        <Card withBorder component="form" aria-label={editing.record ? `Correct ${p.title.toLowerCase()}` : `New ${p.title.toLowerCase()}`} onSubmit={(e) => { e.preventDefault(); save.mutate(); }}>
          <Stack gap="xs">
            {!editing.errorOnly && (
              <Group grow>
                <TextInput type="date" label={p.dateLabel ?? 'Date'} description="Leave empty for today" value={date} max={clinicToday(s.timeZone)} onChange={(e) => setDate(e.currentTarget.value)} error={error?.forField('effectiveDate')} />
                {p.withTime && <TextInput type="time" label="Time (clinic time)" value={time} onChange={(e) => setTime(e.currentTarget.value)} error={error?.forField('occurredAt')} />}
              </Group>
            )}
            {!editing.errorOnly && <Fields fields={p.fields} values={values} onChange={setValues} error={error} />}
            {editing.record && <TextInput label={editing.errorOnly ? 'Why was this entered in error?' : 'Reason for the correction'} required value={reason} onChange={(e) => setReason(e.currentTarget.value)} error={error?.forField('reason')} />}
            <ErrorNote error={save.error} />
            <Group>
              <Button type="submit" loading={save.isPending} color={editing.errorOnly ? 'red.9' : undefined}>
                {editing.errorOnly ? 'Mark entered in error' : editing.record ? 'Save correction' : 'Save'}
              </Button>
              <Button variant="subtle" onClick={() => setEditing(null)}>
                Cancel
              </Button>
            </Group>
          </Stack>
        </Card>
      )}
      {p.children}
      {list.error ? <ErrorNote error={list.error} /> : null}
      {records.length === 0 ? (
        <Text c="gray.7">None recorded.</Text>
      ) : (
        <Table striped aria-label={p.title}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{p.dateLabel ?? 'Date'}</Table.Th>
              <Table.Th>Record</Table.Th>
              <Table.Th>Recorded</Table.Th>
              {p.canWrite && <Table.Th>Change</Table.Th>}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {records.map((r) => (
              <Table.Tr key={r.recordId}>
                <Table.Td>
                  {r.effectiveDate}
                  {r.occurredAt ? ` ${clinicDateTime(r.occurredAt, s.timeZone).split(', ').at(-1)}` : ''}
                </Table.Td>
                <Table.Td>{p.summary(r)}</Table.Td>
                <Table.Td>
                  {clinicDateTime(r.recordedAt, s.timeZone)}
                  {r.source === 'import' ? ' (pharmacy import)' : ''}
                  {r.version > 1 ? (
                    <Badge ml={4} color="gray.7" variant="filled" title={r.reason ?? ''}>
                      corrected (v{r.version})
                    </Badge>
                  ) : null}
                </Table.Td>
                {p.canWrite && (
                  <Table.Td>
                    <Group gap={4}>
                      <Button size="compact-sm" variant="light" onClick={() => open(r)}>
                        Correct
                      </Button>
                      <Button size="compact-sm" variant="subtle" color="red" c="red.9" onClick={() => open(r, true)}>
                        Entered in error
                      </Button>
                    </Group>
                  </Table.Td>
                )}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
}
