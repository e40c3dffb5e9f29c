// engines.mjs — the same pairs on four readings, in one run: each pair's
// ratio (slow over fast) on RustPython in the browser and on CPython in the
// browser (Pyodide, through pyrace's own harness: the playground with
// "CPython too", one run going to both engines in turn), `timeit` on the
// same Pyodide in the same browser (a page of its own), and native
// CPython's `timeit` (the machine's python3); the CPython engine's per-loop
// times beside Pyodide's `timeit`'s; plus the CPython engine's bytes on the
// wire and its load time. Headless Chromium against the real dev server
// over dist/ (scripts/build-web.sh and scripts/build-app.sh first).
//
// usage: node bench/browser/engines.mjs [--pairs FILE] [--json] [--budget S | --budgets S,S,…]
//   --pairs FILE  a JSON list of {"id", "setup", "slow": [name, code], "fast": [name, code]}
//                 (default: bench/browser/engine-pairs.json)
//   --json        one line per pair (and budget): {"id", "budget", "rustpython", "cpython",
//                 "pyodide_timeit", "native", "cpython_per_loop", "pyodide_timeit_per_loop"}
//   --budget S    seconds per engine per pair (default 3)
//   --budgets L   several budgets, e.g. 3,5,10: every pair at each, and how far
//                 each engine's ratio moves across them
// PYTHON: the native CPython (default python3).

import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import LZString from 'lz-string';
import { startServer, launchBrowser, repoRoot } from '../../tests/browser/harness.mjs';
import { openPyodideBench, pyodideTimeit } from './pyodide/page.mjs';

function parseArgs(argv) {
  const args = { pairs: `${repoRoot}bench/browser/engine-pairs.json`, json: false, budgets: [3] };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--pairs') args.pairs = argv[++i];
    else if (argv[i] === '--json') args.json = true;
    else if (argv[i] === '--budget') args.budgets = [Number(argv[++i])];
    else if (argv[i] === '--budgets') args.budgets = argv[++i].split(',').map(Number);
    else throw new Error(`usage: node bench/browser/engines.mjs [--pairs FILE] [--json] [--budget S | --budgets S,S] (not ${argv[i]})`);
  }
  if (args.budgets.some((b) => !(b > 0))) throw new Error('budgets are seconds, above 0');
  return args;
}

/** Checks a pairs file's shape, so a typo says what is wrong. */
function readPairs(path) {
  const pairs = JSON.parse(readFileSync(path, 'utf8'));
  if (!Array.isArray(pairs) || pairs.length === 0) throw new Error(`${path}: a non-empty JSON list of pairs`);
  for (const [i, p] of pairs.entries()) {
    const ok = (v) => Array.isArray(v) && v.length === 2 && v.every((s) => typeof s === 'string');
    if (typeof p.id !== 'string' || typeof (p.setup ?? '') !== 'string' || !ok(p.slow) || !ok(p.fast) || p.slow[0] === p.fast[0]) {
      throw new Error(`${path}: pair ${i + 1} needs "id", "setup", "slow": [name, code] and "fast": [name, code] with two names`);
    }
  }
  return pairs;
}

/** Native CPython timeit: best of 5 repeats of an autoranged loop, slow over fast. */
function nativeRatio(pair) {
  const script = `
import json, sys, timeit
p = json.loads(sys.stdin.read())
def best(code):
    t = timeit.Timer(code, p.get("setup", ""))
    n, _ = t.autorange()
    return min(t.repeat(5, n)) / n
print(best(p["slow"][1]) / best(p["fast"][1]))
`;
  const out = execFileSync(process.env.PYTHON ?? 'python3', ['-c', script], { input: JSON.stringify(pair) });
  return Number(String(out).trim());
}

function linkOf(url, pair, budget) {
  const state = {
    pyrace: 1,
    mode: 'compare',
    setup: pair.setup ?? '',
    variants: [{ name: pair.slow[0], code: pair.slow[1] }, { name: pair.fast[0], code: pair.fast[1] }],
    options: { budget },
    engines: ['cpython'],
  };
  return `${url}app/#v1.${LZString.compressToEncodedURIComponent(JSON.stringify(state))}`;
}

/** A table cell's time ("470 µs", "1.23 ms", "12.3 ns", "1.05 s") in seconds. */
function secondsOf(text) {
  const m = text.replace(/,/g, '').match(/([\d.]+)\s*(ns|µs|ms|s)\b/);
  return m ? Number(m[1]) * { ns: 1e-9, µs: 1e-6, ms: 1e-3, s: 1 }[m[2]] : NaN;
}

/** Runs one pair on both engines in the playground; returns both ratios. */
async function browserRatios(page, url, pair, budget) {
  await page.goto(linkOf(url, pair, budget));
  await page.waitForSelector('.engine-status[data-status="ready"]', { timeout: 120_000 });
  await page.waitForSelector('.cpython-status[data-status="ready"]', { timeout: 180_000 });
  const before = await page.locator('.results').getAttribute('data-run-id');
  await page.click('.run-button');
  await page.waitForFunction((prev) => {
    const r = document.querySelector('.results');
    return r && r.dataset.runId && r.dataset.runId !== prev && r.dataset.phase === 'finished';
  }, before, { timeout: 30_000 + budget * 4000 });
  // Slow over fast from each engine's medians (net of the baseline), as
  // timeit's figures are read: the table's "× slower" names only the
  // slower one, and a pair can come out the other way round on an engine.
  const median = async (variant, engine) =>
    secondsOf(await page.locator(`.results-table tbody tr[data-variant="${variant}"] td.median${engine}`).textContent().catch(() => ''));
  const ratio = async (engine) => (await median(pair.slow[0], engine)) / (await median(pair.fast[0], engine));
  return {
    rustpython: await ratio(':not(.cpython)'),
    cpython: await ratio('.cpython'),
    cpythonPerLoop: { [pair.slow[0]]: await median(pair.slow[0], '.cpython'), [pair.fast[0]]: await median(pair.fast[0], '.cpython') },
  };
}

/** `timeit` on the same Pyodide: per-loop times of both, and their ratio. */
async function pyodideTimeitOf(bench, pair) {
  const perLoop = {};
  for (const [name, code] of [pair.slow, pair.fast]) perLoop[name] = await pyodideTimeit(bench, code, pair.setup);
  return { ratio: perLoop[pair.slow[0]] / perLoop[pair.fast[0]], perLoop };
}

const { pairs: pairsPath, json, budgets } = parseArgs(process.argv.slice(2));
const pairs = readPairs(pairsPath);
const server = await startServer({ isolation: true });
const browser = await launchBrowser();
try {
  const context = await browser.newContext({ serviceWorkers: 'block' });
  const page = await context.newPage();
  // CPython's first load, cold: bytes as the browser saw them on the wire
  // (bodies as sent, gzip, plus headers), its worker's requests included.
  let wire = 0;
  let files = 0;
  const sizes = [];
  page.on('requestfinished', (request) => {
    if (!/\/(pyodide|cpython)\//.test(request.url())) return;
    files += 1;
    sizes.push(request.sizes().then((s) => { wire += s.responseBodySize + s.responseHeadersSize; }, () => {}));
  });
  await page.goto(linkOf(server.url, pairs[0], budgets[0]));
  await page.waitForSelector('.engine-status[data-status="ready"]', { timeout: 120_000 });
  const t0 = Date.now();
  await page.waitForSelector('.cpython-status[data-status="ready"]', { timeout: 180_000 });
  // From the page's start of the CPython download: the toggle is on from
  // the link, so it began while RustPython loaded; this is the time past that.
  const loadSeconds = (Date.now() - t0) / 1000;
  const navToReady = await page.evaluate(() => performance.now() / 1000);
  await Promise.all(sizes);
  // Pyodide's own timeit, in a page of its own in the same browser.
  const bench = await openPyodideBench(browser);

  const rows = [];
  for (const budget of budgets) {
    for (const pair of pairs) {
      const native = nativeRatio(pair);
      const timeit = await pyodideTimeitOf(bench, pair);
      const { rustpython, cpython, cpythonPerLoop } = await browserRatios(page, server.url, pair, budget);
      const row = { id: pair.id, budget, rustpython, cpython, pyodide_timeit: timeit.ratio, native, cpython_per_loop: cpythonPerLoop, pyodide_timeit_per_loop: timeit.perLoop };
      rows.push(row);
      if (json) console.log(JSON.stringify(row));
    }
  }
  await bench.close();
  if (!json) {
    const f = (x) => (Number.isFinite(x) ? (x >= 100 ? x.toFixed(0) : x.toFixed(2)) : 'failed');
    const apart = (a, b) => Math.max(a / b, b / a);
    console.log(`CPython engine: ${(wire / 1e6).toFixed(2)} MB on the wire in ${files} files (gzip), ready ${navToReady.toFixed(1)} s after navigation (${loadSeconds.toFixed(1)} s after RustPython was); ${bench.version}`);
    for (const budget of budgets) {
      console.log(`\nbudget ${budget} s per engine per pair; ratio = slow / fast; per-loop = the CPython engine's per-loop time over Pyodide timeit's (the worse of the two variants)`);
      console.log(['pair'.padEnd(16), 'RustPython'.padStart(11), 'CPython eng.'.padStart(13), 'Pyodide timeit'.padStart(15), 'native timeit'.padStart(14), 'per-loop'.padStart(9)].join(' '));
      const counts = { perLoop: 0, ratio: 0, native: 0, timeitNative: 0 };
      const here = rows.filter((r) => r.budget === budget);
      for (const r of here) {
        const perLoop = Math.max(...[0, 1].map((i) => {
          const name = [pairs.find((p) => p.id === r.id).slow[0], pairs.find((p) => p.id === r.id).fast[0]][i];
          return apart(r.cpython_per_loop[name], r.pyodide_timeit_per_loop[name]);
        }));
        if (perLoop <= 1.25) counts.perLoop += 1;
        if (apart(r.cpython, r.pyodide_timeit) <= 1.25) counts.ratio += 1;
        if (apart(r.cpython, r.native) <= 1.5) counts.native += 1;
        if (apart(r.pyodide_timeit, r.native) <= 1.5) counts.timeitNative += 1;
        console.log([r.id.padEnd(16), f(r.rustpython).padStart(11), f(r.cpython).padStart(13), f(r.pyodide_timeit).padStart(15), f(r.native).padStart(14), f(perLoop).padStart(9)].join(' '));
      }
      console.log(`of ${here.length} pairs: CPython engine per-loop within 1.25× of Pyodide timeit: ${counts.perLoop}; ratio within 1.25× of Pyodide timeit's: ${counts.ratio}; ratio within 1.5× of native timeit's: ${counts.native} (Pyodide timeit itself: ${counts.timeitNative})`);
    }
    if (budgets.length > 1) {
      console.log(`\nacross budgets ${budgets.join(', ')} s: largest/smallest ratio per engine (goal ≤ 1.2)`);
      for (const pair of pairs) {
        const mine = rows.filter((r) => r.id === pair.id);
        const spread = (key) => apart(Math.max(...mine.map((r) => r[key])), Math.min(...mine.map((r) => r[key])));
        console.log(`  ${pair.id.padEnd(16)} RustPython ${f(spread('rustpython'))}  CPython engine ${f(spread('cpython'))}`);
      }
    }
  }
  await context.close();
} finally {
  await browser.close();
  server.close();
}
