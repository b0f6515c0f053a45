import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { addStaff, type ApiClient } from './support/api';
import { browserAvailable, choose, expectAccessible, screenshot } from './support/browser';
import { signedInPage, startBrowserClinic } from './support/clinic';
import { ADMIN, type startE2eServer } from './support/server';

/**
 * Break-glass in a real browser: a nurse at one clinic opens, with a reason, the record of someone
 * in treatment at the neighbouring clinic (found by NHS number), reads it, and the administrator of
 * that clinic sees who did so, why and until when.
 */
const START = '2026-03-02T09:00:00Z';
const PASSWORD = 'the team pass phrase';
const REASON = 'Collapsed in our waiting room; need the current prescription and alerts';

describe.skipIf(!browserAvailable())('emergency access (break-glass) in a browser', () => {
  let server: Awaited<ReturnType<typeof startE2eServer>>;
  let browser: Browser;
  let home = '';
  let neighbour = '';
  let nurse: { email: string; staffId: string };

  const pageAs = (email: string, password: string): Promise<Page> => signedInPage(browser, server.base, START, email, password);

  beforeAll(async () => {
    let admin: ApiClient;
    ({ server, browser, admin, clinicId: home } = await startBrowserClinic(START));
    nurse = await addStaff(admin, home, 'nurse', 'Nina Nurse', ['nurse'], PASSWORD);
    // The neighbouring clinic (its creator, the first administrator, runs it) and someone in treatment there.
    const created = await admin.post('/api/v1/clinics', { settings: { name: 'Riverside HAT clinic' } });
    neighbour = created.clinicId;
    await admin.post(`/api/v1/clinics/${neighbour}/service-users`, {
      record: { familyName: 'Okafor', givenName: 'Tunde', dateOfBirth: '1979-02-11', nhsNumber: '9434765919', address: { lines: ['3 Quay Street'], postcode: 'TS2 1AB' } },
      referral: { source: 'GP' },
    });
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('a nurse opens a neighbouring clinic\'s record with a reason; its administrator sees it in the log', async () => {
    const page = await pageAs(nurse.email, PASSWORD);
    await page.getByRole('link', { name: 'Emergency access', exact: true }).click();
    await page.getByRole('heading', { name: 'Emergency access', exact: true }).waitFor();
    await page.getByLabel(/^Clinic id/).fill(neighbour);
    await page.getByLabel(/^NHS number or service-user id/).fill('943 476 5919');
    // Too short a reason: refused, the field named, nothing opened.
    await page.getByLabel(/^Reason/).fill('emergency');
    await page.getByRole('button', { name: 'Open the record' }).click();
    await page.getByText(/at least 20 characters/).first().waitFor();
    expect(await page.getByTestId('emergency-record').count()).toBe(0);

    await page.getByLabel(/^Reason/).fill(REASON);
    await page.getByRole('button', { name: 'Open the record' }).click();
    const record = page.getByTestId('emergency-record');
    await record.getByText('Tunde Okafor').waitFor();
    await expectAccessible(page, 'emergency access with a record open');
    await screenshot(page, 'emergency-access');

    const admin = await pageAs(ADMIN.email, ADMIN.password);
    await choose(admin, 'Clinic', 'Riverside HAT clinic');
    await admin.getByRole('link', { name: 'Emergency access log' }).click();
    await admin.getByRole('heading', { name: /Emergency access to this clinic/ }).waitFor();
    await admin.getByRole('cell', { name: REASON }).waitFor();
    await admin.getByRole('cell', { name: 'Nina Nurse' }).waitFor();
    await expectAccessible(admin, 'break-glass log');
    await screenshot(admin, 'break-glass-log');
  });
});
