// profile-threads.test.mjs — Run mode's Profile end to end in headless
// Chromium over the real dev server, for what the line tracer does beyond
// one thread and one finished run: a program whose two worker threads run
// distinct functions gets a call tree per thread on RustPython (the main
// thread's first, each worker's function in its own tree, a speedscope
// profile per thread, collapsed stacks under the thread's name), and
// CPython's view says its engine cannot start threads; a profiled
// `while True` loop stopped after about a second keeps its lines, with
// shares, and says it was stopped, on CPython (Pyodide's interrupt) and
// on RustPython (whose tracer asks the host for the Stop), and the next
// Run works. The page with the thread
// picker passes axe in light and dark. Needs scripts/build-web.sh to have
// run.
//
// Screenshots go to $PYRACE_SCREENSHOTS (default /tmp/pyrace-screens) as
// profile-threads-*.png, to be looked at.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { appSuite } from './suite.mjs';
import { loadAxe, axeViolations } from './axe.mjs';

const SHOTS = process.env.PYRACE_SCREENSHOTS ?? '/tmp/pyrace-screens';
/** Both engines in turn under the tracer, plus CPython's first download and start. */
const RUN_TIMEOUT = 300_000;

const app = appSuite({ pyodide: true, dirs: [SHOTS] });

const THREADS = `import threading

def spin_a(n):
    t = 0
    for i in range(n):
        t += i * i
    return t

def spin_b(n):
    return sum(i for i in range(n))

def work_a():
    for _ in range(30):
        spin_a(3000)

def work_b():
    for _ in range(20):
        spin_b(4000)

threads = [threading.Thread(target=work_a, name="worker-a"),
           threading.Thread(target=work_b, name="worker-b")]
for t in threads:
    t.start()
for t in threads:
    t.join()
print("joined")`;

// Ends on RustPython, which runs first; loops until stopped on CPython.
const LOOP = `import sys

def step(x):
    return x + 1

n = 0
while True:
    n = step(n)
    if sys.implementation.name != "cpython" and n >= 20000:
        break
print(n)`;
const LOOP_LINES = [4, 8, 9];

// Never ends by itself, on either engine.
const FOREVER = `def step(x):
    return x + 1

n = 0
while True:
    n = step(n)`;
const FOREVER_LINES = [2, 6];

/** The page with `code` as its one program, Profile on, CPython on unless `cpython` is false. */
async function profiledPage(name, code, { cpython = true } = {}) {
  const context = await app.browser.newContext({ serviceWorkers: 'block', viewport: { width: 1400, height: 1000 }, acceptDownloads: true });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (err) => errors.push(String(err)));
  await page.goto(app.link({ mode: 'run', variants: [{ name, code }], engines: cpython ? ['cpython'] : [] }));
  await page.waitForSelector('.engine-status[data-status="ready"]', { timeout: 120_000 });
  if (cpython) await page.waitForSelector('.cpython-status[data-status="ready"]', { timeout: 150_000 });
  await page.locator('.profile-toggle input').check();
  return { context, page, errors };
}

/** The functions drawn in `flame`'s icicle. */
const drawn = (flame) => flame.locator('.flame-frame').evaluateAll((els) => els.map((el) => el.dataset.function));

/**
 * Checks a stopped run's profile on `engine`: the view says it was
 * stopped, each of `lineNumbers` ran many times with a share of the run,
 * and the icicle draws `<module>` and `step`. Returns the lines' figures.
 */
async function checkStoppedProfile(page, variant, engine, lineNumbers) {
  const view = page.locator(`.trace-view[data-variant="${variant}"][data-engine="${engine}"]`);
  await view.waitFor({ timeout: 10_000 });
  assert.match(await view.locator('.trace-stopped').textContent(), /Stopped: this profile is of the run up to the Stop/);
  const lines = await page.locator(`.variant-pane[data-variant="${variant}"] .cm-line-heat[data-engine="${engine}"]`)
    .evaluateAll((els) => els.map((el) => ({ line: Number(el.dataset.line), share: Number(el.dataset.share), title: el.title })));
  for (const n of lineNumbers) {
    const line = lines.find((l) => l.line === n);
    assert.ok(line && line.share > 0 && line.share <= 1, `line ${n}: ${JSON.stringify(lines)}`);
    const hits = Number(/([\d,]+) hits/.exec(line.title)?.[1].replaceAll(',', ''));
    assert.ok(hits > 1000, `line ${n} ran many times before the Stop: ${line.title}`);
  }
  const names = await drawn(view.locator('.flame-graph'));
  assert.ok(names.includes('<module>') && names.includes('step'), `${names}`);
  return { view, shares: lines.map((l) => `line ${l.line} ${(l.share * 100).toFixed(1)}%`).join(', ') };
}

test('Profile: a call tree per thread on RustPython, each worker\'s function in its own; CPython says it cannot start threads', async () => {
  const { context, page, errors } = await profiledPage('threads', THREADS);
  await page.click('.run-button');
  await page.waitForFunction(() => document.querySelector('.results')?.dataset.phase === 'finished', null, { timeout: RUN_TIMEOUT });
  const view = page.locator('.trace-view[data-variant="threads"][data-engine="RustPython"]');
  await view.locator('.thread-picker').waitFor({ timeout: 10_000 });

  // The threads, the main one first and chosen.
  const choices = await view.locator('.thread-choice').evaluateAll((els) => els.map((el) => ({
    name: el.dataset.thread, main: el.dataset.main === 'true', pressed: el.getAttribute('aria-pressed') === 'true',
  })));
  assert.equal(choices.length, 3, JSON.stringify(choices));
  assert.deepEqual(choices[0], { name: 'MainThread', main: true, pressed: true });
  assert.deepEqual(choices.slice(1).map((c) => c.name).sort(), ['worker-a', 'worker-b']);
  const flame = view.locator('.flame-graph');
  assert.equal(await flame.getAttribute('data-thread'), 'MainThread');
  const main = await drawn(flame);
  assert.equal(main[0], '<module>');
  assert.ok(!main.includes('spin_a') && !main.includes('spin_b'), `the workers' calls are theirs: ${main}`);

  // Each worker's tree starts at its function, its callee under it.
  for (const [thread, fn, callee, other] of [['worker-a', 'work_a', 'spin_a', 'work_b'], ['worker-b', 'work_b', 'spin_b', 'work_a']]) {
    await view.locator(`.thread-choice[data-thread="${thread}"]`).click();
    await view.locator(`.flame-graph[data-thread="${thread}"]`).waitFor({ timeout: 5_000 });
    assert.equal(await view.locator(`.thread-choice[data-thread="${thread}"]`).getAttribute('aria-pressed'), 'true');
    const names = await drawn(flame);
    assert.equal(names[0], fn, `${thread}: ${names}`);
    assert.ok(names.includes(callee), `${thread}: ${names}`);
    assert.ok(!names.includes(other) && !names.includes('<module>'), `${thread}: ${names}`);
    assert.equal(await flame.locator(`.flame-frame[data-function="${fn}"]`).count(), 1);
    if (thread === 'worker-a') {
      await view.scrollIntoViewIfNeeded();
      await view.screenshot({ path: `${SHOTS}/profile-threads-worker.png` });
    }
  }

  // The exports hold every thread.
  const [file] = await Promise.all([page.waitForEvent('download'), flame.locator('.flame-export-speedscope').click()]);
  const speedscope = JSON.parse(readFileSync(await file.path(), 'utf8'));
  assert.deepEqual(speedscope.profiles.map((p) => p.name).slice(0, 1), ['MainThread']);
  assert.deepEqual(speedscope.profiles.map((p) => p.name).slice(1).sort(), ['worker-a', 'worker-b']);
  for (const profile of speedscope.profiles) {
    assert.equal(profile.samples.length, profile.weights.length);
    for (const sample of profile.samples) for (const i of sample) assert.ok(i < speedscope.shared.frames.length);
  }
  const [collapsed] = await Promise.all([page.waitForEvent('download'), flame.locator('.flame-export-collapsed').click()]);
  const stacks = readFileSync(await collapsed.path(), 'utf8');
  assert.match(stacks, /^MainThread;<module> \(.+\) \d+$/m);
  assert.match(stacks, /^worker-a;work_a \(.+\);spin_a \(.+\) \d+$/m);
  assert.match(stacks, /^worker-b;work_b \(.+\);spin_b \(.+\)/m);

  // The lines are of all threads together: the workers' loops are there.
  const lines = await page.locator('.variant-pane[data-variant="threads"] .cm-line-heat[data-engine="RustPython"]')
    .evaluateAll((els) => els.map((el) => ({ line: Number(el.dataset.line), share: Number(el.dataset.share) })));
  for (const line of [5, 6, 14, 18]) assert.ok(lines.some((l) => l.line === line && l.share > 0), `line ${line}: ${JSON.stringify(lines)}`);
  for (const l of lines) assert.ok(l.share >= 0 && l.share <= 1, JSON.stringify(l));

  // CPython in the page cannot start threads, and says so at its profile.
  const cpython = page.locator('.trace-view[data-variant="threads"][data-engine="CPython"]');
  assert.match(await cpython.locator('.trace-no-threads').textContent(), /cannot start threads/);
  assert.equal(await cpython.locator('.thread-picker').count(), 0);
  await view.locator('.thread-choice[data-thread="MainThread"]').click();
  await page.locator('.trace-views').screenshot({ path: `${SHOTS}/profile-threads-views.png` });
  // The thread picker passes axe, in both schemes.
  await loadAxe(page);
  for (const scheme of ['light', 'dark']) {
    await page.emulateMedia({ colorScheme: scheme });
    const found = await axeViolations(page);
    assert.deepEqual(found, [], `${scheme}:\n${found.join('\n')}`);
  }
  await view.screenshot({ path: `${SHOTS}/profile-threads-dark.png` });
  assert.deepEqual(errors, []);
  await context.close();
});

test('Profile: Stop on CPython keeps the profile up to the Stop and says the run was stopped', async () => {
  const { context, page, errors } = await profiledPage('loop', LOOP);
  await page.click('.run-button');
  // RustPython's run ends by itself; CPython's loops until the Stop.
  await page.locator('.cpython-progress').waitFor({ timeout: RUN_TIMEOUT });
  await page.waitForTimeout(1000);
  await page.click('.stop-button');
  await page.waitForFunction(() => document.querySelector('.results')?.dataset.phase === 'finished', null, { timeout: 30_000 });
  const { view, shares } = await checkStoppedProfile(page, 'loop', 'CPython', LOOP_LINES);
  assert.equal(await page.locator('.trace-view[data-engine="RustPython"] .trace-stopped').count(), 0, 'RustPython\'s run ended by itself');
  console.log(`CPython stopped after ~1 s: ${shares}`);
  await page.locator('.variant-pane[data-variant="loop"]').screenshot({ path: `${SHOTS}/profile-threads-stopped-gutter.png` });
  await view.screenshot({ path: `${SHOTS}/profile-threads-stopped.png` });
  assert.deepEqual(errors, []);
  await context.close();
});

test('Profile: Stop on RustPython keeps the profile up to the Stop, says the run was stopped, and the next Run works', async () => {
  const { context, page, errors } = await profiledPage('forever', FOREVER, { cpython: false });
  await page.click('.run-button');
  await page.locator('.results[data-phase="running"]').waitFor({ timeout: 30_000 });
  await page.waitForTimeout(1500);
  const pressed = Date.now();
  await page.click('.stop-button');
  await page.waitForFunction(() => document.querySelector('.results')?.dataset.phase === 'finished', null, { timeout: 30_000 });
  const answered = Date.now() - pressed;
  const { view, shares } = await checkStoppedProfile(page, 'forever', 'RustPython', FOREVER_LINES);
  // A stopped run is no error of the program's.
  assert.equal(await page.locator('.variant-pane[data-variant="forever"] .pane-error').count(), 0);
  console.log(`RustPython stopped after ~1.5 s, answered in ${answered} ms: ${shares}`);
  await view.screenshot({ path: `${SHOTS}/profile-threads-stopped-rustpython.png` });
  // The engine is back, and runs the next program.
  await page.waitForSelector('.engine-status[data-status="ready"]', { timeout: 60_000 });
  await page.locator('.profile-toggle input').uncheck();
  await page.locator('.variant-pane[data-variant="forever"] .cm-content').click();
  await page.keyboard.press('Control+A');
  await page.keyboard.type('print("after the stop")');
  await page.click('.run-button');
  await page.waitForFunction(() => document.querySelector('.results')?.dataset.phase === 'finished', null, { timeout: 60_000 });
  assert.match(await page.locator('.variant-pane[data-variant="forever"] .output').textContent(), /after the stop/);
  assert.deepEqual(errors, []);
  await context.close();
});
