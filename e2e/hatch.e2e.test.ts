import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { addStaff, ApiClient, licensePrescriber } from './support/api';
import { browserAvailable, choose, expectAccessible, screenshot } from './support/browser';
import { signedInPage, startBrowserClinic } from './support/clinic';
import { ADMIN, type startE2eServer } from './support/server';

/**
 * The staff web app in a real browser (Debian's Chromium through playwright-core), against a real
 * server: a morning session at the hatch for four people, the register and the prescriber.
 */
const START = '2026-03-02T08:25:00Z'; // 08:25 in London, before the AM session (08:00–11:30) fills up
const PASSWORD = 'the team pass phrase';

describe.skipIf(!browserAvailable())('the staff web app in a browser', () => {
  let server: Awaited<ReturnType<typeof startE2eServer>>;
  let browser: Browser;
  const staff: Record<string, { email: string; staffId: string }> = {};
  const people: Record<string, string> = {};
  let clinicId = '';
  let itemId = '';

  async function newPage(who: string): Promise<{ context: BrowserContext; page: Page }> {
    const page = await signedInPage(browser, server.base, START, staff[who]!.email, who === 'admin' ? ADMIN.password : PASSWORD);
    return { context: page.context(), page };
  }

  beforeAll(async () => {
    let admin: ApiClient;
    ({ server, browser, admin, clinicId } = await startBrowserClinic(START));
    const c = (p: string) => `/api/v1/clinics/${clinicId}${p}`;
    staff.admin = { email: ADMIN.email, staffId: admin.staffId };
    for (const [key, name, roles] of [
      ['nurse', 'Nina Nurse', ['nurse']],
      ['hca', 'Harry Assistant', ['hca']],
      ['doctor', 'Dr Pat Prescriber', ['prescriber']],
      ['cdo', 'Carol Accountable', ['cd_accountable']],
    ] as const) {
      staff[key] = await addStaff(admin, clinicId, key, name, roles, PASSWORD);
    }
    await licensePrescriber(admin, clinicId, staff.doctor!.staffId);
    const doctor = new ApiClient(server.base);
    await doctor.signIn(staff.doctor!.email, PASSWORD);
    for (const [given, family] of [['Ann', 'Ashby'], ['Bob', 'Brown'], ['Cat', 'Carter'], ['Dan', 'Dixon']]) {
      const su = await admin.post(c('/service-users'), {
        record: { givenName: given, familyName: family, dateOfBirth: '1979-04-01', address: { lines: ['1 High Street', 'Middlesbrough'], postcode: 'TS1 1AA' }, ...(given === 'Cat' ? { alcohol: { knownUse: true } } : {}) },
        referral: { source: 'GP' },
      });
      people[given!] = su.serviceUserId;
      const ep = (p: string) => c(`/episodes/${su.episode.episodeId}${p}`);
      await doctor.post(ep('/assessment'));
      await doctor.post(ep('/eligibility'), { outcomes: [{ code: 'long_term_opioid_dependence', outcome: 'met' }, { code: 'previous_treatment_without_benefit', outcome: 'met' }] });
      await doctor.post(ep('/induction'));
      await doctor.post(c(`/service-users/${su.serviceUserId}/prescriptions`), {
        content: {
          diamorphine: { sessions: ['AM', 'PM'], ivDoseMg: 100, imDoseMg: 80, titration: { startDoseMg: 30, steps: [{ fromDate: '2026-03-03', doseMg: 60 }] }, topUp: null, retitrationStartDoseMg: 30 },
          methadone: { drug: 'methadone oral solution 1 mg/mL', dailyDoseMg: 30, pharmacy: 'Boots, Linthorpe Road', supervised: false },
          startDate: '2026-03-02',
          endDate: null,
          reviewDate: '2026-03-09',
        },
        reason: 'induction',
        signature: { password: PASSWORD },
      });
    }
    const cdo = new ApiClient(server.base);
    await cdo.signIn(staff.cdo!.email, PASSWORD);
    itemId = (await cdo.post(c('/cd/items'), { strengthMg: 100, location: 'CD cupboard, dosing room' })).itemId;
    await cdo.post(c(`/cd/items/${itemId}/receipts`), { quantity: 20, supplier: { name: 'Specialist Pharma Ltd', address: '1 Depot Road, Leeds' }, invoiceReference: 'INV-1', witness: { staffId: staff.nurse!.staffId, password: PASSWORD } });
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('signs in, and the sign-in page is accessible', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${server.base}/`);
    await expectAccessible(page, 'sign-in');
    await screenshot(page, '01-sign-in');
    await page.getByLabel('Email').fill(staff.nurse!.email);
    await page.locator('input[type=password]').fill('wrong password!');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('Email or password is wrong');
    // A failed submit keeps what was typed.
    expect(await page.getByLabel('Email').inputValue()).toBe(staff.nurse!.email);
    // The rest by keyboard alone: Tab from the email to the password, Enter to sign in.
    await page.getByLabel('Email').focus();
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.type)).toBe('password');
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.type(PASSWORD);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: /^Today/ }).waitFor();
    await page.getByRole('link', { name: 'Service users' }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Service users' }).waitFor();
    await context.close();
  });

  it('a morning session: opening, a dose, a refusal for sedation, a breath-alcohol reduction with a switch to IM, live on a second screen, closing with a missed dose', async () => {
    const nurse = await newPage('nurse');
    const hca = await newPage('hca');
    const n = nurse.page;

    // Opening the session, with the staff on duty and the emergency kit.
    await n.getByRole('link', { name: 'Open session AM' }).click();
    await choose(n, 'Staff on duty (a nurse and at least one more)', /Harry Assistant/);
    for (const item of ['Naloxone', 'Oxygen', 'Bag-valve mask', 'Suction', 'Defibrillator']) await n.getByLabel(`${item} present`).check();
    await n.getByLabel('Naloxone expires').fill('2027-01-31');
    await n.getByLabel('Oxygen expires').fill('2027-06-30');
    await expectAccessible(n, 'open session');
    await n.getByRole('button', { name: 'Open session' }).click();
    await n.getByRole('heading', { name: /^Session AM/ }).waitFor();
    await screenshot(n, '03-session');
    await expectAccessible(n, 'session');

    // The second screen (the assistant's) shows the open session and the people due.
    await hca.page.reload();
    await hca.page.getByText('Ann Ashby').first().waitFor();

    // Ann: a full dose.
    await n.getByRole('link', { name: 'Assess Ann Ashby' }).click();
    await n.getByLabel('Identity confirmed against the photo').check();
    await expectAccessible(n, 'assessment');
    await screenshot(n, '04-assessment');
    await n.getByRole('button', { name: 'Record assessment' }).click();
    await expect.poll(() => n.getByTestId('allowance').textContent()).toContain('30 mg');
    await choose(n, 'Ampoules from register page', /100 mg/);
    await n.getByLabel('Water for injections (mL)').fill('1');
    await expect.poll(() => n.getByTestId('computed').textContent()).toContain('Draw up 0.3 mL');
    await n.getByLabel('Witness: ampoules seen').fill('1');
    await n.getByLabel('Witness: water seen (mL)').fill('1');
    await choose(n, 'Witness', /Harry Assistant/);
    await n.getByLabel("Witness's password").fill(PASSWORD);
    await expectAccessible(n, 'preparation');
    await screenshot(n, '05-preparation');
    await n.getByRole('button', { name: 'Record preparation' }).click();
    await n.getByRole('heading', { name: /^Administration/ }).waitFor();
    await choose(n, 'Injection site(s)', 'left arm');
    await choose(n, 'Witness', /Harry Assistant/);
    await n.getByLabel("Witness's password").fill(PASSWORD);
    await n.getByRole('button', { name: 'Record dose given' }).click();
    await expect.poll(() => n.getByTestId('observation-countdown').textContent()).toMatch(/Observation: \d+:\d\d left/);
    await screenshot(n, '06-observation');
    await expectAccessible(n, 'observation');

    // The assistant's board changes without reloading: Ann is in observation, with the countdown.
    // (The first table is the AM session's; Ann is also expected in the afternoon.)
    await expect.poll(() => hca.page.locator('tr[data-person="Ann Ashby"] [data-status]').first().getAttribute('data-status'), { timeout: 15_000 }).toBe('in_observation');
    await expect.poll(() => hca.page.locator('tr[data-person="Ann Ashby"] [data-testid=countdown]').first().textContent()).toMatch(/left/);
    await screenshot(hca.page, '02-today-board');
    await expectAccessible(hca.page, 'today board');

    // Bob: sedation 3 is refused, and the rule is shown.
    await n.goto(`${server.base}/today`);
    await n.getByRole('link', { name: 'Go to session' }).first().click();
    await n.getByRole('link', { name: 'Assess Bob Brown' }).click();
    await n.getByLabel('Identity confirmed against the photo').check();
    await n.getByText('3 drifts off').click();
    await n.getByRole('button', { name: 'Record assessment' }).click();
    await expect.poll(() => n.getByTestId('decision').textContent()).toContain('sedation too high');
    await expectAccessible(n, 'refusal');
    await screenshot(n, '07-refusal');

    // Cat: breath alcohol 0.3 mg/L (an identified alcohol user) halves the dose; the vein fails and the dose continues IM.
    await n.goto(`${server.base}/today`);
    await n.getByRole('link', { name: 'Go to session' }).first().click();
    await n.getByRole('link', { name: 'Assess Cat Carter' }).click();
    await n.getByLabel('Identity confirmed against the photo').check();
    await n.getByLabel('Breath alcohol reading (as the meter shows it)').fill('0.3');
    await n.getByRole('button', { name: 'Record assessment' }).click();
    await expect.poll(() => n.getByTestId('allowance').textContent()).toContain('15 mg');
    await choose(n, 'Ampoules from register page', /100 mg/);
    await n.getByLabel('Water for injections (mL)').fill('1');
    await n.getByLabel('Witness: ampoules seen').fill('1');
    await n.getByLabel('Witness: water seen (mL)').fill('1');
    await choose(n, 'Witness', /Harry Assistant/);
    await n.getByLabel("Witness's password").fill(PASSWORD);
    await n.getByRole('button', { name: 'Record preparation' }).click();
    await n.getByRole('heading', { name: /^Administration/ }).waitFor();
    await n.getByLabel('Venous access failed: continued IM').check();
    await choose(n, 'Injection site(s)', 'left thigh (IM)');
    await n.getByLabel('Attempts').fill('3');
    await choose(n, 'Witness', /Harry Assistant/);
    await n.getByLabel("Witness's password").fill(PASSWORD);
    await n.getByRole('button', { name: 'Record dose given' }).click();
    await expect.poll(() => n.getByTestId('observation-countdown').textContent()).toMatch(/Observation: (29|30):\d\d left/);

    // Closing is refused while people are in observation; after it, Dan (who never came) is missed.
    await n.goto(`${server.base}/today`);
    await n.getByRole('link', { name: 'Go to session' }).first().click();
    await n.getByRole('button', { name: 'Close session' }).click();
    await expect.poll(() => n.getByTestId('error-note').textContent()).toContain('Still in observation');
    await server.setClock('2026-03-02T09:30:00Z');
    await n.clock.fastForward(60 * 60 * 1000);
    for (const person of ['Ann Ashby', 'Cat Carter']) {
      await n.goto(`${server.base}/today`);
      await n.locator(`tr[data-person="${person}"]`).getByRole('link', { name: 'open dose' }).first().click();
      await n.getByRole('button', { name: 'Discharge' }).click();
      await expect.poll(() => n.locator('[data-status]').first().getAttribute('data-status')).toBe('discharged');
    }
    await n.goto(`${server.base}/today`);
    await n.getByRole('link', { name: 'Go to session' }).first().click();
    await n.getByRole('button', { name: 'Close session' }).click();
    await expect.poll(() => n.getByText(/Closed .*: 1 missed/).count()).toBe(1);
    await screenshot(n, '08-session-closed');
    await nurse.context.close();
    await hca.context.close();
  }, 240_000);

  it('a prescriber records a review with a re-titration plan after an absence, and the lock lifts', async () => {
    const api = new ApiClient(server.base);
    await api.signIn(staff.doctor!.email, PASSWORD);
    const c = (p: string) => `/api/v1/clinics/${clinicId}${p}`;
    const dan = await api.get(c(`/service-users/${people.Dan}`));
    await api.post(c(`/episodes/${dan.episode.episodeId}/absences`), { kind: 'hospital', liaison: 'Ward 12' });
    await api.post(c(`/episodes/${dan.episode.episodeId}/absences/end`));
    const { page, context } = await newPage('doctor');
    await page.goto(`${server.base}/people/${people.Dan}`);
    await page.getByRole('tab', { name: 'Reviews' }).click();
    await page.getByLabel('Review notes').fill('Back from hospital; re-titrate from 30 mg');
    await page.getByLabel('Re-titration planned (after an absence or missed doses)').check();
    await page.getByLabel('IV dose per session (mg)').fill('100');
    await page.getByLabel('IM dose per session (mg)').fill('80');
    await page.getByLabel('Your password (signature)').fill(PASSWORD);
    await expectAccessible(page, 'review');
    await page.getByRole('button', { name: 'Record review' }).click();
    await expect.poll(async () => (await api.get(c(`/service-users/${people.Dan}`))).episode.reviewRequired).toBe(false);
    await page.getByRole('tab', { name: 'Charts' }).click();
    await page.getByRole('heading', { name: 'Attendance per day' }).or(page.getByText('No doses to chart yet.')).waitFor();
    await expectAccessible(page, 'service-user record');
    await screenshot(page, '09-record');
    await page.goto(`${server.base}/prescribing`);
    await page.getByRole('heading', { name: 'Reviews due' }).waitFor();
    await expectAccessible(page, 'prescribing');
    await screenshot(page, '10-prescribing');
    await context.close();
  }, 120_000);

  it('the accountable officer records a receipt and a stock check, and verifies the chain', async () => {
    const { page, context } = await newPage('cdo');
    await page.goto(`${server.base}/register`);
    await page.getByRole('heading', { name: /100 mg/ }).waitFor();
    const balance = async () => Number((await page.getByRole('heading', { name: /ampoules$/ }).textContent())!.match(/(\d+) ampoules$/)![1]);
    const before = await balance();
    await page.getByLabel('Ampoules received').fill('10');
    await page.getByLabel('Supplier', { exact: true }).fill('Specialist Pharma Ltd');
    await page.getByLabel("Supplier's address").fill('1 Depot Road, Leeds');
    await page.getByLabel('Invoice').fill('INV-2');
    await choose(page, 'Witness', /Nina Nurse/);
    await page.getByLabel('Their password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Record', exact: true }).click();
    await expect.poll(balance).toBe(before + 10);
    await choose(page, 'Record', 'Stock check');
    await page.getByLabel('Ampoules counted').fill(String(before + 10));
    await choose(page, 'Second person counting', /Nina Nurse/);
    await page.getByLabel('Their password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Record', exact: true }).click();
    await expect.poll(() => page.getByText(/counted \d+/).count()).toBeGreaterThan(0);
    await page.getByRole('button', { name: 'Verify the chain' }).click();
    await page.getByText('The register verifies').waitFor();
    await expectAccessible(page, 'register');
    await screenshot(page, '11-register');
    await context.close();
  }, 120_000);

  it('the administrator sees settings, staff and the audit log', async () => {
    const { page, context } = await newPage('admin');
    await page.goto(`${server.base}/admin`);
    await page.getByRole('textbox', { name: 'Settings', exact: true }).waitFor();
    await expectAccessible(page, 'admin settings');
    await screenshot(page, '12-admin-settings');
    await page.getByRole('tab', { name: 'Audit log' }).click();
    await page.getByRole('table', { name: 'Audit log' }).waitFor();
    // Filtering to the register shows only register entries.
    await page.locator('input').and(page.getByLabel('Entity type')).fill('cd_entry');
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: 'Filter' }).click();
    await expect.poll(async () => new Set((await page.getByRole('table', { name: 'Audit log' }).locator('tbody tr td:nth-child(3)').allTextContents()).map((t) => t.split(' ').at(-1)))).toEqual(new Set(['cd_entry']));
    await expectAccessible(page, 'audit log');
    await screenshot(page, '13-admin-audit', { fullPage: false });
    await context.close();
  }, 120_000);
});
