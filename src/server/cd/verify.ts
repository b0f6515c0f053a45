import { verifyPage } from '../../domain/cd-register/page';
import { allPages, pageName } from '../../store/cd-register';
import type { Orm } from '../../store/database';

/** Check every page's hash chain and balances; the first broken entry on each page is named. */
export async function verifyRegister(orm: Orm, clinicId?: string) {
  const pages = (await allPages(orm, clinicId)).map(({ item, entries }) => {
    const verdict = verifyPage(entries);
    return {
      clinicId: item.clinicId,
      itemId: item.itemId,
      name: `${pageName(item)} (${item.location})`,
      entries: entries.length,
      ok: verdict.ok,
      balance: verdict.ok ? verdict.balance : null,
      brokenAtSeq: verdict.ok ? null : verdict.brokenAtSeq,
      problem: verdict.ok ? null : verdict.problem,
    };
  });
  return { ok: pages.every((p) => p.ok), pages };
}

