import { useEffect } from 'react';
import { Anchor, Button, Card, Center, Divider, List, Loader, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { ApiFailure } from '../api';
import { portalGet, type Appointment, type Dose, type NoDoses, type PeerContact, type Plan, type SessionTime, type Supply, type Today } from './portal-api';
import { BackHome, dayWords, NavButton, PlainError } from './PortalParts';

type SignedOut = { onSignedOut: () => void };

/** A portal read; an answer saying the session has ended takes the person back to sign-in. */
function usePortal<T>(key: string, path: string, onSignedOut: () => void) {
  const q = useQuery({ queryKey: ['portal', key], queryFn: () => portalGet<T>(path), retry: false, staleTime: 0 });
  const ended = q.error instanceof ApiFailure && (q.error.status === 401 || q.error.status === 403);
  useEffect(() => {
    if (ended) onSignedOut();
  }, [ended, onSignedOut]);
  return q;
}

function Loading() {
  return (
    <Center h="20vh">
      <Loader role="status" aria-label="Loading" />
    </Center>
  );
}

function Failed({ error }: { error: unknown }) {
  return error ? <PlainError error={error instanceof Error ? error : new Error(String(error))} /> : null;
}

const STATUS_WORDS: Record<SessionTime['status'], string> = { given: 'Done ✓', open_now: 'Open now', later: 'Later', closed: 'Closed' };

const NO_DOSES: Record<NoDoses, string> = {
  not_in_treatment: 'No doses are planned. Please talk to the team.',
  away: 'You are down as away, so no doses are planned. Talk to the team when you are back.',
  no_prescription: 'No dose is planned for this day. Please talk to the team.',
  paused: 'Your doses are paused. Please talk to the team.',
  stopped: 'No dose is planned for this day. Please talk to the team.',
  not_started: 'Your doses have not started yet. The team will tell you when.',
  ended: 'No dose is planned for this day. Please talk to the team.',
};

function nextWords(next: SessionTime, today: string): string {
  if (next.status === 'open_now') return `Now: ${next.label}, open until ${next.closes}`;
  return `${dayWords(next.date, today)}, ${next.label}: ${next.opens} to ${next.closes}`;
}

export function HomeScreen({ onSignedOut, onSignOut }: SignedOut & { onSignOut: () => void }) {
  const me = usePortal<{ preferredName: string; clinicName: string }>('me', '/me', onSignedOut);
  const today = usePortal<Today>('today', '/today', onSignedOut);
  const t = today.data;
  return (
    <Stack gap="lg">
      <Title order={1}>{me.data ? `Hello, ${me.data.preferredName}` : 'Hello'}</Title>
      {today.isLoading && <Loading />}
      <Failed error={today.error} />
      {t && (
        <>
          <Card withBorder padding="lg" component="section" aria-labelledby="next-dose">
            <Title order={2} id="next-dose" size="h3">
              Your next dose
            </Title>
            <Text size="xl" fw={700} mt="xs">
              {t.next ? nextWords(t.next, t.today) : NO_DOSES[t.days[0]?.noDoses ?? 'no_prescription']}
            </Text>
          </Card>
          {t.arrival && (
            <Card withBorder padding="lg" component="section" aria-labelledby="arrival">
              <Title order={2} id="arrival" size="h3">
                When to arrive, and where to wait
              </Title>
              <Text size="lg" mt="xs">
                {dayWords(t.arrival.date, t.today)}, {t.arrival.label}:
              </Text>
              {t.arrival.slotStart && (
                <Text size="xl" fw={700}>
                  Arrive {t.arrival.slotStart}
                  {t.arrival.slotEnd ? ` to ${t.arrival.slotEnd}` : ''}
                </Text>
              )}
              {t.arrival.areaName && (
                <Text size="xl" fw={700}>
                  Wait in: {t.arrival.areaName}
                </Text>
              )}
            </Card>
          )}
          {t.days.map((d) => (
            <Card withBorder padding="lg" component="section" key={d.date} aria-labelledby={`day-${d.date}`}>
              <Title order={2} id={`day-${d.date}`} size="h3">
                {dayWords(d.date, t.today)}
              </Title>
              {d.noDoses ? (
                <Text size="lg" mt="xs">
                  {NO_DOSES[d.noDoses]}
                </Text>
              ) : (
                <List size="lg" spacing="xs" mt="xs" listStyleType="none">
                  {d.sessions.map((s) => (
                    <List.Item key={s.sessionCode}>
                      <Text size="lg" span fw={600}>
                        {s.label} {s.opens} to {s.closes}
                      </Text>
                      <Text size="lg" span>
                        {' — '}
                        {STATUS_WORDS[s.status]}
                      </Text>
                    </List.Item>
                  ))}
                </List>
              )}
            </Card>
          ))}
          <Text size="md" c="gray.8">
            Times can change. If in doubt, ask the team.
          </Text>
        </>
      )}
      <Divider />
      <Stack gap="sm" component="nav" aria-label="Your pages">
        <NavButton to="/portal/doses" label="My doses" />
        <NavButton to="/portal/appointments" label="My appointments" />
        <NavButton to="/portal/take-home" label="Take-home doses" />
        <NavButton to="/portal/plan" label="My plan for the future" />
        <NavButton to="/portal/peer-support" label="Peer support" />
        <NavButton to="/portal/password" label="Change my password" />
        <Button size="xl" variant="default" fullWidth onClick={onSignOut}>
          Sign out
        </Button>
      </Stack>
    </Stack>
  );
}

const ROUTE_WORDS = { iv: 'into a vein', im: 'into a muscle' } as const;

function doseWords(d: Dose): string {
  switch (d.outcome) {
    case 'given':
      return `${d.givenMg} mg ${d.route ? ROUTE_WORDS[d.route] : ''}${d.kind === 'top_up' ? ' (top-up)' : ''}`;
    case 'not_given':
      return 'Not given';
    case 'missed':
      return 'Missed';
    case 'in_progress':
      return 'Not finished yet';
  }
}

export function DosesScreen({ onSignedOut }: SignedOut) {
  const q = usePortal<{ from: string; to: string; doses: Dose[] }>('doses', '/doses?days=28', onSignedOut);
  return (
    <Stack gap="lg">
      <BackHome />
      <Title order={1}>My doses</Title>
      <Text size="lg">The last 4 weeks, newest first.</Text>
      {q.isLoading && <Loading />}
      <Failed error={q.error} />
      {q.data && q.data.doses.length === 0 && <Text size="lg">No doses in the last 4 weeks.</Text>}
      {q.data && q.data.doses.length > 0 && (
        <Stack gap="md" component="ol" aria-label="Doses" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
          {q.data.doses.map((d) => (
            <Card withBorder padding="md" component="li" key={d.doseId}>
              <Text size="lg" fw={700}>
                {dayWords(d.date, q.data.to)}, {d.sessionLabel}
              </Text>
              <Text size="lg">{doseWords(d)}</Text>
            </Card>
          ))}
        </Stack>
      )}
    </Stack>
  );
}

const APPOINTMENT_WORDS: Record<Appointment['kind'], string> = {
  prescriber_review: 'Review with your prescriber',
  keywork: 'Key-work session',
  drug_test: 'Drug test sample',
};

export function AppointmentsScreen({ onSignedOut }: SignedOut) {
  const q = usePortal<{ today: string; appointments: Appointment[] }>('appointments', '/appointments', onSignedOut);
  return (
    <Stack gap="lg">
      <BackHome />
      <Title order={1}>My appointments</Title>
      {q.isLoading && <Loading />}
      <Failed error={q.error} />
      {q.data && q.data.appointments.length === 0 && <Text size="lg">Nothing booked yet. The team will tell you.</Text>}
      {q.data?.appointments.map((a) => (
        <Card withBorder padding="lg" key={a.kind}>
          <Text size="lg" fw={700}>
            {APPOINTMENT_WORDS[a.kind]}
          </Text>
          <Text size="lg">{a.dueNow ? 'Due now: ask the team today' : dayWords(a.on, q.data.today)}</Text>
        </Card>
      ))}
    </Stack>
  );
}

export function TakeHomeScreen({ onSignedOut }: SignedOut) {
  const q = usePortal<{ supplies: Supply[] }>('take-home', '/take-home', onSignedOut);
  return (
    <Stack gap="lg">
      <BackHome />
      <Title order={1}>Take-home doses</Title>
      {q.isLoading && <Loading />}
      <Failed error={q.error} />
      {q.data && q.data.supplies.length === 0 && <Text size="lg">You have no take-home doses.</Text>}
      {q.data?.supplies.map((s) => (
        <Card withBorder padding="lg" key={s.supplyId}>
          <Text size="lg" fw={700}>
            For {dayWords(s.from)}
            {s.to !== s.from ? ` to ${dayWords(s.to)}` : ''}
          </Text>
          <Text size="lg">
            {s.doses} dose{s.doses === 1 ? '' : 's'} of {s.doseMg} mg {ROUTE_WORDS[s.route]}
            {s.sessions.length > 0 ? ` (${s.sessions.join(' and ')} each day)` : ''}, collected {dayWords(s.suppliedOn)}.
          </Text>
          {s.ended && <Text size="lg">This supply has ended: come to the clinic for your doses.</Text>}
        </Card>
      ))}
      <Text size="lg">Keep them locked away, out of sight and reach of anyone else. Bring back any you do not use, and the used equipment.</Text>
    </Stack>
  );
}

function PlanSteps({ plan }: { plan: Plan }) {
  const r = plan.reduction;
  const t = plan.transfer;
  return (
    <>
      {r && (
        <section aria-labelledby="plan-steps">
          <Title order={2} size="h3" id="plan-steps">
            Your dose, step by step
          </Title>
          <List size="lg" spacing="xs" mt="xs" aria-labelledby="plan-steps">
            <List.Item>
              <strong>Now</strong>: {r.fromDoseMg} mg
            </List.Item>
            {r.steps.map((s) => (
              <List.Item key={s.fromDate}>
                <strong>From {dayWords(s.fromDate)}</strong>: {s.doseMg === 0 ? 'no diamorphine' : `${s.doseMg} mg`}
              </List.Item>
            ))}
          </List>
        </section>
      )}
      {t && (
        <Text size="lg">
          From {dayWords(t.startDate)}
          {t.kind === 'medication' ? (t.to ? ` you will start ${t.to}.` : ' you will start a different medicine.') : t.to ? ` your care will move to ${t.to}.` : ' your care will move to another service.'}
        </Text>
      )}
    </>
  );
}

export function PlanScreen({ onSignedOut }: SignedOut) {
  const q = usePortal<{ plan: Plan | null }>('plan', '/continuity', onSignedOut);
  const plan = q.data?.plan;
  return (
    <Stack gap="lg">
      <BackHome />
      <Title order={1}>My plan for the future</Title>
      {q.isLoading && <Loading />}
      <Failed error={q.error} />
      {q.data && !plan && <Text size="lg">There is no plan to show yet. If you are worried about your treatment ending, talk to the team.</Text>}
      {plan && (
        <>
          <Text size="lg">The money for this service is agreed until {dayWords(plan.fundedUntil)}. This plan says what happens, and when, so that nothing stops suddenly.</Text>
          <Text size="xl" fw={700}>
            {plan.option === 'planned_reduction' ? 'Your dose will go down slowly, a little at a time.' : 'Until then, your treatment here stays the same.'}
          </Text>
          <PlanSteps plan={plan} />
          <Card withBorder padding="lg">
            <Text size="lg">This plan does not change your prescription. Your prescriber will talk to you before each change. You can ask questions, and ask for changes to the plan.</Text>
          </Card>
        </>
      )}
    </Stack>
  );
}

export function PeerSupportScreen({ onSignedOut }: SignedOut) {
  const q = usePortal<{ contacts: PeerContact[] }>('peer-support', '/peer-support', onSignedOut);
  return (
    <Stack gap="lg">
      <BackHome />
      <Title order={1}>Peer support</Title>
      <Text size="lg">People who have been there, and groups the clinic knows.</Text>
      {q.isLoading && <Loading />}
      <Failed error={q.error} />
      {q.data && q.data.contacts.length === 0 && <Text size="lg">Ask the team about peer support.</Text>}
      {q.data?.contacts.map((c) => (
        <Card withBorder padding="lg" key={c.name + c.contact}>
          <Text size="lg" fw={700}>
            {c.name}
          </Text>
          <Text size="lg">{c.role}</Text>
          <Text size="lg">{/^[+\d][\d\s]{6,}$/.test(c.contact) ? <Anchor href={`tel:${c.contact.replace(/\s/g, '')}`}>{c.contact}</Anchor> : c.contact}</Text>
          {c.availability && <Text size="lg">{c.availability}</Text>}
        </Card>
      ))}
    </Stack>
  );
}
