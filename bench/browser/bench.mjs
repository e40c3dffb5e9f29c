// bench.mjs — what a visitor pays for the engine, in headless Chromium against
// the real dev server, pyrace's engine side by side with Pyodide (npm
// `pyodide`, pinned; served by the same server with brotli, as a CDN would):
//   1. bytes on the wire (CDP encodedDataLength: headers + body as sent) for
//      a first visit that runs print(...), and for a reload; the same for the
//      playground app (first visit until its engine is ready, and a reload);
//   2. time from navigation to the first output, cold (new profile) and warm
//      (a reload), on localhost and under Chromium's network emulation at
//      50 Mbit/s with 20 ms of latency; median of 3;
//   3. the module's sections, raw and brotli (q9, each on its own);
//   4. a CPU micro-mix in the browser (a fresh page's first run, and warm)
//      next to the native CLI (and CPython);
//   5. what a module the engine does not freeze costs on first import (its
//      files downloaded from localhost and compiled), in a fresh profile,
//      next to Pyodide's import of the same modules from its stdlib archive,
//      and the same import again in the next run (pyrace: another process,
//      the files from the browser's cache).
// Ratios are pyrace / Pyodide (below 1: pyrace is lighter or quicker).
//
// usage: node bench/browser/bench.mjs   (after build-web.sh and build-app.sh)
// PYRACE_CLI: the native CLI (default: $CARGO_TARGET_DIR/release/pyrace; skipped if absent)
// BENCH_REPEAT: visits per cold/warm figure (default 3)

import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, launchBrowser, launchProfile, repoRoot } from '../../tests/browser/harness.mjs';
import { recordWire, emulateNetwork } from '../../tests/browser/wire.mjs';
import { sectionTable } from '../../scripts/wasm-sections.mjs';
import { pyodideSite, pyodideVersion } from './pyodide-site.mjs';
import { figuresInFreshPage, nativeFigure } from './measure.mjs';
/** The CPU workload: function calls, dict and set work; best of 3 in one process. */
import { CPU_MIX as WORKLOAD } from './program.mjs';

const FIRST_OUTPUT = 'print("first output")';
/** Modules outside pyrace's frozen set (engine/frozen-stdlib.txt). */
const LAZY_IMPORT = `
import time
t0 = time.perf_counter()
import email.message, xml.dom.minidom, decimal
print(f"IMPORT {time.perf_counter() - t0:.4f}")
`;
/** The network of a visitor on a good home connection. */
const SLOW_NETWORK = { mbits: 50, latencyMs: 20 };
const REPEAT = Number(process.env.BENCH_REPEAT ?? 3);

const mb = (n) => (n == null ? '—' : `${(n / 1e6).toFixed(2)} MB`);
const kb = (n) => (n == null ? '—' : `${(n / 1e3).toFixed(1)} KB`);
const ms = (n) => (n == null ? '—' : `${n.toFixed(0)} ms`);
const sec = (n) => (n == null ? '—' : `${n.toFixed(3)} s`);
const ratio = (a, b) => (a == null || b == null || b === 0 ? '—' : `${(a / b).toFixed(2)}×`);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const progress = (what) => console.error(`bench: ${what}`);

/**
 * A page's visits: `global` names the page's state object (window.pyrace on
 * engine.html, window.bench on the Pyodide page), which has `autorun` (the
 * ?run= program) and `firstOutputAt`.
 */
async function visits(url, global, network) {
  const cold = [];
  const warm = [];
  let firstBytes;
  let reloadBytes;
  for (let i = 0; i < REPEAT; i++) {
    // A new profile on disk per visit: an empty cache that then caches as
    // a person's browser does (a context's in-memory cache keeps no large file).
    const profile = await launchProfile();
    const { page } = profile;
    const wire = await recordWire(page);
    if (network) await emulateNetwork(wire.session, network);
    const firstOutput = async () => {
      await page.evaluate((g) => window[g].autorun, global);
      return page.evaluate((g) => window[g].firstOutputAt, global);
    };
    await page.goto(`${url}?run=${encodeURIComponent(FIRST_OUTPUT)}`);
    cold.push(await firstOutput());
    const afterFirst = wire.responses.length;
    firstBytes = wire.bytes();
    await page.reload();
    warm.push(await firstOutput());
    reloadBytes = wire.responses.slice(afterFirst).reduce((sum, r) => sum + r.encodedDataLength, 0);
    await wire.stop();
    await profile.close();
  }
  return { cold: median(cold), warm: median(warm), firstBytes, reloadBytes };
}

/** The playground app: bytes until its engine is ready, first visit and reload. */
async function appVisit(url) {
  const profile = await launchProfile();
  const { page } = profile;
  const wire = await recordWire(page);
  const ready = () => page.waitForSelector('.engine-status[data-status="ready"]', { timeout: 120_000 });
  await page.goto(url);
  await ready();
  const afterFirst = wire.responses.length;
  const firstBytes = wire.bytes();
  await page.reload();
  await ready();
  const reload = wire.responses.slice(afterFirst);
  const reloadBytes = reload.reduce((sum, r) => sum + r.encodedDataLength, 0);
  await wire.stop();
  await profile.close();
  return { firstBytes, reloadBytes, firstRequests: afterFirst, reloadRequests: reload.length };
}

/**
 * The micro-mix in a fresh page, three runs: the first, and the best of the
 * other two (the engine's hot code optimised by then: V8 compiles a wasm
 * function with its baseline compiler first and optimises it once it runs
 * hot, in the background).
 */
async function browserWorkload(browser, url, global) {
  const [first, ...later] = await figuresInFreshPage(browser, url, global, [WORKLOAD, WORKLOAD, WORKLOAD], 'WORKLOAD');
  return { first, warm: Math.min(...later) };
}

const nativeWorkload = (command, args) => nativeFigure(command, args, WORKLOAD, 'WORKLOAD');

const manifest = JSON.parse(readFileSync(join(repoRoot, 'dist/engine.json'), 'utf8'));
const wasmPath = join(repoRoot, 'dist', manifest.wasm);
const wasm = readFileSync(wasmPath);
const pyodideDir = pyodideSite();
const cli = process.env.PYRACE_CLI ?? join(process.env.CARGO_TARGET_DIR ?? join(repoRoot, 'target'), 'release/pyrace');

const server = await startServer({ isolation: true });
const pyodideServer = pyodideDir ? await startServer({ isolation: true, dir: pyodideDir }) : null;
const browser = await launchBrowser();
const rows = [];
const row = (what, pyrace, pyodide, format) => rows.push([what, format(pyrace), format(pyodide), ratio(pyrace, pyodide)]);
try {
  const engines = [['pyrace', `${server.url}engine.html`, 'pyrace'], ['pyodide', pyodideServer && `${pyodideServer.url}index.html`, 'bench']];
  const result = { pyrace: {}, pyodide: {} };
  for (const [name, url, global] of engines) {
    if (!url) continue;
    progress(`${name}: visits on localhost`);
    result[name].local = await visits(url, global, null);
    progress(`${name}: visits at ${SLOW_NETWORK.mbits} Mbit/s, ${SLOW_NETWORK.latencyMs} ms`);
    result[name].slow = await visits(url, global, SLOW_NETWORK);
    progress(`${name}: CPU micro-mix in the browser`);
    result[name].cpu = await browserWorkload(browser, url, global);
    progress(`${name}: first import of modules pyrace does not freeze`);
    [result[name].lazyFirst, result[name].lazyAgain] = await figuresInFreshPage(browser, url, global, [LAZY_IMPORT, LAZY_IMPORT], 'IMPORT');
  }
  progress('the playground app');
  const app = existsSync(join(repoRoot, 'dist/app/index.html')) ? await appVisit(`${server.url}app/`) : null;
  progress('CPU micro-mix, native');
  const native = nativeWorkload(cli, ['run']);
  const cpython = nativeWorkload('python3', []);

  const p = result.pyrace;
  const q = result.pyodide;
  row('first visit, bytes on the wire (to first output)', p.local?.firstBytes, q.local?.firstBytes, mb);
  row('reload, bytes on the wire', p.local?.reloadBytes, q.local?.reloadBytes, kb);
  row('cold first output, localhost', p.local?.cold, q.local?.cold, ms);
  row('warm first output (reload), localhost', p.local?.warm, q.local?.warm, ms);
  row(`cold first output, ${SLOW_NETWORK.mbits} Mbit/s ${SLOW_NETWORK.latencyMs} ms`, p.slow?.cold, q.slow?.cold, ms);
  row(`warm first output, ${SLOW_NETWORK.mbits} Mbit/s ${SLOW_NETWORK.latencyMs} ms`, p.slow?.warm, q.slow?.warm, ms);
  row('CPU micro-mix in Chromium, first run in the page (best of 3)', p.cpu?.first, q.cpu?.first, sec);
  row('CPU micro-mix in Chromium, warm (best of 3, 2nd and 3rd runs)', p.cpu?.warm, q.cpu?.warm, sec);
  row('CPU micro-mix native (pyrace CLI | CPython)', native, cpython, sec);
  row('import email.message, xml.dom.minidom, decimal: first', p.lazyFirst, q.lazyFirst, sec);
  row('the same import in the next run (Pyodide: already imported)', p.lazyAgain, q.lazyAgain, sec);

  console.log(`pyrace ${manifest.wasm} vs Pyodide ${pyodideDir ? pyodideVersion() : '(not installed: npm ci)'}; median of ${REPEAT} visits`);
  const widths = [0, 1, 2, 3].map((i) => Math.max(...[['', 'pyrace', 'Pyodide', 'pyrace/Pyodide'], ...rows].map((r) => r[i].length)));
  const line = (r) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  console.log(line(['', 'pyrace', 'Pyodide', 'pyrace/Pyodide']));
  for (const r of rows) console.log(line(r));
  if (p.cpu && native) console.log(`pyrace in Chromium vs native pyrace CLI: ${ratio(p.cpu.warm, native)} warm, ${ratio(p.cpu.first, native)} first run`);
  if (q.cpu && cpython) console.log(`Pyodide in Chromium vs native CPython: ${ratio(q.cpu.warm, cpython)} warm, ${ratio(q.cpu.first, cpython)} first run`);
  // Chromium reports no size for the scripts that start workers (wire.mjs).
  const workerBytes = Object.values(manifest.workers ?? {}).map((f) => join(repoRoot, 'dist', `${f}.br`)).filter(existsSync).reduce((sum, f) => sum + statSync(f).size, 0);
  console.log(`not in pyrace's first visit above: its worker scripts, ${kb(workerBytes)} brotli, fetched once each (then from the cache)`);
  if (app) {
    console.log(`playground app/: first visit ${mb(app.firstBytes)} in ${app.firstRequests} responses; reload ${kb(app.reloadBytes)} in ${app.reloadRequests} responses`);
  }

  const br = existsSync(`${wasmPath}.br`) ? statSync(`${wasmPath}.br`).size : null;
  const gz = existsSync(`${wasmPath}.gz`) ? statSync(`${wasmPath}.gz`).size : null;
  console.log(`\npyrace module: ${mb(wasm.length)} raw, ${mb(gz)} gzip -9, ${mb(br)} brotli q11 (as served)`);
  const modules = [['pyrace', wasm]];
  if (pyodideDir) modules.push(['Pyodide', readFileSync(join(pyodideDir, 'pyodide.asm.wasm'))]);
  for (const [name, bytes] of modules) {
    progress(`sections of ${name}`);
    for (const s of sectionTable(bytes)) {
      console.log(`  ${name.padEnd(8)} ${s.name.padEnd(20)} ${mb(s.raw).padStart(9)} raw ${mb(s.brotli).padStart(9)} brotli`);
    }
  }
} finally {
  await browser.close();
  server.close();
  pyodideServer?.close();
}
