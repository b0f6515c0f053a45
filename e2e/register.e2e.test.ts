import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { addStaff, ApiClient } from './support/api';
import { browserAvailable, expectAccessible, screenshot } from './support/browser';
import { signedInPage, startBrowserClinic } from './support/clinic';
import type { startE2eServer } from './support/server';

/**
 * A register page longer than a screenful in a real browser: the latest entries first, older ones
 * on request with none missed or repeated, and the entries of a date with the exports to match.
 */
const START = '2026-03-30T12:00:00Z';
const PASSWORD = 'register pass phrase';
const ENTRIES = 130;
const EARLIER = 10; // late entries that happened on 28 March

describe.skipIf(!browserAvailable())('a long register page in a browser', () => {
  let server: Awaited<ReturnType<typeof startE2eServer>>;
  let browser: Browser;
  let clinicId = '';
  let cdo = { email: '', staffId: '' };
  let itemId = '';
  const c = (p: string) => `/api/v1/clinics/${clinicId}${p}`;

  beforeAll(async () => {
    let admin: ApiClient;
    ({ server, browser, admin, clinicId } = await startBrowserClinic(START));
    cdo = await addStaff(admin, clinicId, 'cdo', 'Carol Accountable', ['cd_accountable'], PASSWORD);
    const witness = await addStaff(admin, clinicId, 'witness', 'Will Witness', ['nurse'], PASSWORD);
    const api = new ApiClient(server.base);
    await api.signIn(cdo.email, PASSWORD);
    itemId = (await api.post(c('/cd/items'), { strengthMg: 100, location: 'CD cupboard' })).itemId;
    for (let i = 0; i < ENTRIES; i++) {
      await api.post(c(`/cd/items/${itemId}/receipts`), {
        quantity: 1,
        supplier: { name: 'Specialist Pharma Ltd', address: '1 Depot Road, Leeds' },
        invoiceReference: `INV-${i}`,
        witness: { staffId: witness.staffId, password: PASSWORD },
        ...(i < EARLIER ? { occurredAt: `2026-03-28T10:${String(i).padStart(2, '0')}:00Z` } : {}),
      });
    }
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  const numbers = async (page: Page) => (await page.getByRole('table', { name: 'Register entries' }).locator('tbody tr td:first-child').allTextContents()).map(Number);
  const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

  it('shows the latest entries, then older ones on request, then the entries of a date', async () => {
    const page = await signedInPage(browser, server.base, START, cdo.email, PASSWORD);
    await page.goto(`${server.base}/register`);
    await page.getByRole('heading', { name: `Diamorphine hydrochloride 100 mg ampoule (powder for solution for injection) — CD cupboard: ${ENTRIES} ampoules` }).waitFor();
    await page.getByText(`Entries 31 to ${ENTRIES}: 100 of ${ENTRIES}`).waitFor();
    expect(await numbers(page)).toEqual(range(31, ENTRIES));
    await expectAccessible(page, 'register page, latest entries');

    await page.getByRole('button', { name: 'Show older entries' }).click();
    await page.getByText(`Entries 1 to ${ENTRIES}: ${ENTRIES} of ${ENTRIES}`).waitFor();
    expect(await numbers(page)).toEqual(range(1, ENTRIES));
    expect(await page.getByRole('button', { name: 'Show older entries' }).count()).toBe(0);

    await page.getByLabel('From', { exact: true }).fill('2026-03-28');
    await page.getByLabel('To', { exact: true }).fill('2026-03-28');
    await page.getByRole('button', { name: 'Show these dates' }).click();
    await page.getByText(`Entries 1 to ${EARLIER}: ${EARLIER} of ${EARLIER} on 2026-03-28`).waitFor();
    expect(await numbers(page)).toEqual(range(1, EARLIER));
    expect(await page.getByRole('link', { name: 'CSV' }).getAttribute('href')).toBe(c(`/cd/items/${itemId}/register?format=csv&from=2026-03-28&to=2026-03-28`));
    expect(await page.getByRole('link', { name: 'Print' }).getAttribute('href')).toBe(c(`/cd/items/${itemId}/register?format=html&from=2026-03-28&to=2026-03-28`));
    await expectAccessible(page, 'register page, one date');
    await screenshot(page, 'register-dates');

    // Back to all dates: the entries already loaded are shown again.
    await page.getByRole('button', { name: 'All dates' }).click();
    await page.getByText(`Entries 1 to ${ENTRIES}: ${ENTRIES} of ${ENTRIES}`).waitFor();
    expect(await page.getByRole('link', { name: 'CSV' }).getAttribute('href')).toBe(c(`/cd/items/${itemId}/register?format=csv`));
    await page.context().close();
  });
});
