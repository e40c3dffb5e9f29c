// concurrency.mjs — the concurrency table of bench/concurrency, measured in
// headless Chromium: 8 x sleep(0.1) sequential / threads / asyncio; 4
// CPU-bound tasks sequential / threads (GIL mode) / threads (free) /
// processes (Pool(4), workers started, free and GIL mode); process spawn + join; GIL mode's
// cost on one thread. The programs are bench/concurrency's own, read from
// it, so both tables time the same code. Each figure is the median over
// several runs, each run a fresh page process, as a person's Run is (within
// a run the CPU-bound figures are each the least of three timings).
//
// usage: node bench/browser/concurrency.mjs [--repeats N]   (after scripts/build-web.sh)

import { startServer, launchBrowser, openPlayground } from '../../tests/browser/harness.mjs';
import { benchProgram, runProgram } from './program.mjs';

const repeats = Number(process.argv[process.argv.indexOf('--repeats') + 1]) || 5;

/** A program of bench/concurrency, so that both tables time the same code. */
const program = (name) => benchProgram('bench/concurrency', name);

/**
 * Spawn cost with a warm child waiting (the page keeps children warm between
 * runs): start and join a process that does nothing, several times.
 */
const SPAWN = `
import multiprocessing as mp, time
def nothing():
    pass
if __name__ == "__main__":
    t0 = time.perf_counter()
    p = mp.Process(target=nothing)
    p.start(); p.join()
    print("spawn_warm", time.perf_counter() - t0)
`;

/**
 * `code` with one untimed call of `call` before its first timing. Every run
 * here is a fresh engine process whose compiled code is still tiering up
 * during its first few hundred milliseconds; without this the first figure
 * of a run (the sequential one) reads up to twice too slow, and the
 * speed-ups past it too high.
 */
function warmedUp(code, firstTiming, call) {
  const at = code.indexOf(firstTiming);
  if (at < 0) throw new Error(`no ${JSON.stringify(firstTiming)} in the program`);
  const lineStart = code.lastIndexOf('\n', at) + 1;
  const indent = code.slice(lineStart, at);
  return `${code.slice(0, lineStart)}${indent}${call}  # warm-up, untimed\n${code.slice(lineStart)}`;
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/**
 * Runs `code` `repeats` times after one run that is not counted (the engine
 * warms up, and a program that wanted more threads than a process had gets
 * them from then on); the median of each `name value` line it prints.
 * `warm`: each run starts once the page has a child process warm.
 */
async function figures(page, code, threadMode, { warm = false } = {}) {
  const seen = {};
  for (let i = -1; i < repeats; i++) {
    const output = await runProgram(page, code, { threadMode, runId: 1001 + i, warm });
    if (i < 0) continue;
    for (const line of output.trim().split('\n')) {
      const [name, value] = line.split(' ');
      (seen[name] ??= []).push(Number(value));
    }
  }
  return Object.fromEntries(Object.entries(seen).map(([k, v]) => [k, median(v)]));
}

const server = await startServer({ isolation: true });
const browser = await launchBrowser();
try {
  const { context, page } = await openPlayground(browser, `${server.url}engine.html`);
  const cores = await page.evaluate(() => navigator.hardwareConcurrency);
  const progress = (what) => console.error(`bench: ${what}`);

  progress('sleeps');
  const sleepFree = await figures(page, program('SLEEPS'), 'free');
  const sleepGil = await figures(page, program('SLEEPS'), 'gil');
  progress('CPU-bound tasks');
  const cpu = warmedUp(program('CPU'), 'print("sequential"', 'cpu()');
  const cpuFree = await figures(page, cpu.replace('PROCESSES', 'True'), 'free');
  const cpuGil = await figures(page, cpu.replace('PROCESSES', 'True'), 'gil');
  progress('spawn');
  const spawn = await figures(page, SPAWN, 'free', { warm: true });
  progress('one thread');
  const one = warmedUp(program('ONE_THREAD'), 't0 = time.perf_counter(); cpu()', 'cpu()');
  const oneFree = (await figures(page, one, 'free')).one_thread;
  const oneGil = (await figures(page, one, 'gil')).one_thread;
  await context.close();

  const f = (x) => x.toFixed(3).padStart(7);
  console.log(`pyrace in headless Chromium, ${cores} cores (navigator.hardwareConcurrency), median of ${repeats} runs`);
  console.log();
  console.log('8 x sleep(0.1)          free       GIL   (goal: threads, asyncio within 1.3 x 0.1 s)');
  for (const k of ['sequential', 'threads', 'asyncio']) console.log(`  ${k.padEnd(18)} ${f(sleepFree[k])} s ${f(sleepGil[k])} s`);
  console.log();
  const seq = cpuFree.sequential;
  const goal = 0.8 * Math.min(4, cores);
  console.log('4 CPU-bound tasks       wall      speed-up vs sequential');
  console.log(`  ${'sequential'.padEnd(18)} ${f(seq)} s ${(1).toFixed(2).padStart(6)}x`);
  console.log(`  ${'threads, GIL'.padEnd(18)} ${f(cpuGil.threads)} s ${(cpuGil.sequential / cpuGil.threads).toFixed(2).padStart(6)}x   (goal: <= 1/0.9 = 1.11x)`);
  console.log(`  ${'threads, free'.padEnd(18)} ${f(cpuFree.threads)} s ${(seq / cpuFree.threads).toFixed(2).padStart(6)}x   (goal: >= ${goal.toFixed(2)}x)`);
  console.log(`  ${'processes'.padEnd(18)} ${f(cpuFree.processes)} s ${(seq / cpuFree.processes).toFixed(2).padStart(6)}x   (goal: >= ${goal.toFixed(2)}x)`);
  // Processes are not bound by the parent's GIL.
  console.log(`  ${'processes, GIL'.padEnd(18)} ${f(cpuGil.processes)} s ${(cpuGil.sequential / cpuGil.processes).toFixed(2).padStart(6)}x   (goal: >= ${goal.toFixed(2)}x; GIL mode)`);
  console.log();
  console.log(`GIL mode on one thread: ${oneGil.toFixed(3)} s vs ${oneFree.toFixed(3)} s free (x${(oneGil / oneFree).toFixed(2)})`);
  console.log(`  ${'processes + start'.padEnd(18)} ${f(cpuFree.processes_cold)} s ${(seq / cpuFree.processes_cold).toFixed(2).padStart(6)}x   (Pool(4) started in the timing)`);
  console.log(`process spawn + join: ${spawn.spawn_warm.toFixed(3)} s with a warm child waiting ` +
    '(the page starts children ahead between runs, and during a run only when a spawn needs one)');
} finally {
  await browser.close();
  server.close();
}
