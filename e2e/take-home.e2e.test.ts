import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Locator, Page } from 'playwright-core';
import { addStaff, licensePrescriber, signedInClient, type ApiClient } from './support/api';
import { browserAvailable, expectAccessible, screenshot } from './support/browser';
import { signedInPage, startBrowserClinic } from './support/clinic';
import { ADMIN, type startE2eServer } from './support/server';

/**
 * Take-home doses in a real browser: the prescriber sees the criteria with their figures and
 * authorises; the nurse supplies three days with a witness's password; the supply and a return of
 * unused ampoules show on the person's Take-home tab — each screen checked with axe.
 */
const START = '2026-03-02T08:25:00Z';
const LATER = '2026-04-06T06:30:00Z'; // Monday 6 April, 07:30 in London: five weeks into treatment
const PASSWORD = 'the team pass phrase';

/** Choose an option in a Mantine Select within one form (two forms on the page each have a Witness). */
async function choose(page: Page, scope: Locator, label: string, option: string | RegExp) {
  await scope.locator('input').and(scope.getByLabel(label, { exact: true })).first().click();
  await page.getByRole('option', { name: option }).first().click();
  await page.keyboard.press('Escape');
}

describe.skipIf(!browserAvailable())('take-home doses in a browser', () => {
  let server: Awaited<ReturnType<typeof startE2eServer>>;
  let browser: Browser;
  const staff: Record<string, { email: string; staffId: string }> = {};
  let clinicId = '';
  let jo = '';
  const c = (p: string) => `/api/v1/clinics/${clinicId}${p}`;

  const as = (who: string): Promise<ApiClient> => signedInClient(server.base, staff[who]!.email, who === 'admin' ? ADMIN.password : PASSWORD);

  async function pageFor(who: string): Promise<Page> {
    const page = await signedInPage(browser, server.base, LATER, staff[who]!.email, who === 'admin' ? ADMIN.password : PASSWORD);
    await page.goto(`${server.base}/people/${jo}?tab=take-home`);
    await page.getByRole('table', { name: 'Stability criteria' }).waitFor();
    return page;
  }

  beforeAll(async () => {
    let admin: ApiClient;
    ({ server, browser, admin, clinicId } = await startBrowserClinic(START));
    staff.admin = { email: ADMIN.email, staffId: admin.staffId };
    for (const [key, name, roles] of [
      ['nurse', 'Nina Nurse', ['nurse']],
      ['hca', 'Harry Assistant', ['hca']],
      ['doctor', 'Dr Pat Prescriber', ['prescriber']],
      ['cd', 'Chris Accountable', ['cd_accountable']],
    ] as const) {
      staff[key] = await addStaff(admin, clinicId, key, name, roles, PASSWORD);
    }
    await licensePrescriber(admin, clinicId, staff.doctor!.staffId);

    // Take-home on, with short windows so that five weeks are enough.
    const clinic = await admin.get(c(''));
    await admin.put(c('/settings'), {
      expectedVersion: clinic.settingsVersion,
      reason: 'take-home doses for stable service users',
      settings: { ...clinic.settings, takeHome: { enabled: true, maxDaysPerSupply: 7, criteria: { minWeeksInTreatment: 4, noIntoxicationRefusalWeeks: 1, streetHeroinNegativeWeeks: 1, noMissedDoseWeeks: 1, lockableBoxRequired: true, childrenConsideredRequired: true } } },
    });
    const cd = await as('cd');
    const item = await cd.post(c('/cd/items'), { strengthMg: 100, location: 'CD cupboard, dosing room' });
    await cd.post(c(`/cd/items/${item.itemId}/receipts`), { quantity: 50, supplier: { name: 'Specialist Pharmaceuticals Ltd', address: 'Unit 4, Depot Road, Leeds LS1 1AA' }, invoiceReference: 'INV-1', witness: { staffId: staff.hca!.staffId, password: PASSWORD } });

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
    const content = {
      diamorphine: { sessions: ['AM', 'PM'], ivDoseMg: 100, imDoseMg: 80, titration: { startDoseMg: 30, steps: [{ fromDate: '2026-03-02', doseMg: 60 }, { fromDate: '2026-03-03', doseMg: 90 }, { fromDate: '2026-03-04', doseMg: 100 }] }, topUp: null, retitrationStartDoseMg: 30 },
      methadone: null,
      startDate: '2026-03-01',
      endDate: null,
      reviewDate: '2026-03-09',
    };
    await doctor.post(c(`/service-users/${jo}/prescriptions`), { content, reason: 'induction', signature: { password: PASSWORD } });
    // The weeks between are not dosed in this test: suspended, so nobody is expected and nothing is missed.
    await doctor.post(c(`/service-users/${jo}/prescriptions/suspension`), { reason: 'the weeks between are not part of this test' });

    await server.setClock(LATER);
    const doctorLater = await as('doctor');
    await doctorLater.post(c(`/service-users/${jo}/prescriptions`), { content: { ...content, diamorphine: { ...content.diamorphine, titration: null }, reviewDate: '2026-04-13' }, reason: 'resumed at the same dose', signature: { password: PASSWORD } });
    const nurse = await as('nurse');
    await nurse.post(c(`/service-users/${jo}/toxicology`), { outcome: 'taken', sampleType: 'urine', method: 'point_of_care', results: [{ substance: 'papaverine', result: 'negative' }, { substance: 'acetylcodeine', result: 'negative' }] });
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('the prescriber sees the criteria with their figures and authorises take-home doses', async () => {
    const page = await pageFor('doctor');
    await page.getByTestId('take-home-verdict').getByText('✕ Not authorised').waitFor();
    const criteria = page.getByRole('table', { name: 'Stability criteria' });
    await criteria.getByText('5 weeks in treatment since 2026-03-02 (at least 4 needed)').waitFor();
    expect(await criteria.getByText('✕ Not met').count()).toBe(3); // box, children, advice: not assessed yet
    await page.getByRole('list', { name: 'Why take-home doses are not authorised' }).getByText('No stability assessment by a prescriber yet').waitFor();
    await expectAccessible(page, 'take-home tab before the assessment');

    const form = page.getByRole('form', { name: 'Stability assessment' });
    await form.getByLabel('A lockable box at home for the ampoules').check();
    await form.getByLabel('Children living in or visiting the household considered').check();
    await form.getByLabel('What was considered about children').fill('No children live at or visit the flat');
    await form.getByLabel('Safe-storage advice given').check();
    await form.getByLabel('Authorise take-home doses (while every criterion stays met)').check();
    await form.getByLabel(/^Most days in one supply/).fill('3');
    await expectAccessible(page, 'stability assessment form');
    await form.getByRole('button', { name: 'Record the assessment' }).click();
    await page.getByTestId('take-home-verdict').getByText('✓ Authorised').waitFor();
    await page.getByTestId('take-home-verdict').getByText('Up to 3 days in one supply.').waitFor();
    expect(await criteria.getByText('✕ Not met').count()).toBe(0);
    await screenshot(page, '21-take-home-assessment');
    await page.context().close();
  });

  it('the nurse supplies three days with a witness, then takes back unused ampoules', async () => {
    const page = await pageFor('nurse');
    await page.getByTestId('take-home-verdict').getByText('✓ Authorised').waitFor();
    const form = page.getByRole('form', { name: 'Supply take-home doses' });
    await choose(page, form, 'Register page', /Diamorphine hydrochloride 100 mg/);
    await form.getByRole('button', { name: 'Fill in for 6 doses' }).click();
    expect(await form.getByLabel('Ampoules handed over (all doses)').inputValue()).toBe('6');
    await form.getByLabel('Lockable box and safe-storage advice checked with the person').check();
    await form.getByLabel('Proof of identity asked for').check();
    // Forgetting that identity was shown is refused by its rule, and nothing is supplied.
    await choose(page, form, 'Witness', 'Harry Assistant');
    await form.getByLabel("Witness's password").fill(PASSWORD);
    await form.getByRole('button', { name: 'Supply' }).click();
    await expect.poll(() => form.getByTestId('error-note').textContent()).toContain('identity not confirmed');
    await form.getByLabel('Proof of identity shown (matches the photo)').check();
    await form.getByLabel("Witness's password").fill(PASSWORD);
    await expectAccessible(page, 'supply form');
    await form.getByRole('button', { name: 'Supply' }).click();
    const supplies = page.getByRole('table', { name: 'Take-home supplies' });
    await supplies.getByText('2026-04-07 to 2026-04-09').waitFor();
    await supplies.getByText(/6 supplied \(6 × 100 mg\), 0 back/).waitFor();
    await screenshot(page, '21-take-home-supply');

    const back = page.getByRole('form', { name: 'Take-home return' });
    await back.getByLabel('Unused 100 mg ampoules brought back').fill('2');
    await back.getByLabel('End this supply now (sessions not yet begun come back to the clinic)').check();
    await choose(page, back, 'Witness', 'Harry Assistant');
    await back.getByLabel("Witness's password").fill(PASSWORD);
    await back.getByRole('button', { name: 'Record the return' }).click();
    await page.getByRole('table', { name: 'Take-home returns' }).getByText('2 × 100 mg').waitFor();
    await supplies.getByText(/Ended early/).waitFor();
    await expectAccessible(page, 'take-home tab after a return');
    const nurse = await as('nurse');
    const returns = (await nurse.get(c('/cd/patient-returns'))).returns;
    expect(returns.map((r: any) => [r.strengthMg, r.quantity])).toEqual([[100, 2]]);
    await page.context().close();
  });
});
