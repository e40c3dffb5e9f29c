// memory.mjs — what a list of 10**6 ints holds at its peak against a
// generator over as many, on both of the playground's engines in the
// browser (Compare with "CPython too": RustPython's own allocator count,
// CPython's tracemalloc through pyrace's harness, read from the memory
// table's data-peak-bytes), side by side with their ratio; beside them
// plain `tracemalloc` on the same Pyodide in the same browser (a page of
// its own, bench/browser/pyodide/page.mjs), the trusted tool the CPython
// engine's figure is checked against, and on the machine's CPython.
// Headless Chromium against the real dev server over dist/
// (scripts/build-web.sh first).
//
// usage: node bench/browser/memory.mjs [--size EXPONENT] [--budget S] [--json]
//   --size    the statements run over range(10**EXPONENT) (default 6)
//   --budget  seconds per engine for the timed rounds (default 2)
//   --json    one line: {"n", "rustpython", "cpython", "pyodide_tracemalloc", "native_tracemalloc"},
//             each {"list": bytes, "gen": bytes}
// PYTHON: the native CPython (default python3).

import LZString from 'lz-string';
import { startServer, launchBrowser, runInApp } from '../../tests/browser/harness.mjs';
import { openPyodideBench } from './pyodide/page.mjs';
import { nativeJob, nativeVersion } from './pyodide/jobs.mjs';

function parseArgs(argv) {
  const args = { size: 6, budget: 2, json: false };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--size') args.size = Number(argv[++i]);
    else if (argv[i] === '--budget') args.budget = Number(argv[++i]);
    else if (argv[i] === '--json') args.json = true;
    else throw new Error(`usage: node bench/browser/memory.mjs [--size EXPONENT] [--budget S] [--json] (not ${argv[i]})`);
  }
  if (!(Number.isInteger(args.size) && args.size >= 1 && args.size <= 7)) throw new Error('--size: an exponent from 1 to 7');
  if (!(args.budget > 0)) throw new Error('--budget: seconds, above 0');
  return args;
}

const { size, budget, json } = parseArgs(process.argv.slice(2));
const CODES = {
  list: `sum([x*2 for x in range(10**${size})])`,
  gen: `sum(x*2 for x in range(10**${size}))`,
};

/** Both engines' peaks of both statements, from one run in the playground. */
async function playgroundPeaks(browser, url) {
  const state = {
    pyrace: 1,
    mode: 'compare',
    variants: Object.entries(CODES).map(([name, code]) => ({ name, code })),
    options: { budget },
    engines: ['cpython'],
  };
  const context = await browser.newContext({ serviceWorkers: 'block' });
  const page = await context.newPage();
  await page.goto(`${url}app/#v1.${LZString.compressToEncodedURIComponent(JSON.stringify(state))}`);
  await page.waitForSelector('.engine-status[data-status="ready"]', { timeout: 120_000 });
  await page.waitForSelector('.cpython-status[data-status="ready"]', { timeout: 180_000 });
  await runInApp(page, 120_000 + budget * 4000);
  const engines = await page.evaluate(() => ({
    rustpython: document.querySelector('.conditions:not(.cpython) dd')?.textContent ?? '',
    // The engine's name, before its run's figures.
    cpython: (document.querySelector('.conditions.cpython dd')?.textContent ?? '').split(' · ')[0],
  }));
  const cells = await page.locator('.memory-table td.peak').evaluateAll((tds) => tds.map((td) => ({
    variant: td.closest('tr').dataset.variant,
    engine: td.dataset.engine,
    peak: td.dataset.peakBytes === undefined ? null : Number(td.dataset.peakBytes),
  })));
  await context.close();
  const peaksOn = (engine) => Object.fromEntries(Object.keys(CODES).map((name) =>
    [name, cells.find((c) => c.engine === engine && c.variant === name)?.peak ?? null]));
  return { rustpython: peaksOn('rustpython'), cpython: peaksOn('cpython'), engines };
}

const server = await startServer({ isolation: true });
const browser = await launchBrowser();
try {
  const playground = await playgroundPeaks(browser, server.url);
  const bench = await openPyodideBench(browser);
  const pyodide = await bench.job('tracemalloc_peaks', { codes: CODES });
  await bench.close();
  const native = nativeJob('tracemalloc_peaks', { codes: CODES });
  const row = {
    n: 10 ** size,
    rustpython: playground.rustpython,
    cpython: playground.cpython,
    pyodide_tracemalloc: pyodide,
    native_tracemalloc: native,
  };
  if (json) {
    console.log(JSON.stringify(row));
  } else {
    const mb = (b) => (b === null || b === undefined ? 'missing' : b >= 1e5 ? `${(b / 1e6).toFixed(2)} MB` : `${b} B`);
    const ratio = (p) => (p.list !== null && p.gen > 0 ? `${Math.round(p.list / p.gen).toLocaleString('en')}×` : '–');
    console.log(`peak of one execution, net of the setup: list ${CODES.list} against gen ${CODES.gen}`);
    console.log(`engines: ${playground.engines.rustpython} · ${playground.engines.cpython} · Pyodide page: ${bench.version} · native: ${nativeVersion()}`);
    console.log(['reading'.padEnd(46), 'list'.padStart(10), 'gen'.padStart(10), 'list/gen'.padStart(10)].join(' '));
    for (const [label, p] of [
      ["RustPython in the playground (own allocator)", row.rustpython],
      ['CPython in the playground (tracemalloc)', row.cpython],
      ['plain tracemalloc, same Pyodide', row.pyodide_tracemalloc],
      ['plain tracemalloc, native CPython', row.native_tracemalloc],
    ]) {
      console.log([label.padEnd(46), mb(p.list).padStart(10), mb(p.gen).padStart(10), ratio(p).padStart(10)].join(' '));
    }
    const apart = row.cpython.list / row.pyodide_tracemalloc.list;
    console.log(`CPython engine's list peak over plain tracemalloc's on the same Pyodide: ${apart.toFixed(3)}`);
  }
} finally {
  await browser.close();
  server.close();
}
