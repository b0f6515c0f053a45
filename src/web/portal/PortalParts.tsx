import { Alert, Button, Text } from '@mantine/core';
import { Link } from 'react-router';
import { ApiFailure } from '../api';

/** Every move inside the portal replaces the history entry, so after Quick exit there is nothing to go Back to. */
export function NavButton({ to, label, variant = 'light' }: { to: string; label: string; variant?: 'light' | 'subtle' | 'filled' }) {
  return (
    <Button
      component={Link}
      to={to}
      replace
      size="xl"
      variant={variant}
      fullWidth={variant !== 'subtle'}
      justify="flex-start"
      px={variant === 'subtle' ? 'xs' : undefined}
      styles={{ label: { whiteSpace: 'normal' } }}
    >
      {label}
    </Button>
  );
}

export function BackHome() {
  return <NavButton to="/portal" variant="subtle" label="← Back to home" />;
}

/** An error said plainly; the server's messages are written for staff, so only a few are passed on. */
export function PlainError({ error }: { error: ApiFailure | Error }) {
  const e = error instanceof ApiFailure ? error : null;
  const text =
    e?.code === 'invalid_credentials'
      ? 'That username or password is not right. Try again.'
      : e?.code === 'account_locked'
        ? 'Too many tries. Wait 15 minutes, or ask the team at the clinic.'
        : e?.code === 'rate_limited'
          ? 'Too many tries. Wait a minute and try again.'
          : e?.status === 400 && e.problems
            ? e.problems.map((p) => p.message).join('; ')
            : e?.status === 400
              ? e.message.replace(/^[a-zA-Z.]+: /, '')
              : 'Something went wrong. Try again, or ask the team at the clinic.';
  return (
    <Alert color="red" variant="light" role="alert">
      <Text size="lg">{text}</Text>
    </Alert>
  );
}

const DAY = new Intl.DateTimeFormat('en-GB', { weekday: 'long', day: 'numeric', month: 'long', timeZone: 'UTC' });
const DAY_YEAR = new Intl.DateTimeFormat('en-GB', { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });

/** "Today", "Tomorrow" or "Monday 2 March" for a clinic date near today; "Monday 2 March 2026" without one. */
export function dayWords(date: string, today?: string): string {
  const at = new Date(`${date}T12:00:00Z`);
  if (!today) return DAY_YEAR.format(at);
  if (date === today) return 'Today';
  const t = new Date(`${today}T12:00:00Z`);
  t.setUTCDate(t.getUTCDate() + 1);
  if (t.toISOString().slice(0, 10) === date) return 'Tomorrow';
  return DAY.format(at);
}
