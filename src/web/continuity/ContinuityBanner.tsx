import { Alert, Anchor } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { get } from '../api';
import { useClinicPath, useSession } from '../session';

export interface ContinuityStatus {
  fundedUntil: string | null;
  noticeFrom: string | null;
  state: 'open_ended' | 'funded' | 'notice' | 'ended';
  daysLeft: number | null;
}
export interface StatusResponse {
  today: string;
  status: ContinuityStatus;
  warning: string | null;
}

/**
 * The funding warning every member of staff at the clinic sees from the notice date on (and once
 * funding has ended), above every screen. Words and a heading, not colour alone.
 */
export function ContinuityBanner() {
  const s = useSession();
  const path = useClinicPath();
  const q = useQuery({
    queryKey: ['continuity-status', s.clinicId],
    queryFn: () => get<StatusResponse>(path('/continuity/status')),
    enabled: !!s.clinicId && s.roles.length > 0,
    staleTime: 5 * 60_000,
  });
  if (!q.data?.warning) return null;
  const ended = q.data.status.state === 'ended';
  return (
    <Alert
      role="region"
      aria-label="Funding notice"
      color={ended ? 'red' : 'orange'}
      variant="outline"
      title={ended ? 'Funding has ended' : 'Funding notice'}
      mb="md"
      data-testid="continuity-banner"
      styles={{ title: { color: '#222' }, message: { color: '#222' } }}
    >
      {q.data.warning}{' '}
      {s.has('admin', 'prescriber', 'nurse', 'hca', 'keyworker', 'cd_accountable') && (
        <Anchor component={Link} to="/continuity">
          See continuity plans
        </Anchor>
      )}
    </Alert>
  );
}
