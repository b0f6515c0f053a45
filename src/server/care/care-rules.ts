import { breathTestRules } from '../../domain/care/breath-tests';
import type { CareRules } from '../../domain/care/person-in-care';
import { toxicologyRules } from '../../domain/care/toxicology';
import { outcomeRules } from '../../domain/care/outcome-profile';
import { harmReductionRules } from '../../domain/care/harm-reduction';
import { carePlanRules } from '../../domain/care/care-plan';
import { methadoneRules } from '../../domain/care/methadone';
import { heartSafetyRules } from '../../domain/care/heart-safety';
import { continuityRules } from '../../domain/continuity/continuity-rules';
import { takeHomeRules } from '../../domain/take-home/rules';

/**
 * Every area of monitoring and care whose pure rules produce work-list items and alerts at the
 * hatch. A new area adds its rules here, and its items and alerts appear everywhere at once.
 */
export const CARE_RULES: readonly { area: string; rules: CareRules }[] = [
  { area: 'toxicology', rules: toxicologyRules },
  { area: 'breath tests', rules: breathTestRules },
  { area: 'outcomes', rules: outcomeRules },
  { area: 'harm reduction', rules: harmReductionRules },
  { area: 'care plans', rules: carePlanRules },
  { area: 'methadone', rules: methadoneRules },
  { area: 'heart safety', rules: heartSafetyRules },
  { area: 'continuity', rules: continuityRules },
  { area: 'take-home', rules: takeHomeRules },
];
