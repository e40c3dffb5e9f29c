// startup.mjs — where a cold start's time goes: for each visit in a fresh
// context (nothing cached) of engine.html with a print(...) to run, the
// milliseconds from navigation to the module compiled (compileStreaming
// resolved), to the first process's runner and all the workers it started
// before the output instantiated, and to the first output; the last span
// is the engine's own start-up (interpreter, session) and the run. Then
// Run → output of the next run, asked for at once, and of one asked for 3 s
// later. With --eager, Chromium compiles every
// wasm function before the first call (V8's lazy compilation off), which
// tells the time spent compiling the functions a start-up calls from the
// time spent running them. Headless Chromium against the dev server over
// dist/ (scripts/build-web.sh first).
//
// usage: node bench/browser/startup.mjs [--eager] [--visits N]

import { startServer, launchBrowser } from '../../tests/browser/harness.mjs';
import { coldStart } from './measure.mjs';

const args = process.argv.slice(2);
const eager = args.includes('--eager');
const visitsAt = args.indexOf('--visits');
const visits = visitsAt >= 0 ? Number(args[visitsAt + 1]) : 3;

const server = await startServer({ isolation: true });
const browser = await launchBrowser({ extraArgs: eager ? ['--js-flags=--no-wasm-lazy-compilation'] : [] });
const rows = [];
try {
  for (let i = 0; i < visits; i++) {
    rows.push(await coldStart(browser, `${server.url}engine.html`, 'print("first output")'));
  }
} finally {
  await browser.close();
  server.close();
}
const ms = (n) => `${Math.round(n)}`.padStart(8);
console.log(`cold starts of engine.html, ms from navigation${eager ? ' (wasm lazy compilation off)' : ''}`);
console.log(['compiled', 'runner', 'workers', 'output', 'engine', 'next', 'later'].map((h) => h.padStart(8)).join(''));
for (const r of rows) console.log([r.compiled, r.runner, r.workers, r.output, r.output - r.workers, r.next, r.later].map(ms).join(''));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const medians = ['compiled', 'runner', 'workers', 'output'].map((k) => median(rows.map((r) => r[k])));
console.log([...medians, median(rows.map((r) => r.output - r.workers)), median(rows.map((r) => r.next)), median(rows.map((r) => r.later))].map(ms).join(''), '  median');
console.log('engine = first output − all workers instantiated: the engine\'s start-up and the run');
console.log('next, later = ms from Run to output of the run asked for as soon as the first ended, and of one 3 s after that');
