// soak.test.mjs — processes give back what they held, in the browser: a
// Pool(4) program runs 60 times on one page, and a timed program (Time
// programs, the CPU lesson's processes variant) repeats in one process until
// its budget is spent. Afterwards the page's kernel holds as many pipes,
// semaphores and process slots as before, and nothing was written to stderr.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { runCode, repoRoot } from './harness.mjs';
import { useEnginePage } from './engine-page.mjs';
import { settledUsage, assertSameHeld, stderrOf } from './kernel-usage.mjs';

/** Runs of the Pool program on one page. */
const RUNS = 60;

let page;
useEnginePage((opened) => ({ page } = opened));


test("the CPU lesson's processes variant completes a full Time-programs run", { timeout: 300000 }, async () => {
  const lesson = readFileSync(`${repoRoot}lessons/cpu-threads.md`, 'utf8');
  const code = lesson.match(/```python variant=processes\n([\s\S]*?)```/)[1];
  // The page starts its spare process a while after start-up (www/engine.js):
  // a run before then would count it as left behind.
  await page.evaluate(() => window.pyrace.engine.run(
    { run_id: 999, mode: 'run', variants: [{ name: 'warm', code: 'pass' }] }, () => {}));
  await page.waitForTimeout(3000);
  const before = await settledUsage(page);
  const result = await page.evaluate(async (code) => {
    const events = [];
    const end = await window.pyrace.engine.run(
      { run_id: 1000, mode: 'program', variants: [{ name: 'processes', code }], options: { budget: 12 } },
      (e) => events.push(e),
    );
    return { end, events };
  }, code);
  const errors = result.events.filter((e) => e.event === 'error' || e.event === 'variant_error');
  assert.deepEqual(errors, [], JSON.stringify(errors));
  assert.equal(result.end.status, 'ok');
  const samples = result.events.filter((e) => e.event === 'sample').map((e) => Number(e.seconds_per_loop.toFixed(3)));
  const done = result.events.find((e) => e.event === 'result');
  assert.ok(done, 'a result');
  // The trial run, the warm-up and at least one kept sample, each a Pool(4)
  // in the same process (before, the pipes ran out after four).
  assert.ok(samples.length >= 1, `${samples.length} samples`);
  assert.equal(stderrOf(result), '');
  const after = await settledUsage(page);
  console.log(`processes variant: samples ${JSON.stringify(samples)} s, median ${done.comparison.variants[0].time.median.toFixed(3)} s; kernel before ${JSON.stringify(before)}, after ${JSON.stringify(after)}`);
  assertSameHeld(after, before);
});

test(`a Pool(4) program run ${RUNS} times gives back every pipe, semaphore and process`, { timeout: 600000 }, async () => {
  const program = [
    'import multiprocessing',
    'def square(x):',
    '    return x * x',
    'if __name__ == "__main__":',
    '    with multiprocessing.Pool(4) as pool:',
    '        print(sum(pool.map(square, range(100))))',
  ].join('\n');
  // The first runs make the page keep as many children warm as the program uses.
  for (let run = 0; run < 2; run++) {
    const first = await runCode(page, program);
    assert.equal(first.output, '328350\n', JSON.stringify(first.events));
  }
  const before = await settledUsage(page);
  const t0 = Date.now();
  for (let run = 1; run <= RUNS; run++) {
    const ran = await runCode(page, program, { deadlineMs: 60000 });
    assert.equal(ran.events.at(-1)?.status, 'ok', `run ${run}: ${JSON.stringify(ran.events)}`);
    assert.equal(ran.output, '328350\n', `run ${run}`);
    assert.equal(stderrOf(ran), '', `run ${run}`);
  }
  const seconds = (Date.now() - t0) / 1000;
  const after = await settledUsage(page);
  console.log(`${RUNS} runs of a Pool(4) in ${seconds.toFixed(1)} s; kernel before ${JSON.stringify(before)}, after ${JSON.stringify(after)}`);
  assertSameHeld(after, before);
});

