import { useState } from 'react';
import { Alert, Button, Card, Group, Loader, NumberInput, PasswordInput, Select, Stack, Table, Text, Textarea, TextInput, Title } from '@mantine/core';
import { keepPreviousData, useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiFailure, get, post } from '../api';
import { useClinicPath, useSession } from '../session';
import { ErrorNote } from '../components/ErrorNote';
import { clinicDateTime } from '../time';

/** Entries loaded at a time: the latest first, then older ones with "Show older entries". */
const REGISTER_PAGE = 100;

interface Item { itemId: string; name: string; location: string; strengthMg: number; balance: number; entries: number }
interface Entry { seq: number; kind: string; quantityChange: number; balanceAfter: number; occurredAt: string; recordedByName: string; witnessName: string | null; lateEntry: boolean; details: { serviceUser?: { name: string }; wastedMg?: number; countedQuantity?: number }; note: string | null }

function useWitnessSelect() {
  const s = useSession();
  const path = useClinicPath();
  const staff = useQuery({ queryKey: ['staff', s.clinicId], queryFn: () => get<{ staff: { staffId: string; displayName: string }[] }>(path('/staff')) });
  return (staff.data?.staff ?? []).filter((m) => m.staffId !== s.info?.staff.staffId).map((m) => ({ value: m.staffId, label: m.displayName }));
}

/** The controlled-drug register: pages and balances, entries, stock checks, discrepancies, verification. */
export function RegisterPage() {
  const s = useSession();
  const path = useClinicPath();
  const items = useQuery({ queryKey: ['cd-items', s.clinicId], queryFn: () => get<{ items: Item[] }>(path('/cd/items')) });
  const [itemId, setItemId] = useState<string | null>(null);
  const verify = useMutation({ mutationFn: () => get<{ ok: boolean; pages: { name: string; ok: boolean; problem: string | null; entries: number }[] }>(path('/cd/verify')) });
  const current = itemId ?? items.data?.items[0]?.itemId ?? null;
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2}>Controlled-drug register</Title>
        {s.has('admin', 'cd_accountable') && <Button variant="outline" onClick={() => verify.mutate()} loading={verify.isPending}>Verify the chain</Button>}
      </Group>
      {verify.data && (
        <Alert color={verify.data.ok ? 'green' : 'red'} title={verify.data.ok ? 'The register verifies' : 'The register does NOT verify'} role="status">
          {verify.data.pages.map((p) => <Text key={p.name}>{p.ok ? '✓' : '✕'} {p.name}: {p.ok ? `${p.entries} entries` : p.problem}</Text>)}
        </Alert>
      )}
      {items.isLoading ? <Loader role="status" aria-label="Loading" /> : (
        <Table aria-label="Register pages">
          <Table.Thead><Table.Tr><Table.Th>Page</Table.Th><Table.Th>Location</Table.Th><Table.Th>Balance (ampoules)</Table.Th><Table.Th /></Table.Tr></Table.Thead>
          <Table.Tbody>
            {items.data?.items.map((i) => (
              <Table.Tr key={i.itemId} aria-selected={i.itemId === current}>
                <Table.Td>{i.name}</Table.Td><Table.Td>{i.location}</Table.Td><Table.Td>{i.balance}</Table.Td>
                <Table.Td><Button variant="subtle" onClick={() => setItemId(i.itemId)}>Open page</Button></Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {s.has('cd_accountable') && <NewPageForm />}
      {current && <PageView itemId={current} />}
      {s.has('admin', 'cd_accountable') && <Discrepancies />}
    </Stack>
  );
}

function NewPageForm() {
  const path = useClinicPath();
  const client = useQueryClient();
  const [strength, setStrength] = useState<number | string>(100);
  const [location, setLocation] = useState('CD cupboard, dosing room');
  const create = useMutation({ mutationFn: () => post(path('/cd/items'), { strengthMg: Number(strength), location }), onSuccess: () => void client.invalidateQueries({ queryKey: ['cd-items'] }) });
  return (
    <Group align="flex-end">
      <NumberInput label="Strength (mg)" value={strength} onChange={setStrength} />
      <TextInput label="Location" value={location} onChange={(e) => setLocation(e.currentTarget.value)} />
      <Button variant="outline" onClick={() => create.mutate()}>Open a new page</Button>
      <ErrorNote error={create.error} />
    </Group>
  );
}

interface RegisterAnswer { item: Item; entries: Entry[]; page: { limit: number; total: number; first: number | null; last: number | null; olderBefore: number | null } }

/** A register page: the latest entries first loaded, older ones on request, optionally only some dates. */
function PageView({ itemId }: { itemId: string }) {
  const s = useSession();
  const path = useClinicPath();
  // The dates typed, and the dates shown (applied with "Show").
  const [dates, setDates] = useState({ from: '', to: '' });
  const [shown, setShown] = useState({ from: '', to: '' });
  const filter = `${shown.from ? `&from=${shown.from}` : ''}${shown.to ? `&to=${shown.to}` : ''}`;
  const page = useInfiniteQuery({
    queryKey: ['cd-page', itemId, shown.from, shown.to],
    initialPageParam: null as number | null,
    queryFn: ({ pageParam }) => get<RegisterAnswer>(path(`/cd/items/${itemId}/register?limit=${REGISTER_PAGE}${filter}${pageParam === null ? '' : `&before=${pageParam}`}`)),
    getNextPageParam: (last) => last.page.olderBefore,
    // While other dates load, keep showing what was there (and the date fields with it).
    placeholderData: keepPreviousData,
  });
  const pages = page.data?.pages ?? [];
  const head = pages[0];
  if (!head && !page.error) return <Loader role="status" aria-label="Loading" />;
  // Pages come newest first; the register reads oldest first.
  const entries = [...pages].reverse().flatMap((p) => p.entries);
  const dated = shown.from || shown.to;
  const which = !dated ? '' : shown.from && shown.to ? (shown.from === shown.to ? ` on ${shown.from}` : ` from ${shown.from} to ${shown.to}`) : shown.from ? ` on or after ${shown.from}` : ` on or before ${shown.to}`;
  return (
    <Card withBorder>
      <Group justify="space-between">
        {head && <Title order={3}>{head.item.name} — {head.item.location}: {head.item.balance} ampoules</Title>}
        <Group>
          <Button variant="outline" component="a" href={path(`/cd/items/${itemId}/register?format=html${filter}`)} target="_blank" rel="noopener">Print</Button>
          <Button variant="outline" component="a" href={path(`/cd/items/${itemId}/register?format=csv${filter}`)}>CSV</Button>
        </Group>
      </Group>
      <Group align="flex-end" mt="sm" component="form" aria-label="Entries by date" onSubmit={(ev) => { ev.preventDefault(); setShown(dates); }}>
        <TextInput type="date" label="From" value={dates.from} onChange={(ev) => setDates({ ...dates, from: ev.currentTarget.value })} w={180} />
        <TextInput type="date" label="To" value={dates.to} onChange={(ev) => setDates({ ...dates, to: ev.currentTarget.value })} w={180} />
        <Button type="submit" variant="outline">Show these dates</Button>
        {dated && <Button variant="subtle" onClick={() => { setDates({ from: '', to: '' }); setShown({ from: '', to: '' }); }}>All dates</Button>}
      </Group>
      <ErrorNote error={page.error} />
      {head && (
        <>
          <Text mt="sm" c="gray.7" role="status">
            {entries.length === 0 ? `No entries${which || ' yet'}.` : `Entries ${entries[0]!.seq} to ${entries.at(-1)!.seq}: ${entries.length} of ${head.page.total}${which}`}
          </Text>
          {page.hasNextPage && (
            <Button variant="outline" mt="sm" maw={300} onClick={() => void page.fetchNextPage()} loading={page.isFetchingNextPage}>Show older entries</Button>
          )}
          <Table striped aria-label="Register entries" mt="sm">
            <Table.Thead><Table.Tr><Table.Th>No.</Table.Th><Table.Th>When</Table.Th><Table.Th>Entry</Table.Th><Table.Th>In/out</Table.Th><Table.Th>Balance</Table.Th><Table.Th>By</Table.Th><Table.Th>Witness</Table.Th></Table.Tr></Table.Thead>
            <Table.Tbody>
              {entries.map((e) => (
                <Table.Tr key={e.seq}>
                  <Table.Td>{e.seq}</Table.Td>
                  <Table.Td>{clinicDateTime(e.occurredAt, s.timeZone)}{e.lateEntry ? ' (late entry)' : ''}</Table.Td>
                  <Table.Td>{e.kind.replace(/_/g, ' ')}{e.details.serviceUser ? `: ${e.details.serviceUser.name}` : ''}{e.details.wastedMg ? `: ${e.details.wastedMg} mg` : ''}{e.details.countedQuantity !== undefined ? `: counted ${e.details.countedQuantity}` : ''}</Table.Td>
                  <Table.Td>{e.quantityChange > 0 ? `+${e.quantityChange}` : e.quantityChange || ''}</Table.Td>
                  <Table.Td>{e.balanceAfter}</Table.Td>
                  <Table.Td>{e.recordedByName}</Table.Td>
                  <Table.Td>{e.witnessName ?? ''}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </>
      )}
      {s.has('cd_accountable') && <AccountableForms itemId={itemId} />}
    </Card>
  );
}

function AccountableForms({ itemId }: { itemId: string }) {
  const path = useClinicPath();
  const client = useQueryClient();
  const witnesses = useWitnessSelect();
  const [kind, setKind] = useState<string | null>('receipt');
  const [quantity, setQuantity] = useState<number | string>(10);
  const [supplier, setSupplier] = useState({ name: '', address: '' });
  const [invoice, setInvoice] = useState('');
  const [counted, setCounted] = useState<number | string>('');
  const [authorised, setAuthorised] = useState({ name: '', role: '', authorityNumber: '' });
  const [witness, setWitness] = useState<string | null>(null);
  const [password, setPassword] = useState('');
  const submit = useMutation({
    mutationFn: () => {
      const w = { staffId: witness ?? '', password };
      if (kind === 'receipt') return post(path(`/cd/items/${itemId}/receipts`), { quantity: Number(quantity), supplier, invoiceReference: invoice, witness: w });
      if (kind === 'stock_check') return post(path('/cd/stock-checks'), { itemId, countedQuantity: Number(counted), secondChecker: w });
      return post(path(`/cd/items/${itemId}/destructions`), { quantity: Number(quantity), reason: 'expired', authorisedWitness: authorised, method: 'denaturing kit' });
    },
    onSuccess: () => { setPassword(''); void client.invalidateQueries(); },
  });
  const e = submit.error instanceof ApiFailure ? submit.error : null;
  return (
    <Stack mt="md" component="form" onSubmit={(ev) => { ev.preventDefault(); submit.mutate(); }}>
      <Select label="Record" data={[{ value: 'receipt', label: 'Receipt' }, { value: 'stock_check', label: 'Stock check' }, { value: 'destruction', label: 'Destruction' }]} value={kind} onChange={setKind} allowDeselect={false} maw={300} />
      {kind === 'receipt' && (
        <Group grow>
          <NumberInput label="Ampoules received" value={quantity} onChange={setQuantity} error={e?.forField('quantity')} />
          <TextInput label="Supplier" value={supplier.name} onChange={(ev) => setSupplier({ ...supplier, name: ev.currentTarget.value })} />
          <TextInput label="Supplier's address" value={supplier.address} onChange={(ev) => setSupplier({ ...supplier, address: ev.currentTarget.value })} />
          <TextInput label="Invoice" value={invoice} onChange={(ev) => setInvoice(ev.currentTarget.value)} />
        </Group>
      )}
      {kind === 'stock_check' && <NumberInput label="Ampoules counted" value={counted} onChange={setCounted} maw={300} />}
      {kind === 'destruction' && (
        <Group grow>
          <NumberInput label="Ampoules destroyed" value={quantity} onChange={setQuantity} />
          <TextInput label="Authorised Witness" value={authorised.name} onChange={(ev) => setAuthorised({ ...authorised, name: ev.currentTarget.value })} />
          <TextInput label="Their role" value={authorised.role} onChange={(ev) => setAuthorised({ ...authorised, role: ev.currentTarget.value })} />
          <TextInput label="Authority number" value={authorised.authorityNumber} onChange={(ev) => setAuthorised({ ...authorised, authorityNumber: ev.currentTarget.value })} />
        </Group>
      )}
      {kind !== 'destruction' && (
        <Group grow>
          <Select label={kind === 'stock_check' ? 'Second person counting' : 'Witness'} data={witnesses} value={witness} onChange={setWitness} allowDeselect={false} />
          <PasswordInput label="Their password" value={password} onChange={(ev) => setPassword(ev.currentTarget.value)} autoComplete="off" />
        </Group>
      )}
      <ErrorNote error={submit.error} />
      <Button type="submit" loading={submit.isPending} maw={300}>Record</Button>
    </Stack>
  );
}

function Discrepancies() {
  const s = useSession();
  const path = useClinicPath();
  const client = useQueryClient();
  const list = useQuery({ queryKey: ['discrepancies', s.clinicId], queryFn: () => get<{ discrepancies: { discrepancyId: string; itemName: string; expected: number; counted: number; openedAt: string }[] }>(path('/cd/discrepancies')) });
  const [notes, setNotes] = useState<Record<string, string>>({});
  const resolve = useMutation({ mutationFn: (id: string) => post(path(`/cd/discrepancies/${id}/resolution`), { note: notes[id] ?? '' }), onSuccess: () => void client.invalidateQueries() });
  return (
    <Card withBorder>
      <Title order={3}>Open discrepancies</Title>
      {list.data?.discrepancies.length === 0 ? <Text c="gray.7">None.</Text> : list.data?.discrepancies.map((d) => (
        <Stack key={d.discrepancyId} mt="sm">
          <Text>{d.itemName}: register {d.expected}, counted {d.counted} ({clinicDateTime(d.openedAt, s.timeZone)})</Text>
          {s.has('cd_accountable') && (
            <Group align="flex-end">
              <Textarea label="Findings" value={notes[d.discrepancyId] ?? ''} onChange={(e) => setNotes({ ...notes, [d.discrepancyId]: e.currentTarget.value })} />
              <Button variant="outline" onClick={() => resolve.mutate(d.discrepancyId)}>Resolve</Button>
            </Group>
          )}
        </Stack>
      ))}
      <ErrorNote error={resolve.error} />
    </Card>
  );
}
