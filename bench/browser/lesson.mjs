// lesson.mjs — a lesson's timings in headless Chromium, as the playground's
// Time programs / Compare runs them, next to the native CLI's for the same
// lesson (`pyrace lesson`), one run each: the figures a lesson's prose
// quotes for "this engine" are the browser's.
//
// With --drift, every lesson (or the ones named) runs once in the browser
// only, and the bench counts the panes (a lesson's variants) whose figures
// carry a drift warning: times that still fell, or rose, after the warm-up.
// With --drift --native the same lessons run in the native CLI instead, the
// same method and analysis with no browser and no JIT: the control that
// says how much of the drift is the machine's own.
//
// usage: node bench/browser/lesson.mjs lessons/cpu-threads.md [more.md …]
//        node bench/browser/lesson.mjs --drift [--native] [LESSON.md …]
//   (after scripts/build-web.sh; PYRACE_CLI: the native CLI, default
//   $CARGO_TARGET_DIR/release/pyrace, skipped if absent)

import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, launchBrowser, openPlayground, repoRoot } from '../../tests/browser/harness.mjs';
import { lessonRequest } from './lesson-request.mjs';

const format = (s) => (s >= 1 ? `${s.toFixed(2)} s` : s >= 1e-3 ? `${(s * 1e3).toFixed(1)} ms` : `${(s * 1e6).toFixed(1)} µs`);

/** One browser run of the lesson: its `result` event, or the failures. */
async function browserRun(page, request) {
  const { events, status } = await page.evaluate(async (request) => {
    const engine = await window.pyrace.ready;
    await engine.ready;
    const events = [];
    const end = await engine.run(request, (e) => events.push(e));
    return { events, status: end.status };
  }, request);
  const failures = events.filter((e) => e.event === 'error' || e.event === 'variant_error');
  if (failures.length) return { error: failures.map((e) => `${e.variant ?? ''} ${e.error.exc_type}: ${e.error.message}`).join('; '), status };
  return { result: events.find((e) => e.event === 'result'), status };
}

/** Medians by variant of one browser run of the lesson (the last size of a sweep). */
async function browserFigures(page, request) {
  const run = await browserRun(page, request);
  return run.error ? run : mediansOf(run.result, run.status);
}

/** Per variant, the median time of a `result` event (at the largest size of a sweep). */
function mediansOf(result, status) {
  if (!result) return { error: `no result (${status})` };
  const { variants, sweep } = result.comparison;
  if (sweep?.length) return { medians: Object.fromEntries(sweep.map((s) => [s.name, s.points.at(-1)?.median])) };
  return { medians: Object.fromEntries(variants.map((v) => [v.name, v.time.median])) };
}

/** The native CLI (`pyrace request`): PYRACE_CLI, else the release build, or null when absent. */
function nativeCli() {
  const cli = process.env.PYRACE_CLI ?? join(process.env.CARGO_TARGET_DIR ?? join(repoRoot, 'target'), 'release', 'pyrace');
  return existsSync(cli) ? cli : null;
}

/** One native run of the same request: its `result` event, or the failures. */
function nativeRun(cli, request) {
  const out = execFileSync(cli, ['request'], { input: JSON.stringify(request), encoding: 'utf8', maxBuffer: 64 << 20 });
  const events = out.split('\n').flatMap((l) => {
    try {
      return [JSON.parse(l)];
    } catch {
      return [];
    }
  });
  const failures = events.filter((e) => e.event === 'error' || e.event === 'variant_error');
  if (failures.length) return { error: failures.map((e) => `${e.variant ?? ''} ${e.error.exc_type}: ${e.error.message}`).join('; ') };
  return { result: events.find((e) => e.event === 'result'), status: 'native' };
}

/** Medians by variant of one native run of the same request, or null without a CLI. */
function nativeFigures(request) {
  const cli = nativeCli();
  if (!cli) return null;
  const run = nativeRun(cli, request);
  return run.error ? run : mediansOf(run.result, run.status);
}

/**
 * Runs every file once through `run` (the browser's engine or the native
 * CLI); prints each pane with a drift warning and the count.
 */
async function countDrift(run, files) {
  let panes = 0;
  let drifting = 0;
  // Every other kind of warning too: a count of zero drift is only worth
  // something from a run whose warnings were read at all.
  const others = new Map();
  for (const file of files) {
    const request = lessonRequest(readFileSync(file, 'utf8'));
    if (request.mode === 'run') {
      console.log(`${file} (run): a program run once, not timed in rounds: skipped`);
      continue;
    }
    const ran = await run(request);
    if (ran.error || !ran.result) {
      console.log(`${file}: failed: ${ran.error ?? `no result (${ran.status})`}`);
      continue;
    }
    const all = ran.result.comparison.warnings ?? [];
    const warnings = all.filter((w) => w.kind === 'drift');
    const rest = all.filter((w) => w.kind !== 'drift').map((w) => w.kind);
    for (const kind of rest) others.set(kind, (others.get(kind) ?? 0) + 1);
    const names = new Set(warnings.map((w) => w.variant));
    panes += request.variants.length;
    drifting += names.size;
    console.log(`${file} (${request.mode}, budget ${request.options.budget} s): ${names.size} of ${request.variants.length} panes drift${rest.length ? ` (also: ${rest.join(', ')})` : ''}`);
    for (const w of warnings) console.log(`  ${w.message}`);
  }
  console.log(`\npanes with a drift warning: ${drifting} of ${panes}, in ${files.length} lessons`);
  const kinds = [...others].map(([kind, count]) => `${kind} ${count}`).join(', ');
  console.log(`other warnings: ${kinds || 'none'}`);
}

const args = process.argv.slice(2);
const drift = args[0] === '--drift';
const native = drift && args[1] === '--native';
const named = drift ? args.slice(native ? 2 : 1) : args;
const files = drift && named.length === 0
  ? readdirSync(join(repoRoot, 'lessons')).filter((f) => f.endsWith('.md')).sort().map((f) => join(repoRoot, 'lessons', f))
  : named;
if (files.length === 0) {
  console.error('usage: node bench/browser/lesson.mjs LESSON.md … | --drift [--native] [LESSON.md …]');
  process.exit(2);
}
if (native) {
  const cli = nativeCli();
  if (!cli) {
    console.error('lesson.mjs: --native needs the CLI (cargo build --release -p pyrace-engine, or PYRACE_CLI)');
    process.exit(2);
  }
  await countDrift((request) => nativeRun(cli, request), files);
  process.exit(0);
}
const server = await startServer({ isolation: true });
const browser = await launchBrowser();
try {
  const { page } = await openPlayground(browser, `${server.url}engine.html`);
  if (drift) await countDrift((request) => browserRun(page, request), files);
  for (const file of drift ? [] : files) {
    const request = lessonRequest(readFileSync(file, 'utf8'));
    const inBrowser = await browserFigures(page, request);
    const native = nativeFigures(request);
    console.log(`\n${file} (${request.mode}, budget ${request.options.budget} s)`);
    if (inBrowser.error) console.log(`  browser: failed: ${inBrowser.error}`);
    if (native?.error) console.log(`  native: failed: ${native.error}`);
    const fastest = (m) => Math.min(...Object.values(m ?? {}));
    console.log(`  ${'variant'.padEnd(20)} ${'browser'.padStart(10)} ${'ratio'.padStart(6)} ${'native'.padStart(10)} ${'ratio'.padStart(6)}`);
    for (const v of request.variants) {
      const b = inBrowser.medians?.[v.name];
      const n = native?.medians?.[v.name];
      const cell = (x, m) => (x === undefined ? ['—', ''] : [format(x), `${(x / fastest(m)).toFixed(2)}×`]);
      const [bt, br] = cell(b, inBrowser.medians);
      const [nt, nr] = cell(n, native?.medians);
      console.log(`  ${v.name.padEnd(20)} ${bt.padStart(10)} ${br.padStart(6)} ${nt.padStart(10)} ${nr.padStart(6)}`);
    }
  }
} finally {
  await browser.close();
  server.close();
}
