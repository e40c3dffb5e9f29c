// @ts-check
// kernel-lock.js — the kernel's one spin lock: every table change happens
// under it and bumps SEQ, which whoever waits for a pipe or a process
// waits on with Atomics.wait. The page, which cannot wait, spins.

import { K, MAX_PROCS } from './kernel-layout.js';

/** The lock holder id of the page itself. */
export const PAGE = MAX_PROCS + 1;


/** Longest the page waits for a lock held by a process it is ending before it takes the lock over. */
const STEAL_LOCK_AFTER_MS = 50;

/**
 * Takes the table lock; `who` is the holder's slot + 1. Held for
 * microseconds only. The page may name `endingHolder`, the id of a process
 * it is ending: if that one still holds the lock after STEAL_LOCK_AFTER_MS
 * (it was ended inside a table update), the page takes the lock over.
 * @param {Int32Array} k
 * @param {number} who
 * @param {number} [endingHolder]
 */
export function lock(k, who, endingHolder = 0) {
  let since = 0;
  for (let spins = 0; Atomics.compareExchange(k, K.LOCK, 0, who) !== 0; spins++) {
    // The page cannot Atomics.wait: it spins (the lock is held only for a table update).
    if (spins > 100 && typeof Atomics.wait === 'function' && who !== PAGE) Atomics.wait(k, K.LOCK, Atomics.load(k, K.LOCK), 1);
    if (endingHolder !== 0 && spins % 1024 === 0) {
      since ||= performance.now();
      if (performance.now() - since > STEAL_LOCK_AFTER_MS && Atomics.compareExchange(k, K.LOCK, endingHolder, who) === endingHolder) return;
    }
  }
}

/**
 * @param {Int32Array} k
 * @param {boolean} [changed]
 */
export function unlock(k, changed = true) {
  if (changed) Atomics.add(k, K.SEQ, 1);
  Atomics.store(k, K.LOCK, 0);
  Atomics.notify(k, K.LOCK, 1);
  if (changed) Atomics.notify(k, K.SEQ);
}

