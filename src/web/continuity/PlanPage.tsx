import { useState } from 'react';
import { Anchor, Badge, Button, Card, Group, Loader, NumberInput, PasswordInput, SegmentedControl, Select, Stack, Table, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import { get, post } from '../api';
import { useClinicPath, useSession } from '../session';
import { ErrorNote } from '../components/ErrorNote';
import { clinicDateTime } from '../time';
import type { ContinuityPlan, Transfer } from '../../domain/continuity/continuity-plan';
import type { PrescriptionContent } from '../../domain/prescription/prescription';
import { draftPlan } from '../../domain/continuity/reduction';
import type { StatusResponse } from './ContinuityBanner';
import { OPTION_WORDS } from './ContinuityPage';

interface Version {
  recordId: string;
  version: number;
  serviceUserId: string;
  effectiveDate: string;
  data: ContinuityPlan;
  reason: string | null;
  enteredInError: boolean;
  recordedAt: string;
}

const STATUS_LOOK = {
  draft: { word: 'Draft: not yet approved', icon: '◑', color: '#a63a06' },
  approved: { word: 'Approved', icon: '✓', color: 'teal.9' },
  superseded: { word: 'Withdrawn', icon: '✕', color: 'gray.8' },
} as const;

/** One continuity plan: what it says, its versions, approval with the prescriber's password, redrafting, and the letter. */
export function PlanPage() {
  const { recordId } = useParams();
  const s = useSession();
  const path = useClinicPath();
  const q = useQuery({ queryKey: ['continuity-plan', recordId], queryFn: () => get<{ versions: Version[] }>(path(`/continuity-plans/${recordId}`)) });
  const latest = q.data?.versions.at(-1);
  const person = useQuery({
    queryKey: ['person', latest?.serviceUserId],
    queryFn: () => get<{ displayName: string }>(path(`/service-users/${latest!.serviceUserId}`)),
    enabled: !!latest,
  });
  if (q.isLoading) return <Loader role="status" aria-label="Loading" />;
  if (!q.data || !latest) return <ErrorNote error={q.error} />;
  const plan = latest.data;
  const look = STATUS_LOOK[plan.status];
  const prescriber = s.has('prescriber');
  return (
    <Stack>
      <Anchor component={Link} to="/continuity">
        ← Continuity planning
      </Anchor>
      <Title order={2}>Continuity plan{person.data ? ` — ${person.data.displayName}` : ''}</Title>
      <Group>
        <Badge color={look.color} variant="filled" size="lg" radius="sm" data-testid="plan-status">
          <span aria-hidden="true">{look.icon} </span>
          {look.word}
        </Badge>
        <Text>
          {OPTION_WORDS[plan.option]} · for funding ending {plan.fundedUntil} · drafted on {latest.effectiveDate}
        </Text>
      </Group>
      <PlanDetails plan={plan} />
      <Group>
        <Anchor href={path(`/continuity-plans/${latest.recordId}/letter`)} target="_blank" rel="noopener">
          Open the letter for the service user (printable)
        </Anchor>
      </Group>
      <Text size="sm" c="gray.8">
        Approving a plan changes no prescription: each change of dose is a new prescription, signed as usual, after talking with the person.
      </Text>
      {prescriber && plan.status === 'draft' && <ApproveForm recordId={latest.recordId} />}
      {prescriber && plan.status !== 'superseded' && <RedraftForm latest={latest} />}
      <Versions versions={q.data.versions} timeZone={s.timeZone} />
    </Stack>
  );
}

function PlanDetails({ plan }: { plan: ContinuityPlan }) {
  return (
    <Card withBorder component="section" aria-labelledby="plan-heading">
      <Title order={3} size="h4" id="plan-heading" mb="xs">
        What the plan says
      </Title>
      {plan.reduction && (
        <Table aria-label="Reduction steps" maw={480} mb="sm">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>From</Table.Th>
              <Table.Th>Dose a session ({plan.reduction.route.toUpperCase()})</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            <Table.Tr>
              <Table.Td>Now</Table.Td>
              <Table.Td>{plan.reduction.fromDoseMg} mg</Table.Td>
            </Table.Tr>
            {plan.reduction.steps.map((step) => (
              <Table.Tr key={step.fromDate}>
                <Table.Td>{step.fromDate}</Table.Td>
                <Table.Td>{step.doseMg === 0 ? 'none (stopped)' : `${step.doseMg} mg`}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {plan.transfer && (
        <Text>
          Transfer to {plan.transfer.kind === 'medication' ? 'the medication' : 'the service'}: <strong>{plan.transfer.to?.trim() || 'not yet named'}</strong>, from {plan.transfer.startDate}
        </Text>
      )}
      {plan.notes && <Text mt="xs">Notes: {plan.notes}</Text>}
      {plan.approval && (
        <Text mt="xs">
          Approved by {plan.approval.approvedByName} on {plan.approval.approvedOn}
        </Text>
      )}
    </Card>
  );
}

function ApproveForm({ recordId }: { recordId: string }) {
  const path = useClinicPath();
  const client = useQueryClient();
  const [password, setPassword] = useState('');
  const approve = useMutation({
    mutationFn: () => post(path(`/continuity-plans/${recordId}/approval`), { signature: { password } }),
    onSuccess: () => {
      setPassword('');
      void client.invalidateQueries();
    },
  });
  return (
    <Card
      withBorder
      component="form"
      aria-labelledby="approve-heading"
      onSubmit={(ev) => {
        ev.preventDefault();
        approve.mutate();
      }}
    >
      <Stack maw={420}>
        <Title order={3} size="h4" id="approve-heading">
          Approve this plan
        </Title>
        <PasswordInput label="Your password (your signature)" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.currentTarget.value)} />
        <ErrorNote error={approve.error} />
        <Button type="submit" loading={approve.isPending}>
          Approve plan
        </Button>
      </Stack>
    </Card>
  );
}

function RedraftForm({ latest }: { latest: Version }) {
  const path = useClinicPath();
  const client = useQueryClient();
  const plan = latest.data;
  const status = useQuery({ queryKey: ['continuity-status', 'plan'], queryFn: () => get<StatusResponse>(path('/continuity/status')) });
  const rx = useQuery({
    queryKey: ['prescriptions', latest.serviceUserId],
    queryFn: () => get<{ inForce: { content: PrescriptionContent } | null }>(path(`/service-users/${latest.serviceUserId}/prescriptions`)),
  });
  const [option, setOption] = useState<'planned_reduction' | 'transfer'>(plan.option);
  const [toDoseMg, setToDoseMg] = useState<number>(plan.reduction?.toDoseMg ?? 0);
  const [kind, setKind] = useState<Transfer['kind']>(plan.transfer?.kind ?? 'medication');
  const [to, setTo] = useState(plan.transfer?.to ?? '');
  const [startDate, setStartDate] = useState(plan.transfer?.startDate ?? plan.fundedUntil);
  const [notes, setNotes] = useState(plan.notes ?? '');
  const [reason, setReason] = useState('');
  const [withdrawReason, setWithdrawReason] = useState('');
  const save = useMutation({
    mutationFn: () => {
      const st = status.data!;
      const needsTransfer = option === 'transfer' || toDoseMg > 0 || to.trim() !== '';
      const transfer: Transfer | null = needsTransfer ? { kind, to: to.trim() || null, startDate } : null;
      const data = draftPlan({
        today: st.today,
        fundedUntil: st.status.fundedUntil ?? plan.fundedUntil,
        noticeFrom: st.status.noticeFrom ?? st.today,
        prescription: rx.data?.inForce?.content ?? null,
        option,
        toDoseMg,
        transfer,
        notes: notes.trim() || null,
      });
      return post(path(`/continuity-plans/${latest.recordId}/corrections`), { reason, data });
    },
    onSuccess: () => {
      setReason('');
      void client.invalidateQueries();
    },
  });
  const withdraw = useMutation({
    mutationFn: () => post(path(`/continuity-plans/${latest.recordId}/corrections`), { reason: withdrawReason, data: { ...plan, status: 'superseded' } }),
    onSuccess: () => void client.invalidateQueries(),
  });
  return (
    <Card withBorder component="section" aria-labelledby="redraft-heading">
      <Stack maw={520}>
        <Title order={3} size="h4" id="redraft-heading">
          Redraft (saved as a draft, to approve again)
        </Title>
        <SegmentedControl
          aria-label="Plan"
          value={option}
          onChange={(v) => setOption(v as typeof option)}
          data={[
            { value: 'planned_reduction', label: 'Planned reduction' },
            { value: 'transfer', label: 'Transfer' },
          ]}
        />
        {option === 'planned_reduction' && (
          <NumberInput label="End dose a session (mg; 0 to stop, or the dose at which a transfer takes over)" min={0} value={toDoseMg} onChange={(v) => setToDoseMg(typeof v === 'number' ? v : 0)} />
        )}
        <Select
          label="Transfer to a"
          data={[
            { value: 'medication', label: 'Medication' },
            { value: 'service', label: 'Service' },
          ]}
          value={kind}
          onChange={(v) => v && setKind(v as Transfer['kind'])}
          allowDeselect={false}
        />
        <TextInput label="Transfer to (e.g. oral methadone, injectable hydromorphone, buprenorphine, or a service's name)" value={to} onChange={(e) => setTo(e.currentTarget.value)} />
        <TextInput type="date" label="Transfer starts on" value={startDate} onChange={(e) => setStartDate(e.currentTarget.value)} />
        <Textarea label="Notes" value={notes} onChange={(e) => setNotes(e.currentTarget.value)} autosize minRows={2} />
        <TextInput label="Reason for the change" required value={reason} onChange={(e) => setReason(e.currentTarget.value)} />
        <ErrorNote error={save.error} />
        <Button onClick={() => save.mutate()} loading={save.isPending} disabled={!status.data || !rx.isFetched || reason.trim().length < 3}>
          Save as draft
        </Button>
        <TextInput label="Reason to withdraw the plan" value={withdrawReason} onChange={(e) => setWithdrawReason(e.currentTarget.value)} />
        <ErrorNote error={withdraw.error} />
        <Button variant="outline" color="red.9" onClick={() => withdraw.mutate()} loading={withdraw.isPending} disabled={withdrawReason.trim().length < 3}>
          Withdraw plan
        </Button>
      </Stack>
    </Card>
  );
}

function Versions({ versions, timeZone }: { versions: Version[]; timeZone: string }) {
  return (
    <Card withBorder component="section" aria-labelledby="versions-heading">
      <Title order={3} size="h4" id="versions-heading" mb="xs">
        Versions
      </Title>
      <Table aria-label="Versions">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Version</Table.Th>
            <Table.Th>Status</Table.Th>
            <Table.Th>Why</Table.Th>
            <Table.Th>Recorded</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {versions.map((v) => (
            <Table.Tr key={v.version}>
              <Table.Td>{v.version}</Table.Td>
              <Table.Td>{v.enteredInError ? 'entered in error' : STATUS_LOOK[v.data.status].word}</Table.Td>
              <Table.Td>{v.reason ?? 'first drafted'}</Table.Td>
              <Table.Td>{clinicDateTime(v.recordedAt, timeZone)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Card>
  );
}
