import { useState } from 'react';
import { Button, Card, Group, Select, Text, TextInput } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiFailure, get, put } from '../api';
import { useClinicPath, useSession } from '../session';
import { ErrorNote } from '../components/ErrorNote';

interface Caseloads {
  keyworkers: { staffId: string; displayName: string; active: boolean; people: { serviceUserId: string }[] }[];
}

/** Who is this person's keyworker, and (for those who may) a change of keyworker with a reason. */
export function KeyworkerCard({ serviceUserId, keyworkerStaffId }: { serviceUserId: string; keyworkerStaffId: string | null }) {
  const s = useSession();
  const path = useClinicPath();
  const qc = useQueryClient();
  const canAssign = s.has('admin', 'prescriber', 'keyworker');
  const caseloads = useQuery({ queryKey: ['caseloads', s.clinicId], queryFn: () => get<Caseloads>(path('/keyworkers/caseloads')), enabled: s.has('admin', 'prescriber', 'nurse', 'keyworker') });
  const [choice, setChoice] = useState<string | null>(null);
  const [reason, setReason] = useState('');
  const save = useMutation({
    mutationFn: () => put(path(`/service-users/${serviceUserId}/keyworker`), { staffId: choice === 'none' ? null : choice, reason }),
    onSuccess: () => {
      setChoice(null);
      setReason('');
      void qc.invalidateQueries({ queryKey: ['person', serviceUserId] });
      void qc.invalidateQueries({ queryKey: ['caseloads'] });
      void qc.invalidateQueries({ queryKey: ['work-lists'] });
    },
  });
  const keyworkers = caseloads.data?.keyworkers ?? [];
  const current = keyworkers.find((k) => k.staffId === keyworkerStaffId);
  const error = save.error instanceof ApiFailure ? save.error : null;
  return (
    <Card withBorder>
      <Group align="flex-end" wrap="wrap">
        <Text fw={600}>Keyworker: {current ? `${current.displayName} (${current.people.length} on their caseload)` : keyworkerStaffId ? 'someone who is no longer a keyworker here' : 'none'}</Text>
        {canAssign && (
          <>
            <Select
              label="Change keyworker"
              data={[{ value: 'none', label: 'no keyworker' }, ...keyworkers.filter((k) => k.active).map((k) => ({ value: k.staffId, label: `${k.displayName} (${k.people.length})` }))]}
              value={choice}
              onChange={setChoice}
              error={error?.forField('staffId')}
              w={260}
            />
            {choice && <TextInput label="Reason" value={reason} onChange={(e) => setReason(e.currentTarget.value)} error={error?.forField('reason')} w={260} />}
            {choice && (
              <Button onClick={() => save.mutate()} loading={save.isPending}>
                Assign
              </Button>
            )}
          </>
        )}
      </Group>
      {save.error && !error?.field ? <ErrorNote error={save.error} /> : null}
    </Card>
  );
}
