import { useState } from 'react';
import { Temporal } from 'temporal-polyfill';
import { Alert, Badge, Button, Card, Checkbox, Group, List, Loader, NumberInput, PasswordInput, Select, Stack, Table, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiFailure, get, post } from '../api';
import { useClinicPath, useSession } from '../session';
import { ErrorNote } from '../components/ErrorNote';
import { clinicDateTime } from '../time';

/** What GET …/take-home answers (see src/server/take-home/output.ts). */
interface Assessment {
  recordId: string;
  effectiveDate: string;
  data: { lockableBox: boolean; childrenConsidered: boolean; childrenNote: string | null; safeStorageAdviceGiven: boolean; authorised: boolean; maxDaysPerSupply: number | null; notes: string | null };
}
interface Supply {
  recordId: string;
  effectiveDate: string;
  recordedAt: string;
  status: 'upcoming' | 'current' | 'finished' | 'ended_early';
  endedAt: string | null;
  covered: { clinicDate: string; sessions: string[] }[];
  ampoulesSupplied: number;
  ampoulesReturned: number;
  data: { fromDate: string; toDate: string; sessions: string[]; doses: number; route: 'iv' | 'im'; dosePerSessionMg: number; ampoules: { strengthMg: number; count: number; perDose: number }[] };
}
interface Return {
  recordId: string;
  effectiveDate: string;
  recordedAt: string;
  data: { supplyRecordId: string; unusedAmpoules: { strengthMg: number; count: number }[]; sharpsReturned: { bins: number; loose: number }; endsSupply: boolean; notes: string | null };
}
interface TakeHome {
  today: string;
  enabledAtClinic: boolean;
  clinic: { maxDaysPerSupply: number };
  criteria: { code: string; label: string; met: boolean; detail: string }[];
  latestAssessment: Assessment | null;
  authorised: boolean;
  maxDaysPerSupply: number | null;
  suspendedBecause: { code: string; message: string }[];
  prescription: { version: number; status: string; sessions: string[]; ivDoseMg: number | null; imDoseMg: number | null } | null;
  supplies: Supply[];
  returns: Return[];
}

/** Dark enough for AA contrast on white and on the tables' striped rows (Mantine's green.9 is not). */
const GREEN = '#1b5e20';
const RED = '#a61e1e';

const STATUS_WORDS: Record<Supply['status'], string> = { upcoming: 'Starts later', current: 'Current', finished: 'Finished', ended_early: 'Ended early' };

function useWitnesses() {
  const s = useSession();
  const path = useClinicPath();
  const staff = useQuery({ queryKey: ['staff', s.clinicId], queryFn: () => get<{ staff: { staffId: string; displayName: string }[] }>(path('/staff')) });
  return (staff.data?.staff ?? []).filter((m) => m.staffId !== s.info?.staff.staffId).map((m) => ({ value: m.staffId, label: m.displayName }));
}

/**
 * Take-home doses for one person: the criteria (met or not, with the figures), whether they are
 * authorised now and why not, the prescriber's stability assessment, and for nurses the supply
 * (witnessed, as in the register) and the return of unused ampoules and sharps.
 */
export function TakeHomePanel({ serviceUserId }: { serviceUserId: string }) {
  const s = useSession();
  const path = useClinicPath();
  const q = useQuery({ queryKey: ['take-home', serviceUserId], queryFn: () => get<TakeHome>(path(`/service-users/${serviceUserId}/take-home`)) });
  if (q.isLoading) return <Loader role="status" aria-label="Loading take-home doses" />;
  if (!q.data) return <ErrorNote error={q.error} />;
  const d = q.data;
  return (
    // Field errors in a red dark enough for AA contrast (Mantine's default error red is not).
    <Stack style={{ ['--mantine-color-error' as string]: RED }}>
      {!d.enabledAtClinic && (
        <Alert color="gray" title="Take-home doses are switched off at this clinic" role="status">
          An administrator can switch them on in the clinic's settings (takeHome.enabled). The criteria below still show where this person stands.
        </Alert>
      )}
      <Card withBorder>
        <Group justify="space-between" align="flex-start">
          <Stack gap={4}>
            <Title order={3} size="h4">
              Take-home doses
            </Title>
            <Text data-testid="take-home-verdict">
              {d.authorised ? (
                <Badge color={GREEN} variant="filled">✓ Authorised</Badge>
              ) : (
                <Badge color={RED} variant="filled">✕ Not authorised</Badge>
              )}{' '}
              {d.authorised ? `Up to ${d.maxDaysPerSupply} day${d.maxDaysPerSupply === 1 ? '' : 's'} in one supply.` : 'No supply can be made now.'}
            </Text>
          </Stack>
          <Text size="sm" c="gray.7">
            {d.latestAssessment ? `Latest assessment ${d.latestAssessment.effectiveDate}: ${d.latestAssessment.data.authorised ? `authorised, up to ${d.latestAssessment.data.maxDaysPerSupply} days` : 'not authorised'}` : 'Not assessed yet'}
          </Text>
        </Group>
        {!d.authorised && d.suspendedBecause.length > 0 && (
          <Stack gap={2} mt="sm">
            <Text fw={600}>Why not:</Text>
            <List size="sm" aria-label="Why take-home doses are not authorised">
              {d.suspendedBecause.map((r) => (
                <List.Item key={r.code + r.message}>{r.message}</List.Item>
              ))}
            </List>
          </Stack>
        )}
      </Card>

      <Table striped aria-label="Stability criteria">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Criterion</Table.Th>
            <Table.Th>Met?</Table.Th>
            <Table.Th>Figures</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {d.criteria.map((c) => (
            <Table.Tr key={c.code}>
              <Table.Td>{c.label}</Table.Td>
              <Table.Td>
                <Text component="span" fw={600} c={c.met ? GREEN : RED} style={{ whiteSpace: "nowrap" }}>
                  {c.met ? '✓ Met' : '✕ Not met'}
                </Text>
              </Table.Td>
              <Table.Td>{c.detail}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>

      {s.has('prescriber') && <AssessmentForm serviceUserId={serviceUserId} data={d} />}
      {s.has('nurse') && d.authorised && <SupplyForm serviceUserId={serviceUserId} data={d} />}

      <Title order={3} size="h4">
        Supplies
      </Title>
      {d.supplies.length === 0 ? (
        <Text c="gray.7">None.</Text>
      ) : (
        <Table striped aria-label="Take-home supplies">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Days</Table.Th>
              <Table.Th>Sessions</Table.Th>
              <Table.Th>Dose</Table.Th>
              <Table.Th>Ampoules</Table.Th>
              <Table.Th>Status</Table.Th>
              <Table.Th>Supplied</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {d.supplies.map((x) => (
              <Table.Tr key={x.recordId}>
                <Table.Td>
                  {x.data.fromDate} to {x.data.toDate}
                </Table.Td>
                <Table.Td>{x.data.sessions.join(' + ')}</Table.Td>
                <Table.Td>
                  {x.data.doses} × {x.data.dosePerSessionMg} mg {x.data.route.toUpperCase()}
                </Table.Td>
                <Table.Td>
                  {x.ampoulesSupplied} supplied ({x.data.ampoules.map((a) => `${a.count} × ${a.strengthMg} mg`).join(', ')}), {x.ampoulesReturned} back
                </Table.Td>
                <Table.Td>
                  {STATUS_WORDS[x.status]}
                  {x.endedAt ? ` (${clinicDateTime(x.endedAt, s.timeZone)})` : ''}
                </Table.Td>
                <Table.Td>{clinicDateTime(x.recordedAt, s.timeZone)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {s.has('nurse') && d.supplies.length > 0 && <ReturnForm serviceUserId={serviceUserId} supplies={d.supplies} />}

      <Title order={3} size="h4">
        Returns
      </Title>
      {d.returns.length === 0 ? (
        <Text c="gray.7">None.</Text>
      ) : (
        <Table striped aria-label="Take-home returns">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>When</Table.Th>
              <Table.Th>Unused ampoules (to patient returns)</Table.Th>
              <Table.Th>Sharps</Table.Th>
              <Table.Th>Supply ended</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {d.returns.map((r) => (
              <Table.Tr key={r.recordId}>
                <Table.Td>{clinicDateTime(r.recordedAt, s.timeZone)}</Table.Td>
                <Table.Td>{r.data.unusedAmpoules.length ? r.data.unusedAmpoules.map((a) => `${a.count} × ${a.strengthMg} mg`).join(', ') : 'none'}</Table.Td>
                <Table.Td>
                  {r.data.sharpsReturned.bins} bin{r.data.sharpsReturned.bins === 1 ? '' : 's'}, {r.data.sharpsReturned.loose} loose
                </Table.Td>
                <Table.Td>{r.data.endsSupply ? 'Yes' : 'No'}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
}

function useRefresh(serviceUserId: string) {
  const qc = useQueryClient();
  return () => {
    void qc.invalidateQueries({ queryKey: ['take-home', serviceUserId] });
    void qc.invalidateQueries({ queryKey: ['cd-items'] });
    void qc.invalidateQueries({ queryKey: ['person', serviceUserId] });
  };
}

function AssessmentForm({ serviceUserId, data }: { serviceUserId: string; data: TakeHome }) {
  const path = useClinicPath();
  const refresh = useRefresh(serviceUserId);
  const last = data.latestAssessment?.data;
  const [box, setBox] = useState(last?.lockableBox ?? false);
  const [children, setChildren] = useState(last?.childrenConsidered ?? false);
  const [childrenNote, setChildrenNote] = useState(last?.childrenNote ?? '');
  const [advice, setAdvice] = useState(last?.safeStorageAdviceGiven ?? false);
  const [authorised, setAuthorised] = useState(false);
  const [days, setDays] = useState<number | string>(Math.min(last?.maxDaysPerSupply ?? data.clinic.maxDaysPerSupply, data.clinic.maxDaysPerSupply));
  const [notes, setNotes] = useState('');
  const save = useMutation({
    mutationFn: () =>
      post(path(`/service-users/${serviceUserId}/stability-assessments`), {
        lockableBox: box,
        childrenConsidered: children,
        childrenNote: childrenNote.trim() || null,
        safeStorageAdviceGiven: advice,
        authorised,
        maxDaysPerSupply: authorised ? Number(days) : null,
        notes: notes.trim() || null,
      }),
    onSuccess: () => {
      setNotes('');
      refresh();
    },
  });
  const e = save.error instanceof ApiFailure ? save.error : null;
  return (
    <Card withBorder component="form" aria-label="Stability assessment" onSubmit={(ev) => { ev.preventDefault(); save.mutate(); }}>
      <Stack gap="xs">
        <Title order={4} size="h5">
          Stability assessment (prescriber)
        </Title>
        <Checkbox label="A lockable box at home for the ampoules" checked={box} onChange={(ev) => setBox(ev.currentTarget.checked)} error={e?.forField('lockableBox')} />
        <Checkbox label="Children living in or visiting the household considered" checked={children} onChange={(ev) => setChildren(ev.currentTarget.checked)} error={e?.forField('childrenConsidered')} />
        <Textarea label="What was considered about children" value={childrenNote} onChange={(ev) => setChildrenNote(ev.currentTarget.value)} error={e?.forField('childrenNote')} autosize minRows={1} />
        <Checkbox label="Safe-storage advice given" checked={advice} onChange={(ev) => setAdvice(ev.currentTarget.checked)} error={e?.forField('safeStorageAdviceGiven')} />
        <Checkbox label="Authorise take-home doses (while every criterion stays met)" checked={authorised} onChange={(ev) => setAuthorised(ev.currentTarget.checked)} error={e?.forField('authorised')} />
        {authorised && (
          <NumberInput label={`Most days in one supply (clinic maximum ${data.clinic.maxDaysPerSupply})`} min={1} max={14} value={days} onChange={setDays} error={e?.forField('maxDaysPerSupply')} maw={320} />
        )}
        <Textarea label="Notes" value={notes} onChange={(ev) => setNotes(ev.currentTarget.value)} autosize minRows={1} />
        <ErrorNote error={save.error} />
        <Button type="submit" loading={save.isPending} maw={320}>
          Record the assessment
        </Button>
      </Stack>
    </Card>
  );
}

const plainDate = (d: string) => Temporal.PlainDate.from(d);

function SupplyForm({ serviceUserId, data }: { serviceUserId: string; data: TakeHome }) {
  const s = useSession();
  const path = useClinicPath();
  const refresh = useRefresh(serviceUserId);
  const witnesses = useWitnesses();
  const items = useQuery({ queryKey: ['cd-items', s.clinicId], queryFn: () => get<{ items: { itemId: string; name: string; strengthMg: number; location: string; balance: number }[] }>(path('/cd/items')) });
  const rx = data.prescription;
  const tomorrow = plainDate(data.today).add({ days: 1 }).toString();
  const [fromDate, setFromDate] = useState(tomorrow);
  const [days, setDays] = useState<number | string>(Math.min(data.maxDaysPerSupply ?? 1, 3));
  const [sessions, setSessions] = useState<string[]>(rx?.sessions ?? []);
  const [route, setRoute] = useState<string | null>(rx?.ivDoseMg != null ? 'iv' : 'im');
  const [dose, setDose] = useState<number | string>((route === 'iv' ? rx?.ivDoseMg : rx?.imDoseMg) ?? '');
  const [itemId, setItemId] = useState<string | null>(null);
  const [count, setCount] = useState<number | string>('');
  const [equipment, setEquipment] = useState<{ needles: number | string; syringes: number | string; water: number | string; bins: number | string }>({ needles: '', syringes: '', water: '', bins: 1 });
  const [storage, setStorage] = useState(false);
  const [idRequested, setIdRequested] = useState(false);
  const [idShown, setIdShown] = useState(false);
  const [witness, setWitness] = useState<string | null>(null);
  const [password, setPassword] = useState('');
  const [notes, setNotes] = useState('');
  const nDays = Number(days) || 0;
  const doses = nDays * sessions.length;
  const toDate = fromDate && nDays > 0 ? plainDate(fromDate).add({ days: nDays - 1 }).toString() : fromDate;
  const item = items.data?.items.find((i) => i.itemId === itemId) ?? null;
  const perDose = item && Number(dose) > 0 ? Number(dose) / item.strengthMg : null;
  const save = useMutation({
    mutationFn: () =>
      post(path(`/service-users/${serviceUserId}/take-home/supplies`), {
        fromDate,
        toDate,
        sessions,
        route,
        dosePerSessionMg: Number(dose),
        ampoules: [{ itemId: itemId ?? '', count: Number(count) }],
        equipment: [
          { item: 'needles', quantity: Number(equipment.needles) },
          { item: 'syringes', quantity: Number(equipment.syringes) },
          { item: 'water_ampoules', quantity: Number(equipment.water) },
          { item: 'sharps_bin', quantity: Number(equipment.bins) },
        ].filter((x) => x.quantity > 0),
        safeStorageConfirmed: storage,
        collectedBy: 'service_user',
        idRequested,
        idShown,
        witness: { staffId: witness ?? '', password },
        notes: notes.trim() || null,
      }),
    onSuccess: () => {
      setPassword('');
      refresh();
    },
  });
  const e = save.error instanceof ApiFailure ? save.error : null;
  const fillForDoses = () => {
    setEquipment({ needles: doses, syringes: doses, water: doses, bins: 1 });
    if (perDose !== null && Number.isInteger(perDose)) setCount(perDose * doses);
  };
  return (
    <Card withBorder component="form" aria-label="Supply take-home doses" onSubmit={(ev) => { ev.preventDefault(); save.mutate(); }}>
      <Stack gap="xs">
        <Title order={4} size="h5">
          Supply take-home doses (nurse, with a witness)
        </Title>
        <Text size="sm" c="gray.7">
          Prescription v{rx?.version}: {rx?.sessions.join(' + ')}, IV {rx?.ivDoseMg ?? '—'} mg / IM {rx?.imDoseMg ?? '—'} mg. Up to {data.maxDaysPerSupply} days.
        </Text>
        <Group grow>
          <TextInput type="date" label="First day" value={fromDate} min={data.today} max={tomorrow} onChange={(ev) => setFromDate(ev.currentTarget.value)} error={e?.forField('fromDate')} />
          <NumberInput label="Days" min={1} max={data.maxDaysPerSupply ?? 1} value={days} onChange={setDays} error={e?.forField('toDate')} />
          <TextInput label="Last day" value={toDate} readOnly />
        </Group>
        <Checkbox.Group label="Sessions covered each day" value={sessions} onChange={setSessions} error={e?.forField('sessions')}>
          <Group mt={4}>
            {(rx?.sessions ?? []).map((code) => (
              <Checkbox key={code} value={code} label={code} />
            ))}
          </Group>
        </Checkbox.Group>
        <Group grow>
          <Select label="Route" data={[{ value: 'iv', label: 'IV' }, { value: 'im', label: 'IM' }]} value={route} onChange={setRoute} allowDeselect={false} error={e?.forField('route')} />
          <NumberInput label="Dose per session (mg)" min={1} value={dose} onChange={setDose} error={e?.forField('dosePerSessionMg')} />
        </Group>
        <Group grow align="flex-end">
          <Select label="Register page" data={(items.data?.items ?? []).map((i) => ({ value: i.itemId, label: `${i.name} (${i.location}): ${i.balance} in stock` }))} value={itemId} onChange={setItemId} error={e?.forField('ampoules[0].itemId')} />
          <NumberInput label="Ampoules handed over (all doses)" min={1} value={count} onChange={setCount} error={e?.forField('ampoules[0].count') ?? e?.forField('ampoules')} description={perDose !== null ? `${doses} doses × ${Number.isInteger(perDose) ? perDose : perDose.toFixed(2)} ampoules` : undefined} />
        </Group>
        <Group grow>
          <NumberInput label="Needles" min={0} value={equipment.needles} onChange={(v) => setEquipment({ ...equipment, needles: v })} />
          <NumberInput label="Syringes" min={0} value={equipment.syringes} onChange={(v) => setEquipment({ ...equipment, syringes: v })} />
          <NumberInput label="Water for injection (ampoules)" min={0} value={equipment.water} onChange={(v) => setEquipment({ ...equipment, water: v })} />
          <NumberInput label="Sharps bins" min={0} value={equipment.bins} onChange={(v) => setEquipment({ ...equipment, bins: v })} />
        </Group>
        <Button variant="light" onClick={fillForDoses} maw={320}>
          Fill in for {doses} dose{doses === 1 ? '' : 's'}
        </Button>
        {e?.forField('equipment') && <Text c="red.9" size="sm">{e.forField('equipment')}</Text>}
        <Checkbox label="Lockable box and safe-storage advice checked with the person" checked={storage} onChange={(ev) => setStorage(ev.currentTarget.checked)} error={e?.forField('safeStorageConfirmed')} />
        <Text size="sm">Collected by: the service user in person.</Text>
        <Group>
          <Checkbox label="Proof of identity asked for" checked={idRequested} onChange={(ev) => setIdRequested(ev.currentTarget.checked)} error={e?.forField('idRequested')} />
          <Checkbox label="Proof of identity shown (matches the photo)" checked={idShown} onChange={(ev) => setIdShown(ev.currentTarget.checked)} error={e?.forField('idShown')} />
        </Group>
        <Group grow>
          <Select label="Witness" data={witnesses} value={witness} onChange={setWitness} allowDeselect={false} error={e?.forField('witness.staffId') ?? e?.forField('witness')} />
          <PasswordInput label="Witness's password" value={password} onChange={(ev) => setPassword(ev.currentTarget.value)} autoComplete="off" error={e?.forField('witness.password')} />
        </Group>
        <Textarea label="Notes" value={notes} onChange={(ev) => setNotes(ev.currentTarget.value)} autosize minRows={1} />
        <ErrorNote error={save.error} />
        <Button type="submit" loading={save.isPending} maw={320}>
          Supply
        </Button>
      </Stack>
    </Card>
  );
}

function ReturnForm({ serviceUserId, supplies }: { serviceUserId: string; supplies: Supply[] }) {
  const s = useSession();
  const path = useClinicPath();
  const refresh = useRefresh(serviceUserId);
  const witnesses = useWitnesses();
  const [supplyId, setSupplyId] = useState<string | null>(supplies[0]?.recordId ?? null);
  const supply = supplies.find((x) => x.recordId === supplyId) ?? null;
  const strengths = [...new Set(supply?.data.ampoules.map((a) => a.strengthMg) ?? [])];
  const [unused, setUnused] = useState<Record<number, number | string>>({});
  const [bins, setBins] = useState<number | string>(0);
  const [loose, setLoose] = useState<number | string>(0);
  const [ends, setEnds] = useState(false);
  const [witness, setWitness] = useState<string | null>(null);
  const [password, setPassword] = useState('');
  const [notes, setNotes] = useState('');
  const ampoules = strengths.map((strengthMg) => ({ strengthMg, count: Number(unused[strengthMg] ?? 0) })).filter((a) => a.count > 0);
  const save = useMutation({
    mutationFn: () =>
      post(path(`/service-users/${serviceUserId}/take-home/returns`), {
        supplyRecordId: supplyId ?? '',
        unusedAmpoules: ampoules,
        sharpsReturned: { bins: Number(bins) || 0, loose: Number(loose) || 0 },
        endsSupply: ends,
        ...(ampoules.length ? { witness: { staffId: witness ?? '', password } } : {}),
        notes: notes.trim() || null,
      }),
    onSuccess: () => {
      setPassword('');
      setUnused({});
      setEnds(false);
      refresh();
    },
  });
  const e = save.error instanceof ApiFailure ? save.error : null;
  return (
    <Card withBorder component="form" aria-label="Take-home return" onSubmit={(ev) => { ev.preventDefault(); save.mutate(); }}>
      <Stack gap="xs">
        <Title order={4} size="h5">
          Return (nurse): unused ampoules go to patient returns, never back into stock
        </Title>
        <Select
          label="Supply"
          data={supplies.map((x) => ({ value: x.recordId, label: `${x.data.fromDate} to ${x.data.toDate} (${STATUS_WORDS[x.status].toLowerCase()}; supplied ${clinicDateTime(x.recordedAt, s.timeZone)})` }))}
          value={supplyId}
          onChange={setSupplyId}
          allowDeselect={false}
          error={e?.forField('supplyRecordId')}
        />
        <Group grow>
          {strengths.map((mg, i) => (
            <NumberInput key={mg} label={`Unused ${mg} mg ampoules brought back`} min={0} value={unused[mg] ?? 0} onChange={(v) => setUnused({ ...unused, [mg]: v })} error={e?.forField(`unusedAmpoules[${i}].count`)} />
          ))}
          <NumberInput label="Sharps bins returned" min={0} value={bins} onChange={setBins} />
          <NumberInput label="Loose sharps returned" min={0} value={loose} onChange={setLoose} />
        </Group>
        <Checkbox label="End this supply now (sessions not yet begun come back to the clinic)" checked={ends} onChange={(ev) => setEnds(ev.currentTarget.checked)} error={e?.forField('endsSupply')} />
        {ampoules.length > 0 && (
          <Group grow>
            <Select label="Witness" data={witnesses} value={witness} onChange={setWitness} allowDeselect={false} error={e?.forField('witness.staffId') ?? e?.forField('witness')} />
            <PasswordInput label="Witness's password" value={password} onChange={(ev) => setPassword(ev.currentTarget.value)} autoComplete="off" error={e?.forField('witness.password')} />
          </Group>
        )}
        <Textarea label="Notes" value={notes} onChange={(ev) => setNotes(ev.currentTarget.value)} autosize minRows={1} />
        <ErrorNote error={save.error} />
        <Button type="submit" loading={save.isPending} maw={320}>
          Record the return
        </Button>
      </Stack>
    </Card>
  );
}
