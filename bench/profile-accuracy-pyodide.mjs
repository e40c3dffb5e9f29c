// profile-accuracy-pyodide.mjs — the CPython engine's profiler against the
// truth and against cProfile on the engine's own interpreter: Pyodide (the
// npm package the page serves, the same wasm) run in Node, with
// pyrace's tracer (engine/python/pyrace_profiler.py, sys.monitoring on
// CPython 3.12+) as the page runs it, hook cost left in, and as the native
// CLI runs it, hook cost calibrated and taken out.
//
// For each program of bench/profile-programs/ (run through `main()`):
// - the true top line of `main` and each function's true share of `main`:
//   `main`'s lines timed with only `main`'s own code carrying events
//   (sys.monitoring's local events), so the functions it calls run at full
//   speed — the share of a function called alone on a line of `main`,
//   each line's best of five runs (bench/profile_truth.py);
// - cProfile's cumulative share of `main`, on the same interpreter;
// - pyrace's share (its call tree, a frame counted once per stack) and
//   the top line of `main` in its line view, with and without the
//   calibration, each the median of --repeats runs.
// bench/profile-accuracy.py is the same against line_profiler natively.
//
// usage: node bench/profile-accuracy-pyodide.mjs [--repeats N]

import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadPyodide } from 'pyodide';
import { repoRoot } from '../tests/browser/harness.mjs';

const at = process.argv.indexOf('--repeats');
const repeats = at > 0 ? Number(process.argv[at + 1]) : 5;
const programs = join(repoRoot, 'bench', 'profile-programs');

const pyodide = await loadPyodide();
pyodide.FS.writeFile('/home/pyodide/pyrace_profiler.py', readFileSync(join(repoRoot, 'engine', 'python', 'pyrace_profiler.py')));
pyodide.FS.writeFile('/home/pyodide/profile_truth.py', readFileSync(join(repoRoot, 'bench', 'profile_truth.py')));

// Runs in Pyodide: the figures of one program, as JSON.
const MEASURE = String.raw`
import json, statistics, sys
sys.path.insert(0, "/home/pyodide")
import profile_truth

def measure(path, repeats):
    source = open(path).read()
    untraced = profile_truth.untraced_main(path, source)
    truth_lines = untraced["lines"]
    truth = profile_truth.main_shares(untraced)
    cprofile = profile_truth.cumulative_shares(profile_truth.cumulative(path, source))
    main_def, _calls = profile_truth.main_calls(source)
    body = range(main_def.lineno + 1, main_def.end_lineno + 1)
    out = {"truth": truth, "truth_top": max(truth_lines, key=truth_lines.get), "cprofile": cprofile}
    for label, calibrated in (("page", False), ("calibrated", True)):
        runs = [profile_truth.traced(path, source, calibrated) for _ in range(repeats)]
        keys = set().union(*(r[0] for r in runs))
        out[label] = {k: statistics.median(r[0].get(k, 0.0) for r in runs) for k in keys}
        line_keys = set().union(*(r[1] for r in runs))
        lines = {k: statistics.median(r[1].get(k, 0.0) for r in runs) for k in line_keys}
        main_lines = {k: v for k, v in lines.items() if k in body}
        out[label + "_top"] = max(main_lines, key=main_lines.get) if main_lines else None
        out[label + "_totals"] = [r[2] for r in runs]
    return json.dumps(out)
`;
pyodide.runPython(MEASURE);
const measure = pyodide.globals.get('measure');

console.log(`pyrace's tracer on CPython ${pyodide.runPython('import sys; sys.version.split()[0]')} (Pyodide ${pyodide.version}, Node ${process.version}), medians of ${repeats} runs`);
const fmt = (x) => (x == null ? '-' : x.toFixed(1));
const rows = [];
const tops = { page: 0, calibrated: 0 };
const files = readdirSync(programs).filter((f) => f.endsWith('.py')).sort();
pyodide.FS.mkdirTree(programs);
for (const file of files) pyodide.FS.writeFile(join(programs, file), readFileSync(join(programs, file)));
// One pass over every program first, its figures dropped: what a fresh
// Pyodide runs first runs in V8's baseline code.
for (const file of files) measure(join(programs, file), 1);
// "work left": each calibrated run's time after the hooks' cost is taken
// out, over the median run as the page traces it (hooks' cost in); a run
// that reads as nothing is one whose calibration came out at or above the
// program's own time per hook.
console.log(`\n${'program'.padEnd(12)} ${'true top'.padStart(9)} ${'page top'.padStart(9)} ${'calibrated top'.padStart(15)}  work left after the correction`);
for (const file of files) {
  const path = join(programs, file);
  const r = JSON.parse(measure(path, repeats));
  tops.page += r.page_top === r.truth_top;
  tops.calibrated += r.calibrated_top === r.truth_top;
  const traced = [...r.page_totals].sort((a, b) => a - b)[r.page_totals.length >> 1];
  const left = r.calibrated_totals.map((t) => (100 * t) / traced);
  const none = left.filter((x) => x < 0.5).length;
  console.log(`${file.padEnd(12)} ${('line ' + r.truth_top).padStart(9)} ${('line ' + r.page_top).padStart(9)} ${('line ' + r.calibrated_top).padStart(15)}  ${Math.min(...left).toFixed(0)}–${Math.max(...left).toFixed(0)} %${none ? `, ${none} of ${left.length} runs read as nothing` : ''}`);
  for (const [fn, truth] of Object.entries(r.truth)) {
    rows.push({ file, fn, truth, cprofile: r.cprofile[fn], page: r.page[fn], calibrated: r.calibrated[fn] });
  }
}
console.log(`top line of main agrees with the untraced one: page ${tops.page}/${files.length}, calibrated ${tops.calibrated}/${files.length}`);
console.log(`\ninclusive share of main() (%): a function called alone on a line of main`);
console.log(`${'program'.padEnd(12)} ${'function'.padEnd(14)} ${'untraced'.padStart(9)} ${'cProfile'.padStart(9)} ${'page'.padStart(7)} ${'calibrated'.padStart(11)}`);
const close = { cprofile: 0, page: 0, calibrated: 0 };
const nearCprofile = { page: 0, calibrated: 0 };
for (const row of rows) {
  for (const key of Object.keys(close)) close[key] += row[key] != null && Math.abs(row[key] - row.truth) <= 10;
  for (const key of Object.keys(nearCprofile)) nearCprofile[key] += row[key] != null && row.cprofile != null && Math.abs(row[key] - row.cprofile) <= 10;
  console.log(`${row.file.padEnd(12)} ${row.fn.padEnd(14)} ${fmt(row.truth).padStart(9)} ${fmt(row.cprofile).padStart(9)} ${fmt(row.page).padStart(7)} ${fmt(row.calibrated).padStart(11)}`);
}
console.log(`within 10 points of untraced: cProfile ${close.cprofile}/${rows.length}, page ${close.page}/${rows.length}, calibrated ${close.calibrated}/${rows.length}`);
console.log(`within 10 points of cProfile: page ${nearCprofile.page}/${rows.length}, calibrated ${nearCprofile.calibrated}/${rows.length}`);
