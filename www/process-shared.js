// @ts-check
// process-shared.js — what every worker of a process and the page share
// about it: the layout of the control block (thread pool slots, the output
// ring's counters), the output ring's writer, and the stdin mailbox through
// which a runner started ahead receives its request.
//
// The thread pool grows while the program runs: a spawn that finds no idle
// worker asks the page for one (SPAWNS_WAITING, which the page watches) and
// waits for a slot to turn idle (POOL_IDLE_SEQ); the page starts workers
// up to POOL_LIMIT. A worker cannot be started from inside the blocked
// engine, but the page is never blocked.

import { writeRing } from './ring.js';

/** Indices into the process control block (an Int32Array over a SharedArrayBuffer). */
export const CTL = {
  NEXT_TID: 0, // last thread id handed out (wasi-threads ids are > 0)
  POOL_SIZE: 1, // number of thread workers in the pool
  THREADS_WANTED: 2, // most threads alive at once that the program asked for
  THREADS_ALIVE: 3, // threads running right now
  RING_LOCK: 4, // spin lock of the output ring (0 free, 1 held)
  RING_WRITTEN: 5, // bytes ever written to the ring (wraps at 2^32)
  RING_READ: 6, // bytes ever read from the ring by the page
  SLEEP_CELL: 7, // never notified: Atomics.wait on it is a plain sleep
  POOL_LIMIT: 8, // most thread workers the page will start for this process
  SPAWNS_WAITING: 9, // thread spawns waiting for a worker (the page starts more)
  POOL_IDLE_SEQ: 10, // bumped each time a slot turns idle; waiting spawns wait on it
  SLOTS: 16, // first pool slot; each slot is SLOT_INTS ints
};
export const SLOT_INTS = 4; // state, tid, start_arg, spare
// A slot starts at STARTING (0, the SharedArrayBuffer's initial value) so that
// no thread is handed to a worker that has not instantiated yet.
export const SLOT = { STARTING: 0, IDLE: 1, CLAIMED: 2, ASSIGNED: 3, BUSY: 4 };
export const MAX_POOL = 64;
/**
 * Longest a thread spawn waits for the page to start a worker before it
 * fails (EAGAIN): a worker starts in well under a second, even on a busy
 * machine; this only ends the wait if the page never answers.
 */
export const SPAWN_WAIT_MS = 20000;
export const CTL_BYTES = (CTL.SLOTS + MAX_POOL * SLOT_INTS) * 4;
/** The output ring: stdout of every instance of a process, in write order. */
export const RING_BYTES = 1 << 20;

/**
 * The stdin mailbox of a pre-started runner: the page writes the request
 * into it in chunks while the runner is blocked in `_start` reading fd 0.
 * Layout: Int32 header [state, length, last], then the chunk's bytes.
 */
// WAITING: set once the engine has started up and blocks on its first read,
// so the page knows the process no longer takes a core.
export const MAILBOX = { STATE: 0, LENGTH: 1, LAST: 2, WAITING: 3, HEADER_BYTES: 16, DATA_BYTES: 1 << 20 };
export const MAILBOX_STATE = { EMPTY: 0, FULL: 1 };

/**
 * Page side of the mailbox: writes `bytes` chunk by chunk as the runner reads.
 * @param {SharedArrayBuffer} buffer
 * @param {Uint8Array} bytes
 */
export async function writeMailbox(buffer, bytes) {
  const h = new Int32Array(buffer, 0, MAILBOX.HEADER_BYTES / 4);
  const data = new Uint8Array(buffer, MAILBOX.HEADER_BYTES);
  let offset = 0;
  do {
    while (Atomics.load(h, MAILBOX.STATE) !== MAILBOX_STATE.EMPTY) {
      const waiting = Atomics.waitAsync(h, MAILBOX.STATE, MAILBOX_STATE.FULL);
      if (waiting.async) await waiting.value;
    }
    const n = Math.min(data.length, bytes.length - offset);
    data.set(bytes.subarray(offset, offset + n));
    offset += n;
    Atomics.store(h, MAILBOX.LENGTH, n);
    Atomics.store(h, MAILBOX.LAST, offset >= bytes.length ? 1 : 0);
    Atomics.store(h, MAILBOX.STATE, MAILBOX_STATE.FULL);
    Atomics.notify(h, MAILBOX.STATE);
  } while (offset < bytes.length);
}

/**
 * Writes bytes into the process's output ring, waiting while the page has
 * not made room: a flood of output slows the program instead of the page.
 * @param {Int32Array} ctl
 * @param {Uint8Array} ring
 * @returns {(bytes: Uint8Array) => void}
 */
export function ringWriter(ctl, ring) {
  const cap = ring.length;
  return (bytes) => {
    let offset = 0;
    while (offset < bytes.length) {
      while (Atomics.compareExchange(ctl, CTL.RING_LOCK, 0, 1) !== 0) {
        Atomics.wait(ctl, CTL.RING_LOCK, 1, 1);
      }
      const written = Atomics.load(ctl, CTL.RING_WRITTEN) >>> 0;
      const read = Atomics.load(ctl, CTL.RING_READ) >>> 0;
      const free = cap - ((written - read) >>> 0);
      const n = Math.min(free, bytes.length - offset);
      writeRing(ring, written, bytes.subarray(offset, offset + n));
      offset += n;
      Atomics.store(ctl, CTL.RING_WRITTEN, (written + n) | 0);
      Atomics.store(ctl, CTL.RING_LOCK, 0);
      Atomics.notify(ctl, CTL.RING_LOCK, 1);
      if (n > 0) Atomics.notify(ctl, CTL.RING_WRITTEN);
      if (offset < bytes.length) {
        // Full: wait for the page to read (it notifies RING_READ).
        Atomics.wait(ctl, CTL.RING_READ, read | 0, 50);
      }
    }
  };
}

/**
 * Marks a pool slot idle (its worker is up, or its thread has ended) and
 * wakes the spawns waiting for one.
 * @param {Int32Array} ctl
 * @param {number} at  the slot's first index
 */
export function markSlotIdle(ctl, at) {
  Atomics.store(ctl, at, SLOT.IDLE);
  Atomics.add(ctl, CTL.POOL_IDLE_SEQ, 1);
  Atomics.notify(ctl, CTL.POOL_IDLE_SEQ);
}
