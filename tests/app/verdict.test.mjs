// verdict.test.mjs — what the numbers mean, as the playground says it in
// headless Chromium with the real engine: a clear gap reads as a factor and
// earns the "fastest" mark; two identical variants read "no clear
// difference" and nobody is marked fastest; a one-operation statement gets
// a warning that says what to do. Needs scripts/build-web.sh and
// scripts/build-app.sh to have run.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { openApp, runInApp, typeInto } from '../browser/harness.mjs';

const SHOTS = process.env.PYRACE_SCREENSHOTS ?? '/tmp/pyrace-screens';
const RUN_TIMEOUT = 90_000;

let server;
let browser;
let page;

before(async () => {
  mkdirSync(SHOTS, { recursive: true });
  ({ server, browser, page } = await openApp());
  await page.waitForSelector('.engine-status[data-status="ready"]', { timeout: 60_000 });
  await page.selectOption('.budget-select', '2');
});

after(async () => {
  await browser?.close();
  server?.close();
});

const pane = (name) => page.locator(`.variant-pane[data-variant="${name}"]`);
const run = () => runInApp(page, RUN_TIMEOUT);

test('a clear gap reads as a factor with its interval, and the faster variant is marked', async () => {
  await run();
  const sentence = await page.locator('.verdict-sentence').textContent();
  assert.match(sentence, /^set is [\d.]+× faster than list \(95% interval [\d.]+–[\d.]+×\)$/);
  assert.equal(await page.locator('.results-table tr.fastest').getAttribute('data-variant'), 'set');
  assert.match(await pane('set').locator('.timing-card').textContent(), /fastest/);
});

test('two identical variants read "no clear difference" and neither is marked fastest', async () => {
  await typeInto(pane('list'), 'sum(range(300))');
  await typeInto(pane('set'), 'sum(range(300))');
  await run();
  const sentence = await page.locator('.verdict-sentence').textContent();
  assert.match(sentence, /^no clear difference between (list|set) and (list|set): /, sentence);
  assert.equal(await page.locator('.results-table tr.fastest').count(), 0);
  assert.equal(await page.locator('.bar-chart .bar.fastest').count(), 0);
  const ratios = await page.locator('.results-table td.ratio').allTextContents();
  assert.ok(ratios.every((r) => !/^fastest$/.test(r)), ratios.join(' | '));
  assert.ok(ratios.some((r) => /no clear difference \[/.test(r)), ratios.join(' | '));
  assert.equal(await page.locator('.timing-card .ratio.fastest').count(), 0);
  assert.match(await page.locator('.timing-card').allTextContents().then((t) => t.join(' | ')), /lowest median, not clearly fastest/);
  await page.screenshot({ path: `${SHOTS}/verdict-no-clear-difference.png`, fullPage: true });
});

test('a one-operation statement gets a warning that most of its time is the timing loop', async () => {
  await typeInto(pane('set'), 'x = 1');
  await run();
  const warning = page.locator('.measurement-warnings li[data-kind="near_baseline"][data-variant="set"]');
  await warning.waitFor();
  assert.match(await warning.textContent(), /set: its net time \([\d.]+ ns\) is less than half of one empty loop iteration \([\d.]+ ns\).* Make the statement do more work/);
  assert.equal(await page.locator('.measurement-warnings li[data-variant="list"][data-kind="near_baseline"]').count(), 0);
  await page.screenshot({ path: `${SHOTS}/verdict-warning.png`, fullPage: true });
});

test('with "Same result" on, variants that compute different things are shown at the panes before their timings', async () => {
  await page.check('.same-result-toggle');
  await typeInto(pane('list'), 'L.index(999)');
  await typeInto(pane('set'), '999 in S');
  await run();
  const check = page.locator('.result-check');
  assert.match(await check.getAttribute('class'), /differ/);
  assert.equal(
    await check.textContent(),
    'Different results (the value of the last line): list gave 999, set gave True. The variants do not compute the same thing, so their timings compare different work.',
  );
  assert.match(await pane('list').locator('.pane-result-check').textContent(), /this one gave 999$/);
  assert.match(await pane('set').locator('.pane-result-check').textContent(), /this one gave True$/);
  await page.screenshot({ path: `${SHOTS}/verdict-different-results.png`, fullPage: true });
  // The same thing computed two ways agrees, and the panes say nothing.
  await typeInto(pane('list'), '999 in L');
  await run();
  assert.equal(await check.textContent(), 'Same result: every variant gave True (the value of the last line).');
  assert.equal(await page.locator('.pane-result-check').count(), 0);
  await page.uncheck('.same-result-toggle');
});
