// not-isolated.test.mjs — the engine in a page served WITHOUT the isolation
// headers (as inside someone's iframe): single-threaded code runs, and
// starting a thread raises a RuntimeError that says threads need the full
// playground. Also: the service worker makes such a static host isolated,
// and keeps the engine for offline use.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, openPlayground, runCode } from './harness.mjs';

let server;
let browser;

before(async () => {
  server = await startServer({ isolation: false });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  server?.close();
});

test('single-threaded code runs and threads raise a clear error', { timeout: 60000 }, async () => {
  const { page, context } = await openPlayground(browser, `${server.url}engine.html`);
  const mode = await page.evaluate(() => [crossOriginIsolated, window.pyrace.engine.mode]);
  assert.deepEqual(mode, [false, 'single-thread']);
  assert.equal(await page.isVisible('#threads-note'), true);

  const run = await runCode(page, 'import time\nt0 = time.perf_counter(); time.sleep(0.05)\nprint("single", time.perf_counter() - t0 >= 0.049)');
  assert.equal(run.output, 'single True\n');

  const threaded = await runCode(page, 'import threading\nthreading.Thread(target=print, args=("never",)).start()');
  const error = threaded.events.find((e) => e.event === 'error')?.error;
  assert.ok(error, JSON.stringify(threaded.events));
  assert.equal(error.exc_type, 'RuntimeError');
  assert.match(error.message, /thread/i);
  assert.match(error.message, /playground/i);
  assert.doesNotMatch(threaded.output, /never/);

  // Stop and a flood of output work without shared memory too.
  const stopped = await page.evaluate(async () => {
    const running = window.pyrace.runCode('while True: pass');
    await new Promise((r) => setTimeout(r, 500));
    window.pyrace.engine.stop();
    const end = await running;
    return { end, last: window.pyrace.events.at(-1) };
  });
  assert.equal(stopped.end.status, 'stopped');
  assert.equal(stopped.last.status, 'stopped');
  const flood = await runCode(page, 'for i in range(50000): print(i)');
  assert.equal(flood.output.trim().split('\n').at(-1), '49999');
  await context.close();
});

test('the service worker makes a header-less host cross-origin isolated', { timeout: 60000 }, async () => {
  const context = await browser.newContext({ serviceWorkers: 'allow' });
  const page = await context.newPage();
  await page.goto(`${server.url}engine.html`);
  // The first load registers the worker, then reloads under it.
  await page.waitForFunction(() => crossOriginIsolated && window.pyrace?.engine, null, { timeout: 30000 });
  assert.equal(await page.evaluate(() => window.pyrace.engine.mode), 'threads');
  const run = await runCode(page, 'import threading\nt = threading.Thread(target=print, args=("from a thread",))\nt.start(); t.join()');
  assert.equal(run.output, 'from a thread\n');

  // The engine was cached: the playground also loads and runs offline.
  await context.setOffline(true);
  await page.reload();
  await page.waitForFunction(() => window.pyrace?.engine, null, { timeout: 30000 });
  const offline = await runCode(page, 'print("offline")');
  assert.equal(offline.output, 'offline\n');
  await context.close();
});
