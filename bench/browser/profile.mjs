// profile.mjs — where the browser engine's time goes: a program run on
// engine.html in headless Chromium under V8's sampling profiler (--prof),
// its samples attributed to the engine's functions by name, as a table of
// the hottest functions and of the groups that matter for the engine's
// speed (the allocator, locks and atomics, the interpreter loop, …).
//
// The shipped module has no name section (docs/browser-engine.md), so the
// profile runs a copy of dist/ in a temporary directory with the symbolised
// module cargo built (or the one given). The program runs `--runs` times in
// one page and every run's samples count, the first (V8's baseline code,
// the memory's growth) with the later ones (optimised code). The same
// program natively, for comparison: `perf record pyrace run FILE.py`.
//
// usage: node bench/browser/profile.mjs [--wasm PATH] [--runs N] [--top N] [--keep] [FILE.py]
//   FILE.py   the program to profile (default: the CPU micro-mix of bench.mjs)
//   --keep    keep V8's logs (their directory is printed)

import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot, startServer, launchBrowser } from '../../tests/browser/harness.mjs';
import { CPU_MIX } from './program.mjs';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const at = args.indexOf(name);
  if (at < 0) return fallback;
  const [, value] = args.splice(at, 2);
  return value;
};
const targetDir = process.env.CARGO_TARGET_DIR ?? join(process.env.HOME, '.cache/pyrace-target');
const wasm = option('--wasm', join(targetDir, 'wasm/wasm32-wasip1-threads/release/pyrace.wasm'));
const runs = Number(option('--runs', 3));
const top = Number(option('--top', 30));
const keep = args.includes('--keep') && args.splice(args.indexOf('--keep'), 1).length > 0;
const program = args[0] ? readFileSync(args[0], 'utf8') : CPU_MIX;

const OUTSIDE = '(C++ outside wasm and JS code)';

if (!existsSync(join(repoRoot, 'dist/engine.json'))) throw new Error('dist/ is not built: run scripts/build-web.sh');
if (!existsSync(wasm)) throw new Error(`${wasm}: no engine module (build it with scripts/build-web.sh, or pass --wasm)`);

/** dist/ with the symbolised module in place of the shipped one. */
function profilingSite() {
  const dir = mkdtempSync(join(tmpdir(), 'pyrace-profile-'));
  const site = join(dir, 'dist');
  cpSync(join(repoRoot, 'dist'), site, { recursive: true, filter: (path) => !/\/(pyodide|cpython|app)(\/|$)/.test(path) });
  for (const name of readdirSync(site)) {
    if (/^pyrace\.[0-9a-f]+\.wasm/.test(name) || /^engine\.json\./.test(name)) rmSync(join(site, name));
  }
  execFileSync('node', [join(repoRoot, 'scripts/wasm-manifest.mjs'), site, wasm], { stdio: 'ignore' });
  return { dir, site };
}

/**
 * One isolate's log (each page, worker and thread has its own): its code
 * objects (start, end, name) sorted by start, and the program counters of
 * its samples taken while running JavaScript or wasm (V8's state 0: not
 * idle, waiting, compiling or collecting garbage).
 */
function readLog(path) {
  const code = [];
  const ticks = [];
  const libraries = [];
  for (const line of readFileSync(path, 'latin1').split('\n')) {
    const fields = line.split(',');
    if (fields[0] === 'shared-library') {
      // shared-library,<path>,<start>,<end>,<slide>
      libraries.push({ start: Number.parseInt(fields[2], 16), end: Number.parseInt(fields[3], 16), name: fields[1] });
    } else if (fields[0] === 'code-creation') {
      // code-creation,<type>,<kind>,<time>,<address>,<size>,<name>,…
      const start = Number.parseInt(fields[4], 16);
      const size = Number(fields[5]);
      if (Number.isFinite(start) && size > 0) code.push({ start, end: start + size, name: fields[6] ?? '' });
    } else if (fields[0] === 'tick' && fields[5] === '0') {
      // tick,<pc>,<time>,<external callback?>,<tos>,<vm state>,…
      ticks.push(Number.parseInt(fields[1], 16));
    }
  }
  code.sort((a, b) => a.start - b.start);
  libraries.sort((a, b) => a.start - b.start);
  return { code, ticks, libraries };
}

function lookup(code, pc) {
  let lo = 0;
  let hi = code.length - 1;
  let found = null;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (code[mid].start <= pc) {
      found = code[mid];
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found && pc < found.end ? found : null;
}

/**
 * What a sample outside V8's code objects ran: C++ of Chromium and V8
 * (runtime calls such as a shared memory's growth), or libc (futexes,
 * memmove behind wasm's memory.copy).
 */
function outside(library) {
  if (!library) return OUTSIDE;
  const file = library.name.split('/').at(-1);
  return file.startsWith('libc.') ? `${OUTSIDE}: libc` : `${OUTSIDE}: ${file}`;
}

/** Waits until the isolates' logs stop growing (at most 20 s). */
async function logsWritten(dir) {
  const size = () => readdirSync(dir).reduce((sum, name) => (name.endsWith('.log') ? sum + statSync(join(dir, name)).size : sum), 0);
  let last = -1;
  for (let waited = 0; waited < 20_000 && size() !== last; waited += 1500) {
    last = size();
    await new Promise((resolve) => setTimeout(resolve, 1500));
  }
}

/** A Rust symbol without its hash and generic noise, for grouping. */
function shortName(name) {
  return name
    .replace(/^(js-to-wasm|wasm-to-js|wasm-function)[:-]?/, '')
    .replace(/::h[0-9a-f]{16}$/, '')
    .replace(/\[[0-9a-f]{16}\]/g, '')
    .replace(/^\$/, '');
}

/** The groups a function's samples add to (first match wins). */
const GROUPS = [
  ['allocator (malloc, free, realloc)', /(^|[^a-z])(dlmalloc|malloc|free|realloc|calloc|memalign|__rust_alloc|__rust_dealloc|__rust_realloc|LimitedAllocator|alloc::alloc::)/],
  ['memcpy / memset / memmove', /^(memcpy|memset|memmove|memcmp|__memcpy|__memset)/],
  ['locks (parking_lot, std sync, futex)', /(parking_lot|lock_api|futex|std::sys::sync|Mutex|RwLock|Once)/],
  ['reference counts, drop', /(RefCount|drop_in_place|PyObjectRef as core::ops::drop|inc_ref|dec_ref|::drop)/],
  ['the interpreter loop (frame.rs)', /rustpython_vm::frame::/],
  ['dict and set', /rustpython_vm::(dict_inner|builtins::(dict|set))/],
  ['int objects', /(rustpython_vm::builtins::int|num_bigint|malachite)/],
  ['other RustPython', /rustpython/],
];

const { dir, site } = profilingSite();
const server = await startServer({ isolation: true, dir: site });
const browser = await launchBrowser({ extraArgs: [`--js-flags=--prof --logfile=${join(dir, 'v8.log')}`] });
try {
  const page = await (await browser.newContext({ serviceWorkers: 'block' })).newPage();
  await page.goto(`${server.url}engine.html`);
  const outputs = await page.evaluate(
    async ({ program, runs }) => {
      const state = window.pyrace;
      await state.ready;
      const outputs = [];
      for (let i = 0; i < runs; i++) {
        await state.runCode(program);
        outputs.push(state.events.filter((e) => e.event === 'output' || e.event === 'error').map((e) => e.text ?? e.error?.message).join(''));
      }
      return outputs;
    },
    { program, runs },
  );
  console.error(`profile: last run printed: ${outputs.at(-1).trim().slice(0, 200)}`);
  // Closing the page ends its workers, whose isolates then write out their
  // logs (closing the browser would kill them with the logs unwritten).
  await page.close();
  await logsWritten(dir);
} finally {
  await browser.close();
  server.close();
}

// The samples of every isolate, each looked up in its own code objects.
const hits = [];
let samples = 0;
// Only the isolates that ran the engine (the runner's and the threads'
// workers): the page's own and Chromium's are not the engine's time.
for (const name of readdirSync(dir).filter((n) => /^isolate-.*\.log$/.test(n))) {
  const { code, ticks, libraries } = readLog(join(dir, name));
  const names = ticks.map((pc) => lookup(code, pc)?.name ?? outside(lookup(libraries, pc)));
  if (!names.some((n) => /^_R|^_ZN/.test(n))) continue;
  samples += names.length;
  hits.push(...names);
}
// Rust's symbols, demangled by binutils (c++filt reads both manglings).
const mangled = [...new Set(hits.filter((name) => /^_R|^_ZN/.test(name)))];
const demangled = new Map();
if (mangled.length) {
  const out = execFileSync('c++filt', { input: mangled.join('\n'), encoding: 'utf8', maxBuffer: 1 << 28 }).split('\n');
  mangled.forEach((name, i) => demangled.set(name, out[i]));
}
const byName = new Map();
const byGroup = new Map();
const add = (map, key) => map.set(key, (map.get(key) ?? 0) + 1);
for (const hit of hits) {
  const name = shortName(demangled.get(hit) ?? hit);
  add(byName, name);
  add(byGroup, name.startsWith(OUTSIDE) ? name : (GROUPS.find(([, pattern]) => pattern.test(name))?.[0] ?? 'other'));
}
const total = samples;
const pct = (n) => `${((100 * n) / total).toFixed(1)}%`;
console.log(`\n${total} samples (1 ms apart) of the engine's workers running, in ${runs} run(s) of the program in one page\n`);
console.log('| group | samples | share |\n|---|---|---|');
for (const [group, n] of [...byGroup].sort((a, b) => b[1] - a[1])) console.log(`| ${group} | ${n} | ${pct(n)} |`);
console.log(`\n| function (top ${top}) | samples | share |\n|---|---|---|`);
for (const [name, n] of [...byName].sort((a, b) => b[1] - a[1]).slice(0, top)) {
  console.log(`| \`${name.replaceAll('|', '\\|').slice(0, 140)}\` | ${n} | ${pct(n)} |`);
}
if (keep) console.error(`profile: V8's logs are in ${dir}`);
else rmSync(dir, { recursive: true, force: true });
