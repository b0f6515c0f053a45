import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { totpCode } from '../test/support/second-factor';
import { timeStep } from '../src/domain/auth/totp';
import { browserAvailable, expectAccessible, launch, screenshot } from './support/browser';
import { keyringFor, passSecondFactorInBrowser } from './support/second-factor';
import { ADMIN, startE2eServer } from './support/server';

/**
 * The first administrator's first sign-in in a real browser: the second factor is set up there and
 * then (QR code, key, first code, recovery codes), and asked for at the next sign-in. The whole
 * visit runs under the server's strict Content-Security-Policy, and the browser reports no
 * violation of it.
 */
const START = '2026-03-02T09:00:00Z';

describe.skipIf(!browserAvailable())('second factor and Content-Security-Policy in a browser', () => {
  let server: Awaited<ReturnType<typeof startE2eServer>>;
  let browser: Browser;

  beforeAll(async () => {
    server = await startE2eServer(START);
    browser = await launch();
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  function watchPolicy(page: Page): string[] {
    const violations: string[] = [];
    page.on('console', (msg) => {
      if (/Content Security Policy|Refused to (execute|load|apply|connect|frame)/i.test(msg.text())) violations.push(msg.text());
    });
    return violations;
  }

  async function password(page: Page) {
    await page.goto(`${server.base}/`);
    await page.getByLabel('Email').fill(ADMIN.email);
    await page.locator('input[type=password]').fill(ADMIN.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
  }

  it('sets up the second factor at the first sign-in, asks for a code at the next, accessibly and under the CSP', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const violations = watchPolicy(page);
    const response = await page.goto(`${server.base}/`);
    const csp = response!.headers()['content-security-policy'] ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");

    await password(page);
    await page.getByRole('heading', { name: 'Set up your second factor' }).waitFor();
    await page.getByRole('img', { name: /QR code/ }).waitFor();
    const code = page.getByLabel(/Six-digit code/);
    expect(await code.getAttribute('autocomplete')).toBe('one-time-code');
    await expectAccessible(page, 'second-factor enrolment');
    await screenshot(page, 'second-factor-enrolment');
    const secret = (await page.getByTestId('second-factor-secret').innerText()).replace(/\s+/g, '');
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);

    await code.fill('000000');
    await page.getByRole('button', { name: 'Confirm' }).click();
    await page.getByText(/does not match/).waitFor();

    const keyring = keyringFor(server.base);
    keyring.people.set(ADMIN.email, { secret, lastStep: -1, recoveryCodes: [] });
    const step = timeStep(keyring.clock());
    keyring.people.get(ADMIN.email)!.lastStep = step;
    await code.fill(totpCode(secret, step));
    await page.getByRole('button', { name: 'Confirm' }).click();
    await page.getByRole('heading', { name: 'Keep your recovery codes' }).waitFor();
    const recovery = (await page.getByTestId('recovery-codes').locator('li').allInnerTexts()).map((c) => c.trim());
    expect(recovery).toHaveLength(8);
    keyring.people.get(ADMIN.email)!.recoveryCodes = recovery;
    await expectAccessible(page, 'recovery codes');
    await page.getByRole('button', { name: /I have kept them/ }).click();
    await page.getByRole('heading', { name: /^Today/ }).waitFor();

    await page.getByRole('button', { name: 'Sign out' }).click();
    await password(page);
    await page.getByRole('heading', { name: 'Enter your code' }).waitFor();
    await expectAccessible(page, 'second-factor code');
    await screenshot(page, 'second-factor-code');
    await page.getByLabel(/Six-digit code/).fill('123 456');
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.getByRole('alert').filter({ hasText: /wrong|used/ }).waitFor();
    await passSecondFactorInBrowser(page, server.base, ADMIN.email);
    await page.getByRole('heading', { name: /^Today/ }).waitFor();

    expect(violations).toEqual([]);
    await context.close();
  }, 180_000);
});
