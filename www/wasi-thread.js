// @ts-check
// wasi-thread.js — `wasi.thread-spawn`: hands (tid, start_arg) to an idle
// worker of the process's pre-spawned pool through its slot in the control
// block (process-shared.js), and counts the threads the program wanted.

import { CTL, SLOT, SLOT_INTS } from './process-shared.js';

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
    Atomics.sub(ctl, CTL.THREADS_ALIVE, 1);
    return EAGAIN;
  };
}
