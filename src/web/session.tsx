import { createContext, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type { SessionInfo } from '../contract/auth';
import { ApiFailure, get, post, setCsrfToken } from './api';

type Info = z.infer<typeof SessionInfo>;
export type Role = Info['clinics'][number]['roles'][number];

interface SessionState {
  info: Info | null;
  loading: boolean;
  clinicId: string | null;
  clinicName: string;
  timeZone: string;
  roles: Role[];
  has: (...roles: Role[]) => boolean;
  chooseClinic: (clinicId: string) => void;
  signIn: (email: string, password: string) => Promise<void>;
  signOut: () => Promise<void>;
  refresh: () => void;
}

const Ctx = createContext<SessionState | null>(null);
const CLINIC_KEY = 'openhat.clinic';

export function SessionProvider({ children }: { children: ReactNode }) {
  const client = useQueryClient();
  const q = useQuery({
    queryKey: ['session'],
    queryFn: async () => {
      try {
        return await get<Info>('/api/v1/auth/session');
      } catch (e) {
        if (e instanceof ApiFailure && e.status === 401) return null;
        throw e;
      }
    },
    retry: false,
  });
  const info = q.data ?? null;
  const [clinicId, setClinicId] = useState<string | null>(() => localStorage.getItem(CLINIC_KEY));
  const clinics = info?.clinics ?? [];
  const current = clinics.find((c) => c.clinicId === clinicId) ?? clinics[0] ?? null;
  const zone = useQuery({
    queryKey: ['clinic', current?.clinicId],
    queryFn: () => get<{ settings: { timeZone: string } }>(`/api/v1/clinics/${current!.clinicId}`),
    enabled: !!current && !info?.staff.mustChangePassword,
  });
  useEffect(() => {
    if (!info) setCsrfToken(null);
  }, [info]);

  const value = useMemo<SessionState>(
    () => ({
      info,
      loading: q.isLoading,
      clinicId: current?.clinicId ?? null,
      clinicName: current?.clinicName ?? '',
      timeZone: zone.data?.settings.timeZone ?? 'Europe/London',
      roles: current?.roles ?? [],
      has: (...roles) => roles.some((r) => current?.roles.includes(r)),
      chooseClinic: (id) => {
        localStorage.setItem(CLINIC_KEY, id);
        setClinicId(id);
        void client.invalidateQueries();
      },
      signIn: async (email, password) => {
        const fresh = await post<Info>('/api/v1/auth/login', { email, password });
        client.setQueryData(['session'], fresh);
      },
      signOut: async () => {
        await post('/api/v1/auth/logout').catch(() => undefined);
        setCsrfToken(null);
        client.clear();
        client.setQueryData(['session'], null);
      },
      refresh: () => void q.refetch(),
    }),
    [info, q, current, zone.data, client],
  );
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

export function useSession(): SessionState {
  const s = useContext(Ctx);
  if (!s) throw new Error('useSession outside SessionProvider');
  return s;
}

/** Clinic API paths for the clinic in use. */
export function useClinicPath() {
  const { clinicId } = useSession();
  return (path = '') => `/api/v1/clinics/${clinicId}${path}`;
}
