// cpython.test.mjs — CPython beside RustPython, end to end in headless
// Chromium against the real dev server over dist/: the "CPython too" switch
// loads Pyodide from our own origin (and only then), every run goes to
// RustPython and then to CPython through pyrace's own harness, and the
// results, panes, notes and share links show both engines. Needs
// scripts/build-web.sh and scripts/build-app.sh to have run.
//
// Screenshots go to $PYRACE_SCREENSHOTS (default /tmp/pyrace-screens).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import LZString from 'lz-string';
import { runInApp } from '../browser/harness.mjs';
import { appSuite } from './suite.mjs';
import { loadAxe, axeViolations } from './axe.mjs';

const SHOTS = process.env.PYRACE_SCREENSHOTS ?? '/tmp/pyrace-screens';
/** Both engines in turn, plus CPython's first download and start. */
const RUN_TIMEOUT = 180_000;

const app = appSuite({ pyodide: true, dirs: [SHOTS] });

/** A fresh page; `requests` collects every URL it asks for. */
async function open(url) {
  const context = await app.browser.newContext({ serviceWorkers: 'block', viewport: { width: 1400, height: 1100 } });
  const page = await context.newPage();
  const requests = [];
  page.on('request', (r) => requests.push(r.url()));
  page.on('pageerror', (err) => console.error('page error:', err));
  await page.goto(url);
  await page.waitForSelector('.engine-status[data-status="ready"]', { timeout: 90_000 });
  return { context, page, requests };
}

/** Each row of the results table: its variant and its cells' text. */
async function tableRows(page) {
  return page.locator('.results-table tbody tr').evaluateAll((trs) =>
    trs.map((tr) => ({
      name: tr.dataset.variant,
      cells: [...tr.querySelectorAll('td')].map((td) => td.textContent),
      cpython: [...tr.querySelectorAll('td.cpython')].map((td) => td.textContent),
    })),
  );
}

/** "1,234× slower [..]" → 1234; "fastest" → 1. */
function ratioOf(text) {
  if (/fastest/.test(text)) return 1;
  const m = text.replace(/,/g, '').match(/([\d.]+)(k?)× slower/);
  assert.ok(m, `a ratio in ${JSON.stringify(text)}`);
  return Number(m[1]) * (m[2] ? 1000 : 1);
}

const pyodideRequests = (requests) => requests.filter((u) => /\/(pyodide|cpython)\//.test(u));

test('a page that never turns CPython on fetches none of its files', async () => {
  const { context, page, requests } = await open(`${app.server.url}app/`);
  assert.equal(await page.locator('.cpython-toggle').isChecked(), false);
  await page.selectOption('.budget-select', '2');
  await runInApp(page, RUN_TIMEOUT);
  assert.equal(await page.locator('.results').getAttribute('data-engines'), 'rustpython');
  assert.deepEqual(pyodideRequests(requests), []);
  await context.close();
});

test('list vs set membership on both engines: CPython from our origin, its ratio above 1000× at n=10 000', async () => {
  const { context, page, requests } = await open(app.link({
    mode: 'compare',
    setup: 'L = list(range(10000))\nS = set(L)',
    variants: [{ name: 'list', code: '-1 in L' }, { name: 'set', code: '-1 in S' }],
    options: { budget: 2 },
    engines: ['cpython'],
  }));
  assert.equal(await page.locator('.cpython-toggle').isChecked(), true, 'the link turns CPython on');
  await page.waitForSelector('.cpython-status[data-status="ready"]', { timeout: 120_000 });
  assert.match(await page.locator('.cpython-status').textContent(), /CPython 3\.14/);
  await runInApp(page, RUN_TIMEOUT);
  await page.screenshot({ path: `${SHOTS}/cpython-1-membership.png`, fullPage: true });

  const rows = await tableRows(page);
  const list = rows.find((r) => r.name === 'list');
  const set = rows.find((r) => r.name === 'set');
  assert.equal(list.cpython.length, 2, 'CPython has its own median and ratio columns');
  assert.match(set.cpython[1], /fastest/);
  const cpythonRatio = ratioOf(list.cpython[1]);
  const rustRatio = ratioOf(list.cells[4]);
  assert.ok(cpythonRatio > 1000, `CPython list/set at n=10000: ${cpythonRatio}`);
  assert.ok(rustRatio > 10, `RustPython list/set: ${rustRatio}`);
  const card = await page.locator('.variant-pane[data-variant="list"] .timing-card').textContent();
  assert.match(card, /RustPython.*per loop.*CPython.*per loop/s, card);
  assert.match(await page.locator('.conditions.cpython').textContent(), /never at once/);

  const fetched = pyodideRequests(requests);
  assert.ok(fetched.some((u) => u.endsWith('/pyodide/pyodide.asm.wasm')), 'Pyodide came from our origin');
  assert.ok(fetched.every((u) => u.startsWith(app.server.url)), `only our origin: ${fetched}`);

  // The bar chart: per variant a bar per engine with its interval, the
  // engines named, CPython's bar striped.
  const bars = await page.locator('.bar-chart.two-engines .bar').evaluateAll((gs) =>
    gs.map((g) => ({
      key: `${g.dataset.variant}/${g.dataset.engine}`,
      whiskers: g.querySelectorAll('.whisker').length,
      stripes: g.querySelector('.stripes')?.getAttribute('d') ?? '',
      value: g.querySelector('.value').textContent,
    })));
  assert.deepEqual(bars.map((b) => b.key), ['list/rustpython', 'list/cpython', 'set/rustpython', 'set/cpython']);
  for (const bar of bars) {
    assert.equal(bar.whiskers, 3, `an interval on ${bar.key}`);
    assert.equal(/^M[\d.]+,[\d.]+L/.test(bar.stripes), bar.key.endsWith('/cpython'), `stripes on CPython's bars only: ${bar.key}`);
  }
  assert.match(bars[3].value, /★/, 'set is clearly fastest on CPython');
  assert.deepEqual(await page.locator('.bar-chart .engine-name').allTextContents(), ['RustPython', 'CPython', 'RustPython', 'CPython']);
  assert.match(await page.locator('.bar-chart svg').getAttribute('aria-label'), /RustPython: list .+; CPython: list .+, set /);

  // The strip plot: each engine's own samples, as many as its rounds.
  const rounds = {
    rustpython: Number((await page.locator('.conditions:not(.cpython)').textContent()).match(/Rounds(\d+) interleaved/)[1]),
    cpython: Number((await page.locator('.conditions.cpython').textContent()).match(/(\d+) rounds · took/)[1]),
  };
  const strips = await page.locator('.distribution-plot.two-engines .strip').evaluateAll((gs) =>
    gs.map((g) => ({ variant: g.dataset.variant, engine: g.dataset.engine, samples: Number(g.dataset.samples), dots: g.querySelectorAll('.dot').length })));
  assert.deepEqual(strips.map((s) => `${s.variant}/${s.engine}`), ['list/rustpython', 'list/cpython', 'set/rustpython', 'set/cpython']);
  for (const strip of strips) {
    assert.equal(strip.samples, rounds[strip.engine], `${strip.variant} on ${strip.engine}: a sample per round (${JSON.stringify(rounds)})`);
    assert.equal(strip.dots, strip.samples);
  }

  // The exported SVG carries both engines, stripes included.
  const [file] = await Promise.all([page.waitForEvent('download'), page.click('.export-svg')]);
  const svg = readFileSync(await file.path(), 'utf8');
  assert.equal((svg.match(/data-engine="cpython"/g) ?? []).length, 2, 'both CPython bars exported');
  assert.equal((svg.match(/data-engine="rustpython"/g) ?? []).length, 2, 'both RustPython bars exported');
  assert.match(svg, />RustPython<\/text>/);
  assert.match(svg, />CPython<\/text>/);
  assert.match(svg, /<path d="M[^"]+"[^>]*style="[^"]*stroke:\s*rgb/, 'the stripes, their colour inlined');

  for (const scheme of ['light', 'dark']) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.locator('.result-views').screenshot({ path: `${SHOTS}/charts-membership-${scheme}.png` });
  }
  await loadAxe(page);
  for (const scheme of ['light', 'dark']) {
    await page.emulateMedia({ colorScheme: scheme });
    const found = await axeViolations(page);
    assert.deepEqual(found, [], `${scheme}: ${found.join('\n')}`);
  }
  await context.close();
});

test('a sweep on both engines shows both growth labels, and += against join gets the note', async () => {
  const { context, page } = await open(app.link({
    mode: 'sweep',
    setup: 'parts = ["x" * 10] * n',
    sweep: 'n=100,1000,10000',
    variants: [
      { name: 'concat', code: 's = ""\nfor p in parts:\n    s += p' },
      { name: 'join', code: 's = "".join(parts)' },
    ],
    options: { budget: 4 },
    engines: ['cpython'],
  }));
  await runInApp(page, RUN_TIMEOUT);
  await page.screenshot({ path: `${SHOTS}/cpython-2-sweep.png`, fullPage: true });
  const growth = await page.locator('.sweep-chart .growth').allTextContents();
  assert.equal(growth.length, 4, `two series on each engine: ${growth}`);
  // A label, or the plain "no clear label (n^…)" when a noisy sweep fits no curve.
  assert.ok(growth.every((g) => /^(O\(|no clear label \(n\^-?\d)/.test(g)), `growth labels: ${growth}`);
  // Both engines' lines on one chart, CPython's dashed, each with its points.
  const lines = await page.locator('.sweep-chart.two-engines g.series').evaluateAll((gs) =>
    gs.map((g) => ({
      key: `${g.dataset.variant}/${g.dataset.engine}`,
      dash: g.querySelector('.line').getAttribute('stroke-dasharray'),
      points: g.querySelectorAll('.point').length,
    })));
  assert.deepEqual(lines.map((l) => l.key), ['concat/rustpython', 'join/rustpython', 'concat/cpython', 'join/cpython']);
  for (const line of lines) {
    assert.equal(line.dash !== null, line.key.endsWith('/cpython'), `dashed for CPython only: ${line.key}`);
    assert.ok(line.points >= 2, `${line.key}: ${line.points} sizes`);
  }
  // Each engine's growth labels under its name.
  const legend = await page.locator('.sweep-chart .engine-legend').evaluateAll((ds) =>
    ds.map((d) => [d.dataset.engine, d.querySelector('.engine-name').textContent, d.querySelectorAll('li .growth').length]));
  assert.deepEqual(legend.map(([engine, , count]) => [engine, count]), [['rustpython', 2], ['cpython', 2]]);
  assert.match(legend[1][1], /^CPython \(dashed/);
  for (const scheme of ['light', 'dark']) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.locator('.sweep-chart').screenshot({ path: `${SHOTS}/charts-sweep-${scheme}.png` });
  }
  await page.emulateMedia({ colorScheme: 'light' });
  const note = page.locator('.engine-note');
  await note.waitFor();
  const text = await note.textContent();
  assert.match(text, /str \+= copies/);
  assert.match(text, /RustPython and [\d.]+× on CPython|fastest on RustPython/);
  await context.close();
});

test('Stop during a CPython run ends it, and the next run works', async () => {
  const { context, page } = await open(app.link({
    mode: 'run',
    variants: [{ name: 'spin', code: 'print("started")\nwhile True:\n    pass' }],
    engines: ['cpython'],
  }));
  await page.waitForSelector('.cpython-status[data-status="ready"]', { timeout: 120_000 });
  await page.click('.run-button');
  // RustPython first: stop it too, or CPython never gets its turn.
  await page.waitForSelector('.results[data-phase="running"]', { timeout: 60_000 });
  await page.waitForTimeout(2000);
  const stopAt = Date.now();
  await page.click('.stop-button');
  await page.waitForFunction(() => document.querySelector('.results')?.dataset.phase === 'finished', null, { timeout: 30_000 });
  assert.ok(Date.now() - stopAt < 10_000, 'Stop ends the run at once');

  // Now a CPython run in progress: RustPython's part is quick.
  await page.goto(app.link({
    mode: 'run',
    variants: [{ name: 'spin', code: 'import sys\nif sys.implementation.name == "cpython":\n    print("cpython spins")\n    while True:\n        pass\nprint("rustpython done")' }],
    engines: ['cpython'],
  }));
  await page.waitForSelector('.engine-status[data-status="ready"]', { timeout: 90_000 });
  await page.waitForSelector('.cpython-status[data-status="ready"]', { timeout: 120_000 });
  await page.click('.run-button');
  await page.locator('.pane-cpython').getByText('cpython spins').waitFor({ timeout: 60_000 });
  const cpythonStop = Date.now();
  await page.click('.stop-button');
  await page.waitForFunction(() => document.querySelector('.results')?.dataset.phase === 'finished', null, { timeout: 30_000 });
  const stopSeconds = (Date.now() - cpythonStop) / 1000;
  assert.ok(stopSeconds < 5, `CPython stopped in ${stopSeconds} s`);
  await page.screenshot({ path: `${SHOTS}/cpython-3-stopped.png`, fullPage: true });

  await page.waitForSelector('.run-button:not([disabled])', { timeout: 60_000 });
  const box = page.locator('.variant-pane[data-variant="spin"] .cm-content');
  await box.click();
  await page.keyboard.press('Control+a');
  await page.keyboard.type('print(sum(range(10)))');
  await runInApp(page, RUN_TIMEOUT);
  assert.match(await page.locator('.pane-cpython').textContent(), /45/);
  await context.close();
});

test('a crashed CPython engine restarts by itself and says so; the next run works', async () => {
  const { context, page } = await open(app.link({
    mode: 'run',
    // os.abort() ends the interpreter itself (Emscripten's abort), not with a Python exception.
    variants: [{ name: 'abort', code: 'import os, sys\nif sys.implementation.name == "cpython":\n    os.abort()\nprint("rustpython goes on")' }],
    engines: ['cpython'],
  }));
  await page.waitForSelector('.cpython-status[data-status="ready"]', { timeout: 120_000 });
  await runInApp(page, RUN_TIMEOUT);
  const pane = page.locator('.variant-pane[data-variant="abort"]');
  // CPython's error is shown beside RustPython's results, which stand.
  await page.locator('.cpython-error').getByText(/CPython stopped abnormally.*os\.abort\(\).*restarted/).waitFor({ timeout: 60_000 });
  assert.match(await pane.locator('.pane-output').first().textContent(), /rustpython goes on/);
  await page.screenshot({ path: `${SHOTS}/cpython-crashed.png`, fullPage: true });
  // The replacement worker loads from the cache and takes the next run.
  await page.waitForSelector('.cpython-status[data-status="ready"]', { timeout: 120_000 });
  const box = pane.locator('.cm-content');
  await box.click();
  await page.keyboard.press('Control+a');
  await page.keyboard.type('print(6 * 7)');
  await runInApp(page, RUN_TIMEOUT);
  assert.match(await pane.locator('.pane-cpython').textContent(), /42/);
  assert.equal(await page.locator('.cpython-error').count(), 0);
  await context.close();
});

test('a threads program on CPython gets the clear message at its pane; asyncio.run works there; cProfile profiles on both engines', async () => {
  const { context, page } = await open(app.link({
    mode: 'run',
    variants: [
      { name: 'threads', code: 'import threading\nt = threading.Thread(target=print, args=("hi",))\nt.start()\nt.join()' },
      { name: 'aio', code: 'import asyncio\nasync def main():\n    await asyncio.sleep(0.01)\n    print("aio ok")\nasyncio.run(main())' },
    ],
    engines: ['cpython'],
  }));
  await runInApp(page, RUN_TIMEOUT);
  await page.screenshot({ path: `${SHOTS}/cpython-4-threads.png`, fullPage: true });
  const threads = page.locator('.variant-pane[data-variant="threads"]');
  const cpython = await threads.locator('.pane-cpython').textContent();
  assert.match(cpython, /cannot start threads/);
  assert.match(cpython, /RustPython/);
  // RustPython ran the same program with its threads.
  assert.match(await threads.locator('.pane-output').first().textContent(), /hi/);
  // Chromium has WebAssembly stack switching: asyncio.run runs on CPython.
  assert.match(await page.locator('.variant-pane[data-variant="aio"] .pane-cpython').textContent(), /aio ok/);

  // Profile: each engine's cProfile table, CPython's from its own (C) profiler.
  await page.goto(app.link({
    mode: 'run',
    variants: [{ name: 'fib', code: 'def fib(n):\n    return n if n < 2 else fib(n - 1) + fib(n - 2)\nprint(fib(15))' }],
    engines: ['cpython'],
  }));
  await page.waitForSelector('.cpython-status[data-status="ready"]', { timeout: 120_000 });
  await page.check('.profile-toggle input');
  await page.selectOption('.profile-kind select', 'cprofile');
  await runInApp(page, RUN_TIMEOUT);
  await page.locator('.profile[data-engine="CPython"]').waitFor({ timeout: 60_000 });
  for (const engine of ['RustPython', 'CPython']) {
    const table = page.locator(`.profile[data-engine="${engine}"]`);
    assert.match(await table.locator('caption').textContent(), new RegExp(`fib on ${engine}`));
    // fib(15) makes 1973 calls, 1 of them primitive: pstats prints 1973/1.
    assert.match(await table.locator('tbody').textContent(), /1973\/1/, engine);
  }
  await page.screenshot({ path: `${SHOTS}/cpython-5-profiles.png`, fullPage: true });
  await context.close();
});

test('a share link written with both engines opens with both, and CPython stays off for a plain one', async () => {
  const both = await open(app.link({ mode: 'compare', variants: [{ name: 'a', code: 'x = 1' }], engines: ['cpython'] }));
  assert.equal(await both.page.locator('.cpython-toggle').isChecked(), true);
  await both.context.close();
  const plain = await open(app.link({ mode: 'compare', variants: [{ name: 'a', code: 'x = 1' }] }));
  assert.equal(await plain.page.locator('.cpython-toggle').isChecked(), false);
  assert.deepEqual(pyodideRequests(plain.requests), []);
  await plain.context.close();
});

test('a lesson run with CPython on shows its live CPython figures labelled live, beside the recorded ones', { timeout: 300_000 }, async () => {
  const { context, page } = await open(`${app.server.url}app/`);
  page.on('dialog', (dialog) => dialog.accept());
  await page.selectOption('.lesson-select', 'membership');
  await page.waitForSelector('.lesson-prose');
  // CPython off: only the recorded figures, said to be recorded, and each
  // claim read against them for information.
  assert.equal(await page.locator('.lesson-figures .reference[data-source="live"]').count(), 0);
  const recorded = await page.locator('.lesson-figures .reference[data-source="recorded"]').textContent();
  assert.match(recorded, /^Recorded: CPython 3\.\d+\.\d+ on .+: .*\d (ns|µs|ms)/, recorded);
  assert.match(recorded, /turn on “CPython too”/);
  assert.match(await page.locator('.lesson-claims .claim-cpython').first().getAttribute('data-source'), /recorded/);

  await page.check('.cpython-toggle');
  await page.selectOption('.budget-select', '2');
  await page.waitForSelector('.cpython-status[data-status="ready"]', { timeout: 120_000 });
  await runInApp(page, RUN_TIMEOUT);
  await page.locator('.lesson-prose').scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${SHOTS}/lessoncpy-lesson-live.png`, fullPage: true });
  await page.locator('.lesson-prose').screenshot({ path: `${SHOTS}/lessoncpy-lesson-figures.png` });

  const live = await page.locator('.lesson-figures .reference[data-source="live"]').textContent();
  assert.match(live, /^Live, measured on this page: CPython 3\.14\.\d+ \(Pyodide, browser\), n=/, live);
  // The live line names the lesson's variants with this run's figures.
  const names = await page.locator('.results-table tbody tr').evaluateAll((trs) => trs.map((tr) => tr.dataset.variant));
  for (const name of names) assert.match(live, new RegExp(`${name} [\\d.]+ (ns|µs|ms|s)`), live);
  // The recorded figures stay, labelled as recorded, without the hint.
  const still = await page.locator('.lesson-figures .reference[data-source="recorded"]').textContent();
  assert.match(still, /^Recorded: CPython 3\.\d+/);
  assert.doesNotMatch(still, /turn on/);
  // Claims: RustPython's verdict as before; CPython's live reading beside it.
  const claims = await page.locator('.lesson-claims .claim').evaluateAll((items) =>
    items.map((li) => ({
      status: li.querySelector('.claim-status').textContent,
      cpython: li.querySelector('.claim-cpython')?.textContent ?? '',
      source: li.querySelector('.claim-cpython')?.dataset.source ?? '',
    })),
  );
  assert.ok(claims.length > 0);
  // A claim this short run could not measure on CPython (a size it left
  // out) has no reading; the others read against the live figures.
  const read = claims.filter((c) => c.cpython);
  assert.ok(read.length > 0, JSON.stringify(claims));
  for (const c of claims) assert.match(c.status, /holds|misses|not measured/);
  for (const c of read) {
    assert.equal(c.source, 'live', JSON.stringify(c));
    assert.match(c.cpython, /^CPython 3\.14\.\d+ \(Pyodide, browser\) live here: .+ — would (hold|miss)$/, c.cpython);
  }
  await context.close();
});

/** The embed page with this query and state (format 1). */
function embedUrl(query, state) {
  return `${app.server.url}app/embed.html${query}#v1.${LZString.compressToEncodedURIComponent(JSON.stringify({ pyrace: 1, ...state }))}`;
}

const MEMBERSHIP = {
  mode: 'compare',
  setup: 'L = list(range(10000))\nS = set(L)',
  variants: [{ name: 'list', code: '-1 in L' }, { name: 'set', code: '-1 in S' }],
  options: { budget: 1 },
};

/** Opens an embed, runs it, and waits for the run to finish on every engine it uses. */
async function runEmbed(url) {
  const context = await app.browser.newContext({ serviceWorkers: 'block', viewport: { width: 1000, height: 900 } });
  const page = await context.newPage();
  const requests = [];
  page.on('request', (r) => requests.push(r.url()));
  page.on('pageerror', (err) => console.error('page error:', err));
  await page.goto(url);
  await page.waitForSelector('.embed-status[data-status="ready"]', { timeout: 90_000 });
  await page.click('.embed-bar .run-button');
  await page.waitForFunction(() => {
    const r = document.querySelector('.results');
    return r && r.dataset.phase === 'finished';
  }, null, { timeout: RUN_TIMEOUT });
  return { context, page, requests };
}

test('an embed with cpython=1 runs on both engines and shows both figures; one without fetches nothing of Pyodide', { timeout: 300_000 }, async () => {
  const both = await runEmbed(embedUrl('?cpython=1', MEMBERSHIP));
  const { page } = both;
  assert.equal(await page.locator('.results').getAttribute('data-engines'), 'rustpython cpython');
  assert.match(await page.locator('.embed-bar .cpython-status').textContent(), /CPython 3\.14/);
  const rows = await tableRows(page);
  const list = rows.find((r) => r.name === 'list');
  assert.equal(list.cpython.length, 2, 'CPython median and ratio in the compact table');
  assert.ok(ratioOf(list.cpython[1]) > 1000, `CPython list/set: ${list.cpython[1]}`);
  const card = await page.locator('.embed-pane[data-variant="list"] .timing-card').textContent();
  assert.match(card, /RustPython.*CPython/s, card);
  assert.ok(pyodideRequests(both.requests).some((u) => u.endsWith('/pyodide/pyodide.asm.wasm')));
  await page.screenshot({ path: `${SHOTS}/lessoncpy-embed-both.png`, fullPage: true });
  await both.context.close();

  // Without the option, and with a state that names CPython but cpython=0.
  for (const [query, state] of [['', MEMBERSHIP], ['?cpython=0', { ...MEMBERSHIP, engines: ['cpython'] }]]) {
    const one = await runEmbed(embedUrl(query, state));
    assert.equal(await one.page.locator('.results').getAttribute('data-engines'), 'rustpython', query);
    assert.equal(await one.page.locator('.cpython-status').count(), 0);
    assert.deepEqual(pyodideRequests(one.requests), [], `nothing of Pyodide for ${query || 'no query'}`);
    await one.context.close();
  }
});

test('the Embed panel offers CPython too and writes it into both snippets', { timeout: 120_000 }, async () => {
  const { context, page } = await open(`${app.server.url}app/`);
  await page.click('.embed-button');
  const iframe = () => page.locator('.snippet-iframe').inputValue();
  const script = () => page.locator('.snippet-script').inputValue();
  assert.equal(await page.locator('.embed-cpython').isChecked(), false);
  assert.doesNotMatch(await iframe(), /cpython/);
  assert.doesNotMatch(await script(), /cpython/);
  await page.locator('.embed-cpython').check();
  assert.match(await iframe(), /embed\.html\?cpython=1#v1\./);
  assert.match(await script(), /<pyrace-compare [^>]*cpython="1"/);
  // The preview is the embed as written: it runs on CPython too.
  const preview = page.frameLocator('.embed-preview');
  await preview.locator('.embed-bar .cpython-status').waitFor({ timeout: 60_000 });
  await page.locator('.embed-generator').scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${SHOTS}/lessoncpy-embed-panel.png`, fullPage: true });
  await context.close();
});
