import { existsSync } from 'node:fs';
import { CHROMIUM } from './support/browser';
import { WEB_DIR } from '../src/server/web-app';

/** The browser tests need Chromium and a built web app; say plainly when they cannot run. */
export default function setup() {
  if (!existsSync(CHROMIUM)) {
    if (process.env.OPENHAT_TEST_REQUIRE_BROWSER === '1') throw new Error(`OPENHAT_TEST_REQUIRE_BROWSER=1 but there is no Chromium at ${CHROMIUM}`);
    process.env.OPENHAT_TEST_E2E_SKIPPED = `no Chromium at ${CHROMIUM}; install it with apt-get install chromium, or set OPENHAT_CHROMIUM`;
  } else if (!existsSync(`${WEB_DIR}index.html`)) {
    throw new Error('the web app is not built: run npm run build:web (npm install does it)');
  }
}
