import type { Temporal } from 'temporal-polyfill';
import type { Decision, Refusal } from '../refusal';
import { refuse } from '../refusal';
import type { CareRecord } from '../care/care-record';
import { coveredSessions, type SessionTimes, type SupplyCover } from './cover';
import type { ReturnRequest, TakeHomeReturn, TakeHomeSupply } from './records';

/**
 * Unused ampoules brought back go to the patient-returns record (destroyed later with a witness),
 * never back into stock; used equipment and sharps are noted. A return may also end the supply:
 * the sessions not yet begun come back to the clinic (the person is expected, and may be dosed).
 * No more ampoules of a strength can come back than were handed over, less those already back.
 */

export interface SupplyAccount {
  /** Ampoules handed over, by strength (mg). */
  supplied: Map<number, number>;
  /** Ampoules already brought back, by strength. */
  returned: Map<number, number>;
}

export function supplyAccount(supply: TakeHomeSupply, returns: readonly CareRecord<TakeHomeReturn>[], supplyRecordId: string): SupplyAccount {
  const supplied = new Map<number, number>();
  for (const a of supply.ampoules) supplied.set(a.strengthMg, (supplied.get(a.strengthMg) ?? 0) + a.count);
  const returned = new Map<number, number>();
  for (const r of returns) {
    if (r.data.supplyRecordId !== supplyRecordId) continue;
    for (const a of r.data.unusedAmpoules) returned.set(a.strengthMg, (returned.get(a.strengthMg) ?? 0) + a.count);
  }
  return { supplied, returned };
}

export function checkReturn(
  req: ReturnRequest,
  ctx: { now: Temporal.Instant; supply: CareRecord<TakeHomeSupply>; returns: readonly CareRecord<TakeHomeReturn>[]; cover: SupplyCover; sessions: readonly SessionTimes[]; timeZone: string },
): Decision<true> {
  const refusals: Refusal[] = [];
  const account = supplyAccount(ctx.supply.data, ctx.returns, ctx.supply.recordId);
  req.unusedAmpoules.forEach((a, i) => {
    const supplied = account.supplied.get(a.strengthMg);
    if (supplied === undefined) {
      refusals.push(refuse('strength_not_supplied', `No ${a.strengthMg} mg ampoules were supplied (${[...account.supplied.keys()].map((s) => `${s} mg`).join(', ')} were)`, `unusedAmpoules[${i}].strengthMg`));
      return;
    }
    const back = account.returned.get(a.strengthMg) ?? 0;
    if (back + a.count > supplied) {
      refusals.push(
        refuse(
          'more_returned_than_supplied',
          `${a.count} × ${a.strengthMg} mg returned now, ${back} already: more than the ${supplied} supplied on ${ctx.supply.effectiveDate}. Count again; ampoules from elsewhere go to the patient-returns record on their own.`,
          `unusedAmpoules[${i}].count`,
        ),
      );
    }
  });
  if (req.endsSupply) {
    if (ctx.cover.endedAt) refusals.push(refuse('supply_already_ended', `This supply was already ended at ${ctx.cover.endedAt.toString()}`, 'endsSupply'));
    else {
      const remaining = coveredSessions({ ...ctx.cover, endedAt: ctx.now }, ctx.sessions, ctx.timeZone).length;
      const all = coveredSessions(ctx.cover, ctx.sessions, ctx.timeZone).length;
      if (remaining === all) refusals.push(refuse('supply_already_over', `Every session of this supply (to ${ctx.supply.data.toDate}) has already begun: there is nothing left to end`, 'endsSupply'));
    }
  }
  return refusals.length ? { ok: false, refusals } : { ok: true, value: true };
}
