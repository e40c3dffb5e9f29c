// isolated.test.mjs — the engine in a cross-origin isolated page (the dev
// server's real COOP/COEP headers): output, errors, clocks, real threads,
// Stop and crash recovery; the events the host writes itself have the
// engine's own form (www/protocol.js), and every event reaches the page
// with its JSON text.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openPlayground, runCode } from './harness.mjs';
import { useEnginePage } from './engine-page.mjs';
import { outputEvent, crashEvent, finishedEvent } from '../../www/protocol.js';

let server;
let browser;
let page;
useEnginePage((opened) => ({ server, browser, page } = opened));

const errorOf = (run) => run.events.find((e) => e.event === 'error')?.error;
const finishedOf = (run) => run.events.at(-1);

test('the page is cross-origin isolated and in threads mode', { timeout: 60000 }, async () => {
  const mode = await page.evaluate(() => [crossOriginIsolated, window.pyrace.engine.mode]);
  assert.deepEqual(mode, [true, 'threads']);
});

test("a program's output appears", { timeout: 60000 }, async () => {
  const run = await runCode(page, 'print("hello from", "python")\nprint(sum(range(10)))\nimport os, random\nprint(len(os.urandom(16)), 0 <= random.random() < 1)');
  assert.equal(run.output, 'hello from python\n45\n16 True\n');
  assert.equal(finishedOf(run).event, 'finished');
  assert.equal(finishedOf(run).status, 'ok');
  await page.waitForFunction(() => document.getElementById('output').textContent.includes('hello from python'));
});

test('a syntax error reports line and column', { timeout: 60000 }, async () => {
  const run = await runCode(page, 'x = 1\nif x\n    print(x)\n');
  const error = errorOf(run);
  assert.ok(error, JSON.stringify(run.events));
  assert.equal(error.kind, 'syntax');
  assert.equal(error.line, 2);
  assert.equal(typeof error.column, 'number');
  assert.ok(error.column >= 1);
  assert.equal(finishedOf(run).status, 'failed');
});

test('perf_counter advances and sleep(0.1) sleeps about 0.1 s', { timeout: 60000 }, async () => {
  const run = await runCode(
    page,
    [
      'import time',
      'a = time.perf_counter(); sum(range(100000)); b = time.perf_counter()',
      't0 = time.perf_counter(); time.sleep(0.1); t1 = time.perf_counter()',
      'print(b > a, t1 - t0)',
    ].join('\n'),
  );
  const [advanced, slept] = run.output.trim().split(' ');
  assert.equal(advanced, 'True');
  // Not zero, not a busy wait's seconds; a loaded machine wakes it late.
  assert.ok(Number(slept) >= 0.099 && Number(slept) < 0.5, `slept ${slept} s`);
});

test('8 threads x sleep(0.2) sleep at once (1.6 s one after another)', { timeout: 60000 }, async () => {
  const run = await runCode(
    page,
    [
      'import threading, time',
      't0 = time.perf_counter()',
      'seen = []',
      'def nap():',
      '    seen.append(time.perf_counter())',
      '    time.sleep(0.2)',
      'ts = [threading.Thread(target=nap) for _ in range(8)]',
      'for t in ts: t.start()',
      'for t in ts: t.join()',
      'print(time.perf_counter() - t0)',
      // Every worker reads the same clock: threads see times after t0, close
      // to it (a worker with a clock of its own would be off by seconds).
      'print(all(0 <= s - t0 < 0.8 for s in seen), [round(s - t0, 3) for s in seen])',
    ].join('\n'),
  );
  assert.equal(finishedOf(run).status, 'ok', JSON.stringify(run.events));
  const [wallText, clocks] = run.output.trim().split('\n');
  const wall = Number(wallText);
  // One after another would be 1.6 s; at once, 0.2 s and what a busy
  // machine adds to starting eight threads.
  console.log(`8 threads x sleep(0.2): ${wall.toFixed(3)} s`);
  assert.ok(wall >= 0.2 && wall < 1.0, `8 threads took ${wall} s`);
  assert.ok(clocks.startsWith('True'), `thread start times after t0: ${clocks}`);
});

test("a GIL-mode program's first run in a fresh page starts as many threads as the pool has workers", { timeout: 60000 }, async () => {
  // GIL mode takes no thread of its own: every worker of a process's pool
  // is there for the program.
  const { context, page: fresh } = await openPlayground(browser, `${server.url}engine.html`);
  try {
    const workers = await fresh.evaluate(() => window.pyrace.engine.poolSize);
    const run = await runCode(
      fresh,
      [
        'import threading, time',
        'done = []',
        `ts = [threading.Thread(target=lambda: (time.sleep(0.1), done.append(1))) for _ in range(${workers})]`,
        'for t in ts: t.start()',
        'for t in ts: t.join()',
        'print(len(done))',
      ].join('\n'),
      { threadMode: 'gil', deadlineMs: 30000 },
    );
    assert.equal(finishedOf(run).status, 'ok', JSON.stringify(run.events));
    assert.equal(run.output, `${workers}\n`);
  } finally {
    await context.close();
  }
});

test('ThreadPoolExecutor works', { timeout: 60000 }, async () => {
  const run = await runCode(
    page,
    [
      'from concurrent.futures import ThreadPoolExecutor',
      'import time',
      'with ThreadPoolExecutor(4) as ex:',
      '    print(sum(ex.map(lambda x: x * x, range(100))))',
      't0 = time.perf_counter()',
      'with ThreadPoolExecutor(4) as ex:',
      '    list(ex.map(time.sleep, [0.1] * 8))',
      'print(time.perf_counter() - t0)',
    ].join('\n'),
  );
  assert.equal(finishedOf(run).status, 'ok', JSON.stringify(run.events));
  const [sum, wall] = run.output.trim().split('\n');
  assert.equal(sum, '328350');
  // Eight 0.1 s sleeps on four workers: 0.2 s at once, 0.8 s one by one.
  console.log(`ThreadPoolExecutor(4), 8 x sleep(0.1): ${Number(wall).toFixed(3)} s`);
  assert.ok(Number(wall) >= 0.2 && Number(wall) < 0.6, `took ${wall} s`);
});

test('profile.run works with its default clock, as cProfile.run does', { timeout: 60000 }, async () => {
  // WASI has no process time, profile's default clock: the engine gives it
  // the wall clock instead of failing.
  const run = await runCode(
    page,
    [
      'import profile, cProfile',
      'def f(n):',
      '    return sum(range(n))',
      "profile.run('f(1000)', sort='ncalls')",
      "cProfile.run('f(1000)')",
    ].join('\n'),
  );
  assert.equal(finishedOf(run).status, 'ok', JSON.stringify(run.events));
  assert.equal(run.output.match(/function calls in [0-9.]+ seconds/g)?.length, 2, run.output);
  assert.match(run.output, /<string>:1\(f\)|f\)$/m);
});

test('queue.Queue producer/consumer works', { timeout: 60000 }, async () => {
  const run = await runCode(
    page,
    [
      'import queue, threading',
      'q = queue.Queue(maxsize=8)',
      'got = []',
      'def consume():',
      '    while (item := q.get()) is not None:',
      '        got.append(item)',
      'c = threading.Thread(target=consume)',
      'c.start()',
      'for i in range(100): q.put(i)',
      'q.put(None)',
      'c.join()',
      'print(len(got), sum(got))',
    ].join('\n'),
  );
  assert.equal(run.output, '100 4950\n', JSON.stringify(run.events));
});

test('while True: pass is stopped by Stop, and the next run works within 1 s', { timeout: 60000 }, async () => {
  const result = await page.evaluate(async () => {
    const running = window.pyrace.runCode('print("spinning", flush=True)\nwhile True: pass');
    await new Promise((r) => setTimeout(r, 700));
    const stoppedAt = performance.now();
    window.pyrace.engine.stop();
    const stopped = await running;
    const next = await window.pyrace.runCode('print("next run")');
    const output = window.pyrace.events.filter((e) => e.event === 'output').map((e) => e.text).join('');
    return { stopped, next, output, seconds: (performance.now() - stoppedAt) / 1000 };
  });
  assert.equal(result.stopped.status, 'stopped');
  assert.equal(result.next.status, 'ok');
  assert.equal(result.output, 'next run\n');
  assert.ok(result.seconds < 1, `next run finished ${result.seconds} s after Stop`);
});

test('a crash of the engine is reported, and the engine recovers', { timeout: 60000 }, async () => {
  // With the recursion limit lifted, deep recursion overflows the engine's
  // native stack: a trap that kills the instance, not a Python exception.
  const run = await runCode(page, 'import sys\nsys.setrecursionlimit(10**6)\ndef down(n): return down(n + 1)\ndown(0)');
  const error = errorOf(run);
  assert.ok(error, JSON.stringify(run.events));
  assert.equal(error.exc_type, 'EngineCrash');
  assert.match(error.message, /stack|unreachable/i);
  assert.equal(finishedOf(run).status, 'failed');
  const next = await runCode(page, 'print("alive")');
  assert.equal(next.output, 'alive\n');
  assert.ok(next.wallSeconds < 2, `recovery run took ${next.wallSeconds} s`);
});

test('a flood of output does not freeze the page', { timeout: 60000 }, async () => {
  const result = await page.evaluate(async () => {
    // A frozen page misses its timers: record the longest gap between ticks.
    let last = performance.now();
    let longestGap = 0;
    const timer = setInterval(() => {
      const now = performance.now();
      longestGap = Math.max(longestGap, now - last);
      last = now;
    }, 10);
    const end = await window.pyrace.runCode('for i in range(100000): print(i)');
    clearInterval(timer);
    const text = window.pyrace.events.filter((e) => e.event === 'output').map((e) => e.text).join('');
    return { end, longestGap, lines: text.split('\n').length - 1, last: text.trim().split('\n').at(-1) };
  });
  assert.equal(result.end.status, 'ok');
  assert.equal(result.lines, 100000);
  assert.equal(result.last, '99999');
  // On two cores a CPU-bound run that prints nothing already delays page
  // timers by up to ~250 ms (the runner and V8's compiler threads take the
  // cores); a page handling a message per write stalls for seconds.
  assert.ok(result.longestGap < 1000, `the page stalled for ${result.longestGap.toFixed(0)} ms`);
});

test('a pool too small for a program grows for the next run', { timeout: 60000 }, async () => {
  const { context, page: small } = await openPlayground(browser, `${server.url}engine.html?pool=2`);
  const code = [
    'import threading, time',
    'ts = [threading.Thread(target=time.sleep, args=(0.05,)) for _ in range(4)]',
    'for t in ts: t.start()',
    'for t in ts: t.join()',
    'print("4 threads ran")',
  ].join('\n');
  const first = await runCode(small, code);
  const error = errorOf(first);
  assert.ok(error, JSON.stringify(first.events));
  assert.match(error.message, /can't start new thread/);
  assert.ok((await small.evaluate(() => window.pyrace.engine.poolSize)) >= 4);
  const second = await runCode(small, code);
  assert.equal(second.output, '4 threads ran\n', JSON.stringify(second.events));
  await context.close();
});

/** The last run's events as the page received them: [event, text] pairs. */
const received = () => page.evaluate(() => window.pyrace.events.map((e, i) => [e, window.pyrace.texts[i]]));

test("the engine's events arrive with their text, and JavaScript's constructors write the same shapes", { timeout: 60000 }, async () => {
  await runCode(page, 'print("out")\nraise ValueError("boom")');
  const pairs = await received();
  for (const [event, text] of pairs) assert.deepEqual(JSON.parse(text), event, text);
  const byKind = Object.fromEntries(pairs.map(([event]) => [event.event, event]));
  assert.deepEqual(Object.keys(byKind.output), Object.keys(outputEvent(1, 'stdout', 'x', 'main')));
  assert.deepEqual(Object.keys(outputEvent(1, 'stdout', 'x')), ['event', 'run_id', 'stream', 'text']);
  const crash = crashEvent(1, { exc_type: 'EngineCrash', message: 'died' });
  assert.deepEqual(Object.keys(byKind.error), Object.keys(crash));
  assert.deepEqual(Object.keys(byKind.error.error), Object.keys(crash.error));
  assert.equal(byKind.error.error.exc_type, 'ValueError');
  assert.deepEqual(Object.keys(byKind.finished), Object.keys(finishedEvent(1, 'failed', 0.5)));
});

test('a stopped run ends with a finished event JavaScript wrote, in the same form', { timeout: 60000 }, async () => {
  await runCode(page, 'print("x")');
  const [[engineFinished]] = (await received()).filter(([event]) => event.event === 'finished');
  const stopping = runCode(page, 'import time\nprint("waiting", flush=True)\ntime.sleep(30)');
  await page.waitForFunction(() => window.pyrace.events.some((e) => e.event === 'output'));
  await page.evaluate(() => window.pyrace.engine.stop());
  const run = await stopping;
  assert.equal(run.end.status, 'stopped');
  const [event, text] = (await received()).at(-1);
  assert.equal(event.event, 'finished');
  assert.equal(event.status, 'stopped');
  assert.equal(text, JSON.stringify(event));
  assert.deepEqual(Object.keys(event), Object.keys(engineFinished));
});
