import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { addStaff, licensePrescriber, signedInClient, type ApiClient } from './support/api';
import { browserAvailable, choose, expectAccessible, screenshot } from './support/browser';
import { signedInPage, startBrowserClinic } from './support/clinic';
import { ADMIN, type startE2eServer } from './support/server';

/**
 * Monitoring and care in a real browser: every work list filled from real records, a nurse and a
 * keyworker doing the work from the lists (a toxicology sample, a care plan), the hatch seeing the
 * methadone alert, and a pharmacy's CSV checked and imported.
 */
const START = '2026-03-02T08:25:00Z';
const LATER = '2026-03-20T10:00:00Z'; // three weeks into treatment: everything has fallen due
const PASSWORD = 'the team pass phrase';

/** A form label as the browser names it: required fields end with " *". */
const field = (label: string) => new RegExp(`^${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}( \\*)?$`);

const LISTS = [
  'Toxicology due',
  'Prescriber reviews due',
  'Methadone not collected',
  'ECG due or QTc high',
  'Outcome profiles (TOP) due',
  'Breath test required today',
  'Naloxone to supply or re-supply',
  'Care plans to review',
  'Injection-site problems open',
];

describe.skipIf(!browserAvailable())('monitoring and care in a browser', () => {
  let server: Awaited<ReturnType<typeof startE2eServer>>;
  let browser: Browser;
  const staff: Record<string, { email: string; staffId: string }> = {};
  let clinicId = '';
  let jo = '';
  const c = (p: string) => `/api/v1/clinics/${clinicId}${p}`;

  async function pageFor(who: string): Promise<Page> {
    const page = await signedInPage(browser, server.base, LATER, staff[who]!.email, who === 'admin' ? ADMIN.password : PASSWORD);
    return page;
  }

  const as = (who: string): Promise<ApiClient> => signedInClient(server.base, staff[who]!.email, who === 'admin' ? ADMIN.password : PASSWORD);

  beforeAll(async () => {
    let admin: ApiClient;
    ({ server, browser, admin, clinicId } = await startBrowserClinic(START));
    staff.admin = { email: ADMIN.email, staffId: admin.staffId };
    for (const [key, name, roles] of [
      ['nurse', 'Nina Nurse', ['nurse']],
      ['doctor', 'Dr Pat Prescriber', ['prescriber']],
      ['keyworker', 'Kim Keyworker', ['keyworker']],
    ] as const) {
      staff[key] = await addStaff(admin, clinicId, key, name, roles, PASSWORD);
    }
    await licensePrescriber(admin, clinicId, staff.doctor!.staffId);
    const doctor = await as('doctor');
    const su = await admin.post(c('/service-users'), {
      record: { givenName: 'Joanne', preferredName: 'Jo', familyName: 'Bloggs', dateOfBirth: '1980-05-17', nhsNumber: '9434765919', address: { lines: ['1 High Street', 'Middlesbrough'], postcode: 'TS1 1AA' }, alcohol: { knownUse: true }, heartRisks: ['heart_disease'] },
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
        methadone: { drug: 'methadone oral solution 1 mg/mL', dailyDoseMg: 30, pharmacy: 'Boots, Linthorpe Road', supervised: false },
        startDate: '2026-03-02',
        endDate: null,
        reviewDate: '2026-03-09',
      },
      reason: 'induction',
      signature: { password: PASSWORD },
    });

    // Three weeks later: three days of methadone not collected, and a wound.
    await server.setClock(LATER);
    const nurse = await as('nurse');
    for (const day of ['2026-03-17', '2026-03-18', '2026-03-19']) {
      await nurse.post(c(`/service-users/${jo}/methadone-collections`), { effectiveDate: day, status: 'not_collected', pharmacy: 'Boots' });
    }
    await nurse.post(c(`/service-users/${jo}/injection-site-problems`), { site: 'left arm', problem: 'abscess', description: 'hot and swollen, 2 cm', severity: 'moderate', status: 'open' });
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('the manager sees every work list with the person on it, overdue first', async () => {
    const page = await pageFor('admin');
    await page.getByRole('link', { name: 'Work lists' }).click();
    await page.getByRole('heading', { name: /^Work lists · 2026-03-20/ }).waitFor();
    for (const list of LISTS) {
      const section = page.getByRole('region', { name: list });
      await expect.poll(() => section.getByRole('link', { name: 'Jo (Joanne) Bloggs' }).count(), { message: list }).toBe(1);
    }
    expect(await page.getByRole('region', { name: 'Methadone not collected' }).textContent()).toContain('3 times running');
    await expectAccessible(page, 'work lists');
    await screenshot(page, '14-work-lists');
    await page.context().close();
  });

  it('the nurse works from the list: the record shows why, a toxicology sample clears it, and the hatch sees the methadone alert', async () => {
    const page = await pageFor('nurse');
    // The hatch board and the record both carry the methadone warning before any dose.
    await page.getByText(/Methadone not collected 3 times running/).first().waitFor();
    await page.getByRole('link', { name: 'Work lists' }).click();
    const tox = page.getByRole('region', { name: 'Toxicology due' });
    await tox.getByRole('link', { name: 'Jo (Joanne) Bloggs' }).click();
    await page.getByRole('tab', { name: 'Monitoring and care' }).waitFor();
    await page.getByText(/Methadone not collected 3 times running/).first().waitFor();
    await page.getByRole('button', { name: 'Record toxicology sample' }).click();
    const form = page.getByRole('form', { name: 'New toxicology sample' });
    await choose(page, field('Sample'), 'taken');
    await choose(page, field('Sample type'), 'urine');
    await choose(page, field('Tested'), /point of care/);
    await form.getByRole('button', { name: 'Add result' }).click();
    await choose(page, field('Substance'), 'acetylcodeine');
    await choose(page, field('Result'), 'positive');
    await expectAccessible(page, 'toxicology form');
    await screenshot(page, '15-toxicology-form');
    await form.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('table', { name: 'Toxicology sample' }).getByText(/positive: acetylcodeine/).waitFor();
    // The week's trend now says street heroin.
    await page.getByRole('table', { name: 'Toxicology week by week' }).getByText('street heroin').first().waitFor();
    await expectAccessible(page, 'care tab');
    await page.getByRole('tab', { name: 'Monitoring and care' }).scrollIntoViewIfNeeded();
    await screenshot(page, '16-care-tab', { fullPage: false });
    await page.getByRole('link', { name: 'Work lists' }).click();
    await page.getByRole('heading', { name: /^Work lists/ }).waitFor();
    await expect.poll(() => page.getByRole('region', { name: 'Toxicology due' }).count()).toBe(0);
    await page.getByRole('region', { name: 'Breath test required today' }).waitFor();
    await page.context().close();
  });

  it('a refused correction names the field and saves nothing; the keyworker agrees a care plan from the list', async () => {
    const page = await pageFor('keyworker');
    await page.getByRole('link', { name: 'Work lists' }).click();
    await page.getByRole('region', { name: 'Care plans to review' }).getByRole('link', { name: 'Jo (Joanne) Bloggs' }).click();
    await page.getByRole('tab', { name: 'Care plan' }).click();
    await page.getByRole('button', { name: 'Record care plan' }).click();
    const form = page.getByRole('form', { name: 'New care plan' });
    // Saving with no goal is refused, naming the field; the form keeps what was typed.
    await form.getByLabel('Agreed with the service user').check();
    await form.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => page.getByTestId('error-note').textContent()).toContain('goals');
    expect(await form.getByLabel('Agreed with the service user').isChecked()).toBe(true);
    await form.getByRole('button', { name: 'Add goal' }).click();
    await choose(page, field('Area'), 'housing');
    await form.getByLabel(field('Goal')).fill('A tenancy of her own');
    await form.getByLabel(field('Actions')).fill('Housing referral this week');
    await choose(page, field('Whose'), 'keyworker');
    await form.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('table', { name: 'Care plan' }).getByText(/A tenancy of her own \(open\)/).waitFor();
    // The keyworker takes her on: a new version of her record, with the reason.
    await choose(page, 'Change keyworker', /Kim Keyworker/);
    await page.getByLabel('Reason', { exact: true }).fill('new keyworker after the care plan');
    await page.getByRole('button', { name: 'Assign' }).click();
    await page.getByText('Keyworker: Kim Keyworker (1 on their caseload)').waitFor();
    await page.getByRole('link', { name: 'Work lists' }).click();
    await page.getByRole('heading', { name: /^Work lists/ }).waitFor();
    await page.getByRole('region', { name: 'Outcome profiles (TOP) due' }).waitFor();
    await expect.poll(() => page.getByRole('region', { name: 'Care plans to review' }).count()).toBe(0);
    await page.context().close();
  });

  it('a pharmacy CSV: checked first (the bad row named), then the valid rows imported', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'openhat-csv-'));
    const file = join(dir, 'boots-week-12.csv');
    writeFileSync(file, ['nhs_number,date,status,dose_mg,collected_mg,pharmacy', '9434765919,20/03/2026,collected,30,30,Boots', '9434765919,2026-03-16,partial,30,20,Boots', '9434765919,2026-03-15,maybe,30,,Boots'].join('\n'));
    const page = await pageFor('nurse');
    await page.getByRole('link', { name: 'Pharmacy import' }).click();
    await page.getByRole('heading', { name: /Pharmacy methadone collections/ }).waitFor();
    await page.locator('input[type=file]').setInputFiles(file);
    await page.getByRole('button', { name: 'Check the file' }).click();
    await page.getByRole('status').getByText(/nothing written/).waitFor();
    const rejected = page.getByRole('table', { name: 'Rejected rows' });
    await rejected.getByRole('cell', { name: 'status', exact: true }).waitFor();
    expect(await rejected.textContent()).toContain('4');
    await expectAccessible(page, 'pharmacy import');
    await screenshot(page, '17-pharmacy-import');
    await page.getByLabel('Import the valid rows and list the rest').check();
    await page.getByRole('button', { name: 'Import' }).click();
    await page.getByRole('status').getByText(/2 imported/).waitFor();
    await page.getByRole('table', { name: 'Earlier imports' }).getByText('boots-week-12.csv').waitFor();
    // A collection after the missed days ends the run: the hatch no longer warns.
    const nurse = await as('nurse');
    const record = await nurse.get(c(`/service-users/${jo}`));
    expect(record.alerts.map((a: { text: string }) => a.text).join('\n')).not.toMatch(/Methadone not collected/);
    await page.context().close();
  });
});
