import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import type { ApiClient } from './support/api';
import { browserAvailable, expectAccessible, screenshot } from './support/browser';
import { signedInPage, startBrowserClinic } from './support/clinic';
import { ADMIN, type startE2eServer } from './support/server';

/** The exports page in a real browser: an administrator checks the month's NDTMS return and sees its problems named. */
const START = '2026-03-10T09:00:00Z';

describe.skipIf(!browserAvailable())('national return and research extract in a browser', () => {
  let server: Awaited<ReturnType<typeof startE2eServer>>;
  let browser: Browser;
  let clinicId = '';
  const c = (p: string) => `/api/v1/clinics/${clinicId}${p}`;

  beforeAll(async () => {
    let admin: ApiClient;
    ({ server, browser, admin, clinicId } = await startBrowserClinic(START));
    await admin.post(c('/service-users'), {
      record: { givenName: 'Joanne', familyName: 'Bloggs', dateOfBirth: '1980-05-17', address: { lines: ['1 High Street', 'Middlesbrough'], postcode: 'TS1 1AA' } },
      referral: { source: 'GP' },
    });
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('shows the month\'s return with its problems, and download links, accessibly', async () => {
    const page = await signedInPage(browser, server.base, START, ADMIN.email, ADMIN.password);
    await page.getByRole('link', { name: 'National return & research' }).click();
    await page.getByRole('heading', { name: 'National return and research extract' }).waitFor();
    const month = page.getByLabel('Month (YYYY-MM)');
    await month.fill('2026-03');
    await page.getByText('1 episode;').waitFor();
    await page.getByText('1 problem to fix before submitting').waitFor();
    const problems = page.getByRole('table', { name: 'Problems found by the validator' });
    await problems.getByRole('cell', { name: 'SEX', exact: true }).waitFor();
    const csv = page.getByRole('link', { name: 'Download CSV' }).first();
    expect(await csv.getAttribute('href')).toBe(c('/exports/ndtms?month=2026-03&format=csv'));
    expect(await page.getByRole('link', { name: 'Download CSV' }).nth(1).getAttribute('href')).toMatch(/\/exports\/research\?from=\d{4}-\d{2}-\d{2}&to=\d{4}-\d{2}-\d{2}&format=csv$/);
    await expectAccessible(page, 'exports page');
    await screenshot(page, 'exports');
    await page.context().close();
  });
});
