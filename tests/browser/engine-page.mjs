// engine-page.mjs — the fixture of the browser tests that share one engine
// page for a whole file: the dev server with the isolation headers over
// dist/, a headless Chromium and engine.html opened before the file's
// tests, all closed after them.

import { before, after } from 'node:test';
import { startServer, launchBrowser, openPlayground } from './harness.mjs';

/**
 * Sets the fixture up for the calling test file; `onOpen` gets `{server,
 * browser, page}` once they are up (before the first test).
 * @param {(opened: {server: any, browser: any, page: any}) => void} onOpen
 */
export function useEnginePage(onOpen) {
  let server;
  let browser;
  before(async () => {
    server = await startServer({ isolation: true });
    browser = await launchBrowser();
    const { page } = await openPlayground(browser, `${server.url}engine.html`);
    onOpen({ server, browser, page });
  });
  after(async () => {
    await browser?.close();
    server?.close();
  });
}
