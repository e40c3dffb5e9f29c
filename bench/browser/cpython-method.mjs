// cpython-method.mjs — why pyrace's CPython engine and `timeit` can read the
// same statements differently on one interpreter: pyrace's reference
// harness (engine/python/reference_harness.py, what the CPython engine runs)
// under its method with one factor switched at a time, beside `timeit` on
// the same Pyodide in the same page, and the same natively (the machine's
// CPython) as the control. Factors: the collector during samples, the
// per-sample message to the page, the JSPI call the engine's worker makes,
// interleaved vs blocked order, unrolling; the baseline subtraction is read
// from the same samples, gross and net.
//
// usage: node bench/browser/cpython-method.mjs [--pairs FILE] [--budget S]
//          [--rounds R] [--only ID,ID] [--factors NAME,NAME] [--json]
//   --pairs    pairs file (default bench/browser/engine-pairs.json)
//   --budget   seconds per harness run (default 3)
//   --rounds   times the whole set is measured, in a new order each time (default 1)
//   --factors  which configurations (default all; see CONFIGS)
//   --json     one line per pair and configuration
// Each pair's timing functions come from model/examples/reference_spec.rs
// (pyodide/jobs.mjs).
// PYTHON: the native CPython (default python3).

import { readFileSync } from 'node:fs';
import { launchBrowser, repoRoot } from '../../tests/browser/harness.mjs';
import { openPyodideBench } from './pyodide/page.mjs';
import { nativeJob, nativeVersion, specOf } from './pyodide/jobs.mjs';

/** The method as it was: the collector on, one warm-up round, the order turning every round. */
const OLD = { gc: true, warmup: 'rounds', blocks: false };

/**
 * "before": the method as it was (the collector on during samples), and
 * from it one factor switched at a time; "method": pyrace's method now
 * (reference_harness.METHOD).
 */
export const CONFIGS = {
  before: { method: OLD, stream: true, jspi: true },
  'gc off': { method: { ...OLD, gc: false }, stream: true, jspi: true },
  'no stream': { method: OLD, stream: false, jspi: true },
  'no jspi': { method: OLD, stream: true, jspi: false },
  blocked: { method: { ...OLD, order: 'blocked' }, stream: true, jspi: true },
  'no unroll': { method: { ...OLD, unroll: false }, stream: true, jspi: true },
  settled: { method: { ...OLD, warmup: 'settled' }, stream: true, jspi: true },
  blocks: { method: { ...OLD, blocks: true }, stream: true, jspi: true },
  method: { method: {}, stream: true, jspi: true },
};

function parseArgs(argv) {
  const args = { pairs: `${repoRoot}bench/browser/engine-pairs.json`, budget: 3, rounds: 1, only: null, factors: Object.keys(CONFIGS), json: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--pairs') args.pairs = argv[++i];
    else if (a === '--budget') args.budget = Number(argv[++i]);
    else if (a === '--rounds') args.rounds = Number(argv[++i]);
    else if (a === '--only') args.only = argv[++i].split(',');
    else if (a === '--factors') args.factors = argv[++i].split(',');
    else if (a === '--json') args.json = true;
    else throw new Error(`unknown argument ${a} (see the usage at the top of this file)`);
  }
  for (const f of args.factors) if (!CONFIGS[f]) throw new Error(`no configuration ${f}: ${Object.keys(CONFIGS).join(', ')}`);
  return args;
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

function shuffle(xs) {
  for (let i = xs.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [xs[i], xs[j]] = [xs[j], xs[i]];
  }
  return xs;
}

const args = parseArgs(process.argv.slice(2));
const pairs = JSON.parse(readFileSync(args.pairs, 'utf8')).filter((p) => !args.only || args.only.includes(p.id));
const specs = new Map(pairs.map((p) => [p.id, specOf(p, args.budget)]));
const browser = await launchBrowser();
const results = new Map(); // `${id}\t${where}\t${config}` -> [{slow, fast, ratio}]
const keep = (key, value) => results.set(key, [...(results.get(key) ?? []), value]);
let bench = null;
try {
  bench = await openPyodideBench(browser);
  const { version } = bench;
  const inPage = (fn, job, jspi) => bench.job(fn, job, jspi);
  if (!args.json) console.error(`Pyodide: ${version}; native: ${nativeVersion()}; budget ${args.budget} s; ${args.rounds} round(s)`);

  for (let round = 0; round < args.rounds; round++) {
    for (const pair of shuffle([...pairs])) {
      const spec = specs.get(pair.id);
      const tasks = [];
      for (const name of args.factors) {
        const c = CONFIGS[name];
        const job = { spec, method: c.method, budget: args.budget, stream: c.stream };
        tasks.push(['pyodide', name, () => inPage('harness', job, c.jspi)]);
        // Natively there is no page to stream to and no JSPI: those two are the method itself.
        if (c.stream && c.jspi) tasks.push(['native', name, async () => nativeJob('harness', job)]);
      }
      for (const where of ['pyodide', 'native']) {
        tasks.push([where, 'timeit', async () => {
          const per = {};
          for (const [name, code] of [pair.slow, pair.fast]) {
            const job = { code, setup: pair.setup ?? '' };
            per[name] = where === 'pyodide' ? await inPage('timeit_per_loop', job, true) : nativeJob('timeit_per_loop', job);
          }
          return { figures: { [pair.slow[0]]: { net: per[pair.slow[0]] }, [pair.fast[0]]: { net: per[pair.fast[0]] } } };
        }]);
      }
      for (const [where, config, run] of shuffle(tasks)) {
        const { figures } = await run();
        const slow = figures[pair.slow[0]];
        const fast = figures[pair.fast[0]];
        // Harness runs: the median of per-round ratios (pyrace's pairing);
        // timeit: the ratio of its two best per-loop times.
        const paired = slow.net_series ? median(slow.net_series.slice(0, fast.net_series.length).map((x, i) => x / fast.net_series[i])) : slow.net / fast.net;
        const value = { slow: slow.net, fast: fast.net, ratio: paired, slowGross: slow.gross, fastGross: fast.gross, iqr: Math.max(slow.iqr_share ?? 0, fast.iqr_share ?? 0) };
        keep(`${pair.id}\t${where}\t${config}`, value);
        if (args.json) console.log(JSON.stringify({ id: pair.id, where, config, round, ...value }));
      }
    }
  }
} finally {
  // The page's server too: left open, it keeps node running.
  await bench?.close();
  await browser.close();
}

if (!args.json) {
  const m = (key, field) => median((results.get(key) ?? []).map((r) => r[field]));
  const f = (x) => (Number.isFinite(x) ? (x >= 100 ? x.toFixed(0) : x.toFixed(2)) : '—');
  const ms = (x) => (Number.isFinite(x) ? (x * 1e3).toPrecision(3) : '—');
  const configs = args.factors;
  console.log('\nratio slow/fast (median over rounds); "/timeit" = how far the per-loop times stand from timeit on the same Pyodide (worst of the two variants)');
  console.log(['pair'.padEnd(14), 'native timeit'.padStart(13), 'Pyodide timeit'.padStart(14), ...configs.map((c) => c.padStart(11)), ...configs.map((c) => `${c} /timeit`.padStart(16))].join(' '));
  const within = Object.fromEntries(configs.map((c) => [c, { ratio: 0, perLoop: 0, native: 0 }]));
  let timeitWithin = 0;
  for (const pair of pairs) {
    const key = (where, c) => `${pair.id}\t${where}\t${c}`;
    const nativeRatio = m(key('native', 'timeit'), 'ratio');
    const timeitRatio = m(key('pyodide', 'timeit'), 'ratio');
    if (Math.max(timeitRatio / nativeRatio, nativeRatio / timeitRatio) <= 1.5) timeitWithin += 1;
    const cells = configs.map((c) => f(m(key('pyodide', c), 'ratio')));
    const offs = configs.map((c) => {
      const off = Math.max(...['slow', 'fast'].map((v) => {
        const x = m(key('pyodide', c), v) / m(key('pyodide', 'timeit'), v);
        return Math.max(x, 1 / x);
      }));
      const r = m(key('pyodide', c), 'ratio');
      if (off <= 1.25) within[c].perLoop += 1;
      if (Math.max(r / timeitRatio, timeitRatio / r) <= 1.25) within[c].ratio += 1;
      if (Math.max(r / nativeRatio, nativeRatio / r) <= 1.5) within[c].native += 1;
      return f(off);
    });
    console.log([pair.id.padEnd(14), f(nativeRatio).padStart(13), f(timeitRatio).padStart(14), ...cells.map((c) => c.padStart(11)), ...offs.map((c) => c.padStart(16))].join(' '));
  }
  console.log(`\nper-loop times of both variants within 1.25× of Pyodide's timeit / ratio within 1.25× of Pyodide's timeit / ratio within 1.5× of native timeit (timeit itself: ${timeitWithin} of ${pairs.length}):`);
  for (const c of configs) console.log(`  ${c.padEnd(10)} ${within[c].perLoop} / ${within[c].ratio} / ${within[c].native} of ${pairs.length}`);
  console.log('\nnative control (the same harness on the machine\'s CPython), ratio:');
  for (const pair of pairs) {
    const row = configs.filter((c) => results.has(`${pair.id}\tnative\t${c}`)).map((c) => `${c} ${f(m(`${pair.id}\tnative\t${c}`, 'ratio'))}`);
    console.log(`  ${pair.id.padEnd(14)} ${row.join('  ')}`);
  }
  console.log('\nbaseline subtraction (Pyodide, before): ratio of gross medians vs net');
  for (const pair of pairs) {
    const k = `${pair.id}\tpyodide\tbefore`;
    if (!results.has(k)) continue;
    console.log(`  ${pair.id.padEnd(14)} gross ${f(m(k, 'slowGross') / m(k, 'fastGross'))}  net ${f(m(k, 'slow') / m(k, 'fast'))}  (fast: ${ms(m(k, 'fastGross'))} ms gross, ${ms(m(k, 'fast'))} ms net)`);
  }
}
