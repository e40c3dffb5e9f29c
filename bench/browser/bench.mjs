// bench.mjs — browser engine figures, in headless Chromium on localhost
// against the real dev server:
//   1. bytes transferred for a first run, raw (no compression) and
//      compressed (gzip, as served), plus the engine's brotli size;
//   2. time from navigation to the first program output, cold cache and warm;
//   3. in-browser time of a fixed CPU workload next to the native CLI's
//      time for the same workload (ratio).
//
// usage: node bench/browser/bench.mjs   (after scripts/build-web.sh)
// PYRACE_CLI: the native CLI (default: target/release/pyrace; skipped if absent)

import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, constants } from 'node:zlib';
import { startServer, launchBrowser, repoRoot } from '../../tests/browser/harness.mjs';

/** The CPU workload: function calls, dict and set work; best of 3 in one process. */
const WORKLOAD = `
import time
def fib(n):
    return n if n < 2 else fib(n - 1) + fib(n - 2)
def mix():
    d = {i: i * i for i in range(100000)}
    s = set(range(0, 200000, 3))
    return fib(25) + sum(v for k, v in d.items() if k in s)
best = None
for _ in range(3):
    t0 = time.perf_counter()
    mix()
    t = time.perf_counter() - t0
    best = t if best is None else min(best, t)
print(f"WORKLOAD {best:.4f}")
`;

const mb = (n) => `${(n / 1e6).toFixed(2)} MB`;

async function firstRun(browser, url, { gzip }) {
  const context = await browser.newContext({
    serviceWorkers: 'block',
    extraHTTPHeaders: gzip ? {} : { 'Accept-Encoding': 'identity' },
  });
  const page = await context.newPage();
  let transferred = 0;
  const pending = [];
  const count = (request) =>
    pending.push(
      request.sizes().then(
        (s) => (transferred += s.responseBodySize + s.responseHeadersSize),
        () => {},
      ),
    );
  page.on('requestfinished', count);
  const measure = async () => {
    await page.goto(`${url}?run=${encodeURIComponent('print("first output")')}`);
    await page.evaluate(() => window.pyrace.autorun);
    return page.evaluate(() => window.pyrace.firstOutputAt);
  };
  const coldMs = await measure();
  await Promise.all(pending);
  page.off('requestfinished', count);
  const bytes = transferred;
  const warmMs = await measure();
  await context.close();
  return { bytes, coldMs, warmMs };
}

async function browserWorkload(browser, url) {
  const context = await browser.newContext({ serviceWorkers: 'block' });
  const page = await context.newPage();
  await page.goto(url);
  await page.evaluate(() => window.pyrace.ready.then(() => undefined));
  const output = await page.evaluate(async (code) => {
    await window.pyrace.runCode(code);
    return window.pyrace.events.filter((e) => e.event === 'output').map((e) => e.text).join('');
  }, WORKLOAD);
  await context.close();
  return Number(output.match(/WORKLOAD ([0-9.]+)/)?.[1]);
}

function nativeWorkload() {
  const cli = process.env.PYRACE_CLI ?? join(repoRoot, 'target/release/pyrace');
  if (!existsSync(cli)) return null;
  const file = join(mkdtempSync(join(tmpdir(), 'pyrace-bench-')), 'workload.py');
  writeFileSync(file, WORKLOAD);
  const out = execFileSync(cli, ['run', file], { encoding: 'utf8' });
  return Number(out.match(/WORKLOAD ([0-9.]+)/)?.[1]);
}

const server = await startServer({ isolation: true });
const browser = await launchBrowser();
try {
  const progress = (what) => console.error(`bench: ${what}`);
  const wasm = readFileSync(join(repoRoot, 'dist/pyrace.wasm'));
  progress('brotli');
  const brotli = brotliCompressSync(wasm, { params: { [constants.BROTLI_PARAM_QUALITY]: 9 } }).length;
  progress('first run, no compression');
  const raw = await firstRun(browser, `${server.url}engine.html`, { gzip: false });
  progress('first run, gzip');
  const gz = await firstRun(browser, `${server.url}engine.html`, { gzip: true });
  progress('CPU workload in the browser');
  const inBrowser = await browserWorkload(browser, `${server.url}engine.html`);
  progress('CPU workload, native CLI');
  const native = nativeWorkload();
  console.log(`engine module: ${mb(wasm.length)} raw, brotli (q9) ${mb(brotli)}`);
  console.log(`first run transferred: ${mb(raw.bytes)} raw, ${mb(gz.bytes)} gzip`);
  console.log(`navigation -> first output: cold ${raw.coldMs.toFixed(0)} ms (gzip ${gz.coldMs.toFixed(0)} ms), warm ${raw.warmMs.toFixed(0)} ms (gzip ${gz.warmMs.toFixed(0)} ms)`);
  console.log(`CPU workload (best of 3): browser ${inBrowser.toFixed(3)} s` +
    (native ? `, native CLI ${native.toFixed(3)} s, ratio ${(inBrowser / native).toFixed(2)}x` : ', native CLI not built (set PYRACE_CLI)'));
} finally {
  await browser.close();
  server.close();
}
