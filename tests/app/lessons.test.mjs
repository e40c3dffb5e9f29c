// lessons.test.mjs — every lesson's claims hold on the reader's page: each
// lesson with claims is loaded in the playground, run as a reader runs it
// (its own mode, sizes and budget), and the "What this lesson expects" list
// must say "holds" for every claim. A lesson whose claim misses runs once
// more before it counts, as in the native lessons test (engine/tests/lessons.rs):
// the claims leave a wide margin, so only a burst of load can make one miss.
// Prints every claim with the figure this page measured. `LESSONS=a,b` runs
// only those lessons. Then the profiling lesson opens in Run mode with the
// line profiler on, and a memory lesson's claims read the measured peaks;
// both are photographed (PYRACE_SCREENSHOTS, default /tmp/pyrace-screens).
//
// Needs scripts/build-web.sh and scripts/build-app.sh to have run.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { repoRoot, waitForRunAfter } from '../browser/harness.mjs';
import { appSuite } from './suite.mjs';

const RUN_TIMEOUT = 120_000;
const SHOTS = process.env.PYRACE_SCREENSHOTS ?? '/tmp/pyrace-screens';
const ONLY = process.env.LESSONS ? process.env.LESSONS.split(',') : null;

let page;
const app = appSuite({ then: async () => {
  const context = await app.browser.newContext({ serviceWorkers: 'block', viewport: { width: 1400, height: 1000 } });
    page = await context.newPage();
    page.on('pageerror', (err) => console.error('page error:', err));
    // Loading a lesson over edited panes asks first; these panes hold lessons only.
    page.on('dialog', (dialog) => dialog.accept());
    await page.goto(`${app.server.url}app/`);
    await page.waitForSelector('.engine-status[data-status="ready"]', { timeout: 60_000 });
} });

/** Lessons (file stem) that make claims, in file order. */
function lessonsWithClaims() {
  return readdirSync(`${repoRoot}/lessons`)
    .filter((f) => f.endsWith('.md'))
    .sort()
    .filter((f) => /^expect:/m.test(readFileSync(`${repoRoot}/lessons/${f}`, 'utf8')))
    .map((f) => f.replace(/\.md$/, ''))
    .filter((id) => !ONLY || ONLY.includes(id));
}

/** Loads lesson `id` into the panes. */
async function load(id) {
  await page.selectOption('.lesson-select', id);
  await page.waitForFunction((id) => document.querySelector('.lesson-prose') && document.querySelector('.lesson-select').value === id, id);
}

/** Runs the loaded lesson; resolves with its claims as the page shows them. */
async function runLesson() {
  const before = await page.locator('.results').getAttribute('data-run-id').catch(() => null);
  await page.click('.run-button');
  await waitForRunAfter(page, before, RUN_TIMEOUT);
  const errors = await page.locator('.pane-error').allTextContents();
  const claims = await page.locator('.lesson-claims .claim').evaluateAll((items) =>
    items.map((li) => ({
      status: li.querySelector('.claim-status').textContent,
      text: li.querySelector('.claim-text').textContent,
      measured: li.querySelector('.claim-measured')?.textContent ?? '',
    })),
  );
  // Every growth label the sweep chart shows, claimed or not.
  const labels = await page.locator('.sweep-chart .legend li').evaluateAll((items) =>
    items.map((li) => `growth ${li.dataset.variant} ${li.querySelector('.growth').textContent}${li.querySelector('.fit-quality')?.textContent ?? ''}`),
  );
  return { errors, claims, labels };
}

test('every lesson\'s claims hold in the browser', { timeout: 30 * 60_000 }, async () => {
  const failures = [];
  const report = [];
  for (const id of lessonsWithClaims()) {
    await load(id);
    let result;
    for (let attempt = 1; attempt <= 2; attempt++) {
      result = await runLesson();
      const missed = result.claims.filter((c) => c.status !== 'holds');
      if (result.errors.length === 0 && missed.length === 0) break;
      if (attempt === 1) console.error(`${id}: ${missed.map((c) => `${c.text} (${c.measured || c.status})`).join('; ') || result.errors.join('; ')}; running it again`);
    }
    assert.ok(result.claims.length > 0, `${id}: the page shows no claims`);
    for (const label of result.labels) report.push(`${id} | ${label}`);
    for (const c of result.claims) {
      report.push(`${id} | ${c.text} | ${c.status} | ${c.measured}`);
      if (c.status !== 'holds') failures.push(`${id}: \`${c.text}\` ${c.status}: ${c.measured}`);
    }
    for (const e of result.errors) failures.push(`${id}: error: ${e}`);
  }
  console.error(report.join('\n'));
  assert.deepEqual(failures, []);
});

test('the profiling lesson opens profiled, and its claim reads the line profile', { timeout: 5 * 60_000 }, async () => {
  mkdirSync(SHOTS, { recursive: true });
  await load('profiling');
  assert.equal(await page.locator('.mode-switch input[value="run"]').isChecked(), true, 'opens in Run mode');
  assert.equal(await page.locator('.profile-toggle input').isChecked(), true, 'with Profile on');
  assert.equal(await page.locator('.profile-kind select').inputValue(), 'lines');
  const pending = await page.locator('.lesson-claims .claim .claim-status').first().textContent();
  assert.equal(pending, 'run to check');
  const { errors, claims } = await runLesson();
  assert.deepEqual(errors, []);
  assert.equal(claims.length, 1);
  assert.equal(claims[0].status, 'holds', claims[0].measured);
  assert.match(claims[0].measured, /line \d+ `if i not in seen:` in dedupe, \d+% of the run/);
  // The views the prose points at: a flame graph per program, line figures in the gutter.
  assert.equal(await page.locator('.trace-view').count() >= 2, true, 'a trace view per program');
  await page.screenshot({ path: `${SHOTS}/lesson-profiling.png`, fullPage: true });

  // Switched to Program mode, the profile claim is not measured there.
  await page.click('.mode-switch input[value="program"]');
  const timed = await runLesson();
  assert.equal(timed.claims[0].status, 'not measured in this run', JSON.stringify(timed.claims));
});

test('a memory lesson checks its claims on the measured peaks', { timeout: 5 * 60_000 }, async () => {
  mkdirSync(SHOTS, { recursive: true });
  await load('generator-vs-list');
  const { errors, claims } = await runLesson();
  assert.deepEqual(errors, []);
  const ratio = claims.find((c) => c.text === 'list peak >= 100x generator');
  assert.equal(ratio.status, 'holds', ratio.measured);
  assert.match(ratio.measured, /list\/generator peak = [\d.]+× \(list [\d.]+ kB vs generator \d+ B\)/);
  const recorded = await page.locator('.reference.recorded').textContent();
  assert.match(recorded, /list peak \d+ kB/, 'the recorded CPython peaks are shown');
  await page.screenshot({ path: `${SHOTS}/lesson-memory.png`, fullPage: true });
});
