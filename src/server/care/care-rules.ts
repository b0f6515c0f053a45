import { breathTestRules } from '../../domain/care/breath-tests';
import type { CareRules } from '../../domain/care/person-in-care';
import { toxicologyRules } from '../../domain/care/toxicology';
import { outcomeRules } from '../../domain/care/outcome-profile';

/**
 * Every area of monitoring and care whose pure rules produce work-list items and alerts at the
 * hatch. A new area adds its rules here, and its items and alerts appear everywhere at once.
 */
export const CARE_RULES: readonly { area: string; rules: CareRules }[] = [
  { area: 'toxicology', rules: toxicologyRules },
  { area: 'breath tests', rules: breathTestRules },
  { area: 'outcomes', rules: outcomeRules },
];
