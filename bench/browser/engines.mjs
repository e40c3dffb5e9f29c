// engines.mjs — the same pairs on three Pythons, in one run: each pair's
// ratio (slow over fast) on RustPython in the browser and on CPython in the
// browser (Pyodide, through pyrace's own harness: the playground with
// "CPython too", one run going to both engines in turn), and under native
// CPython's `timeit` (the machine's python3); plus the CPython engine's
// bytes on the wire and its load time. Headless Chromium against the real
// dev server over dist/ (scripts/build-web.sh and scripts/build-app.sh first).
//
// usage: node bench/browser/engines.mjs [--pairs FILE] [--json] [--budget S]
//   --pairs FILE  a JSON list of {"id", "setup", "slow": [name, code], "fast": [name, code]}
//                 (default: bench/browser/engine-pairs.json)
//   --json        one line per pair: {"id", "rustpython", "cpython", "native"}
//   --budget S    seconds per engine per pair (default 3)
// PYTHON: the native CPython (default python3).

import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import LZString from 'lz-string';
import { startServer, launchBrowser, repoRoot } from '../../tests/browser/harness.mjs';

function parseArgs(argv) {
  const args = { pairs: `${repoRoot}bench/browser/engine-pairs.json`, json: false, budget: 3 };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--pairs') args.pairs = argv[++i];
    else if (argv[i] === '--json') args.json = true;
    else if (argv[i] === '--budget') args.budget = Number(argv[++i]);
    else throw new Error(`usage: node bench/browser/engines.mjs [--pairs FILE] [--json] [--budget S] (not ${argv[i]})`);
  }
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
  return { rustpython: await ratio(':not(.cpython)'), cpython: await ratio('.cpython') };
}

const { pairs: pairsPath, json, budget } = parseArgs(process.argv.slice(2));
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
  await page.goto(linkOf(server.url, pairs[0], budget));
  await page.waitForSelector('.engine-status[data-status="ready"]', { timeout: 120_000 });
  const t0 = Date.now();
  await page.waitForSelector('.cpython-status[data-status="ready"]', { timeout: 180_000 });
  // From the page's start of the CPython download: the toggle is on from
  // the link, so it began while RustPython loaded; this is the time past that.
  const loadSeconds = (Date.now() - t0) / 1000;
  const navToReady = await page.evaluate(() => performance.now() / 1000);
  await Promise.all(sizes);

  const rows = [];
  for (const pair of pairs) {
    const native = nativeRatio(pair);
    const { rustpython, cpython } = await browserRatios(page, server.url, pair, budget);
    const row = { id: pair.id, rustpython, cpython, native };
    rows.push(row);
    if (json) console.log(JSON.stringify(row));
  }
  if (!json) {
    const f = (x) => (Number.isFinite(x) ? (x >= 100 ? x.toFixed(0) : x.toFixed(2)) : 'failed');
    console.log(`CPython engine: ${(wire / 1e6).toFixed(2)} MB on the wire in ${files} files (gzip), ready ${navToReady.toFixed(1)} s after navigation (${loadSeconds.toFixed(1)} s after RustPython was)`);
    console.log(`budget ${budget} s per engine per pair; ratio = slow / fast`);
    console.log(['pair'.padEnd(16), 'RustPython'.padStart(11), 'CPython/wasm'.padStart(13), 'native'.padStart(9), 'wasm/native'.padStart(12)].join(' '));
    let within = 0;
    for (const r of rows) {
      const apart = r.cpython / r.native;
      if (Math.max(apart, 1 / apart) <= 1.5) within += 1;
      console.log([r.id.padEnd(16), f(r.rustpython).padStart(11), f(r.cpython).padStart(13), f(r.native).padStart(9), f(apart).padStart(12)].join(' '));
    }
    console.log(`${within} of ${rows.length} pairs: CPython in the browser within 1.5× of native CPython's ratio`);
  }
  await context.close();
} finally {
  await browser.close();
  server.close();
}
