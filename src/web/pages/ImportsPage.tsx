import { useState } from 'react';
import { Group, PasswordInput, Radio, Stack, Text, Title } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { get, post } from '../api';
import { useClinicPath, useSession } from '../session';
import { CsvImportForm, EarlierImports, type CsvImportReport, type PastImport } from '../components/CsvImportForm';

type Kind = 'service_users' | 'prescriptions';

const KINDS: Record<Kind, { label: string; path: string; columns: string }> = {
  service_users: {
    label: 'Service users',
    path: '/imports/service-users',
    columns:
      'family_name, given_name, date_of_birth (required; dates YYYY-MM-DD or DD/MM/YYYY), preferred_name, nhs_number, address_line_1 to address_line_3, postcode, no_fixed_abode (yes/no), phone, gp_practice, alcohol_known_use (yes/no), referral_source, referral_date, episode_state (empty or referred)',
  },
  prescriptions: {
    label: 'Prescriptions',
    path: '/imports/prescriptions',
    columns:
      'nhs_number, sessions (e.g. "AM PM"), start_date, review_date (required), iv_dose_mg, im_dose_mg, end_date, titration_start_mg, titration_steps (e.g. "2026-03-03:60; 2026-03-04:90"), retitration_start_mg, top_up_max_mg, top_up_wait_minutes, methadone_drug, methadone_daily_mg, methadone_pharmacy, methadone_supervised, reason',
  },
};

/**
 * Bringing a clinic's people and prescriptions in from paper or another system: check the CSV
 * first (nothing written), then import all rows or exactly the valid ones. Administrators import
 * people; prescribers import prescriptions, signing each with their password, and every safety
 * rule applies to every row.
 */
export function ImportsPage() {
  const s = useSession();
  const path = useClinicPath();
  const qc = useQueryClient();
  const allowed = (Object.keys(KINDS) as Kind[]).filter((k) => (k === 'service_users' ? s.has('admin') : s.has('prescriber')));
  const [kind, setKind] = useState<Kind>(allowed[0] ?? 'service_users');
  const [password, setPassword] = useState('');
  const imports = useQuery({
    queryKey: ['imports', s.clinicId],
    queryFn: () => get<{ imports: (PastImport & { kind: Kind })[] }>(path('/imports')),
  });
  if (allowed.length === 0) return <Text>Imports are for administrators (service users) and prescribers (prescriptions).</Text>;
  return (
    <Stack>
      <Title order={2}>Imports</Title>
      <CsvImportForm
        fileLabel="CSV file"
        resetKey={kind}
        ready={kind === 'service_users' || password !== ''}
        send={(request) => post<CsvImportReport>(path(KINDS[kind].path), { ...request, ...(kind === 'prescriptions' ? { signature: { password } } : {}) })}
        onSent={(r) => {
          if (!r.dryRun) setPassword('');
          void qc.invalidateQueries({ queryKey: ['imports'] });
        }}
        extra={kind === 'prescriptions' && <PasswordInput label="Your password (signs every prescription)" value={password} onChange={(e) => setPassword(e.currentTarget.value)} autoComplete="current-password" />}
      >
        <Radio.Group label="What the file holds" value={kind} onChange={(v) => setKind(v as Kind)}>
          <Group mt={4}>
            {allowed.map((k) => (
              <Radio key={k} value={k} label={KINDS[k].label} />
            ))}
          </Group>
        </Radio.Group>
        <Text>
          Columns (a header row, names in any case): <code>{KINDS[kind].columns}</code>.
        </Text>
        {kind === 'prescriptions' && (
          <Text>
            Every row is signed by you and checked by every prescribing rule (first-dose limit, maximum doses, titration, review date, your licence, the person&apos;s episode), exactly as when you sign one
            prescription.
          </Text>
        )}
      </CsvImportForm>
      <EarlierImports imports={imports.data?.imports} timeZone={s.timeZone} what={(i) => KINDS[i.kind].label} />
    </Stack>
  );
}
