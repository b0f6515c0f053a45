import { Temporal } from 'temporal-polyfill';
import { refuse, type Refusal } from '../refusal';
import type { PrescriptionContent } from './prescription';
import { versionInForce, type VersionTiming } from './versions';

/**
 * A clinic must not drop a dosing session that prescriptions still name: the doses would silently
 * vanish from the dose list (nobody expected, nobody missed). The prescriber changes those
 * prescriptions first; then the session can go.
 */
export function sessionRemovalRefusals(
  before: readonly string[],
  after: readonly string[],
  prescriptions: readonly (VersionTiming & { serviceUserId: string; content: PrescriptionContent })[],
  now: Temporal.Instant,
): Refusal[] {
  const removed = before.filter((code) => !after.includes(code));
  if (removed.length === 0) return [];
  const byPerson = new Map<string, (VersionTiming & { content: PrescriptionContent })[]>();
  for (const p of prescriptions) byPerson.set(p.serviceUserId, [...(byPerson.get(p.serviceUserId) ?? []), p]);
  const refusals: Refusal[] = [];
  for (const code of removed) {
    let people = 0;
    for (const versions of byPerson.values()) {
      // The version in force now and any that takes effect later.
      const current = versionInForce(versions, now);
      const relevant = versions.filter((v) => v === current || Temporal.Instant.compare(v.effectiveFrom, now) > 0);
      if (relevant.some((v) => v.content.status === 'active' && v.content.diamorphine.sessions.includes(code))) people++;
    }
    if (people > 0) {
      refusals.push(refuse('session_in_use', `Session ${code} is on the prescriptions of ${people} ${people === 1 ? 'person' : 'people'}: a prescriber must change those first, or their doses would silently stop`, 'settings.sessions'));
    }
  }
  return refusals;
}
