import { useEffect, useState, type CSSProperties, type ReactNode } from 'react';
import { Box, Button, Center, Container, Group, Loader, Paper, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Navigate, Route, Routes } from 'react-router';
import { ApiFailure } from '../api';
import { portalGet, portalPost, quickExit, setPortalCsrf, type PortalSession } from './portal-api';
import { AppointmentsScreen, DosesScreen, HomeScreen, PeerSupportScreen, PlanScreen, TakeHomeScreen } from './PortalScreens';
import { BackHome, PlainError } from './PortalParts';

/**
 * The service-user portal: a small, phone-first app at /portal with its own sign-in, apart from the
 * staff app. Big text, one column, plain words; a Quick exit on every screen.
 */
export function PortalApp() {
  const client = useQueryClient();
  const [signedOutNote, setSignedOutNote] = useState<string | null>(null);
  useEffect(() => {
    // A neutral title: a shared phone's list of open tabs should not say what this is.
    document.title = 'Your clinic';
  }, []);
  const session = useQuery({
    queryKey: ['portal', 'session'],
    queryFn: async () => {
      try {
        return await portalGet<PortalSession>('/session');
      } catch (e) {
        if (e instanceof ApiFailure && e.status === 401) return null;
        throw e;
      }
    },
    retry: false,
  });
  const forget = () => {
    setPortalCsrf(null);
    client.clear();
  };
  /** Any answer saying the session has ended takes the person back to sign-in. */
  const onSignedOut = (note: string | null) => {
    setPortalCsrf(null);
    client.removeQueries({ queryKey: ['portal'] });
    client.setQueryData(['portal', 'session'], null);
    setSignedOutNote(note);
  };

  let body: ReactNode;
  if (session.isLoading) {
    body = (
      <Center h="40vh">
        <Loader role="status" aria-label="Loading" />
      </Center>
    );
  } else if (!session.data) {
    body = (
      <SignInScreen
        note={signedOutNote}
        onSignedIn={(s) => {
          setSignedOutNote(null);
          client.setQueryData(['portal', 'session'], s);
        }}
      />
    );
  } else if (session.data.mustChangePassword) {
    body = <ChangePasswordScreen forced onChanged={(s) => client.setQueryData(['portal', 'session'], s)} />;
  } else {
    const signedOut = () => onSignedOut('You have been signed out. Sign in again to carry on.');
    body = (
      <Routes>
        <Route path="/portal" element={<HomeScreen onSignedOut={signedOut} onSignOut={async () => {
          await portalPost('/logout').catch(() => undefined);
          onSignedOut('You have signed out.');
        }} />} />
        <Route path="/portal/doses" element={<DosesScreen onSignedOut={signedOut} />} />
        <Route path="/portal/appointments" element={<AppointmentsScreen onSignedOut={signedOut} />} />
        <Route path="/portal/take-home" element={<TakeHomeScreen onSignedOut={signedOut} />} />
        <Route path="/portal/plan" element={<PlanScreen onSignedOut={signedOut} />} />
        <Route path="/portal/peer-support" element={<PeerSupportScreen onSignedOut={signedOut} />} />
        <Route path="/portal/password" element={<ChangePasswordScreen onChanged={(s) => client.setQueryData(['portal', 'session'], s)} />} />
        <Route path="*" element={<Navigate to="/portal" replace />} />
      </Routes>
    );
  }
  return (
    // Errors in a darker red than Mantine's default, for AA contrast on white.
    <Box bg="gray.0" mih="100vh" style={{ '--mantine-color-error': 'var(--mantine-color-red-9)' } as CSSProperties}>
      <Box component="header" bg="white" py="xs" style={{ borderBottom: '1px solid var(--mantine-color-gray-4)', position: 'sticky', top: 0, zIndex: 10 }}>
        <Container size={520} px="md">
          <Group justify="space-between" wrap="nowrap">
            <Text fw={700} size="lg">
              Your clinic
            </Text>
            <Button color="red.9" size="lg" onClick={() => quickExit(forget)} aria-describedby="quick-exit-help">
              Quick exit
            </Button>
          </Group>
          <Text id="quick-exit-help" size="sm" c="gray.8">
            Quick exit signs you out and leaves this page at once.
          </Text>
        </Container>
      </Box>
      <Container size={520} px="md" py="md" component="main">
        {body}
      </Container>
    </Box>
  );
}

function SignInScreen({ note, onSignedIn }: { note: string | null; onSignedIn: (s: PortalSession) => void }) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<ApiFailure | Error | null>(null);
  const [busy, setBusy] = useState(false);
  return (
    <form
      onSubmit={async (e) => {
        e.preventDefault();
        setBusy(true);
        setError(null);
        try {
          onSignedIn(await portalPost<PortalSession>('/login', { username, password }));
        } catch (err) {
          setError(err instanceof Error ? err : new Error(String(err)));
        } finally {
          setBusy(false);
        }
      }}
    >
      <Stack gap="lg">
        <Title order={1}>Sign in</Title>
        {note && (
          <Text size="lg" role="status">
            {note}
          </Text>
        )}
        <Paper withBorder p="md" bg="yellow.0" component="section" aria-labelledby="keep-private">
          <Stack gap="xs">
            <Text size="lg" fw={700} id="keep-private">
              Keep this private
            </Text>
            <Text size="lg">If other people use this phone, sign out when you finish, and do not let the phone save your password.</Text>
            <Text size="lg" fw={700}>
              If someone is making you show this, tap Quick exit.
            </Text>
          </Stack>
        </Paper>
        <TextInput
          size="lg"
          label="Username"
          autoComplete="off"
          autoCapitalize="none"
          autoCorrect="off"
          spellCheck={false}
          required
          value={username}
          onChange={(e) => setUsername(e.currentTarget.value)}
        />
        <PasswordInput size="lg" label="Password" autoComplete="off" required value={password} onChange={(e) => setPassword(e.currentTarget.value)} />
        {error && <PlainError error={error} />}
        <Button type="submit" size="xl" loading={busy} fullWidth>
          Sign in
        </Button>
        <Text size="md" c="gray.8">
          No account, or forgotten your password? Ask the team at the clinic.
        </Text>
      </Stack>
    </form>
  );
}

function ChangePasswordScreen({ forced = false, onChanged }: { forced?: boolean; onChanged: (s: PortalSession) => void }) {
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [error, setError] = useState<ApiFailure | null>(null);
  const [done, setDone] = useState(false);
  return (
    <form
      onSubmit={async (ev) => {
        ev.preventDefault();
        setError(null);
        try {
          const s = await portalPost<PortalSession>('/password', { currentPassword: current, newPassword: next });
          setDone(true);
          setCurrent('');
          setNext('');
          onChanged(s);
        } catch (err) {
          setError(err instanceof ApiFailure ? err : new ApiFailure(0, 'error', String(err)));
        }
      }}
    >
      <Stack gap="lg">
        {!forced && <BackHome />}
        <Title order={1}>{forced ? 'Choose your own password' : 'Change your password'}</Title>
        {forced && <Text size="lg">The team gave you a first password. Choose your own before you carry on.</Text>}
        <Text size="lg">Use at least 12 characters. A few words that mean nothing together work well. Do not use your name.</Text>
        <PasswordInput size="lg" label="Password you have now" autoComplete="current-password" required value={current} onChange={(x) => setCurrent(x.currentTarget.value)} error={error?.forField('currentPassword') && 'This is not your password now.'} />
        <PasswordInput size="lg" label="New password" autoComplete="new-password" required value={next} onChange={(x) => setNext(x.currentTarget.value)} error={error?.forField('newPassword')} />
        {error && !error.field && <PlainError error={error} />}
        {done && (
          <Text size="lg" role="status">
            Password changed.
          </Text>
        )}
        <Button type="submit" size="xl" fullWidth>
          Save my password
        </Button>
      </Stack>
    </form>
  );
}
