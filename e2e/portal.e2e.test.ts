import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { addStaff, licensePrescriber, signedInClient, type ApiClient } from './support/api';
import { browserAvailable, expectAccessible, screenshot, signInAs } from './support/browser';
import { startBrowserClinic } from './support/clinic';
import { ADMIN, type startE2eServer } from './support/server';

/**
 * The service-user portal in a real browser on a phone-sized screen: staff switch the portal on and
 * open an account for Jo on her record; Jo signs in on her phone, chooses her own password, sees her
 * next dose times and her dose this morning, looks at every page, and Quick exit leaves the portal,
 * signs her out and leaves nothing to go Back to.
 */
const START = '2026-03-02T08:25:00Z'; // 08:25 in London: the morning session is open
const PASSWORD = 'the team pass phrase';
const PHONE = { width: 390, height: 844 };
const USERNAME = 'blue-kite';
const TEMPORARY = 'first temporary phrase';
const OWN = 'my very own long phrase';

describe.skipIf(!browserAvailable())('the service-user portal on a phone', () => {
  let server: Awaited<ReturnType<typeof startE2eServer>>;
  let browser: Browser;
  const staff: Record<string, { email: string; staffId: string }> = {};
  let clinicId = '';
  let jo = '';
  const c = (p: string) => `/api/v1/clinics/${clinicId}${p}`;

  const as = (who: string): Promise<ApiClient> => signedInClient(server.base, staff[who]!.email, who === 'admin' ? ADMIN.password : PASSWORD);

  beforeAll(async () => {
    let admin: ApiClient;
    ({ server, browser, admin, clinicId } = await startBrowserClinic(START));
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

    // The administrator switches the portal on (it is off by default) and lists a peer champion.
    const clinic = await admin.get(c(''));
    await admin.put(c('/settings'), {
      settings: { ...clinic.settings, portal: { enabled: true, sessionMinutes: 15 }, peerSupport: [{ name: 'Sam', role: 'Peer champion', contact: '07700 900123', availability: 'Tuesdays and Thursdays, 10:00 to 12:00' }] },
      reason: 'service users asked for the portal',
      expectedVersion: clinic.settingsVersion,
    });

    // Jo, in treatment, with a dose this morning.
    const doctor = await as('doctor');
    const su = await admin.post(c('/service-users'), {
      record: { givenName: 'Joanne', preferredName: 'Jo', familyName: 'Bloggs', dateOfBirth: '1980-05-17', address: { lines: ['1 High Street', 'Middlesbrough'], postcode: 'TS1 1AA' } },
      referral: { source: 'GP' },
    });
    jo = su.serviceUserId;
    const ep = (p: string) => c(`/episodes/${su.episode.episodeId}${p}`);
    await doctor.post(ep('/assessment'));
    await doctor.post(ep('/eligibility'), { outcomes: [{ code: 'long_term_opioid_dependence', outcome: 'met' }, { code: 'previous_treatment_without_benefit', outcome: 'met' }] });
    await doctor.post(ep('/induction'));
    await doctor.post(c(`/service-users/${jo}/prescriptions`), {
      content: {
        diamorphine: { sessions: ['AM', 'PM'], ivDoseMg: 100, imDoseMg: 80, titration: { startDoseMg: 30, steps: [{ fromDate: '2026-03-03', doseMg: 60 }] }, topUp: null, retitrationStartDoseMg: 30 },
        methadone: null,
        startDate: '2026-03-02',
        endDate: null,
        reviewDate: '2026-03-09',
      },
      reason: 'induction',
      signature: { password: PASSWORD },
    });
    const cdo = await as('cdo');
    const itemId = (await cdo.post(c('/cd/items'), { strengthMg: 100, location: 'CD cupboard, dosing room' })).itemId;
    await cdo.post(c(`/cd/items/${itemId}/receipts`), { quantity: 20, supplier: { name: 'Specialist Pharma Ltd', address: '1 Depot Road, Leeds' }, invoiceReference: 'INV-1', witness: { staffId: staff.nurse!.staffId, password: PASSWORD } });
    const nurse = await as('nurse');
    const checklist = ['naloxone', 'oxygen', 'bag_valve_mask', 'suction', 'defibrillator'].map((item) => ({ item, present: true, expiresOn: item === 'naloxone' || item === 'oxygen' ? '2027-06-30' : null }));
    const am = await nurse.post(c('/sessions'), { sessionCode: 'AM', staffOnDuty: [staff.nurse!.staffId, staff.hca!.staffId], cdKeyHolderId: staff.nurse!.staffId, checklist });
    const assessed = await nurse.post(c(`/sessions/${am.sessionId}/assessments`), {
      serviceUserId: jo,
      findings: { identityConfirmed: true, sedation: 1, respiratoryRate: 14, withdrawalScore: 6, signsOfIntoxication: false, recentSedativeUse: false },
    });
    const witness = { staffId: staff.hca!.staffId, password: PASSWORD };
    await nurse.post(c(`/doses/${assessed.doseId}/preparation`), {
      route: 'iv',
      doseMg: 30,
      ampoules: [{ itemId, count: 1 }],
      reconstitutionMl: 1,
      witness: { ...witness, ampoules: [{ strengthMg: 100, count: 1 }], reconstitutionMl: 1 },
    });
    await nurse.post(c(`/doses/${assessed.doseId}/administration`), { route: 'iv', sites: ['left arm'], attempts: 1, givenMg: 30, witness });
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it("a nurse opens Jo's portal account from her record, with her consent", async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await signInAs(page, server.base, staff.nurse!.email, PASSWORD);
    await page.goto(`${server.base}/people/${jo}?tab=treatment`);
    const card = page.getByRole('region', { name: /^Portal/ });
    await card.getByLabel('Username (not their name)').fill('joanne-b');
    await card.getByLabel('Temporary password (at least 12 characters)').fill(TEMPORARY);
    await card.getByRole('button', { name: 'Open portal account' }).click();
    // Consent is asked for, and her name is refused as a username; nothing is opened until both are right.
    await expect.poll(() => card.getByText(/confirm that the portal/).count()).toBeGreaterThan(0);
    await card.getByLabel(/I explained the portal/).check();
    await card.getByLabel(/I warned them about shared phones/).check();
    await card.getByRole('button', { name: 'Open portal account' }).click();
    await expect.poll(() => card.getByText("must not contain the person's name").count()).toBeGreaterThan(0);
    await expectAccessible(page, 'portal card with an error');
    await card.getByLabel('Username (not their name)').fill(USERNAME);
    await card.getByRole('button', { name: 'Open portal account' }).click();
    await card.getByText(/temporary password not yet changed/).waitFor();
    await expectAccessible(page, 'portal card with an account');
    await card.scrollIntoViewIfNeeded();
    await screenshot(page, '20-portal-staff-card', { fullPage: false });
    await context.close();
  });

  it('Jo signs in on her phone, chooses her password, sees her next doses and her history, and Quick exit leaves and signs her out', async () => {
    const context = await browser.newContext({ viewport: PHONE, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
    const page: Page = await context.newPage();
    // Quick exit goes to a neutral site; the test answers for it, so nothing leaves this machine.
    await context.route('https://www.bbc.co.uk/**', (route) => route.fulfill({ status: 200, contentType: 'text/html', body: '<!doctype html><title>Weather</title><h1>Weather</h1>' }));

    await page.goto(`${server.base}/portal`);
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    expect(await page.getByText('If someone is making you show this, tap Quick exit.').count()).toBe(1);
    await expectAccessible(page, 'portal sign-in');
    await screenshot(page, '20-portal-sign-in');

    // A wrong password says only that something was wrong.
    await page.getByLabel('Username').fill(USERNAME);
    await page.locator('input[type=password]').fill('not my password at all');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('That username or password is not right');

    await page.locator('input[type=password]').fill(TEMPORARY);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Choose your own password' }).waitFor();
    await expectAccessible(page, 'portal change password');
    await screenshot(page, '20-portal-change-password');
    await page.getByLabel('Password you have now').fill(TEMPORARY);
    await page.getByLabel('New password').fill(OWN);
    await page.getByRole('button', { name: 'Save my password' }).click();

    await page.getByRole('heading', { name: 'Hello, Jo' }).waitFor();
    const next = page.getByRole('region', { name: 'Your next dose' });
    await expect.poll(() => next.textContent()).toContain('Today, Afternoon: 13:00 to 17:30');
    const today = page.getByRole('region', { name: 'Today' });
    expect(await today.textContent()).toContain('Morning 08:00 to 11:30 — Done ✓');
    expect(await page.getByRole('region', { name: 'Tomorrow' }).textContent()).toContain('Afternoon 13:00 to 17:30 — Later');
    // One column on a phone: nothing wider than the screen.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    await expectAccessible(page, 'portal home');
    await screenshot(page, '20-portal-home');

    await page.getByRole('link', { name: 'My doses' }).click();
    await page.getByRole('heading', { name: 'My doses' }).waitFor();
    await expect.poll(() => page.getByRole('list', { name: 'Doses' }).textContent()).toContain('Today, Morning30 mg into a vein');
    expect(await page.content()).not.toContain('Nina Nurse');
    await expectAccessible(page, 'portal doses');
    await screenshot(page, '20-portal-doses');

    for (const [link, heading, text, shot] of [
      ['My appointments', 'My appointments', 'Review with your prescriber', 'appointments'],
      ['Take-home doses', 'Take-home doses', 'You have no take-home doses.', 'take-home'],
      ['My plan for the future', 'My plan for the future', 'There is no plan to show yet.', 'plan'],
      ['Peer support', 'Peer support', 'Peer champion', 'peer-support'],
    ] as const) {
      await page.getByRole('link', { name: '← Back to home' }).click();
      await page.getByRole('link', { name: link }).click();
      await page.getByRole('heading', { name: heading }).waitFor();
      await page.getByText(text).first().waitFor();
      await expectAccessible(page, `portal ${shot}`);
      await screenshot(page, `20-portal-${shot}`);
    }
    expect(await page.getByRole('link', { name: '07700 900123' }).getAttribute('href')).toBe('tel:07700900123');

    // Quick exit: the page is replaced by a neutral site, the session ends, and Back does not return.
    const token = (await context.cookies(`${server.base}/api/v1/portal/session`)).find((k) => k.name === 'openhat_portal')!.value;
    const stillIn = await fetch(`${server.base}/api/v1/portal/session`, { headers: { cookie: `openhat_portal=${token}` } });
    expect(stillIn.status).toBe(200);
    await page.getByRole('button', { name: 'Quick exit' }).click();
    await page.waitForURL(/bbc\.co\.uk\/weather/);
    await expect
      .poll(async () => (await fetch(`${server.base}/api/v1/portal/session`, { headers: { cookie: `openhat_portal=${token}` } })).status)
      .toBe(401);
    await page.goBack().catch(() => null);
    expect(page.url()).not.toContain('/portal');
    await page.goto(`${server.base}/portal/doses`);
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await context.close();
  });
});
