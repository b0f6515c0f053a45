import type { FieldProblem } from '../validation';

/**
 * A prescriber's professional registration and, to prescribe diamorphine for addiction in the UK,
 * a Home Office licence with its expiry date (Misuse of Drugs (Supply to Addicts) Regulations 1997).
 * The prescriptions issue refuses a prescription whose prescriber lacks a licence valid on the day.
 */
/** UK regulators: doctors, nurses, pharmacists, allied health professionals. */
export const PROFESSIONAL_BODIES = ['GMC', 'NMC', 'GPhC', 'HCPC', 'other'] as const;
export type ProfessionalBody = (typeof PROFESSIONAL_BODIES)[number];

export interface Registration {
  professionalBody: ProfessionalBody | null;
  registrationNumber: string | null;
  homeOfficeLicenceNumber: string | null;
  homeOfficeLicenceExpiry: string | null;
}

export function registrationProblems(r: Registration): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if ((r.professionalBody === null) !== (r.registrationNumber === null)) {
    problems.push({
      field: r.professionalBody === null ? 'professionalBody' : 'registrationNumber',
      message: 'give the professional body and the registration number together',
    });
  }
  if ((r.homeOfficeLicenceNumber === null) !== (r.homeOfficeLicenceExpiry === null)) {
    problems.push({
      field: r.homeOfficeLicenceNumber === null ? 'homeOfficeLicenceNumber' : 'homeOfficeLicenceExpiry',
      message: 'give the Home Office licence number and its expiry date together',
    });
  }
  return problems;
}
