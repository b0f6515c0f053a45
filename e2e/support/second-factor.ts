import type { Page } from 'playwright-core';
import { answerSecondFactor, nextAnswer, type SecondFactorKeyring } from '../../test/support/second-factor';

/**
 * The authenticator apps of everyone the browser tests sign in, per server: the secrets their
 * enrolments returned and the codes used. Codes are computed for the server's clock, which runs
 * from the instant in its clock file (see ./server.ts), not for this machine's time.
 */
const keyrings = new Map<string, SecondFactorKeyring>();
const clocks = new Map<string, { instant: number; at: number }>();

/** ./server.ts calls this whenever it writes the server's clock file. */
export function serverClockSet(base: string, instant: string) {
  clocks.set(base, { instant: Date.parse(instant), at: Date.now() });
}

export function keyringFor(base: string): SecondFactorKeyring {
  let keyring = keyrings.get(base);
  if (!keyring) {
    keyring = {
      clock: () => {
        const c = clocks.get(base);
        return c ? c.instant + (Date.now() - c.at) : Date.now();
      },
      people: new Map(),
    };
    keyrings.set(base, keyring);
  }
  return keyring;
}

/** For the API client: after a login that answered a secondFactor flag, enrol or verify. */
export async function passSecondFactorByApi(
  base: string,
  post: (path: string, body?: unknown) => Promise<{ status: number; body: any }>,
  email: string,
  login: any,
): Promise<any> {
  const res = await answerSecondFactor({ post }, keyringFor(base), email, { status: 200, body: login });
  if (res.status !== 200) throw new Error(`second factor for ${email}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/** In the browser, after "Sign in": set up the second factor or type its code, if asked. */
export async function passSecondFactorInBrowser(page: Page, base: string, email: string) {
  const keyring = keyringFor(base);
  const today = page.getByRole('heading', { name: /^Today/ });
  const enrol = page.getByRole('heading', { name: 'Set up your second factor' });
  const verify = page.getByRole('heading', { name: 'Enter your code' });
  await today.or(enrol).or(verify).first().waitFor();
  if (await enrol.isVisible()) {
    const secret = (await page.getByTestId('second-factor-secret').innerText()).replace(/\s+/g, '');
    keyring.people.set(email.toLowerCase(), { secret, lastStep: -1, recoveryCodes: [] });
    const answer = nextAnswer(keyring, email);
    if (!('code' in answer)) throw new Error('unreachable: a new enrolment has a code to give');
    await page.getByLabel(/Six-digit code/).fill(answer.code);
    await page.getByRole('button', { name: 'Confirm' }).click();
    await page.getByTestId('recovery-codes').waitFor();
    keyring.people.get(email.toLowerCase())!.recoveryCodes = (await page.getByTestId('recovery-codes').locator('li').allInnerTexts()).map((c) => c.trim());
    await page.getByRole('button', { name: /I have kept them/ }).click();
  } else if (await verify.isVisible()) {
    // The server's clock is only estimated here: near a step's edge a code can be one step out, so
    // a refused answer is followed by the next one (at worst a recovery code) once.
    for (let attempt = 0; attempt < 2; attempt++) {
      const answer = nextAnswer(keyring, email);
      if ('code' in answer) {
        await page.getByLabel(/Six-digit code/).fill(answer.code);
      } else {
        await page.getByRole('button', { name: /Use a recovery code/ }).click();
        await page.getByLabel('Recovery code').fill(answer.recoveryCode);
      }
      const [response] = await Promise.all([
        page.waitForResponse((r) => r.url().endsWith('/api/v1/auth/second-factor/verify') && r.request().method() === 'POST'),
        page.getByRole('button', { name: 'Verify' }).click(),
      ]);
      if (response.ok()) return;
    }
  }
}
