import type { Temporal } from 'temporal-polyfill';
import type { Orm } from '../../store/database';
import type { CareRuleInput } from '../../domain/care/person-in-care';
import type { Alert } from '../clinical/output';
import { CARE_RULES } from './care-rules';
import { onePersonInCare } from './people-in-care';

/**
 * What monitoring and care say staff must know before a dose (methadone not collected, a high
 * QTc, a breath test still to do, a wound at an injection site...), from each area's pure rules.
 */
export async function careAlerts(orm: Orm, clinicId: string, serviceUserId: string, now: Temporal.Instant): Promise<Alert[]> {
  const found = await onePersonInCare(orm, clinicId, serviceUserId, now);
  if (!found) return [];
  return careAlertsFor({ person: found.person, settings: found.settings, today: found.today, now });
}

/** The same alerts for a person already read (no I/O): every area's rules, most severe first. */
export function careAlertsFor(input: CareRuleInput): Alert[] {
  const alerts = CARE_RULES.flatMap(({ rules }) => rules.alerts(input));
  const rank = { danger: 0, warning: 1, info: 2 } as const;
  return alerts.sort((a, b) => rank[a.severity] - rank[b.severity]).map((a) => ({ kind: a.kind, severity: a.severity, text: a.text }));
}
