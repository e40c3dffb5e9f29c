// profile-lines.test.mjs — Run mode's Profile (the line tracer) end to end
// in headless Chromium over the real dev server and both engines: a program
// typed into the editor with one obviously hot line gets time per line in
// the editor's gutter on RustPython and on CPython (the hot line ranks
// first); the call tree is drawn as an icicle that zooms on a click, marks
// what a search finds and exports a speedscope file that parses with its
// schema; a list of 10**6 ints peaks at least ten times higher than a
// generator over as many, on both engines; a program that raises keeps
// its lines up to the error. Needs scripts/build-web.sh to
// have run.
//
// The page with the profile shown passes axe in light and dark.
//
// Screenshots go to $PYRACE_SCREENSHOTS (default /tmp/pyrace-screens) as
// profile-*.png, to be looked at.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { appSuite } from './suite.mjs';
import { loadAxe, axeViolations } from './axe.mjs';

const SHOTS = process.env.PYRACE_SCREENSHOTS ?? '/tmp/pyrace-screens';
/** Both engines in turn under the tracer, plus CPython's first download and start. */
const RUN_TIMEOUT = 300_000;
const ENGINES = ['RustPython', 'CPython'];

const app = appSuite({ dirs: [SHOTS] });

// Line 9 calls the heavy function: with its callees, nearly all the time.
const HOT = `def heavy(n):
    return sum(i * i for i in range(n))

def light(n):
    return n + 1

total = 0
for k in range(150):
    total += heavy(400)
    total += light(k)
print(total)`;
const HOT_LINE = 9;
const LIGHT_LINE = 10;

/** The gutter's lines of a pane on an engine: {line, share} by line. */
async function gutterLines(page, variant, engine) {
  return page.locator(`.variant-pane[data-variant="${variant}"] .cm-line-heat[data-engine="${engine}"]`)
    .evaluateAll((els) => els.map((el) => ({
      line: Number(el.dataset.line), share: Number(el.dataset.share), title: el.title, text: el.textContent,
    })));
}

test('Profile: time per line in the gutter, an icicle that zooms, searches and exports, and memory peaks, on RustPython and CPython', async () => {
  const context = await app.browser.newContext({ serviceWorkers: 'block', viewport: { width: 1400, height: 1000 }, acceptDownloads: true });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (err) => errors.push(String(err)));
  await page.goto(app.link({
    mode: 'run',
    variants: [
      { name: 'hot', code: 'pass' },
      { name: 'list', code: 'L = list(range(10**6))\nprint(len(L))' },
      { name: 'gen', code: 'g = (i for i in range(10**6))\nprint(sum(g))' },
      { name: 'fails', code: 'for i in range(2000):\n    x = i * 2\nraise ValueError("boom")' },
    ],
    engines: ['cpython'],
  }));
  await page.waitForSelector('.engine-status[data-status="ready"]', { timeout: 120_000 });
  await page.waitForSelector('.cpython-status[data-status="ready"]', { timeout: 150_000 });

  // The program typed in, as a person would.
  const editor = page.locator('.variant-pane[data-variant="hot"] .cm-content').first();
  await editor.click();
  await page.keyboard.press('Control+A');
  await page.keyboard.insertText(HOT);
  assert.equal((await editor.textContent()).includes('heavy(400)'), true);

  await page.locator('.profile-toggle input').check();
  assert.equal(await page.locator('.profile-kind select').inputValue(), 'lines', 'the line tracer by default');
  assert.match(await page.locator('.profile-options').textContent(), /slows the run/);
  await page.click('.run-button');
  for (const engine of ENGINES) {
    await page.locator(`.trace-view[data-variant="gen"][data-engine="${engine}"] .memory-peak`).waitFor({ timeout: RUN_TIMEOUT });
  }
  assert.match(await page.locator('.trace-views .profile-cost').textContent(), /slower.*Timed runs \(Compare, Sweep\) are never traced/s);

  for (const engine of ENGINES) {
    // Time per line: the hot line first, far above the light one.
    const lines = await gutterLines(page, 'hot', engine);
    assert.ok(lines.length >= 6, `${engine}: ${JSON.stringify(lines)}`);
    for (const l of lines) assert.ok(l.share >= 0 && l.share <= 1, `${engine}: share ${l.share}`);
    const ranked = [...lines].sort((a, b) => b.share - a.share);
    const share = (n) => lines.find((l) => l.line === n)?.share ?? 0;
    // Line 2 (the heavy body) runs inside line 9: both are the hot work.
    assert.ok([HOT_LINE, 2].includes(ranked[0].line), `${engine}: first ${JSON.stringify(ranked.slice(0, 3))}`);
    assert.ok(share(HOT_LINE) > 0.5, `${engine}: hot line's share ${share(HOT_LINE)}`);
    assert.ok(share(HOT_LINE) > 5 * share(LIGHT_LINE), `${engine}: ${share(HOT_LINE)} vs ${share(LIGHT_LINE)}`);
    // Squares of a generator and a call that adds one: the hooks cost far
    // more than the work, and the view says how much of the time is theirs.
    const view = page.locator(`.trace-view[data-variant="hot"][data-engine="${engine}"]`);
    assert.match(await view.locator('.trace-title').textContent(), /hooks included, (about \d+ %|nearly all) of the traced time/, engine);
    const hookShare = Number(await view.locator('.trace-hook-share').getAttribute('data-hook-share'));
    assert.ok(hookShare >= 0.5 && hookShare <= 1, `${engine}: hooks' share ${hookShare}`);
    assert.match(await view.locator('.trace-hook-share').textContent(), /tracer's own cost.*read far above their untraced share/s, engine);
    const hot = lines.find((l) => l.line === HOT_LINE);
    assert.match(hot.title, /150 hits, .+ in all, .+ per hit/, engine);
    assert.match(hot.text, /%.*×150/, engine);

    // The icicle: the program at the top, heavy under it (light's calls
    // are too short to draw at this width: zooming shows them).
    const flame = page.locator(`.flame-graph[data-variant="hot"][data-engine="${engine}"]`);
    const frames = await flame.locator('.flame-frame').evaluateAll((els) =>
      els.map((el) => ({ fn: el.dataset.function, share: Number(el.dataset.share) })));
    const names = frames.map((f) => f.fn);
    for (const fn of ['<module>', 'heavy']) assert.ok(names.includes(fn), `${engine}: ${fn} in ${names}`);
    assert.equal(frames[0].fn, '<module>');
    const heavyShare = frames.find((f) => f.fn === 'heavy').share;
    assert.ok(heavyShare > 0.5 && heavyShare <= 1, `${engine}: heavy ${heavyShare}`);

    // A click zooms on heavy: it fills the width, its caller stays above.
    const width = await flame.locator('.flame-rows').evaluate((el) => el.getBoundingClientRect().width);
    await flame.locator('.flame-frame[data-function="heavy"]').click();
    await page.waitForFunction((sel) => document.querySelector(sel)?.dataset.zoomed !== undefined,
      `.flame-graph[data-variant="hot"][data-engine="${engine}"]`);
    const zoomedWidth = await flame.locator('.flame-frame.zoomed').evaluate((el) => el.getBoundingClientRect().width);
    assert.ok(zoomedWidth > width * 0.97, `${engine}: zoomed ${zoomedWidth} of ${width}`);
    assert.equal(await flame.locator('.flame-frame.zoomed').getAttribute('data-function'), 'heavy');
    assert.ok(await flame.locator('.flame-frame[data-function="heavy.<locals>.<genexpr>"]').count() >= 1, 'its callee, wider now');
    assert.equal(await flame.locator('.flame-frame.above-zoom').getAttribute('data-function'), '<module>');
    if (engine === 'RustPython') {
      await flame.scrollIntoViewIfNeeded();
      await page.locator(`.trace-view[data-variant="hot"][data-engine="${engine}"]`)
        .screenshot({ path: `${SHOTS}/profile-flame-zoomed.png` });
    }
    await flame.locator('.flame-reset').click();
    assert.equal(await flame.getAttribute('data-zoomed'), null);

    // Search marks heavy (and its generator expression) and says their share.
    await flame.locator('.flame-search').fill('heavy');
    const matched = await flame.locator('.flame-frame.match').evaluateAll((els) => els.map((el) => el.dataset.function));
    assert.ok(matched.length >= 1 && matched.every((fn) => fn.includes('heavy')), `${engine}: ${matched}`);
    const matchShare = Number(await flame.locator('.flame-match-share').getAttribute('data-share'));
    assert.ok(Math.abs(matchShare - heavyShare) < 1e-9, `${engine}: ${matchShare} vs ${heavyShare}`);

    // The speedscope export parses, with its schema and a sampled profile.
    const [file] = await Promise.all([page.waitForEvent('download'), flame.locator('.flame-export-speedscope').click()]);
    assert.match(file.suggestedFilename(), /\.speedscope\.json$/);
    const speedscope = JSON.parse(readFileSync(await file.path(), 'utf8'));
    assert.equal(speedscope.$schema, 'https://www.speedscope.app/file-format-schema.json');
    assert.equal(speedscope.profiles.length, 1);
    assert.equal(speedscope.profiles[0].type, 'sampled');
    assert.equal(speedscope.profiles[0].samples.length, speedscope.profiles[0].weights.length);
    assert.ok(speedscope.shared.frames.some((f) => f.name === 'heavy'), engine);
    const [collapsed] = await Promise.all([page.waitForEvent('download'), flame.locator('.flame-export-collapsed').click()]);
    assert.match(readFileSync(await collapsed.path(), 'utf8'), /^MainThread;<module> \(.+\);heavy \(.+\) \d+$/m, engine);

    // Memory: the list peaks at least ten times the generator.
    const peak = async (variant) => Number(await page
      .locator(`.trace-view[data-variant="${variant}"][data-engine="${engine}"] .memory-peak`)
      .getAttribute('data-peak-bytes'));
    const list = await peak('list');
    const gen = await peak('gen');
    assert.ok(list >= 8_000_000, `${engine}: a list of 10**6 ints holds megabytes: ${list}`);
    assert.ok(list >= 10 * gen, `${engine}: list ${list} vs generator ${gen}`);
    const source = await page.locator(`.trace-view[data-variant="list"][data-engine="${engine}"] .memory-source`).textContent();
    assert.match(source, engine === 'RustPython' ? /RustPython's own allocator count/ : /tracemalloc/);
    console.log(`${engine}: hot line share ${share(HOT_LINE).toFixed(3)}, light ${share(LIGHT_LINE).toFixed(3)}, heavy frame ${heavyShare.toFixed(3)}; peak list ${list} B, generator ${gen} B (${(list / Math.max(gen, 1)).toFixed(0)}x)`);
  }
  await flameClear(page);

  // A program that raises keeps its profile up to the error.
  for (const engine of ENGINES) {
    const lines = await gutterLines(page, 'fails', engine);
    assert.deepEqual(lines.map((l) => l.line), [1, 2, 3], engine);
    assert.match(lines.find((l) => l.line === 2).title, /2000 hits/, engine);
  }
  assert.match(await page.locator('.variant-pane[data-variant="fails"]').textContent(), /ValueError/);

  await page.locator('.variant-pane[data-variant="hot"]').screenshot({ path: `${SHOTS}/profile-gutter.png` });
  await page.locator('.trace-views').screenshot({ path: `${SHOTS}/profile-views.png` });
  await page.screenshot({ path: `${SHOTS}/profile-page.png`, fullPage: true });
  // The gutters, icicles and memory tables pass axe, in both schemes.
  await loadAxe(page);
  for (const scheme of ['light', 'dark']) {
    await page.emulateMedia({ colorScheme: scheme });
    const found = await axeViolations(page);
    assert.deepEqual(found, [], `${scheme}:\n${found.join('\n')}`);
  }
  await page.locator('.trace-view[data-variant="hot"][data-engine="CPython"]').screenshot({ path: `${SHOTS}/profile-dark.png` });
  await page.emulateMedia({ colorScheme: 'light' });

  // An edit clears the gutter: the profile was of the code as it ran.
  await editor.focus();
  await page.keyboard.press('Control+End');
  await page.keyboard.insertText('\n# edited');
  assert.equal(await page.locator('.variant-pane[data-variant="hot"] .cm-line-heat').count(), 0);
  assert.deepEqual(errors, []);
  await context.close();
});

/** Empties every icicle's search box, so the screenshots show plain frames. */
async function flameClear(page) {
  for (const input of await page.locator('.flame-search').all()) await input.fill('');
}

test('timed runs are never traced: Profile is a Run mode option only', async () => {
  const context = await app.browser.newContext({ serviceWorkers: 'block' });
  const page = await context.newPage();
  await page.goto(app.link({ mode: 'compare', setup: 'L = list(range(100))', variants: [{ name: 'a', code: 'sum(L)' }, { name: 'b', code: 'len(L)' }], options: { budget: 1 } }));
  await page.waitForSelector('.engine-status[data-status="ready"]', { timeout: 120_000 });
  assert.equal(await page.locator('.profile-toggle').count(), 0);
  await page.click('.run-button');
  await page.waitForFunction(() => document.querySelector('.results')?.dataset.phase === 'finished', null, { timeout: RUN_TIMEOUT });
  assert.equal(await page.locator('.trace-views').count(), 0);
  assert.equal(await page.locator('.cm-line-heat').count(), 0);
  await context.close();
});
