// kernel-usage.mjs — what the browser tests and the soak read of the page's
// kernel: its table once the page has settled, the comparison that allows the
// warm children the page keeps on purpose, and a run's stderr.

import assert from 'node:assert/strict';

/**
 * The kernel's table once the page has settled after a run: the next run's
 * process is up and the warm children it keeps are started (they are the
 * page's own, kept between runs by design).
 */
export async function settledUsage(page) {
  return page.evaluate(async () => {
    const engine = window.pyrace.engine;
    await engine.ready;
    const t0 = performance.now();
    let last = '';
    let same = 0;
    // Settled: the table reads the same for half a second, no child starting.
    while (performance.now() - t0 < 30000) {
      const now = JSON.stringify(engine.kernelUsage);
      same = now === last && engine.processes.starting === 0 ? same + 1 : 0;
      last = now;
      if (same >= 10) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    return JSON.parse(last);
  });
}

/**
 * Nothing left behind: the same pipes, semaphores and processes, but for
 * the children the page keeps warm on purpose (as many as a run used, at
 * most four: www/engine.js).
 */
export function assertSameHeld(after, before) {
  const { warm, ...rest } = after.processes;
  const { warm: warmBefore, ...restBefore } = before.processes;
  assert.deepEqual({ ...after, processes: rest }, { ...before, processes: restBefore });
  assert.ok(warm <= 4 && warmBefore <= 4, `warm children: ${warmBefore} before, ${warm} after`);
}

/** What a run wrote to stderr. */
export const stderrOf = (run) => run.events.filter((e) => e.event === 'output' && e.stream === 'stderr').map((e) => e.text).join('');
