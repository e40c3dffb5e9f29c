// live-view.mjs — what the page itself does while a run measures, and what
// the run then reads: one pair of bench/browser/engine-pairs.json opened
// from a share link with "CPython too", run several times in one page; per
// run, the page's main-thread work (Chromium's Performance.getMetrics:
// task, script, layout, style), its components' renders
// (window.pyraceRenders, src/render_count.rs) and both engines' verdicts.
// The page shares the reader's cores with the engines' workers, so its
// drawing is a neighbour of every measurement. Headless Chromium against
// the real dev server over dist/ (scripts/build-web.sh first).
//
// usage: node bench/browser/live-view.mjs [--pair ID] [--budget S] [--runs N]
//   --pair    a pair's id in engine-pairs.json (default genexpr)
//   --budget  seconds per engine (default 5)
//   --runs    runs in the page, one after the other (default 4)

import { readFileSync } from 'node:fs';
import LZString from 'lz-string';
import { startServer, launchBrowser, repoRoot } from '../../tests/browser/harness.mjs';

const args = { pair: 'genexpr', budget: 5, runs: 4 };
for (let i = 2; i < process.argv.length; i++) {
  const [flag, value] = [process.argv[i], process.argv[++i]];
  if (flag === '--pair') args.pair = value;
  else if (flag === '--budget') args.budget = Number(value);
  else if (flag === '--runs') args.runs = Number(value);
  else throw new Error(`unknown argument ${flag} (see the usage at the top of this file)`);
}
const pair = JSON.parse(readFileSync(`${repoRoot}bench/browser/engine-pairs.json`, 'utf8')).find((p) => p.id === args.pair);
if (!pair) throw new Error(`no pair ${args.pair} in engine-pairs.json`);

const state = {
  pyrace: 1,
  mode: 'compare',
  setup: pair.setup ?? '',
  variants: [pair.slow, pair.fast].map(([name, code]) => ({ name, code })),
  options: { budget: args.budget },
  engines: ['cpython'],
};

const server = await startServer({ isolation: true });
const browser = await launchBrowser();
try {
  const context = await browser.newContext({ serviceWorkers: 'block', viewport: { width: 1400, height: 1100 } });
  const page = await context.newPage();
  await page.goto(`${server.url}app/#v1.${LZString.compressToEncodedURIComponent(JSON.stringify(state))}`);
  await page.waitForSelector('.engine-status[data-status="ready"]', { timeout: 90_000 });
  await page.waitForSelector('.cpython-status[data-status="ready"]', { timeout: 180_000 });
  const cdp = await context.newCDPSession(page);
  await cdp.send('Performance.enable');
  const metrics = async () => Object.fromEntries((await cdp.send('Performance.getMetrics')).metrics.map((m) => [m.name, m.value]));
  const renders = () => page.evaluate(() => ({ .../** @type {any} */ (window).pyraceRenders }));
  const finished = (previous) => page.evaluate((prev) => {
    const r = document.querySelector('.results');
    return !!(r && r.dataset.runId && r.dataset.runId !== prev && r.dataset.phase === 'finished');
  }, previous);

  console.log(`pair ${pair.id}: ${pair.slow[0]} vs ${pair.fast[0]}, budget ${args.budget} s per engine`);
  for (let run = 0; run < args.runs; run++) {
    const [before, drawn] = [await metrics(), await renders()];
    const started = Date.now();
    const previous = await page.locator('.results').getAttribute('data-run-id');
    await page.click('.run-button');
    while (!(await finished(previous))) await new Promise((r) => setTimeout(r, 250));
    const [after, now] = [await metrics(), await renders()];
    const spent = (name) => (after[name] - before[name]).toFixed(2);
    const count = Object.keys(now).reduce((sum, k) => sum + now[k] - (drawn[k] ?? 0), 0);
    console.log(`run ${run + 1}: ${((Date.now() - started) / 1000).toFixed(1)} s; main thread ${spent('TaskDuration')} s (script ${spent('ScriptDuration')}, layout ${spent('LayoutDuration')}, style ${spent('RecalcStyleDuration')}); ${count} renders`);
    const verdicts = await page.locator('.verdict .verdict-sentence').evaluateAll((ps) => ps.map((p) => p.textContent.trim()));
    for (const verdict of verdicts) console.log(`   ${verdict}`);
  }
  await context.close();
} finally {
  await browser.close();
  server.close();
}
