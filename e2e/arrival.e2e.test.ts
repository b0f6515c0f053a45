import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { EMERGENCY_ITEMS } from '../src/domain/dosing/session-rules';
import { addStaff, licensePrescriber, signedInClient, type ApiClient } from './support/api';
import { browserAvailable, choose, expectAccessible, screenshot } from './support/browser';
import { signedInPage, startBrowserClinic } from './support/clinic';
import { ADMIN, type startE2eServer } from './support/server';

/**
 * Arrival slots and waiting areas in a real browser: the clinic configures slots and two areas
 * through the API, three people get standing plans (one stopping street drugs, one actively
 * using), the Arrivals screen shows who comes when and waits where, a nurse moves someone into the
 * quiet room, and the Today board shows each person's slot and area. Then a journey is recorded on
 * a person's Details and the travel-burden report shows attendance by journey length.
 */
const START = '2026-03-02T07:30:00Z'; // 07:30 in London, before the AM session (08:00–11:30)
const PASSWORD = 'the team pass phrase';

describe.skipIf(!browserAvailable())('arrival slots and waiting areas in a browser', () => {
  let server: Awaited<ReturnType<typeof startE2eServer>>;
  let browser: Browser;
  const staff: Record<string, { email: string; staffId: string }> = {};
  const people: Record<string, string> = {};
  let clinicId = '';
  const c = (p: string) => `/api/v1/clinics/${clinicId}${p}`;

  async function pageFor(who: string): Promise<Page> {
    const page = await signedInPage(browser, server.base, START, staff[who]!.email, who === 'admin' ? ADMIN.password : PASSWORD);
    return page;
  }

  const as = (who: string): Promise<ApiClient> => signedInClient(server.base, staff[who]!.email, who === 'admin' ? ADMIN.password : PASSWORD);

  beforeAll(async () => {
    let admin: ApiClient;
    ({ server, browser, admin, clinicId } = await startBrowserClinic(START));
    staff.admin = { email: ADMIN.email, staffId: admin.staffId };
    for (const [key, name, roles] of [
      ['nurse', 'Nina Nurse', ['nurse']],
      ['hca', 'Harry Assistant', ['hca']],
      ['doctor', 'Dr Pat Prescriber', ['prescriber']],
    ] as const) {
      staff[key] = await addStaff(admin, clinicId, key, name, roles, PASSWORD);
    }
    await licensePrescriber(admin, clinicId, staff.doctor!.staffId);

    // Slots every 30 minutes with two places, a main room and a quiet room (PUT /settings).
    const clinic = await admin.get(c(''));
    await admin.put(c('/settings'), {
      expectedVersion: clinic.settingsVersion,
      reason: 'arrival slots, and a quiet room for people stopping street drugs',
      settings: {
        ...clinic.settings,
        arrival: {
          slotsEnabled: true,
          slotMinutes: 30,
          peoplePerSlot: 2,
          waitingAreas: [
            { code: 'main', name: 'Main waiting room', capacity: 4, purpose: null },
            { code: 'quiet_room', name: 'Quiet room', capacity: 2, purpose: 'For people stopping street drugs' },
          ],
        },
      },
    });

    const doctor = await as('doctor');
    for (const [given, family] of [['Jo', 'Bloggs'], ['Sam', 'Smith'], ['Alex', 'Jones']] as const) {
      const su = await admin.post(c('/service-users'), { record: { givenName: given, familyName: family, dateOfBirth: '1980-05-17', address: { lines: ['1 High Street', 'Middlesbrough'], postcode: 'TS1 1AA' } }, referral: { source: 'GP' } });
      people[given] = su.serviceUserId;
      const ep = (p: string) => c(`/episodes/${su.episode.episodeId}${p}`);
      await doctor.post(ep('/assessment'));
      await doctor.post(ep('/eligibility'), { outcomes: [{ code: 'long_term_opioid_dependence', outcome: 'met' }, { code: 'previous_treatment_without_benefit', outcome: 'met' }] });
      await doctor.post(ep('/induction'));
      await doctor.post(c(`/service-users/${su.serviceUserId}/prescriptions`), {
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
    }

    // Standing plans: Jo is stopping street drugs and wants the quiet room; Sam is actively using
    // and also asked for it; Alex would like 09:00.
    const nurse = await as('nurse');
    await nurse.post(c(`/service-users/${people.Jo}/arrival-plans`), { preferredSlots: { AM: '08:30' }, preferredArea: 'quiet_room', separateBecause: 'stopping_street_drugs', notes: 'wants to avoid old friends' });
    await nurse.post(c(`/service-users/${people.Sam}/arrival-plans`), { preferredSlots: { AM: '08:30' }, preferredArea: 'quiet_room', separateBecause: 'actively_using' });
    await nurse.post(c(`/service-users/${people.Alex}/arrival-plans`), { preferredSlots: { AM: '09:00' }, preferredArea: 'main' });
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  const row = (page: Page, name: string) => page.getByRole('table', { name: 'Who is where' }).locator(`tr[data-person="${name}"]`);

  it('the Arrivals screen shows who comes when and waits where, and a nurse moves someone', async () => {
    const page = await pageFor('nurse');
    await page.getByRole('link', { name: 'Arrivals' }).click();
    await page.getByRole('heading', { name: /^Arrivals · 2026-03-02 · AM Morning/ }).waitFor();
    await expect.poll(() => row(page, 'Jo Bloggs').textContent()).toContain('08:30–09:00');
    expect(await row(page, 'Jo Bloggs').textContent()).toContain('Quiet room');
    expect(await row(page, 'Jo Bloggs').textContent()).toContain('Stopping street drugs');
    // Sam asked for the quiet room too, but is actively using: the main room, and the screen says why.
    expect(await row(page, 'Sam Smith').textContent()).toContain('Main waiting room');
    expect(await row(page, 'Sam Smith').textContent()).toMatch(/Prefers Quiet room, but/);
    expect(await row(page, 'Alex Jones').textContent()).toContain('09:00–09:30');
    expect(await row(page, 'Alex Jones').textContent()).toContain('Main waiting room');
    expect(await page.getByRole('region', { name: 'Quiet room' }).textContent()).toContain('1 of 2');
    expect(await page.getByRole('alert').count()).toBe(0);
    await expectAccessible(page, 'arrivals');
    await page.evaluate(() => window.scrollTo(0, 0));
    await screenshot(page, '18-arrivals');

    // Alex moves to the quiet room for today, with a reason.
    await page.getByRole('button', { name: 'Move Alex Jones' }).click();
    const form = page.getByRole('form', { name: 'Move Alex Jones' });
    await form.waitFor();
    // The quiet room cannot take Sam (actively using), but Alex has no such need.
    await choose(page, 'New waiting area', /^Quiet room/);
    await form.getByLabel(/^Reason/).fill('came with Jo; wants somewhere calm');
    await expectAccessible(page, 'arrivals: move form');
    await form.getByRole('button', { name: 'Move', exact: true }).click();
    await expect.poll(() => row(page, 'Alex Jones').textContent()).toContain('Quiet room');
    expect(await row(page, 'Alex Jones').textContent()).toContain('moved by staff');
    expect(await row(page, 'Alex Jones').textContent()).toContain('Moved: came with Jo; wants somewhere calm');
    expect(await page.getByRole('region', { name: 'Quiet room' }).textContent()).toContain('2 of 2 · full');
    await page.evaluate(() => window.scrollTo(0, 0));
    await screenshot(page, '18-arrivals-moved');

    // The API agrees, and a second move into the full room is refused with the rule, writing nothing.
    const nurse = await as('nurse');
    const refused = await fetch(`${server.base}${c('/arrival-slots/moves')}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: nurse.cookie, 'x-csrf-token': nurse.csrf },
      body: JSON.stringify({ serviceUserId: people.Sam, date: '2026-03-02', session: 'AM', area: 'quiet_room', reason: 'asked again' }),
    });
    expect(refused.status).toBe(422);
    expect((await refused.json()).error.code).toBe('waiting_area_full');
    const areas = await nurse.get(c('/waiting-areas?session=AM'));
    expect(areas.areas.find((a: any) => a.code === 'quiet_room').people.map((p: any) => p.displayName).sort()).toEqual(['Alex Jones', 'Jo Bloggs']);
  });

  it('the Today board shows each person’s slot and area', async () => {
    const page = await pageFor('nurse');
    const am = page.getByRole('region', { name: 'Session AM' });
    await am.getByRole('columnheader', { name: 'Slot · area' }).waitFor();
    const boardRow = (name: string) => am.locator(`tr[data-person="${name}"]`);
    await expect.poll(() => boardRow('Alex Jones').textContent()).toContain('09:00 · Quiet room (moved)');
    expect(await boardRow('Jo Bloggs').textContent()).toContain('08:30 · Quiet room');
    expect(await boardRow('Sam Smith').textContent()).toContain('Main waiting room');
    await page.getByRole('region', { name: 'Session PM' }).locator('tr[data-person="Alex Jones"]').waitFor();
    await expect.poll(() => page.getByLabel('Loading').count()).toBe(0);
    await expectAccessible(page, 'today with arrivals');
    await page.evaluate(() => window.scrollTo(0, 0));
    await screenshot(page, '18-today-arrivals');
  });

  it('a journey is recorded on the Details, and the travel report sets attendance against it', async () => {
    const page = await pageFor('nurse');
    await page.goto(`${server.base}/people/${people.Jo}?tab=details`);
    const journey = page.getByRole('region', { name: 'Journey to the clinic' });
    await journey.getByRole('button', { name: 'Record journey' }).click();
    await journey.getByLabel(/^Minutes one way/).fill('75');
    await choose(page, /^Transport/, 'bus');
    await journey.getByLabel(/^Changes each way/).fill('2');
    await journey.getByLabel(/^Reason for the change/).fill('journey asked at key work');
    await journey.getByRole('button', { name: 'Save journey' }).click();
    await expect.poll(() => journey.getByTestId('journey').textContent()).toBe('75 min one way · bus · 2 changes');
    expect(await page.getByRole('region', { name: 'Arrival plan' }).textContent()).toContain('AM: 08:30');
    await expectAccessible(page, 'details with journey and arrival plan');
    await page.evaluate(() => window.scrollTo(0, 0));
    await screenshot(page, '18-journey');

    // The morning session: Sam comes and is refused (intoxicated); Jo and Alex do not come.
    await server.setClock('2026-03-02T08:10:00Z');
    const nurse = await as('nurse');
    const opened = await nurse.post(c('/sessions'), {
      sessionCode: 'AM',
      staffOnDuty: [staff.nurse!.staffId, staff.hca!.staffId],
      cdKeyHolderId: staff.nurse!.staffId,
      checklist: EMERGENCY_ITEMS.map((item) => ({ item, present: true, expiresOn: item === 'naloxone' || item === 'oxygen' ? '2027-06-30' : null })),
    });
    await nurse.post(c(`/sessions/${opened.sessionId}/assessments`), {
      serviceUserId: people.Sam,
      findings: { identityConfirmed: true, sedation: 1, respiratoryRate: 14, withdrawalScore: 6, signsOfIntoxication: true, recentSedativeUse: false },
      afterRefusal: { offeredToStay: true, naloxoneChecked: true, adviceGiven: true, reassessAt: null },
    });
    const closed = await nurse.post(c(`/sessions/${opened.sessionId}/close`));
    expect(closed.closed.missed).toBe(2);

    await page.getByRole('link', { name: 'Travel burden' }).click();
    await page.getByRole('heading', { name: 'Travel burden' }).waitFor();
    const bands = page.getByRole('table', { name: /Attendance by journey length/ });
    // Cells: journey, people, sessions expected, attended, doses given, attendance.
    const cells = async (band: string) => bands.locator(`tr[data-band="${band}"] td`).allTextContents();
    await expect.poll(() => cells('60_plus')).toEqual(['60 min or more', '1', '1', '0', '0', '0 %']);
    expect(await cells('unknown')).toEqual(['not recorded', '2', '2', '1', '0', '50 %']);
    expect(await cells('under_15')).toEqual(['under 15 min', '0', '0', '0', '0', '—']);
    const byPerson = page.getByRole('table', { name: 'Attendance by person' });
    expect(await byPerson.locator('tr', { hasText: 'Jo Bloggs' }).textContent()).toContain('75');
    await expectAccessible(page, 'travel report');
    await page.evaluate(() => window.scrollTo(0, 0));
    await screenshot(page, '18-travel-report');
  });
});
