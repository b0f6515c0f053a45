import { checkEntries, pageVerdict, startPageCheck } from '../../domain/cd-register/page';
import { countPageEntries, pageEntriesBetween, pageName, registerItems } from '../../store/cd-register';
import type { Orm } from '../../store/database';

/**
 * Check every page's hash chain and balances; the first broken entry on each page is named. Each
 * page is read in batches in entry order and checked as it comes (a clinic's page holds about
 * 15,000 entries a year: ten years of it held at once made this the server's largest use of memory).
 */
export async function verifyRegister(orm: Orm, clinicId?: string) {
  const pages = [];
  for (const item of await registerItems(orm, clinicId)) {
    let check = startPageCheck();
    for await (const batch of pageEntriesBetween(orm, item.clinicId, item.itemId, {})) {
      check = checkEntries(check, batch);
      if (check.broken) break;
    }
    const verdict = pageVerdict(check);
    pages.push({
      clinicId: item.clinicId,
      itemId: item.itemId,
      name: `${pageName(item)} (${item.location})`,
      entries: verdict.ok ? verdict.entries : await countPageEntries(orm, item.clinicId, item.itemId, {}),
      ok: verdict.ok,
      balance: verdict.ok ? verdict.balance : null,
      brokenAtSeq: verdict.ok ? null : verdict.brokenAtSeq,
      problem: verdict.ok ? null : verdict.problem,
    });
  }
  return { ok: pages.every((p) => p.ok), pages };
}
