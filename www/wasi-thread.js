// @ts-check
// wasi-thread.js — `wasi.thread-spawn`: hands (tid, start_arg) to an idle
// worker of the process's thread pool through its slot in the control block
// (process-shared.js), and counts the threads the program wanted. When no
// worker is idle and the pool may still grow, the spawn asks the page for
// one and waits until a slot turns idle: a program's first threads wait for
// their workers to start rather than every process starting a full pool.

import { CTL, SLOT, SLOT_INTS, SPAWN_WAIT_MS } from './process-shared.js';

/** EAGAIN, from which RustPython raises "can't start new thread". */
const EAGAIN = -6;

/**
 * @param {Int32Array} ctl  the process's control block
 * @param {boolean} threads  true when thread-spawn may use the pool
 * @returns {(startArg: number) => number}  the new thread's id, or a negative errno
 */
export function threadSpawn(ctl, threads) {
  return (startArg) => {
    if (!threads) return EAGAIN;
    const alive = Atomics.add(ctl, CTL.THREADS_ALIVE, 1) + 1;
    for (;;) {
      const wanted = Atomics.load(ctl, CTL.THREADS_WANTED);
      if (alive <= wanted || Atomics.compareExchange(ctl, CTL.THREADS_WANTED, wanted, alive) === wanted) break;
    }
    const tid = handOver(ctl, startArg);
    if (tid < 0) Atomics.sub(ctl, CTL.THREADS_ALIVE, 1);
    return tid;
  };
}

/**
 * Gives the thread to an idle worker, waiting for the page to start one if
 * the pool may still grow.
 * @param {Int32Array} ctl
 * @param {number} startArg
 * @returns {number}  the thread's id, or EAGAIN
 */
function handOver(ctl, startArg) {
  const deadline = performance.now() + SPAWN_WAIT_MS;
  let waiting = false;
  try {
    for (;;) {
      // Read before looking: a slot that turns idle after the look changes
      // it, and the wait below returns at once.
      const seq = Atomics.load(ctl, CTL.POOL_IDLE_SEQ);
      const tid = claimIdle(ctl, startArg);
      if (tid > 0) return tid;
      if (!canGrow(ctl)) return EAGAIN;
      if (!waiting) {
        waiting = true;
        Atomics.add(ctl, CTL.SPAWNS_WAITING, 1);
        Atomics.notify(ctl, CTL.SPAWNS_WAITING);
      }
      const left = deadline - performance.now();
      if (left <= 0) return EAGAIN;
      Atomics.wait(ctl, CTL.POOL_IDLE_SEQ, seq, left);
    }
  } finally {
    if (waiting) {
      Atomics.sub(ctl, CTL.SPAWNS_WAITING, 1);
      Atomics.notify(ctl, CTL.SPAWNS_WAITING);
    }
  }
}

/**
 * Claims an idle slot for the thread; its id, or 0 when every worker is busy.
 * @param {Int32Array} ctl
 * @param {number} startArg
 */
function claimIdle(ctl, startArg) {
  const poolSize = Atomics.load(ctl, CTL.POOL_SIZE);
  for (let i = 0; i < poolSize; i++) {
    const at = CTL.SLOTS + i * SLOT_INTS;
    if (Atomics.compareExchange(ctl, at, SLOT.IDLE, SLOT.CLAIMED) === SLOT.IDLE) {
      const tid = Atomics.add(ctl, CTL.NEXT_TID, 1) + 1;
      Atomics.store(ctl, at + 1, tid);
      Atomics.store(ctl, at + 2, startArg);
      Atomics.store(ctl, at, SLOT.ASSIGNED);
      Atomics.notify(ctl, at);
      return tid;
    }
  }
  return 0;
}

/**
 * Whether a worker may still come: the page may start more, or one it
 * started is not up yet.
 * @param {Int32Array} ctl
 */
function canGrow(ctl) {
  const poolSize = Atomics.load(ctl, CTL.POOL_SIZE);
  if (poolSize < Atomics.load(ctl, CTL.POOL_LIMIT)) return true;
  for (let i = 0; i < poolSize; i++) {
    if (Atomics.load(ctl, CTL.SLOTS + i * SLOT_INTS) === SLOT.STARTING) return true;
  }
  return false;
}
