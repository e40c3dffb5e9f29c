// suite.mjs — the set-up the app's test files share: one dev server over
// dist/ (cross-origin isolated, as the site is served) and one headless
// Chromium for the whole file, both closed after it; the built parts the
// file needs checked first, so a missing build says which script to run.

import { before, after } from 'node:test';
import { existsSync, mkdirSync } from 'node:fs';
import LZString from 'lz-string';
import { startServer, launchBrowser, repoRoot } from '../browser/harness.mjs';

/**
 * Registers the file's before/after hooks; the returned object holds the
 * server and browser once `before` ran.
 * @param {{pyodide?: boolean, dirs?: string[], then?: () => Promise<void>}} [needs]
 *   pyodide: the file runs the CPython engine; dirs: folders the file
 *   writes (screenshots); then: the file's own set-up, once the server and
 *   browser are up (in the same hook, so that it never runs before them)
 */
export function appSuite({ pyodide = false, dirs = [], then = async () => {} } = {}) {
  const suite = {
    /** @type {any} */ server: null,
    /** @type {import('playwright-core').Browser | null} */ browser: null,
    /** A share link to the playground with this state (format 1). */
    link(state) {
      return `${suite.server.url}app/#v1.${LZString.compressToEncodedURIComponent(JSON.stringify({ pyrace: 1, ...state }))}`;
    },
  };
  before(async () => {
    if (!existsSync(`${repoRoot}/dist/app/index.html`)) throw new Error('dist/app is not built: run scripts/build-web.sh');
    if (pyodide && !existsSync(`${repoRoot}/dist/pyodide/pyodide.asm.wasm`)) throw new Error('dist/pyodide is not built: run scripts/build-web.sh');
    for (const dir of dirs) mkdirSync(dir, { recursive: true });
    suite.server = await startServer({ isolation: true });
    suite.browser = await launchBrowser();
    await then();
  });
  after(async () => {
    await suite.browser?.close();
    suite.server?.close();
  });
  return suite;
}
