import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { addStaff, licensePrescriber, type ApiClient } from './support/api';
import { browserAvailable, expectAccessible, screenshot } from './support/browser';
import { signedInPage, startBrowserClinic } from './support/clinic';
import { ADMIN, type startE2eServer } from './support/server';

/**
 * Imports in a real browser: an administrator checks and imports a CSV of service users (the bad
 * row named by row and column), and a prescriber's prescription import is refused by the rule.
 */
const START = '2026-03-10T09:00:00Z';
const PASSWORD = 'the team pass phrase';

describe.skipIf(!browserAvailable())('imports in a browser', () => {
  let server: Awaited<ReturnType<typeof startE2eServer>>;
  let browser: Browser;
  let clinicId = '';
  const dir = mkdtempSync(join(tmpdir(), 'openhat-imports-'));

  const pageFor = (email: string, password: string): Promise<Page> => signedInPage(browser, server.base, START, email, password);

  beforeAll(async () => {
    let admin: ApiClient;
    ({ server, browser, admin, clinicId } = await startBrowserClinic(START));
    const doctor = await addStaff(admin, clinicId, 'doctor', 'Dr Pat Prescriber', ['prescriber'], PASSWORD);
    await licensePrescriber(admin, clinicId, doctor.staffId);
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('an administrator checks a file of people (the bad row named), then imports the valid rows', async () => {
    const file = join(dir, 'paper-records.csv');
    writeFileSync(
      file,
      ['family_name,given_name,date_of_birth,nhs_number,address_line_1,postcode,referral_source,episode_state', 'Bloggs,Joanne,17/05/1980,9990000018,1 High Street,TS1 1AA,GP,referred', 'Smith,Sam,31/02/1980,,2 Low Road,,,'].join('\n'),
    );
    const page = await pageFor(ADMIN.email, ADMIN.password);
    await page.getByRole('link', { name: 'Imports', exact: true }).click();
    await page.getByRole('heading', { name: 'Imports', exact: true }).waitFor();
    await page.locator('input[type=file]').setInputFiles(file);
    await page.getByRole('button', { name: 'Check the file' }).click();
    await page.getByRole('status').getByText(/nothing written/).waitFor();
    const rejected = page.getByRole('table', { name: 'Rejected rows' });
    await rejected.getByRole('cell', { name: 'date_of_birth', exact: true }).waitFor();
    expect(await rejected.textContent()).toContain('3');
    await expectAccessible(page, 'imports');
    await screenshot(page, 'imports-service-users');
    await page.getByLabel('Import the valid rows and list the rest').check();
    await page.getByRole('button', { name: 'Import' }).click();
    await page.getByRole('status').getByText(/1 imported/).waitFor();
    await page.getByRole('table', { name: 'Earlier imports' }).getByText('paper-records.csv').waitFor();
  });

  it("a prescriber's import: a person not in treatment is refused by the rule, nothing written", async () => {
    const file = join(dir, 'charts.csv');
    writeFileSync(file, ['nhs_number,sessions,iv_dose_mg,start_date,review_date,titration_start_mg', '9990000018,AM PM,30,2026-03-10,2026-03-17,30'].join('\n'));
    const page = await pageFor('doctor@e2e.test', PASSWORD);
    await page.getByRole('link', { name: 'Imports', exact: true }).click();
    await page.getByRole('heading', { name: 'Imports', exact: true }).waitFor();
    await page.locator('input[type=file]').setInputFiles(file);
    await page.getByLabel(/Your password/).fill(PASSWORD);
    await page.getByRole('button', { name: 'Check the file' }).click();
    await page.getByRole('status').getByText(/nothing written/).waitFor();
    await page.getByRole('table', { name: 'Rejected rows' }).getByRole('cell', { name: 'not_in_treatment' }).waitFor();
    await expectAccessible(page, 'prescription import');
  });
});
