// processes.test.mjs — a program's own processes in the browser
// (multiprocessing and ProcessPoolExecutor): each child is an engine
// instance of its own, started by the page. Results, tasks running at the same time,
// exceptions and pickling errors coming back as CPython's, a child that
// dies, Stop ending every process of a run, and the clear error of a page
// that is not cross-origin isolated.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, openPlayground, runCode } from './harness.mjs';
import { useEnginePage } from './engine-page.mjs';

let browser;
let page;
useEnginePage((opened) => ({ browser, page } = opened));

const finishedOf = (run) => run.events.at(-1);
const ok = (run) => assert.equal(finishedOf(run).status, 'ok', JSON.stringify(run.events));

test('Pool(4).map of a CPU-bound function is correct and runs in four processes at once', { timeout: 240000 }, async () => {
  // Whether the pool runs its tasks at the same time is read from when each
  // ran (every process on the page shares one clock), not from a speed-up:
  // a speed-up depends on what else the machine is doing (the lesson's
  // figures are measured by bench/browser/lesson.mjs).
  const program = [
    'import multiprocessing as mp, os, time',
    'N = 600_000',
    'def cpu(n):',
    '    s = 0',
    '    for i in range(n):',
    '        s += i',
    '    return s',
    'def timed(n):',
    '    t0 = time.monotonic()',
    '    s = cpu(n)',
    '    return s, os.getpid(), t0, time.monotonic()',
    'def pid_after(seconds):',
    '    time.sleep(seconds)',
    '    return os.getpid()',
    'if __name__ == "__main__":',
    '    expected = [cpu(N + k) for k in range(4)]',
    '    with mp.Pool(4) as pool:',
    // Every worker up and idle before the work is handed out, so that each
    // takes one task (a quick first map can be done by the first worker up).
    '        pids = set()',
    '        while len(pids) < 4:',
    '            pids.update(pool.map(pid_after, [0.05] * 4))',
    '        runs = pool.map(timed, [N + k for k in range(4)], chunksize=1)',
    '    print([r[0] for r in runs] == expected, mp.cpu_count(), len({r[1] for r in runs}))',
    // The longest any two tasks overlapped: above zero only if they ran at once.
    '    print(max(min(a[3], b[3]) - max(a[2], b[2]) for a in runs for b in runs if a is not b) > 0)',
  ].join('\n');
  const run = await runCode(page, program);
  ok(run);
  const [line, overlap] = run.output.trim().split('\n');
  const [same, cpus, processes] = line.split(' ');
  assert.equal(same, 'True', run.output);
  const cores = await page.evaluate(() => navigator.hardwareConcurrency);
  assert.equal(Number(cpus), cores);
  assert.equal(Number(processes), 4, run.output);
  if (cores >= 2) assert.equal(overlap, 'True', `no two tasks ran at the same time: ${run.output}`);
});

test('ProcessPoolExecutor runs in other processes; Process, Queue and exit codes work', { timeout: 120000 }, async () => {
  const run = await runCode(
    page,
    [
      'import multiprocessing as mp, os',
      'from concurrent.futures import ProcessPoolExecutor',
      'def square(x):',
      '    return x * x',
      'def pid(_):',
      '    return os.getpid()',
      'def produce(q, n):',
      '    print("child says hi", flush=True)',
      '    for i in range(n):',
      '        q.put(i * 10)',
      'def leave(code):',
      '    os._exit(code)',
      'if __name__ == "__main__":',
      '    with ProcessPoolExecutor(2) as ex:',
      '        print(list(ex.map(square, range(6))))',
      '        print("other process", os.getpid() not in set(ex.map(pid, range(4))))',
      '    q = mp.Queue()',
      '    p = mp.Process(target=produce, args=(q, 3))',
      '    p.start()',
      '    print([q.get(timeout=30) for _ in range(3)])',
      '    p.join()',
      '    print("exit code", p.exitcode)',
      '    p = mp.Process(target=leave, args=(3,))',
      '    p.start()',
      '    p.join()',
      '    print("exit code", p.exitcode)',
    ].join('\n'),
  );
  ok(run);
  assert.equal(
    run.output,
    '[0, 1, 4, 9, 16, 25]\nother process True\nchild says hi\n[0, 10, 20]\nexit code 0\nexit code 3\n',
  );
});

test('a child exception comes back as itself; an unpicklable argument raises PicklingError', { timeout: 120000 }, async () => {
  const run = await runCode(
    page,
    [
      'import multiprocessing as mp, pickle',
      'from concurrent.futures import ProcessPoolExecutor',
      'def boom(x):',
      '    raise ValueError(f"bad {x}")',
      'def missing(d):',
      '    return d["nope"]',
      'if __name__ == "__main__":',
      '    with ProcessPoolExecutor(1) as ex:',
      '        try:',
      '            ex.submit(boom, 7).result()',
      '        except ValueError as e:',
      '            print("ValueError", e)',
      '    with mp.Pool(1) as pool:',
      '        try:',
      '            pool.apply_async(missing, ({},)).get(timeout=30)',
      '        except KeyError as e:',
      '            print("KeyError", e)',
      '        try:',
      '            pool.map(abs, [lambda: 1])',
      '        except pickle.PicklingError as e:',
      '            print("PicklingError")',
    ].join('\n'),
  );
  ok(run);
  assert.equal(run.output, "ValueError bad 7\nKeyError 'nope'\nPicklingError\n");
});

test('a worker that dies breaks its ProcessPoolExecutor, and a new one works', { timeout: 120000 }, async () => {
  const run = await runCode(
    page,
    [
      'import os',
      'from concurrent.futures import ProcessPoolExecutor',
      'from concurrent.futures.process import BrokenProcessPool',
      'def die(_):',
      '    os._exit(1)',
      'def double(x):',
      '    return 2 * x',
      'if __name__ == "__main__":',
      '    try:',
      '        with ProcessPoolExecutor(2) as ex:',
      '            ex.submit(die, 0).result()',
      '    except BrokenProcessPool as e:',
      '        print("broken:", type(e).__name__)',
      '    with ProcessPoolExecutor(2) as ex:',
      '        print(sum(ex.map(double, range(10))))',
    ].join('\n'),
  );
  ok(run);
  assert.equal(run.output, 'broken: BrokenProcessPool\n90\n');
});

test('in GIL mode Pool, ProcessPoolExecutor and Process with Queue finish with correct results; a free-threaded run follows', { timeout: 180000 }, async () => {
  const program = [
    'import multiprocessing as mp',
    'from concurrent.futures import ProcessPoolExecutor',
    'def square(x):',
    '    return x * x',
    'if __name__ == "__main__":',
    '    with mp.Pool(2) as pool:',
    '        print(pool.map(square, range(8)))',
    '        print(list(pool.imap(square, range(4))), pool.apply_async(square, (7,)).get(timeout=60))',
    '    with ProcessPoolExecutor(2) as ex:',
    '        print(list(ex.map(square, range(5))))',
    '    q = mp.Queue()',
    '    p = mp.Process(target=q.put, args=("from child",))',
    '    p.start()',
    '    print(q.get(timeout=60))',
    '    p.join()',
    '    print("exit code", p.exitcode)',
  ].join('\n');
  const expected = '[0, 1, 4, 9, 16, 25, 36, 49]\n[0, 1, 4, 9] 49\n[0, 1, 4, 9, 16]\nfrom child\nexit code 0\n';
  for (const mode of ['gil', 'free']) {
    const run = await runCode(page, program, { threadMode: mode, deadlineMs: 60000 });
    assert.notEqual(run.end, 'late', `${mode}: still running after 60 s: ${JSON.stringify(run.events)}`);
    ok(run);
    assert.equal(run.output, expected, `${mode} mode`);
    const timeline = run.events.find((e) => e.event === 'timeline')?.timeline;
    assert.equal(timeline?.mode, mode);
  }
});

test('Stop during a pool run ends every process of the run, and the next run works', { timeout: 120000 }, async () => {
  const result = await page.evaluate(async () => {
    const code = [
      'import multiprocessing as mp, time',
      'def spin(_):',
      '    while True:',
      '        pass',
      'if __name__ == "__main__":',
      '    with mp.Pool(2) as pool:',
      '        pool.map(abs, [1, 2])',
      '        print("pool up", flush=True)',
      '        pool.map(spin, range(2))',
    ].join('\n');
    const running = window.pyrace.runCode(code);
    const t0 = performance.now();
    while (!window.pyrace.events.some((e) => e.event === 'output' && e.text.includes('pool up'))) {
      if (performance.now() - t0 > 60000) throw new Error(`the pool never started: ${JSON.stringify(window.pyrace.events)}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    const during = window.pyrace.engine.processes.running;
    window.pyrace.engine.stop();
    const stopped = await running;
    const after = window.pyrace.engine.processes.running;
    const next = await window.pyrace.runCode(
      'import multiprocessing as mp\nif __name__ == "__main__":\n    with mp.Pool(2) as pool:\n        print(pool.map(abs, [-1, -2, -3]))',
    );
    const output = window.pyrace.events.filter((e) => e.event === 'output').map((e) => e.text).join('');
    return { during, stopped: stopped.status, after, next: next.status, output };
  });
  assert.equal(result.during, 2);
  assert.equal(result.stopped, 'stopped');
  assert.equal(result.after, 0);
  assert.equal(result.next, 'ok');
  assert.equal(result.output, '[1, 2, 3]\n');
});

test('without cross-origin isolation, processes raise a clear error', { timeout: 60000 }, async () => {
  const plain = await startServer({ isolation: false });
  try {
    const { page: single, context } = await openPlayground(browser, `${plain.url}engine.html`);
    const run = await runCode(single, 'import multiprocessing as mp\nif __name__ == "__main__":\n    mp.Pool(2)');
    const error = run.events.find((e) => e.event === 'error')?.error;
    assert.ok(error, JSON.stringify(run.events));
    assert.equal(error.exc_type, 'RuntimeError');
    assert.match(error.message, /processes need the full playground/);
    await context.close();
  } finally {
    plain.close();
  }
});
