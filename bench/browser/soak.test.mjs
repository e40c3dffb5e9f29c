// soak.test.mjs — a Pool(4) program run 60 times on one page must give back
// every pipe, semaphore and process (run: node --test bench/browser/soak.test.mjs,
// after scripts/build-web.sh). A stress run, not part of the suite: one run in
// about a hundred has been seen to hang after its output, at the end of the
// program: this run finds it. Afterwards the page's kernel must hold as many
// pipes, semaphores and process slots as before, and stderr stay empty.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { startServer, launchBrowser, openPlayground, runCode, repoRoot } from '../../tests/browser/harness.mjs';
import { settledUsage, assertSameHeld, stderrOf } from '../../tests/browser/kernel-usage.mjs';

const RUNS = 60;

let server;
let browser;
let page;

before(async () => {
  server = await startServer({ isolation: true });
  browser = await launchBrowser();
  ({ page } = await openPlayground(browser, `${server.url}engine.html`));
});

after(async () => {
  await browser?.close();
  server?.close();
});


test(`a Pool(4) program run ${RUNS} times gives back every pipe, semaphore and process`, { timeout: 600000 }, async () => {
  const program = [
    'import multiprocessing',
    'def square(x):',
    '    return x * x',
    'if __name__ == "__main__":',
    '    with multiprocessing.Pool(4) as pool:',
    '        print(sum(pool.map(square, range(100))))',
  ].join('\n');
  // The first runs make the page keep as many children warm as the program uses.
  for (let run = 0; run < 2; run++) {
    const first = await runCode(page, program);
    assert.equal(first.output, '328350\n', JSON.stringify(first.events));
  }
  const before = await settledUsage(page);
  const t0 = Date.now();
  for (let run = 1; run <= RUNS; run++) {
    const ran = await runCode(page, program, { deadlineMs: 60000 });
    assert.equal(ran.events.at(-1)?.status, 'ok', `run ${run}: ${JSON.stringify(ran.events)}`);
    assert.equal(ran.output, '328350\n', `run ${run}`);
    assert.equal(stderrOf(ran), '', `run ${run}`);
  }
  const seconds = (Date.now() - t0) / 1000;
  const after = await settledUsage(page);
  console.log(`${RUNS} runs of a Pool(4) in ${seconds.toFixed(1)} s; kernel before ${JSON.stringify(before)}, after ${JSON.stringify(after)}`);
  assertSameHeld(after, before);
});

