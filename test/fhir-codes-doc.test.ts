import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DIAMORPHINE_AMPOULE_VMP, DIAMORPHINE_VIAL_VMP, HEART_RATE_LOINC, QTC_LOINC, routeConcept } from '../src/domain/fhir/codes';

describe('FHIR codes and their documentation', () => {
  it('every code openhat sends is listed in docs/fhir.md with its source', () => {
    const doc = readFileSync(new URL('../docs/fhir.md', import.meta.url), 'utf8');
    const codes = [
      ...Object.values(DIAMORPHINE_AMPOULE_VMP),
      ...Object.values(DIAMORPHINE_VIAL_VMP),
      ...Object.values(QTC_LOINC).map((c) => c.code),
      HEART_RATE_LOINC.code,
      ...(['iv', 'im', 'oral'] as const).map((r) => routeConcept(r).coding![0]!.code!),
    ];
    expect(codes).toHaveLength(18);
    for (const code of codes) expect(doc, code).toContain(`\`${code}\``);
  });
});
