import type { ReactNode } from 'react';
import { AppShell, Burger, Button, Group, NavLink, Select, Stack, Text, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { NavLink as RouterLink, useLocation } from 'react-router';
import { useSession, type Role } from '../session';
import { useLiveUpdates } from '../live';
import { ContinuityBanner } from '../continuity/ContinuityBanner';

const LINKS: { to: string; label: string; roles: Role[] }[] = [
  { to: '/today', label: 'Today', roles: ['admin', 'prescriber', 'nurse', 'hca', 'keyworker', 'cd_accountable'] },
  { to: '/people', label: 'Service users', roles: ['admin', 'prescriber', 'nurse', 'hca', 'keyworker', 'cd_accountable'] },
  { to: '/work-lists', label: 'Work lists', roles: ['admin', 'prescriber', 'nurse', 'hca', 'keyworker'] },
  { to: '/arrivals', label: 'Arrivals', roles: ['admin', 'prescriber', 'nurse', 'hca', 'keyworker', 'cd_accountable'] },
  { to: '/reports', label: 'Reports', roles: ['commissioner', 'admin'] },
  { to: '/reports/travel', label: 'Travel burden', roles: ['admin', 'prescriber', 'nurse', 'keyworker'] },
  { to: '/prescribing', label: 'Prescribing', roles: ['prescriber'] },
  { to: '/continuity', label: 'Continuity', roles: ['admin', 'prescriber', 'nurse', 'hca', 'keyworker', 'cd_accountable'] },
  { to: '/peer-support', label: 'Peer support', roles: ['admin', 'prescriber', 'nurse', 'hca', 'keyworker', 'cd_accountable'] },
  { to: '/methadone-import', label: 'Pharmacy import', roles: ['admin', 'nurse', 'prescriber'] },
  { to: '/imports', label: 'Imports', roles: ['admin', 'prescriber'] },
  { to: '/exports', label: 'National return & research', roles: ['admin'] },
  { to: '/register', label: 'CD register', roles: ['admin', 'prescriber', 'nurse', 'cd_accountable'] },
  { to: '/admin', label: 'Administration', roles: ['admin'] },
  { to: '/admin/break-glass', label: 'Emergency access log', roles: ['admin'] },
  { to: '/emergency-access', label: 'Emergency access', roles: ['prescriber', 'nurse', 'keyworker'] },
];

/** The frame of every screen: clinic switcher, navigation by role, who is signed in. */
export function Layout({ children }: { children: ReactNode }) {
  const s = useSession();
  const [open, { toggle, close }] = useDisclosure();
  const location = useLocation();
  const mine = LINKS.filter((l) => s.has(...l.roles));
  // The most specific link for this page: /reports/travel is Travel burden, not Reports.
  const activeLink = mine
    .map((l) => l.to)
    .filter((to) => location.pathname === to || location.pathname.startsWith(`${to}/`))
    .sort((a, b) => b.length - a.length)[0];
  useLiveUpdates(s.clinicId);
  return (
    <AppShell header={{ height: 64 }} navbar={{ width: 240, breakpoint: 'sm', collapsed: { mobile: !open } }} padding="md">
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between">
          <Group>
            <Burger opened={open} onClick={toggle} hiddenFrom="sm" size="sm" aria-label="Menu" />
            <Title order={1} size="h3">
              openhat
            </Title>
            {s.info && s.info.clinics.length > 1 ? (
              <Select
                aria-label="Clinic"
                data={s.info.clinics.map((c) => ({ value: c.clinicId, label: c.clinicName }))}
                value={s.clinicId}
                onChange={(v) => v && s.chooseClinic(v)}
                allowDeselect={false}
                w={220}
              />
            ) : (
              <Text fw={600}>{s.clinicName}</Text>
            )}
          </Group>
          <Group>
            <Text size="sm">
              {s.info?.staff.displayName} · {s.roles.join(', ') || 'no role here'}
            </Text>
            <Button variant="subtle" component={RouterLink} to="/password">
              Password
            </Button>
            <Button variant="outline" onClick={() => void s.signOut()}>
              Sign out
            </Button>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="sm" aria-label="Main">
        <Stack gap={4}>
          {mine.map((l) => (
            <NavLink
              key={l.to}
              component={RouterLink}
              to={l.to}
              label={l.label}
              active={l.to === activeLink}
              color="blue.9"
              variant="filled"
              onClick={close}
              styles={{ root: { minHeight: 44 } }}
            />
          ))}
        </Stack>
      </AppShell.Navbar>
      <AppShell.Main>
        <main>
          <ContinuityBanner />
          {children}
        </main>
      </AppShell.Main>
    </AppShell>
  );
}
