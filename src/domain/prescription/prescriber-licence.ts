import type { Refusal } from '../refusal';
import { refuse } from '../refusal';

/**
 * In the UK only a doctor holding a Home Office licence may prescribe diamorphine for the treatment
 * of addiction (Misuse of Drugs (Supply to Addicts) Regulations 1997). The licence number and its
 * expiry date are on the prescriber's staff record; an expired or missing licence is refused.
 */
export interface PrescriberStanding {
  isPrescriberHere: boolean;
  homeOfficeLicenceNumber: string | null;
  homeOfficeLicenceExpiry: string | null;
}

export function diamorphineLicenceRefusals(prescriber: PrescriberStanding, onDate: string): Refusal[] {
  if (!prescriber.isPrescriberHere) {
    return [refuse('not_a_prescriber', 'Only someone with the prescriber role at this clinic can sign a prescription')];
  }
  if (!prescriber.homeOfficeLicenceNumber || !prescriber.homeOfficeLicenceExpiry) {
    return [
      refuse(
        'home_office_licence_missing',
        'Your staff record has no Home Office licence to prescribe diamorphine; an administrator must record its number and expiry date first',
      ),
    ];
  }
  if (prescriber.homeOfficeLicenceExpiry < onDate) {
    return [
      refuse(
        'home_office_licence_expired',
        `Your Home Office licence ${prescriber.homeOfficeLicenceNumber} expired on ${prescriber.homeOfficeLicenceExpiry}; a diamorphine prescription needs a valid licence`,
      ),
    ];
  }
  return [];
}
