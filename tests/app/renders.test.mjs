// renders.test.mjs — each component re-renders only when the slice of state
// it draws changes: typing in a pane re-renders no chart, table or results
// panel, and a run's streamed events re-render no editor pane. Counts come
// from window.pyraceRenders (src/render_count.rs), which every component
// bumps when it renders; the test prints the renders per keystroke.
//
// Needs scripts/build-web.sh and scripts/build-app.sh to have run.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { openAppAfterRun, runInApp } from '../browser/harness.mjs';

const KEYSTROKES = 10;
/** What draws results: none of these may render while a person types. */
const RESULT_VIEWS = ['ResultsPanel', 'ResultsTable', 'BarChart', 'DistributionPlot', 'SweepChart', 'TimingCard', 'VerdictLine', 'TimelineViews'];

let server;
let browser;
let page;

before(async () => {
  ({ server, browser, page } = await openAppAfterRun());
  await page.waitForSelector('.results table');
});

after(async () => {
  await browser?.close();
  server?.close();
});

const counts = () => page.evaluate(() => ({ ...(window.pyraceRenders ?? {}) }));

function since(before, now) {
  const diff = {};
  for (const [name, n] of Object.entries(now)) {
    const d = n - (before[name] ?? 0);
    if (d > 0) diff[name] = d;
  }
  return diff;
}

test('typing in a pane re-renders no chart, table or results panel', async () => {
  // Results and charts are on the page, drawn from the finished run.
  for (const selector of ['.results table', '.bar-chart', '.timing-card']) {
    assert.ok(await page.locator(selector).first().isVisible(), `${selector} is shown`);
  }
  const editor = page.locator('.variant-pane').first().locator('.cm-content');
  await editor.click();
  await page.keyboard.press('End');
  const start = await counts();
  // Spaced as a person types, so that each keystroke gets its own render.
  for (let i = 0; i < KEYSTROKES; i++) await page.keyboard.type(' ', { delay: 80 });
  await page.waitForTimeout(300);
  const typed = since(start, await counts());
  const perKey = Object.fromEntries(Object.entries(typed).map(([name, n]) => [name, n / KEYSTROKES]));
  console.log(`renders per keystroke: ${JSON.stringify(perKey)}`);
  for (const view of RESULT_VIEWS) {
    assert.equal(typed[view] ?? 0, 0, `${view} rendered ${typed[view]} times for ${KEYSTROKES} keystrokes`);
  }
  // The edit itself is drawn: the pane list and the pane typed in re-render.
  assert.ok((typed.VariantPanes ?? 0) >= 1, 'the panes saw the edit');
  assert.equal(await page.locator('.variant-pane').first().locator('.cm-content').innerText().then((t) => t.endsWith(' '.repeat(KEYSTROKES))), true);
});

test("a run's events re-render no editor pane, and the results as they stream", async () => {
  const start = await counts();
  await runInApp(page, 60_000);
  const ran = since(start, await counts());
  console.log(`renders during one run: ${JSON.stringify(ran)}`);
  assert.ok((ran.ResultsTable ?? 0) >= 2, 'the table followed the run');
  // Panes show the run's errors and timings, so they follow it; their
  // editors, the lesson and the pickers do not.
  for (const view of ['CodeEditor', 'LessonProse', 'LessonPicker', 'ThreadModeSwitch', 'SameResultToggle']) {
    assert.equal(ran[view] ?? 0, 0, `${view} rendered ${ran[view]} times during the run`);
  }
});
