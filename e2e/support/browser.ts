import { existsSync, mkdirSync } from 'node:fs';
import AxeBuilder from '@axe-core/playwright';
import { chromium, type Browser, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { passSecondFactorInBrowser } from './second-factor';

export const CHROMIUM = process.env.OPENHAT_CHROMIUM ?? '/usr/bin/chromium';
export const browserAvailable = () => existsSync(CHROMIUM);

export async function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

// Committed, so that a reviewer sees every main screen as the last browser run left it; a run that
// changes the UI shows up as changed images in the diff.
const SHOTS = new URL('../screenshots/', import.meta.url).pathname;

export async function screenshot(page: Page, name: string, options: { fullPage?: boolean } = {}) {
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: `${SHOTS}${name}.png`, fullPage: options.fullPage ?? true });
}

/** WCAG 2.2 AA: no serious or critical violations on the page as it stands. */
export async function expectAccessible(page: Page, what: string) {
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']).analyze();
  const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(bad.map((v) => `${v.id}: ${v.help} (${v.nodes.slice(0, 3).map((n) => `${n.target.join(' ')}: ${n.any[0]?.message ?? ''}`).join('; ')})`), what).toEqual([]);
}

/** Choose an option in a Mantine Select or MultiSelect by its label. */
export async function choose(page: Page, label: string | RegExp, option: string | RegExp) {
  await page.locator('input').and(page.getByLabel(label, { exact: typeof label === 'string' })).first().click();
  await page.getByRole('option', { name: option }).first().click();
  await page.keyboard.press('Escape');
}

export async function signInAs(page: Page, base: string, email: string, password: string) {
  await page.goto(`${base}/`);
  await page.getByLabel('Email').fill(email);
  await page.locator('input[type=password]').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await passSecondFactorInBrowser(page, base, email);
  await page.getByRole('heading', { name: /^Today/ }).waitFor();
}
