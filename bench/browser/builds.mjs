// builds.mjs — builds of the browser engine side by side, in one run, to
// judge a build choice (linker settings, wasm-opt, memory, flags) by what it
// does to speed and start-up rather than by its size alone. For each dist/
// directory given (scripts/build-web.sh's output, copied aside): a fresh
// page's CPU micro-mix (the first run, and the best of the next two) and a
// cold start of engine.html (ms from navigation to the module compiled,
// every worker of the first process instantiated, and the first output).
// Rounds interleave the builds, each round in another order, so that the
// machine's load falls on every build alike; each round also runs the
// micro-mix on the native CLI. Prints medians, each build's ratio to the
// first, and browser / native.
//
// usage: node bench/browser/builds.mjs [--rounds N] DIST [DIST…]
// PYRACE_CLI: the native CLI (default: $CARGO_TARGET_DIR/release/pyrace)

import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { startServer, launchBrowser, repoRoot } from '../../tests/browser/harness.mjs';
import { CPU_MIX } from './program.mjs';
import { coldStart, figuresInFreshPage, nativeFigure } from './measure.mjs';

const args = process.argv.slice(2);
const roundsAt = args.indexOf('--rounds');
const rounds = roundsAt >= 0 ? Number(args[roundsAt + 1]) : 5;
const dists = args.filter((a, i) => !a.startsWith('--') && !(roundsAt >= 0 && i === roundsAt + 1)).map((d) => resolve(d));
if (dists.length === 0 || !(rounds > 0)) {
  console.error('usage: node bench/browser/builds.mjs [--rounds N] DIST [DIST…]');
  process.exit(2);
}
const cli = process.env.PYRACE_CLI ?? join(process.env.CARGO_TARGET_DIR ?? join(repoRoot, 'target'), 'release/pyrace');

const median = (xs) => {
  const s = xs.filter(Number.isFinite).sort((a, b) => a - b);
  return s.length ? s[Math.floor(s.length / 2)] : NaN;
};

const builds = [];
const browser = await launchBrowser();
try {
  for (const dir of dists) {
    const manifest = JSON.parse(readFileSync(join(dir, 'engine.json'), 'utf8'));
    const server = await startServer({ isolation: true, dir });
    builds.push({ dir, manifest, server, first: [], warm: [], compiled: [], workers: [], output: [] });
  }
  const native = [];
  for (let round = 0; round < rounds; round++) {
    for (let k = 0; k < builds.length; k++) {
      const b = builds[(round + k) % builds.length];
      const url = `${b.server.url}engine.html`;
      console.error(`builds: round ${round + 1}/${rounds}, ${b.dir}`);
      const [first, ...later] = await figuresInFreshPage(browser, url, 'pyrace', [CPU_MIX, CPU_MIX, CPU_MIX], 'WORKLOAD');
      b.first.push(first);
      b.warm.push(Math.min(...later));
      const start = await coldStart(browser, url, 'print("first output")');
      b.compiled.push(start.compiled);
      b.workers.push(start.workers);
      b.output.push(start.output);
    }
    native.push(nativeFigure(cli, ['run'], CPU_MIX, 'WORKLOAD'));
  }

  const nativeMedian = median(native);
  const base = builds[0];
  const rows = [['build', 'memory pages', 'mix first s', 'mix warm s', 'warm/native', 'compiled ms', 'workers ms', 'output ms', 'output/first build']];
  for (const b of builds) {
    const m = b.manifest.memory;
    rows.push([
      `${b.dir} (${b.manifest.wasm})`,
      `${m.initial}..${m.maximum}`,
      median(b.first).toFixed(3),
      median(b.warm).toFixed(3),
      `${(median(b.warm) / nativeMedian).toFixed(2)}×`,
      median(b.compiled).toFixed(0),
      median(b.workers).toFixed(0),
      median(b.output).toFixed(0),
      `${(median(b.output) / median(base.output)).toFixed(2)}×`,
    ]);
  }
  console.log(`medians of ${rounds} rounds; native CLI micro-mix ${nativeMedian.toFixed(3)} s (${native.map((x) => x?.toFixed(3)).join(', ')})`);
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  for (const r of rows) console.log(r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  '));
  for (const b of builds) {
    console.log(`${b.dir}: mix first ${b.first.map((x) => x.toFixed(3)).join(' ')} | warm ${b.warm.map((x) => x.toFixed(3)).join(' ')} | output ms ${b.output.map((x) => x.toFixed(0)).join(' ')}`);
  }
} finally {
  await browser.close();
  for (const b of builds) b.server.close();
}
