// thread-spawn.test.mjs — `wasi.thread-spawn` against the control block
// (www/wasi-thread.js, www/process-shared.js): it takes an idle worker; with
// none idle and the pool at its limit it fails at once (EAGAIN); below the
// limit it asks for a worker (SPAWNS_WAITING) and waits until a slot turns
// idle, which a page-like node worker does here as the page's new worker would.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Worker } from 'node:worker_threads';
import { threadSpawn } from '../../www/wasi-thread.js';
import { CTL, CTL_BYTES, SLOT, SLOT_INTS } from '../../www/process-shared.js';

const EAGAIN = -6;
const slotAt = (i) => CTL.SLOTS + i * SLOT_INTS;

/** A control block whose pool has `states` as its slots and `limit` as its most workers. */
function controlBlock(states, limit) {
  const ctl = new Int32Array(new SharedArrayBuffer(CTL_BYTES));
  states.forEach((state, i) => (ctl[slotAt(i)] = state));
  ctl[CTL.POOL_SIZE] = states.length;
  ctl[CTL.POOL_LIMIT] = limit;
  return ctl;
}

test('a spawn takes an idle worker and hands it the thread', () => {
  const ctl = controlBlock([SLOT.BUSY, SLOT.IDLE], 2);
  const tid = threadSpawn(ctl, true)(1234);
  assert.equal(tid, 1);
  assert.deepEqual([ctl[slotAt(1)], ctl[slotAt(1) + 1], ctl[slotAt(1) + 2]], [SLOT.ASSIGNED, 1, 1234]);
  assert.equal(ctl[CTL.THREADS_ALIVE], 1);
});

test('with every worker busy and the pool at its limit, a spawn fails at once', () => {
  const ctl = controlBlock([SLOT.BUSY, SLOT.BUSY], 2);
  assert.equal(threadSpawn(ctl, true)(0), EAGAIN);
  assert.equal(ctl[CTL.THREADS_ALIVE], 0);
  assert.equal(ctl[CTL.THREADS_WANTED], 1);
  assert.equal(ctl[CTL.SPAWNS_WAITING], 0);
});

test('below its limit, a spawn asks for a worker and waits until one is up', async () => {
  const ctl = controlBlock([SLOT.BUSY], 4);
  // The "page": waits for the request, adds a slot, and brings its worker up.
  const page = new Worker(
    `
    const { workerData } = require('node:worker_threads');
    const ctl = new Int32Array(workerData.buffer);
    const { CTL, SLOTS, SLOT_INTS, IDLE } = workerData;
    while (Atomics.load(ctl, CTL.SPAWNS_WAITING) === 0) Atomics.wait(ctl, CTL.SPAWNS_WAITING, 0, 50);
    Atomics.store(ctl, CTL.POOL_SIZE, 2);
    Atomics.wait(ctl, CTL.SLEEP_CELL, 0, 100); // the new worker starting up
    Atomics.store(ctl, SLOTS + SLOT_INTS, IDLE);
    Atomics.add(ctl, CTL.POOL_IDLE_SEQ, 1);
    Atomics.notify(ctl, CTL.POOL_IDLE_SEQ);
    `,
    { eval: true, workerData: { buffer: ctl.buffer, CTL, SLOTS: CTL.SLOTS, SLOT_INTS, IDLE: SLOT.IDLE } },
  );
  const online = new Promise((resolve) => page.once('online', resolve));
  await online;
  const tid = threadSpawn(ctl, true)(7);
  assert.equal(tid, 1);
  assert.equal(ctl[slotAt(1)], SLOT.ASSIGNED);
  assert.equal(ctl[CTL.SPAWNS_WAITING], 0);
  await page.terminate();
});
