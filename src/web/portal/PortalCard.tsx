import { useState, type CSSProperties } from 'react';
import { Button, Card, Checkbox, Group, PasswordInput, SegmentedControl, Stack, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiFailure, get, patch, post } from '../api';
import { useClinicPath, useSession } from '../session';
import { ErrorNote } from '../components/ErrorNote';
import { clinicDateTime } from '../time';

interface Account {
  username: string;
  enabled: boolean;
  mustChangePassword: boolean;
  lockedUntil: string | null;
  lastSignInAt: string | null;
  activeSessions: number;
  createdAt: string;
}

const ROLES = ['admin', 'keyworker', 'prescriber', 'nurse'] as const;

/** The service user's own portal account: open it (with consent), switch it off or on, or reset its password. */
export function PortalCard({ serviceUserId }: { serviceUserId: string }) {
  const s = useSession();
  const path = useClinicPath();
  const url = path(`/service-users/${serviceUserId}/portal-account`);
  const allowed = s.has(...ROLES);
  const q = useQuery({ queryKey: ['portal-account', serviceUserId], queryFn: () => get<{ portalEnabled: boolean; account: Account | null }>(url), enabled: allowed });
  if (!allowed) return null;
  const data = q.data;
  return (
    // Errors in a darker red than Mantine's default, for AA contrast on white.
    <Card withBorder component="section" aria-labelledby="portal-card-title" style={{ '--mantine-color-error': 'var(--mantine-color-red-9)' } as CSSProperties}>
      <Stack gap="sm">
        <Title order={3} size="h4" id="portal-card-title">
          Portal (the person&apos;s own app)
        </Title>
        {q.error ? <ErrorNote error={q.error} /> : null}
        {data && !data.account && !data.portalEnabled && (
          <Text>The portal is switched off at this clinic. An administrator can switch it on in the clinic settings (portal.enabled).</Text>
        )}
        {data && !data.account && data.portalEnabled && <OpenAccount url={url} serviceUserId={serviceUserId} />}
        {data?.account && <ManageAccount url={url} serviceUserId={serviceUserId} account={data.account} timeZone={s.timeZone} />}
      </Stack>
    </Card>
  );
}

function ConsentBoxes({ explained, warned, onExplained, onWarned, error }: { explained: boolean; warned: boolean; onExplained: (v: boolean) => void; onWarned: (v: boolean) => void; error: ApiFailure | null }) {
  return (
    <>
      <Checkbox
        label="I explained the portal to them: what it shows, and that it is their choice"
        checked={explained}
        onChange={(e) => onExplained(e.currentTarget.checked)}
        error={error?.forField('consent.explained') ?? error?.forField('consent')}
      />
      <Checkbox
        label="I warned them about shared phones and anyone making them show it, and showed them Quick exit"
        checked={warned}
        onChange={(e) => onWarned(e.currentTarget.checked)}
        error={error?.forField('consent.sharedPhoneWarningGiven')}
      />
    </>
  );
}

/** Sent as ticked boxes only: an unticked box is left out, so the server names it. */
const consentBody = (explained: boolean, warned: boolean) => ({ ...(explained ? { explained: true } : {}), ...(warned ? { sharedPhoneWarningGiven: true } : {}) });

function OpenAccount({ url, serviceUserId }: { url: string; serviceUserId: string }) {
  const qc = useQueryClient();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [explained, setExplained] = useState(false);
  const [warned, setWarned] = useState(false);
  const open = useMutation({
    mutationFn: () => post(url, { username, temporaryPassword: password, consent: consentBody(explained, warned) }),
    onSuccess: () => {
      setPassword('');
      void qc.invalidateQueries({ queryKey: ['portal-account', serviceUserId] });
    },
  });
  const error = open.error instanceof ApiFailure ? open.error : null;
  return (
    <Stack gap="sm" component="form" aria-label="Open a portal account" onSubmit={(e) => { e.preventDefault(); open.mutate(); }}>
      <Text>No account yet. Only open one if they want it. They sign in at /portal on their phone, and must choose their own password first.</Text>
      <TextInput label="Username (not their name)" value={username} onChange={(e) => setUsername(e.currentTarget.value)} error={error?.forField('username')} autoComplete="off" w={320} />
      <PasswordInput label="Temporary password (at least 12 characters)" value={password} onChange={(e) => setPassword(e.currentTarget.value)} error={error?.forField('temporaryPassword')} autoComplete="new-password" w={320} />
      <ConsentBoxes explained={explained} warned={warned} onExplained={setExplained} onWarned={setWarned} error={error} />
      {open.error && !error?.field ? <ErrorNote error={open.error} /> : null}
      <Group>
        <Button type="submit" loading={open.isPending}>
          Open portal account
        </Button>
      </Group>
    </Stack>
  );
}

function ManageAccount({ url, serviceUserId, account, timeZone }: { url: string; serviceUserId: string; account: Account; timeZone: string }) {
  const qc = useQueryClient();
  const [action, setAction] = useState<'switch' | 'reset'>('switch');
  const [reason, setReason] = useState('');
  const [password, setPassword] = useState('');
  const [explained, setExplained] = useState(false);
  const [warned, setWarned] = useState(false);
  const change = useMutation({
    mutationFn: () =>
      patch(
        url,
        action === 'reset'
          ? { temporaryPassword: password, reason }
          : account.enabled
            ? { enabled: false, reason }
            : { enabled: true, reason, consent: consentBody(explained, warned) },
      ),
    onSuccess: () => {
      setReason('');
      setPassword('');
      setExplained(false);
      setWarned(false);
      void qc.invalidateQueries({ queryKey: ['portal-account', serviceUserId] });
    },
  });
  const error = change.error instanceof ApiFailure ? change.error : null;
  return (
    <Stack gap="sm">
      <Text>
        Username <strong>{account.username}</strong> · {account.enabled ? 'switched on' : 'switched off'}
        {account.mustChangePassword ? ' · temporary password not yet changed' : ''}
        {account.lockedUntil ? ` · locked after wrong passwords until ${clinicDateTime(account.lockedUntil, timeZone)}` : ''}
      </Text>
      <Text>
        Last sign-in: {account.lastSignInAt ? clinicDateTime(account.lastSignInAt, timeZone) : 'never'} · signed in now on {account.activeSessions} device{account.activeSessions === 1 ? '' : 's'}
      </Text>
      <SegmentedControl
        aria-label="What to change"
        value={action}
        onChange={(v) => setAction(v as 'switch' | 'reset')}
        data={[
          { value: 'switch', label: account.enabled ? 'Switch off' : 'Switch on' },
          { value: 'reset', label: 'New temporary password' },
        ]}
        w={360}
      />
      <Stack gap="sm" component="form" aria-label="Change the portal account" onSubmit={(e) => { e.preventDefault(); change.mutate(); }}>
        {action === 'switch' && account.enabled && <Text>Switching off signs them out everywhere at once. Do it at any sign that someone else is using it.</Text>}
        {action === 'switch' && !account.enabled && <ConsentBoxes explained={explained} warned={warned} onExplained={setExplained} onWarned={setWarned} error={error} />}
        {action === 'reset' && (
          <PasswordInput label="Temporary password (at least 12 characters)" value={password} onChange={(e) => setPassword(e.currentTarget.value)} error={error?.forField('temporaryPassword')} autoComplete="new-password" w={320} />
        )}
        <TextInput label="Reason" value={reason} onChange={(e) => setReason(e.currentTarget.value)} error={error?.forField('reason')} w={320} />
        {change.error && !error?.field ? <ErrorNote error={change.error} /> : null}
        <Group>
          <Button type="submit" color={action === 'switch' && account.enabled ? 'red.9' : undefined} loading={change.isPending}>
            {action === 'reset' ? 'Set temporary password' : account.enabled ? 'Switch off now' : 'Switch on'}
          </Button>
        </Group>
      </Stack>
    </Stack>
  );
}
