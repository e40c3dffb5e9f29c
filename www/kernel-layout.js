// @ts-check
// kernel-layout.js — where everything of the kernel (kernel.js) lives in its
// SharedArrayBuffer: the header, the process table (each process's state,
// ids and descriptor table), the pipes' counters and bytes, the
// semaphores; the few limits that size them; and the table lookups every
// side makes under the lock (kernel-lock.js).

/** Indices of the header, in Int32 units. */
export const K = {
  LOCK: 0, // spin lock of the tables: 0 free, else the holder's slot + 1
  SEQ: 1, // bumped and notified at every pipe or process change
  NEXT_PID: 2, // last process id handed out
  DOORBELL: 3, // bumped and notified when the page has work (spawn demand, kill)
  WARM_SEQ: 4, // bumped and notified when a child becomes claimable
  WAITING: 5, // spawns blocked for want of a claimable child
  CPUS: 6, // navigator.hardwareConcurrency
  WANT_WARM: 7, // children a running program wants warm before it runs again (refill_children)
  PARK: 8, // never notified: an ended process's instances wait on it until the browser ends them
  PROCS: 16,
};
export const MAX_PROCS = 48;
export const MAX_FDS = 64;
/** Pipe descriptors are numbered from here, apart from the WASI ones. */
export const FD_BASE = 512;
/** One process: its state, ids, claim, exit, Stop request and descriptor table. */
export const P = { STATE: 0, PID: 1, PPID: 2, CODE: 3, ROOT: 4, CLAIM: 5, PIPE: 6, SENTINEL: 7, KILL: 8, STOP: 9, FDS: 10 };
/**
 * P.STOP: whether the process looks for the reader's Stop (POLLS: its
 * program runs under the line tracer, which asks at least every
 * `stop_poll_seconds`) and whether Stop was pressed (REQUESTED). A process
 * that polls is given STOP_GRACE_MS to end on its own, keeping what it
 * measured; any other is ended at once.
 */
export const STOP = { NONE: 0, POLLS: 1, REQUESTED: 2 };
export const STOP_GRACE_MS = 1500;
export const PROC_INTS = P.FDS + MAX_FDS;
export const PROC = { FREE: 0, STARTING: 1, WARM: 2, RUNNING: 3, EXITED: 4 };

export const MAX_PIPES = 128;
export const PIPE_INTS = 5;
export const PIPE = { USED: 0, READERS: 1, WRITERS: 2, WRITTEN: 3, READ: 4 };
export const PIPE_BYTES = 32 * 1024;

export const MAX_SEMS = 1024;
export const SEM_INTS = 4;
export const SEM = { USED: 0, VALUE: 1, MAX: 2, ROOT: 3 };

export const PIPES = K.PROCS + MAX_PROCS * PROC_INTS;
export const SEMS = PIPES + MAX_PIPES * PIPE_INTS;
export const INTS = SEMS + MAX_SEMS * SEM_INTS;
export const DATA = Math.ceil((INTS * 4) / 4096) * 4096;
export const KERNEL_BYTES = DATA + MAX_PIPES * PIPE_BYTES;

/** How long a spawn waits for the page to start a child before giving up. */
export const SPAWN_TIMEOUT_MS = 60000;

export const WASI_ERRNO = { BADF: 8, PIPE: 64, SPIPE: 70 };

/** @param {number} slot */
export const procAt = (slot) => K.PROCS + slot * PROC_INTS;
/** @param {number} i */
export const pipeAt = (i) => PIPES + i * PIPE_INTS;
/** @param {number} h */
export const semAt = (h) => SEMS + h * SEM_INTS;

/** Why processes cannot start in a page without shared memory. */
export const PROCESSES_NEED_ISOLATION =
  'processes need the full playground: this page is not cross-origin isolated, so it cannot ' +
  'start other Python processes. Open it in pyrace to run them.';

/**
 * @param {number} cpus
 * @returns {Int32Array}
 */
export function createKernel(cpus) {
  const k = new Int32Array(new SharedArrayBuffer(KERNEL_BYTES), 0, INTS);
  k[K.NEXT_PID] = 100;
  k[K.CPUS] = cpus;
  return k;
}


/**
 * Drops one reference to the pipe end `entry` (from a descriptor table). Lock held.
 * @param {Int32Array} k
 * @param {number} entry
 */
export function dropEnd(k, entry) {
  const at = pipeAt((entry - 1) >> 1);
  const end = (entry - 1) & 1;
  Atomics.sub(k, at + (end ? PIPE.WRITERS : PIPE.READERS), 1);
  if (k[at + PIPE.READERS] <= 0 && k[at + PIPE.WRITERS] <= 0) k[at + PIPE.USED] = 0;
}

/**
 * @param {Int32Array} k
 * @param {number} entry
 */
export function addEnd(k, entry) {
  const at = pipeAt((entry - 1) >> 1);
  Atomics.add(k, at + ((entry - 1) & 1 ? PIPE.WRITERS : PIPE.READERS), 1);
}

/**
 * @param {Int32Array} k
 * @param {number} slot
 */
export function freeFd(k, slot) {
  const base = procAt(slot) + P.FDS;
  for (let i = 0; i < MAX_FDS; i++) if (k[base + i] === 0) return i;
  return -1;
}

/**
 * @param {Int32Array} k
 * @param {number} pid
 */
export function slotOfPid(k, pid) {
  for (let s = 0; s < MAX_PROCS; s++) {
    const at = procAt(s);
    if (k[at + P.STATE] !== PROC.FREE && k[at + P.PID] === pid) return s;
  }
  return -1;
}

/**
 * Children claimable now, and those starting up.
 * @param {Int32Array} k
 */
export function claimable(k) {
  let warm = 0;
  let starting = 0;
  for (let s = 0; s < MAX_PROCS; s++) {
    const state = k[procAt(s) + P.STATE];
    if (state === PROC.WARM) warm++;
    else if (state === PROC.STARTING) starting++;
  }
  return { warm, starting };
}
