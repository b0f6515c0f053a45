import { Stack, Text, Title } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { get, post } from '../api';
import { useClinicPath, useSession } from '../session';
import { CsvImportForm, EarlierImports, type CsvImportReport, type PastImport } from '../components/CsvImportForm';

/**
 * A community pharmacy's methadone collection log, as the CSV it sends: check it first (nothing is
 * written), then import all rows or, if staff choose, exactly the valid ones. Every rejected row is
 * listed with the line number, the column and why.
 */
export function MethadoneImportPage() {
  const s = useSession();
  const path = useClinicPath();
  const qc = useQueryClient();
  const imports = useQuery({
    queryKey: ['methadone-imports', s.clinicId],
    queryFn: () => get<{ imports: PastImport[] }>(path('/methadone-collections/imports')),
  });
  return (
    <Stack>
      <Title order={2}>Pharmacy methadone collections: import</Title>
      <CsvImportForm
        fileLabel="CSV file from the pharmacy"
        send={(request) => post<CsvImportReport>(path('/methadone-collections/imports'), request)}
        onSent={() => {
          void qc.invalidateQueries({ queryKey: ['methadone-imports'] });
          void qc.invalidateQueries({ queryKey: ['work-lists'] });
        }}
      >
        <Text>
          The CSV needs a header row with <code>nhs_number</code> (or <code>service_user_id</code>), <code>date</code>, <code>status</code> (collected, not_collected, partial or supervised) and
          optionally <code>dose_mg</code>, <code>collected_mg</code>, <code>pharmacy</code>, <code>notes</code>.
        </Text>
      </CsvImportForm>
      <EarlierImports imports={imports.data?.imports} timeZone={s.timeZone} />
    </Stack>
  );
}
