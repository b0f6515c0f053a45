import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { addStaff, ApiClient } from './support/api';
import { browserAvailable, expectAccessible, screenshot } from './support/browser';
import { startBrowserClinic } from './support/clinic';
import type { startE2eServer } from './support/server';
import { containsRun, pdfText } from '../test/support/pdf-text';

/** A commissioner signs in, lands on Reports, and sees figures as charts and tables, suppressed, with CSV, a PDF file and print. */
const START = '2026-03-02T08:25:00Z';
const PASSWORD = 'the team pass phrase';

describe.skipIf(!browserAvailable())('commissioner reports in a browser', () => {
  let server: Awaited<ReturnType<typeof startE2eServer>>;
  let browser: Browser;
  let clinicId = '';
  const c = (p: string) => `/api/v1/clinics/${clinicId}${p}`;

  beforeAll(async () => {
    let admin: ApiClient;
    ({ server, browser, admin, clinicId } = await startBrowserClinic(START));
    for (const [key, name, roles] of [['doctor', 'Dr Pat Prescriber', ['prescriber']], ['commissioner', 'Cass Commissioner', ['commissioner']]] as const) {
      await addStaff(admin, clinicId, key, name, roles, PASSWORD);
    }
    const doctor = new ApiClient(server.base);
    await doctor.signIn('doctor@e2e.test', PASSWORD);
    for (let i = 0; i < 6; i++) {
      const su = await admin.post(c('/service-users'), {
        record: { givenName: `Quentin${i}`, familyName: `Zebrafish${i}`, dateOfBirth: `1975-04-1${i}`, address: { lines: ['1 High Street'], postcode: 'TS1 1AA' } },
        referral: { source: 'GP' },
      });
      if (i === 5) continue; // one still waiting
      const ep = (p: string) => c(`/episodes/${su.episode.episodeId}${p}`);
      await doctor.post(ep('/assessment'));
      await doctor.post(ep('/eligibility'), { outcomes: [{ code: 'long_term_opioid_dependence', outcome: 'met' }, { code: 'previous_treatment_without_benefit', outcome: 'met' }] });
      await doctor.post(ep('/induction'));
    }
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('lands a commissioner on Reports, with charts, tables, CSV, a PDF file and a printable page, and no names', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${server.base}/`);
    await page.getByLabel('Email').fill('commissioner@e2e.test');
    await page.locator('input[type=password]').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Reports', exact: true }).waitFor();
    expect(page.url()).toContain('/reports');
    await page.getByRole('heading', { name: 'Places used' }).waitFor();
    const places = page.getByRole('table', { name: 'People holding a place now' });
    await expect(places.getByRole('row', { name: /Induction/ }).textContent()).resolves.toContain('5');
    const referrals = page.getByRole('table', { name: 'Referrals in the period by outcome' });
    await expect(referrals.textContent()).resolves.toContain('<5');
    await page.getByRole('table', { name: 'Retention with numbers at risk' }).waitFor();
    const text = (await page.locator('body').textContent()) ?? '';
    expect(text).not.toContain('Zebrafish');
    expect(text).not.toContain('Quentin');
    await expectAccessible(page, 'reports page');
    await screenshot(page, 'reports', { fullPage: true });

    const csvHref = await page.getByRole('link', { name: 'Download CSV' }).getAttribute('href');
    const csv = await page.request.get(`${server.base}${csvHref}`);
    expect(csv.headers()['content-type']).toContain('text/csv');
    expect(await csv.text()).toContain('Places used,Induction,People,5');
    // the PDF file: a real download of a PDF
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download PDF' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^report-\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}\.pdf$/);
    const pdf = await readFile((await download.path())!);
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const pdfLines = pdfText(pdf);
    expect(containsRun(pdfLines, ['Induction', '5'])).toBe(true);
    expect(pdfLines.join(' ')).not.toContain('Zebrafish');
    const printHref = await page.getByRole('link', { name: /Printable report/ }).getAttribute('href');
    const print = await context.newPage();
    await print.goto(`${server.base}${printHref}`);
    await print.getByRole('heading', { name: 'Retention in treatment' }).first().waitFor();
    await expectAccessible(print, 'printable report');
    expect((await print.locator('body').textContent()) ?? '').not.toContain('Zebrafish');
    await context.close();
  }, 120_000);
});
