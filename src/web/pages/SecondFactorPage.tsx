import { useState } from 'react';
import { Alert, Anchor, Button, Center, Code, Group, Image, List, Loader, Paper, Stack, Text, TextInput, Title } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type { SecondFactorConfirmed, SecondFactorEnrolment, SessionInfo } from '../../contract/auth';
import { ApiFailure, post } from '../api';
import { ErrorNote } from '../components/ErrorNote';
import { useSession } from '../session';

type Info = z.infer<typeof SessionInfo>;

/**
 * After the password: set up the second factor (first sign-in of someone who must have one) or
 * type its code. Until then the server lets this session do nothing else.
 */
export function SecondFactorPage({ mode }: { mode: 'enrolment_required' | 'code_required' }) {
  const { signOut } = useSession();
  return (
    <Center mih="100vh" p="md">
      <Paper withBorder p="xl" w={520} component="main">
        {mode === 'enrolment_required' ? <Enrol /> : <Verify />}
        <Group justify="flex-end" mt="md">
          <Anchor component="button" type="button" size="sm" onClick={() => void signOut()}>
            Sign out
          </Anchor>
        </Group>
      </Paper>
    </Center>
  );
}

function CodeInput({ value, onChange, error }: { value: string; onChange: (v: string) => void; error?: string | undefined }) {
  return (
    <TextInput
      label="Six-digit code from your authenticator app"
      autoComplete="one-time-code"
      inputMode="numeric"
      pattern="[0-9 ]*"
      maxLength={8}
      required
      autoFocus
      value={value}
      onChange={(e) => onChange(e.currentTarget.value)}
      error={error}
    />
  );
}

function Enrol() {
  const client = useQueryClient();
  // One enrolment per visit to this page: a new secret each time the page is opened.
  const enrolment = useQuery({
    queryKey: ['second-factor-enrolment'],
    queryFn: () => post<z.infer<typeof SecondFactorEnrolment>>('/api/v1/auth/second-factor/enrolment'),
    staleTime: Infinity,
    gcTime: 0,
    retry: false,
    refetchOnWindowFocus: false,
  });
  const [code, setCode] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<z.infer<typeof SecondFactorConfirmed> | null>(null);
  const e = error instanceof ApiFailure ? error : null;

  if (done) {
    const { recoveryCodes, ...info } = done;
    return (
      <Stack>
        <Title order={1} size="h2">
          Keep your recovery codes
        </Title>
        <Text>
          Your second factor is set up. If you lose your phone, each of these codes lets you sign in once instead of a code from the app. Print
          them or write them down and keep them somewhere safe: they are not shown again.
        </Text>
        <List spacing={4} data-testid="recovery-codes" style={{ fontFamily: 'monospace' }}>
          {recoveryCodes.map((c) => (
            <List.Item key={c}>{c}</List.Item>
          ))}
        </List>
        <Button onClick={() => client.setQueryData<Info>(['session'], info)}>I have kept them: continue</Button>
      </Stack>
    );
  }

  return (
    <form
      onSubmit={async (ev) => {
        ev.preventDefault();
        setBusy(true);
        setError(null);
        try {
          setDone(await post<z.infer<typeof SecondFactorConfirmed>>('/api/v1/auth/second-factor/enrolment/confirm', { code }));
        } catch (err) {
          setError(err);
        } finally {
          setBusy(false);
        }
      }}
    >
      <Stack>
        <Title order={1} size="h2">
          Set up your second factor
        </Title>
        <Text>
          Your role needs a second factor as well as a password. Scan this QR code with an authenticator app on your phone (for example
          Microsoft Authenticator, Google Authenticator or FreeOTP), then type the six-digit code it shows.
        </Text>
        {enrolment.isLoading && <Loader role="status" aria-label="Preparing your QR code" />}
        {enrolment.error && <ErrorNote error={enrolment.error} />}
        {enrolment.data && (
          <>
            <Center>
              <Image src={enrolment.data.qrCode} alt="QR code to scan with your authenticator app" w={240} h={240} />
            </Center>
            <Text size="sm">
              Cannot scan? Type this key into the app instead (time-based, six digits):{' '}
              <Code data-testid="second-factor-secret" aria-label="Setup key">
                {enrolment.data.secret.replace(/(.{4})/g, '$1 ').trim()}
              </Code>
            </Text>
          </>
        )}
        <CodeInput value={code} onChange={setCode} error={e?.forField('code')} />
        {!e?.field && <ErrorNote error={error} />}
        <Button type="submit" loading={busy} disabled={!enrolment.data}>
          Confirm
        </Button>
      </Stack>
    </form>
  );
}

function Verify() {
  const client = useQueryClient();
  const [recovery, setRecovery] = useState(false);
  const [value, setValue] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const e = error instanceof ApiFailure ? error : null;
  return (
    <form
      onSubmit={async (ev) => {
        ev.preventDefault();
        setBusy(true);
        setError(null);
        try {
          const info = await post<Info>('/api/v1/auth/second-factor/verify', recovery ? { recoveryCode: value } : { code: value });
          client.setQueryData(['session'], info);
        } catch (err) {
          setError(err);
        } finally {
          setBusy(false);
        }
      }}
    >
      <Stack>
        <Title order={1} size="h2">
          Enter your code
        </Title>
        <Text>{recovery ? 'Type one of the recovery codes you kept when you set up your second factor. Each works once.' : 'Open your authenticator app and type the code it shows for openhat.'}</Text>
        {recovery ? (
          <TextInput label="Recovery code" autoComplete="off" required autoFocus value={value} onChange={(x) => setValue(x.currentTarget.value)} error={e?.forField('recoveryCode')} />
        ) : (
          <CodeInput value={value} onChange={setValue} error={e?.forField('code')} />
        )}
        {!e?.field && <ErrorNote error={error} />}
        <Button type="submit" loading={busy}>
          Verify
        </Button>
        <Anchor
          component="button"
          type="button"
          size="sm"
          onClick={() => {
            setRecovery(!recovery);
            setValue('');
            setError(null);
          }}
        >
          {recovery ? 'Use a code from the app instead' : 'Lost your phone? Use a recovery code'}
        </Anchor>
        {e?.code === 'second_factor_locked' && (
          <Alert color="orange">A clinic administrator can reset your second factor if your phone is lost.</Alert>
        )}
      </Stack>
    </form>
  );
}
