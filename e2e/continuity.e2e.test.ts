import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { addStaff, ApiClient, licensePrescriber } from './support/api';
import { browserAvailable, expectAccessible, screenshot } from './support/browser';
import { signedInPage, startBrowserClinic } from './support/clinic';
import { ADMIN, type startE2eServer } from './support/server';

/**
 * Continuity planning in a real browser: the funding banner every member of staff sees in the
 * notice period, the continuity page, drafting a plan, approving it with the prescriber's password,
 * the letter for the service user, and the peer-support list — each checked with axe.
 */
const START = '2026-03-02T08:25:00Z';
const LATER = '2026-03-10T10:00:00Z';
const PASSWORD = 'the team pass phrase';

describe.skipIf(!browserAvailable())('continuity planning in a browser', () => {
  let server: Awaited<ReturnType<typeof startE2eServer>>;
  let browser: Browser;
  const staff: Record<string, { email: string; staffId: string }> = {};
  let clinicId = '';
  const c = (p: string) => `/api/v1/clinics/${clinicId}${p}`;

  async function pageFor(who: string): Promise<Page> {
    const page = await signedInPage(browser, server.base, LATER, staff[who]!.email, who === 'admin' ? ADMIN.password : PASSWORD);
    return page;
  }

  beforeAll(async () => {
    let admin: ApiClient;
    ({ server, browser, admin, clinicId } = await startBrowserClinic(START));
    staff.admin = { email: ADMIN.email, staffId: admin.staffId };
    for (const [key, name, roles] of [
      ['nurse', 'Nina Nurse', ['nurse']],
      ['doctor', 'Dr Pat Prescriber', ['prescriber']],
    ] as const) {
      staff[key] = await addStaff(admin, clinicId, key, name, roles, PASSWORD);
    }
    await licensePrescriber(admin, clinicId, staff.doctor!.staffId);
    const doctor = new ApiClient(server.base);
    await doctor.signIn(staff.doctor!.email, PASSWORD);
    const su = await admin.post(c('/service-users'), {
      record: { givenName: 'Joanne', preferredName: 'Jo', familyName: 'Bloggs', dateOfBirth: '1980-05-17', address: { lines: ['1 High Street', 'Middlesbrough'], postcode: 'TS1 1AA' } },
      referral: { source: 'GP' },
    });
    const ep = (p: string) => c(`/episodes/${su.episode.episodeId}${p}`);
    await doctor.post(ep('/assessment'));
    await doctor.post(ep('/eligibility'), { outcomes: [{ code: 'long_term_opioid_dependence', outcome: 'met' }, { code: 'previous_treatment_without_benefit', outcome: 'met' }] });
    await doctor.post(ep('/induction'));
    await doctor.post(c(`/service-users/${su.serviceUserId}/prescriptions`), {
      content: {
        diamorphine: { sessions: ['AM', 'PM'], ivDoseMg: 60, imDoseMg: 50, titration: { startDoseMg: 30, steps: [{ fromDate: '2026-03-03', doseMg: 60 }] }, topUp: null, retitrationStartDoseMg: 30 },
        methadone: null,
        startDate: '2026-03-02',
        endDate: null,
        reviewDate: '2026-03-09',
      },
      reason: 'induction',
      signature: { password: PASSWORD },
    });
    const current = await admin.get(c(''));
    await admin.put(c('/settings'), {
      expectedVersion: current.settingsVersion,
      reason: 'funding agreed until the end of August',
      settings: {
        ...current.settings,
        continuity: { fundedUntil: '2026-08-31', noticeMonths: 6 },
        peerSupport: [{ name: 'Lee Peer', role: 'peer champion', contact: '01642 000000', availability: 'Tuesdays 10:00–12:00' }],
      },
    });
    await server.setClock(LATER);
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('every member of staff sees the funding banner; the continuity page lists who has no plan; peer support is listed', async () => {
    const page = await pageFor('nurse');
    const banner = page.getByRole('region', { name: 'Funding notice' });
    await banner.waitFor();
    expect(await banner.textContent()).toContain('Funding for this service is agreed until 2026-08-31 (174 days left)');
    await expectAccessible(page, 'today with the funding banner');
    await page.getByRole('link', { name: 'Continuity', exact: true }).click();
    await page.getByRole('heading', { name: 'Continuity planning' }).waitFor();
    expect(await page.getByTestId('continuity-state').textContent()).toBe('Notice period: plans needed');
    const row = page.getByTestId('continuity-person');
    await expect.poll(() => row.textContent()).toContain('Jo (Joanne) Bloggs');
    expect(await row.textContent()).toContain('No plan');
    expect(await page.getByRole('button', { name: 'Draft plans for everyone without one' }).count()).toBe(0);
    await expectAccessible(page, 'continuity page');
    await page.getByRole('link', { name: 'Peer support', exact: true }).first().click();
    await page.getByRole('heading', { name: 'Peer support' }).waitFor();
    expect(await page.getByRole('table', { name: 'Peer support contacts' }).textContent()).toContain('Lee Peer');
    await expectAccessible(page, 'peer support');
  });

  it('a prescriber drafts the plans, reads the plan, approves it with their password, and prints the letter', async () => {
    const page = await pageFor('doctor');
    await page.getByRole('link', { name: 'Continuity', exact: true }).click();
    await page.getByRole('button', { name: 'Draft plans for everyone without one' }).click();
    await page.getByRole('status').filter({ hasText: 'Drafted 1' }).waitFor();
    await expect.poll(() => page.getByTestId('continuity-person').textContent()).toContain('Draft: to approve');
    await screenshot(page, 'continuity');
    await page.getByRole('link', { name: 'Open the plan for Jo (Joanne) Bloggs' }).click();
    await page.getByRole('heading', { name: /^Continuity plan — Jo/ }).waitFor();
    expect(await page.getByTestId('plan-status').textContent()).toContain('Draft: not yet approved');
    expect(await page.getByRole('table', { name: 'Reduction steps' }).textContent()).toContain('2026-08-31none (stopped)');
    await expectAccessible(page, 'plan page');

    await page.getByLabel('Your password (your signature)').fill('not my password');
    await page.getByRole('button', { name: 'Approve plan' }).click();
    await page.getByTestId('error-note').filter({ hasText: 'is not your password' }).waitFor();
    await page.getByLabel('Your password (your signature)').fill(PASSWORD);
    await page.getByRole('button', { name: 'Approve plan' }).click();
    await expect.poll(() => page.getByTestId('plan-status').textContent()).toContain('Approved');
    expect(await page.getByText('Approved by Dr Pat Prescriber on 2026-03-10').count()).toBe(1);
    await screenshot(page, 'continuity-plan');

    const href = await page.getByRole('link', { name: 'Open the letter for the service user (printable)' }).getAttribute('href');
    const letter = await page.context().newPage();
    await letter.goto(`${server.base}${href}`);
    await letter.getByRole('heading', { name: 'Your treatment: what happens next' }).waitFor();
    const words = await letter.locator('body').textContent();
    expect(words).toContain('Dear Jo,');
    expect(words).toContain('This letter does not change your prescription.');
    expect(words).toContain('Lee Peer');
    expect(words).not.toContain('DRAFT');
    await expectAccessible(letter, 'the letter');
    await screenshot(letter, 'continuity-letter');
  });
});
