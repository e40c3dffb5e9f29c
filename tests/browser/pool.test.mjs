// pool.test.mjs — a process's thread workers (www/process.js): the first
// process of a page starts with its runner alone, so that the first output
// waits for one engine instance, and its pool grows while its program runs,
// as the program starts threads; the workers are counted as the page makes
// them (by their names).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, runCode } from './harness.mjs';

let server;
let browser;

before(async () => {
  server = await startServer({ isolation: true });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  server?.close();
});

/** A fresh engine page that records the name of every worker it makes, in order. */
async function countingPage() {
  const context = await browser.newContext({ serviceWorkers: 'block' });
  await context.addInitScript(() => {
    const made = [];
    Object.defineProperty(window, '__workersMade', { value: made });
    const BaseWorker = window.Worker;
    window.Worker = class extends BaseWorker {
      constructor(url, options) {
        super(url, options);
        made.push(options?.name ?? '');
      }
    };
  });
  const page = await context.newPage();
  page.on('pageerror', (err) => console.error('page error:', err));
  await page.goto(`${server.url}engine.html`);
  await page.evaluate(() => window.pyrace.ready.then(() => undefined));
  return { context, page };
}

/** The names of the first process's workers: those made before the next runner. */
const firstProcessWorkers = (page) =>
  page.evaluate(() => {
    const made = window.__workersMade;
    const next = made.findIndex((name, i) => i > 0 && name === 'pyrace-runner');
    return made.slice(0, next < 0 ? undefined : next);
  });

test('the first process starts with its runner alone, and its pool grows as its program starts threads', { timeout: 90000 }, async () => {
  const { context, page } = await countingPage();
  try {
    assert.deepEqual(await firstProcessWorkers(page), ['pyrace-runner']);
    const poolSize = await page.evaluate(() => window.pyrace.engine.poolSize);
    // Eight threads that each sleep 2 s: all eight asleep at one moment,
    // though their workers started only as the threads asked for them.
    const run = await runCode(
      page,
      [
        'import threading, time',
        'spans = []',
        'def nap():',
        '    t0 = time.perf_counter()',
        '    time.sleep(2.0)',
        '    spans.append((t0, time.perf_counter()))',
        'ts = [threading.Thread(target=nap) for _ in range(8)]',
        'for t in ts: t.start()',
        'for t in ts: t.join()',
        'print(len(spans), max(s for s, _ in spans) < min(e for _, e in spans))',
      ].join('\n'),
    );
    assert.equal(run.events.at(-1).status, 'ok', JSON.stringify(run.events));
    assert.equal(run.output, '8 True\n');
    const threads = (await firstProcessWorkers(page)).filter((name) => name.startsWith('pyrace-thread-'));
    assert.ok(threads.length >= 8 && threads.length <= poolSize, `thread workers of the first process: ${threads.length}`);
  } finally {
    await context.close();
  }
});

test('a program of the first process that starts no thread starts no thread worker', { timeout: 60000 }, async () => {
  const { context, page } = await countingPage();
  try {
    const run = await runCode(page, 'print(sum(range(1000)))');
    assert.equal(run.output, '499500\n');
    assert.deepEqual(await firstProcessWorkers(page), ['pyrace-runner']);
  } finally {
    await context.close();
  }
});
