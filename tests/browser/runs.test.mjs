// runs.test.mjs — each run is a process of its own: a run sees nothing the
// run before it left behind (globals, modules, patched builtins and
// modules, files, threads still alive), whether that run ended, was stopped
// or crashed, and whether the next one takes the first process of the page
// or one prepared after it.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runCode } from './harness.mjs';
import { useEnginePage } from './engine-page.mjs';

let page;
useEnginePage((opened) => ({ page } = opened));

/** Leaves state behind in every way a program can, then prints whether its file was written. */
const LEAVE_BEHIND = [
  'import sys, threading, time, builtins, json, os',
  'LEFT_BEHIND = 42',
  'sys.modules["left_behind_module"] = type(sys)("left_behind_module")',
  'import colorsys',
  'builtins.left_behind_builtin = 1',
  'json.dumps = lambda *a, **k: "patched"',
  'sys.setrecursionlimit(123)',
  // A daemon thread outlives the main thread: it must not print into the next run.
  'threading.Thread(target=lambda: (time.sleep(0.5), print("LEAK from the run before")), daemon=True, name="left-behind").start()',
  'try:',
  '    with open("left_behind.txt", "w") as f: f.write("x")',
  '    wrote = True',
  'except OSError:',
  '    wrote = False',
  'print("left behind", wrote)',
].join('\n');

/** What of the above the next run sees; it waits long enough for the old thread to print. */
const LOOK = [
  'import sys, threading, time, builtins, json, os',
  'time.sleep(1.0)',
  'print("LEFT_BEHIND" in globals(), "left_behind_module" in sys.modules, "colorsys" in sys.modules,',
  '      hasattr(builtins, "left_behind_builtin"), json.dumps(1), sys.getrecursionlimit() == 123,',
  '      os.path.exists("left_behind.txt"), [t.name for t in threading.enumerate() if t.name == "left-behind"])',
].join('\n');
const NOTHING_SEEN = 'False False False False 1 False False []\n';

test('a run sees nothing of the run before it, which ran on the first process of the page', { timeout: 60000 }, async () => {
  const left = await runCode(page, LEAVE_BEHIND);
  assert.match(left.output, /^left behind (True|False)\n$/, JSON.stringify(left.events));
  const next = await runCode(page, LOOK);
  assert.equal(next.output, NOTHING_SEEN, JSON.stringify(next.events));
});

test('nor after several runs, on processes prepared ahead', { timeout: 60000 }, async () => {
  for (let i = 0; i < 2; i++) {
    await runCode(page, LEAVE_BEHIND);
    const next = await runCode(page, LOOK);
    assert.equal(next.output, NOTHING_SEEN, `round ${i}: ${JSON.stringify(next.events)}`);
  }
});

test('nor when the run before was stopped', { timeout: 60000 }, async () => {
  const stopped = await runCode(page, `${LEAVE_BEHIND}\nwhile True: pass`, { deadlineMs: 1500 });
  assert.equal(stopped.end, 'late');
  const next = await runCode(page, LOOK);
  assert.equal(next.output, NOTHING_SEEN, JSON.stringify(next.events));
});

test('nor when the run before crashed the engine', { timeout: 60000 }, async () => {
  // As in isolated.test.mjs: deep recursion overflows the engine's native
  // stack, a trap that kills the instance.
  const crashed = await runCode(page, `${LEAVE_BEHIND}\nsys.setrecursionlimit(10**6)\ndef down(n): return down(n + 1)\ndown(0)`);
  assert.equal(crashed.events.find((e) => e.event === 'error')?.error?.exc_type, 'EngineCrash', JSON.stringify(crashed.events));
  const next = await runCode(page, LOOK);
  assert.equal(next.output, NOTHING_SEEN, JSON.stringify(next.events));
});
