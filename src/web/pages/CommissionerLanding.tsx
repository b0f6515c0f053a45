import type { ReactNode } from 'react';
import { Navigate } from 'react-router';
import { useSession } from '../session';

/** Someone who is only a commissioner at this clinic has nothing on Today: their landing page is Reports. */
export function CommissionerLanding({ children }: { children: ReactNode }) {
  const s = useSession();
  if (s.roles.length > 0 && s.roles.every((r) => r === 'commissioner')) return <Navigate to="/reports" replace />;
  return <>{children}</>;
}
