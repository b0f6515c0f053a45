import { useEffect } from 'react';
import { useQueryClient } from '@tanstack/react-query';

/** Refetch whatever is on screen when anything at the clinic changes (server-sent events). */
export function useLiveUpdates(clinicId: string | null) {
  const client = useQueryClient();
  useEffect(() => {
    if (!clinicId) return;
    const source = new EventSource(`/api/v1/clinics/${clinicId}/events`);
    const onChange = () => void client.invalidateQueries({ predicate: (q) => q.queryKey[0] !== 'session' });
    source.addEventListener('change', onChange);
    return () => {
      source.removeEventListener('change', onChange);
      source.close();
    };
  }, [clinicId, client]);
}
