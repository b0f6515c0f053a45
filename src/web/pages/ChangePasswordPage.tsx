import { useState } from 'react';
import { Button, Center, Paper, PasswordInput, Stack, Text, Title } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { ApiFailure, post } from '../api';
import { ErrorNote } from '../components/ErrorNote';

export function ChangePasswordPage({ forced = false }: { forced?: boolean }) {
  const client = useQueryClient();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState(false);
  const e = error instanceof ApiFailure ? error : null;
  return (
    <Center mih={forced ? '100vh' : undefined} p="md">
      <Paper withBorder p="xl" w={460} component={forced ? 'main' : 'section'}>
        <form
          onSubmit={async (ev) => {
            ev.preventDefault();
            setError(null);
            try {
              const info = await post('/api/v1/auth/password', { currentPassword: current, newPassword: next });
              client.setQueryData(['session'], info);
              setDone(true);
            } catch (err) {
              setError(err);
            }
          }}
        >
          <Stack>
            <Title order={forced ? 1 : 2} size="h2">
              {forced ? 'Choose your own password' : 'Change your password'}
            </Title>
            {forced && <Text>Your password was set by someone else. Choose your own before you continue.</Text>}
            <PasswordInput label="Current password" autoComplete="current-password" required value={current} onChange={(x) => setCurrent(x.currentTarget.value)} error={e?.forField('currentPassword')} />
            <PasswordInput label="New password (at least 12 characters)" autoComplete="new-password" required value={next} onChange={(x) => setNext(x.currentTarget.value)} error={e?.forField('newPassword')} />
            {!e?.field && <ErrorNote error={error} />}
            {done && <Text role="status">Password changed.</Text>}
            <Button type="submit">Change password</Button>
          </Stack>
        </form>
      </Paper>
    </Center>
  );
}
