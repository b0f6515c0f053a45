import type { Browser, Page } from 'playwright-core';
import { ApiClient } from './api';
import { launch, signInAs } from './browser';
import { ADMIN, startE2eServer } from './server';

/**
 * What most browser tests start from: a real server whose clock starts at `start`, a browser, and
 * the first administrator signed in through the API at the clinic the server made at first start.
 */
export async function startBrowserClinic(start: string) {
  const server = await startE2eServer(start);
  let browser: Browser | undefined;
  try {
    browser = await launch();
    const admin = new ApiClient(server.base);
    const session = await admin.signIn(ADMIN.email, ADMIN.password);
    return { server, browser, admin, clinicId: session.clinics[0].clinicId as string };
  } catch (e) {
    await browser?.close();
    await server.stop();
    throw e;
  }
}

/** A new desktop-sized page whose clock starts at `at`, signed in as `email`. */
export async function signedInPage(browser: Browser, base: string, at: string, email: string, password: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.clock.install({ time: new Date(at) });
  await signInAs(page, base, email, password);
  return page;
}
