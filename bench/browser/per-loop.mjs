// per-loop.mjs — where the CPython engine's per-loop time of a statement
// parts from `timeit`'s on the same Pyodide, one step of pyrace's method at
// a time, the steps' samples interleaved in one worker: `timeit` itself;
// pyrace's timing function with the statement once per loop iteration
// (the same template as timeit's: a difference here is the harness);
// written out `unroll` times per iteration, per execution (what pyrace
// times for a statement whose first execution is under 20 µs: the loop's
// own cost is shared by the copies, and the copies run as straight-line
// code); and that net of the empty loop's share, as pyrace reports it.
// The same natively (the machine's CPython) as the control.
//
// usage: node bench/browser/per-loop.mjs [--pairs FILE] [--only ID,ID] [--repeat N] [--json]
//   --pairs   pairs file (default bench/browser/engine-pairs.json)
//   --only    these pairs' ids
//   --repeat  samples per step (default 15), each as long as timeit's autorange (≥ 0.2 s)
//   --json    one line per pair and where, method_bench.per_loop_parts's reply
// PYTHON: the native CPython (default python3).

import { readFileSync } from 'node:fs';
import { launchBrowser, repoRoot } from '../../tests/browser/harness.mjs';
import { openPyodideBench } from './pyodide/page.mjs';
import { nativeJob, nativeVersion, specOf } from './pyodide/jobs.mjs';

function parseArgs(argv) {
  const args = { pairs: `${repoRoot}bench/browser/engine-pairs.json`, only: null, repeat: 15, json: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--pairs') args.pairs = argv[++i];
    else if (a === '--only') args.only = argv[++i].split(',');
    else if (a === '--repeat') args.repeat = Number(argv[++i]);
    else if (a === '--json') args.json = true;
    else throw new Error(`unknown argument ${a} (see the usage at the top of this file)`);
  }
  return args;
}

const args = parseArgs(process.argv.slice(2));
const pairs = JSON.parse(readFileSync(args.pairs, 'utf8')).filter((p) => !args.only || args.only.includes(p.id));
const browser = await launchBrowser();
let bench = null;
const ns = (x) => (x * 1e9 >= 1000 ? `${(x * 1e6).toPrecision(3)} µs` : `${(x * 1e9).toPrecision(3)} ns`);
const f = (x) => x.toFixed(2);
try {
  bench = await openPyodideBench(browser);
  if (!args.json) {
    console.log(`Pyodide: ${bench.version}; native: ${nativeVersion()}; ${args.repeat} samples per step`);
    console.log('per loop, medians; ×: over timeit\'s best (what a timeit user reads); "loop": the empty loop per iteration');
    console.log(['pair/variant'.padEnd(24), 'where'.padEnd(8), 'timeit best', 'timeit med', 'once', 'unrolled', 'net (pyrace)', 'loop', 'unroll'].join('  '));
  }
  for (const pair of pairs) {
    const job = { spec: specOf(pair, 1), repeat: args.repeat };
    for (const where of ['pyodide', 'native']) {
      const reply = where === 'pyodide' ? await bench.job('per_loop_parts', job) : nativeJob('per_loop_parts', job);
      if (args.json) {
        console.log(JSON.stringify({ id: pair.id, where, ...reply }));
        continue;
      }
      for (const [name, v] of Object.entries(reply.variants)) {
        const best = v.timeit.best;
        const cell = (x) => `${ns(x)} ${f(x / best)}×`.padStart(16);
        const unroll = `${v.unroll}${v.unrolled_by_rule ? ' (on)' : ' (off)'}`;
        console.log([`${pair.id}/${name}`.padEnd(24), where.padEnd(8), ns(best).padStart(11), cell(v.timeit.median), cell(v.once.median), cell(v.unrolled.median), cell(v.net.median), ns(reply.empty_loop).padStart(9), unroll].join('  '));
      }
    }
  }
} finally {
  // The page's server too: left open, it keeps node running.
  await bench?.close();
  await browser.close();
}
