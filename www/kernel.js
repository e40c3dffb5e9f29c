// @ts-check
// kernel.js — what the Python processes of a page share: a process table,
// pipes and semaphores, in one SharedArrayBuffer that the page posts to
// every worker it creates. Each process is an engine instance with its own
// memory (a runner worker and its thread workers), so nothing else can be
// shared between them.
//
// The engine reaches the kernel through one import, `pyrace_host.call`
// (JSON in and out: spawn, wait, kill, pipe, dup, semaphores; see
// engine/src/host_process.rs and the shim _pyrace_procs.py), and through
// ordinary WASI calls on pipe descriptors (fd_read, fd_write, fd_close,
// poll_oneoff), which wasi-host.js hands to `KernelClient`.
//
// Every table change happens under one spin lock and bumps SEQ; whoever
// waits for a pipe or a process (read, write, select) waits on SEQ with
// Atomics.wait. The page never blocks: it starts the child processes that
// a blocked spawn asks for (a worker cannot start while its creator is
// blocked), ends the ones a parent kills, and cleans up after an exit.
//
// An ended process is fenced off: its slot is marked first, and every
// request of its instances checks, under the lock, that the slot is still
// theirs (same pid, not exited). Chromium's Worker.terminate() ends a worker
// that never returns to its event loop (an engine blocked in `_start`) only
// after a delay of up to two seconds; meanwhile the slot may already hold
// the next process, whose pipes and semaphores the old one would otherwise
// read and take. A fenced instance parks until the browser ends it.

import { BLOCKING_OPS, osError, valueError, unavailableError } from './protocol.js';
import { readRing, writeRing } from './ring.js';

/**
 * @typedef {import('./protocol.js').HostOp} HostOp
 * @typedef {import('./protocol.js').HostRequest} HostRequest
 */
/**
 * @template {HostOp} O
 * @typedef {import('./protocol.js').HostRequestOf<O>} HostRequestOf
 */
/**
 * @template {HostOp} O
 * @typedef {import('./protocol.js').HostReplyOf<O>} HostReplyOf
 */

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
const MAX_FDS = 64;
/** Pipe descriptors are numbered from here, apart from the WASI ones. */
export const FD_BASE = 512;
/** One process: its state, ids, claim, exit and descriptor table. */
export const P = { STATE: 0, PID: 1, PPID: 2, CODE: 3, ROOT: 4, CLAIM: 5, PIPE: 6, SENTINEL: 7, KILL: 8, FDS: 9 };
const PROC_INTS = P.FDS + MAX_FDS;
export const PROC = { FREE: 0, STARTING: 1, WARM: 2, RUNNING: 3, EXITED: 4 };

const MAX_PIPES = 128;
const PIPE_INTS = 5;
const PIPE = { USED: 0, READERS: 1, WRITERS: 2, WRITTEN: 3, READ: 4 };
const PIPE_BYTES = 32 * 1024;

const MAX_SEMS = 1024;
const SEM_INTS = 4;
const SEM = { USED: 0, VALUE: 1, MAX: 2, ROOT: 3 };

const PIPES = K.PROCS + MAX_PROCS * PROC_INTS;
const SEMS = PIPES + MAX_PIPES * PIPE_INTS;
const INTS = SEMS + MAX_SEMS * SEM_INTS;
const DATA = Math.ceil((INTS * 4) / 4096) * 4096;
export const KERNEL_BYTES = DATA + MAX_PIPES * PIPE_BYTES;

/** How long a spawn waits for the page to start a child before giving up. */
const SPAWN_TIMEOUT_MS = 60000;

const WASI_ERRNO = { BADF: 8, PIPE: 64, SPIPE: 70 };

/** @param {number} slot */
export const procAt = (slot) => K.PROCS + slot * PROC_INTS;
/** @param {number} i */
const pipeAt = (i) => PIPES + i * PIPE_INTS;
/** @param {number} h */
const semAt = (h) => SEMS + h * SEM_INTS;

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
function lock(k, who, endingHolder = 0) {
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
function unlock(k, changed = true) {
  if (changed) Atomics.add(k, K.SEQ, 1);
  Atomics.store(k, K.LOCK, 0);
  Atomics.notify(k, K.LOCK, 1);
  if (changed) Atomics.notify(k, K.SEQ);
}

/** The lock holder id of the page itself. */
const PAGE = MAX_PROCS + 1;

/**
 * Drops one reference to the pipe end `entry` (from a descriptor table). Lock held.
 * @param {Int32Array} k
 * @param {number} entry
 */
function dropEnd(k, entry) {
  const at = pipeAt((entry - 1) >> 1);
  const end = (entry - 1) & 1;
  Atomics.sub(k, at + (end ? PIPE.WRITERS : PIPE.READERS), 1);
  if (k[at + PIPE.READERS] <= 0 && k[at + PIPE.WRITERS] <= 0) k[at + PIPE.USED] = 0;
}

/**
 * @param {Int32Array} k
 * @param {number} entry
 */
function addEnd(k, entry) {
  const at = pipeAt((entry - 1) >> 1);
  Atomics.add(k, at + ((entry - 1) & 1 ? PIPE.WRITERS : PIPE.READERS), 1);
}

/**
 * @param {Int32Array} k
 * @param {number} slot
 */
function freeFd(k, slot) {
  const base = procAt(slot) + P.FDS;
  for (let i = 0; i < MAX_FDS; i++) if (k[base + i] === 0) return i;
  return -1;
}

/**
 * @param {Int32Array} k
 * @param {number} pid
 */
function slotOfPid(k, pid) {
  for (let s = 0; s < MAX_PROCS; s++) {
    const at = procAt(s);
    if (k[at + P.STATE] !== PROC.FREE && k[at + P.PID] === pid) return s;
  }
  return -1;
}

// --- the page's side --------------------------------------------------------

/**
 * Allocates a process slot; a root process (a run of its own) is running at once.
 * @param {Int32Array} k
 * @param {{root: boolean}} options
 */
export function allocProcess(k, { root }) {
  lock(k, PAGE);
  let slot = -1;
  for (let s = 0; s < MAX_PROCS; s++) {
    if (k[procAt(s) + P.STATE] === PROC.FREE) {
      slot = s;
      break;
    }
  }
  if (slot >= 0) {
    const at = procAt(slot);
    k.fill(0, at, at + PROC_INTS);
    k[at + P.PID] = ++k[K.NEXT_PID];
    k[at + P.STATE] = root ? PROC.RUNNING : PROC.STARTING;
    k[at + P.ROOT] = root ? slot + 1 : 0;
  }
  unlock(k);
  return slot;
}

/**
 * A process ended (exit, crash, kill): closes its descriptors, records its
 * exit code for its parent's wait, and frees a lock it may have held.
 * An unclaimed child, or a root, is freed at once (nobody waits for it).
 * @param {Int32Array} k
 * @param {number} slot
 * @param {number} code
 */
export function processEnded(k, slot, code) {
  lock(k, PAGE, slot + 1);
  const at = procAt(slot);
  for (let i = 0; i < MAX_FDS; i++) {
    const entry = k[at + P.FDS + i];
    if (entry !== 0) {
      dropEnd(k, entry);
      k[at + P.FDS + i] = 0;
    }
  }
  const waited = k[at + P.STATE] === PROC.RUNNING && k[at + P.PPID] !== 0;
  k[at + P.CODE] = code;
  k[at + P.STATE] = waited ? PROC.EXITED : PROC.FREE;
  unlock(k);
  Atomics.notify(k, at + P.STATE);
}

/**
 * Frees what a finished run leaves: its semaphores, and exited children nobody waited for.
 * @param {Int32Array} k
 * @param {number} rootSlot
 */
export function runEnded(k, rootSlot) {
  lock(k, PAGE);
  for (let h = 0; h < MAX_SEMS; h++) {
    if (k[semAt(h) + SEM.USED] && k[semAt(h) + SEM.ROOT] === rootSlot + 1) k[semAt(h) + SEM.USED] = 0;
  }
  for (let s = 0; s < MAX_PROCS; s++) {
    const at = procAt(s);
    if (k[at + P.STATE] === PROC.EXITED && k[at + P.ROOT] === rootSlot + 1) k[at + P.STATE] = PROC.FREE;
  }
  unlock(k);
}

/**
 * Slots whose parent asked to kill them: [[slot, signal]]; the requests are taken.
 * @param {Int32Array} k
 * @returns {[number, number][]}
 */
export function takeKills(k) {
  /** @type {[number, number][]} */
  const kills = [];
  for (let s = 0; s < MAX_PROCS; s++) {
    const signal = Atomics.exchange(k, procAt(s) + P.KILL, 0);
    if (signal !== 0 && k[procAt(s) + P.STATE] === PROC.RUNNING) kills.push([s, signal]);
  }
  return kills;
}

/**
 * Children claimable now, and those starting up.
 * @param {Int32Array} k
 */
function claimable(k) {
  let warm = 0;
  let starting = 0;
  for (let s = 0; s < MAX_PROCS; s++) {
    const state = k[procAt(s) + P.STATE];
    if (state === PROC.WARM) warm++;
    else if (state === PROC.STARTING) starting++;
  }
  return { warm, starting };
}

/**
 * Children that are starting or claimable, and spawns waiting for one.
 * @param {Int32Array} k
 */
export function childSupply(k) {
  const { warm, starting } = claimable(k);
  return { spare: warm + starting, waiting: Atomics.load(k, K.WAITING), wantWarm: Atomics.load(k, K.WANT_WARM) };
}

/**
 * What the table holds now: pipes and semaphores in use, and processes by
 * state (free slots left out). What a finished program leaves behind shows
 * here, so tests compare it before and after.
 * @param {Int32Array} k
 */
export function kernelUsage(k) {
  let pipes = 0;
  let semaphores = 0;
  const processes = { starting: 0, warm: 0, running: 0, exited: 0 };
  /** @type {(keyof typeof processes)[]} by state, from STARTING (FREE is not counted) */
  const names = ['starting', 'warm', 'running', 'exited'];
  for (let i = 0; i < MAX_PIPES; i++) if (k[pipeAt(i) + PIPE.USED]) pipes++;
  for (let h = 0; h < MAX_SEMS; h++) if (k[semAt(h) + SEM.USED]) semaphores++;
  for (let s = 0; s < MAX_PROCS; s++) {
    const state = k[procAt(s) + P.STATE];
    if (state !== PROC.FREE) processes[names[state - 1]]++;
  }
  return { pipes, semaphores, processes };
}

/**
 * @param {Int32Array} k
 * @param {number} slot
 */
export const rootOf = (k, slot) => k[procAt(slot) + P.ROOT] - 1;
/**
 * @param {Int32Array} k
 * @param {number} slot
 */
export const pidOf = (k, slot) => k[procAt(slot) + P.PID];

// --- an engine instance's side ----------------------------------------------

/**
 * The kernel as one engine instance (a runner or a thread of process
 * `slot`) sees it. Without a kernel (a page that is not cross-origin
 * isolated) every service but `self` answers that processes need the
 * full playground.
 */
export class KernelClient {
  /**
   * @param {SharedArrayBuffer | Int32Array | null} kernel  the kernel (its buffer or its view), null for none
   * @param {number} slot  this instance's process slot
   * @param {number} cpus  navigator.hardwareConcurrency, for `self` without a kernel
   * @param {() => void} beforeBlock  called before the instance waits (delivers buffered output)
   */
  constructor(kernel, slot, cpus, beforeBlock) {
    const buffer = kernel instanceof Int32Array ? kernel.buffer : kernel;
    /** Whether there is a kernel; without one, `k` and `data` are empty and no descriptor is a pipe. */
    this.available = buffer !== null;
    // Without a kernel, empty views (SharedArrayBuffer itself is missing in a page that is not isolated).
    this.k = buffer ? new Int32Array(buffer, 0, INTS) : new Int32Array(0);
    this.data = buffer ? new Uint8Array(buffer, DATA) : new Uint8Array(0);
    this.slot = slot;
    this.who = slot + 1;
    this.cpus = cpus;
    this.beforeBlock = beforeBlock;
    // The process this instance belongs to: its slot outlives it.
    this.pid = this.available ? this.k[procAt(slot) + P.PID] : 0;
  }

  /** Whether this instance's process has ended (exited, killed, or its slot reused). */
  ended() {
    const at = procAt(this.slot);
    const state = Atomics.load(this.k, at + P.STATE);
    return Atomics.load(this.k, at + P.PID) !== this.pid || state === PROC.FREE || state === PROC.EXITED;
  }

  /** Goes on only while the process lives; an ended one waits here until the browser ends its worker. */
  fence() {
    if (!this.ended()) return;
    this.beforeBlock();
    for (;;) Atomics.wait(this.k, K.PARK, Atomics.load(this.k, K.PARK));
  }

  /** Takes the table lock on behalf of a live process (an ended one never gets it). */
  lockTable() {
    lock(this.k, this.who);
    if (this.ended()) {
      unlock(this.k, false);
      this.fence();
    }
  }

  /** @param {number} fd */
  isPipeFd(fd) {
    return this.available && fd >= FD_BASE && fd < FD_BASE + MAX_FDS;
  }

  /**
   * Serves one `pyrace_host.call` request.
   * @param {HostRequest} req
   * @returns {HostReplyOf<HostOp>}
   */
  call(req) {
    const k = this.k;
    if (req.op === 'self') {
      const blocking_ops = BLOCKING_OPS;
      if (!this.available) return { pid: 1, ppid: 0, cpus: this.cpus, first_pipe_fd: FD_BASE, blocking_ops };
      const at = procAt(this.slot);
      return { pid: k[at + P.PID], ppid: k[at + P.PPID], cpus: k[K.CPUS], first_pipe_fd: FD_BASE, blocking_ops };
    }
    if (!this.available) return unavailableError(PROCESSES_NEED_ISOLATION);
    this.fence();
    if (!Object.hasOwn(OPS, req.op)) return osError('ENOSYS', `unknown host request ${req.op}`);
    // TypeScript cannot tie the looked-up op to the request of the same op.
    return OPS[req.op].call(this, /** @type {any} */ (req));
  }

  /**
   * Waits on `index` while it holds `value`, at most `ms` (flushing output first).
   * @param {number} index
   * @param {number} value
   * @param {number} [ms]
   */
  wait(index, value, ms = Infinity) {
    this.beforeBlock();
    const woke = Atomics.wait(this.k, index, value, ms);
    this.fence();
    return woke;
  }

  /**
   * The bytes of pipe `i`: a ring of PIPE_BYTES.
   * @param {number} i
   */
  pipeBuffer(i) {
    return this.data.subarray(i * PIPE_BYTES, (i + 1) * PIPE_BYTES);
  }

  /** @param {number} fd */
  entry(fd) {
    return this.k[procAt(this.slot) + P.FDS + (fd - FD_BASE)];
  }

  /**
   * fd_read on a pipe: blocks until there are bytes or no writer is left (end of file).
   * @param {number} fd
   * @param {number} size
   * @returns {{bytes: Uint8Array, errno?: undefined} | {errno: number, bytes?: undefined}}
   */
  read(fd, size) {
    const k = this.k;
    for (;;) {
      this.lockTable();
      const entry = this.entry(fd);
      if (entry === 0 || (entry - 1) & 1) {
        unlock(k, false);
        return { errno: WASI_ERRNO.BADF };
      }
      const i = (entry - 1) >> 1;
      const at = pipeAt(i);
      const avail = (k[at + PIPE.WRITTEN] - k[at + PIPE.READ]) >>> 0;
      if (avail > 0 || k[at + PIPE.WRITERS] <= 0) {
        const n = Math.min(avail, size);
        const read = k[at + PIPE.READ] >>> 0;
        const bytes = readRing(this.pipeBuffer(i), read, n);
        k[at + PIPE.READ] = (read + n) | 0;
        unlock(k, n > 0);
        return { bytes };
      }
      const seq = Atomics.load(k, K.SEQ);
      unlock(k, false);
      this.wait(K.SEQ, seq);
    }
  }

  /**
   * fd_write on a pipe: blocks until every byte is in, or fails (EPIPE) once no reader is left.
   * @param {number} fd
   * @param {Uint8Array} bytes
   * @returns {{n: number, errno?: undefined} | {errno: number, n?: undefined}}
   */
  write(fd, bytes) {
    const k = this.k;
    let offset = 0;
    for (;;) {
      this.lockTable();
      const entry = this.entry(fd);
      if (entry === 0 || !((entry - 1) & 1)) {
        unlock(k, false);
        return { errno: WASI_ERRNO.BADF };
      }
      const i = (entry - 1) >> 1;
      const at = pipeAt(i);
      if (k[at + PIPE.READERS] <= 0) {
        unlock(k, false);
        return offset > 0 ? { n: offset } : { errno: WASI_ERRNO.PIPE };
      }
      const written = k[at + PIPE.WRITTEN] >>> 0;
      const room = PIPE_BYTES - ((written - (k[at + PIPE.READ] >>> 0)) >>> 0);
      const n = Math.min(room, bytes.length - offset);
      writeRing(this.pipeBuffer(i), written, bytes.subarray(offset, offset + n));
      k[at + PIPE.WRITTEN] = (written + n) | 0;
      offset += n;
      const seq = Atomics.load(k, K.SEQ) + (n > 0 ? 1 : 0);
      unlock(k, n > 0);
      if (offset >= bytes.length) return { n: offset };
      this.wait(K.SEQ, seq);
    }
  }

  /** @param {number} fd */
  close(fd) {
    const k = this.k;
    this.lockTable();
    const cell = procAt(this.slot) + P.FDS + (fd - FD_BASE);
    const entry = k[cell];
    if (entry === 0) {
      unlock(k, false);
      return WASI_ERRNO.BADF;
    }
    k[cell] = 0;
    dropEnd(k, entry);
    unlock(k);
    return 0;
  }

  /**
   * For poll_oneoff: { ready, nbytes, hangup } of a pipe descriptor, for reading or writing.
   * @param {number} fd
   * @param {boolean} forWrite
   */
  readiness(fd, forWrite) {
    const k = this.k;
    this.fence();
    const entry = this.entry(fd);
    if (entry === 0) return { ready: true, error: WASI_ERRNO.BADF, nbytes: 0, hangup: false };
    const at = pipeAt((entry - 1) >> 1);
    const queued = (k[at + PIPE.WRITTEN] - k[at + PIPE.READ]) >>> 0;
    if (forWrite) {
      const gone = k[at + PIPE.READERS] <= 0;
      return { ready: gone || queued < PIPE_BYTES, nbytes: PIPE_BYTES - queued, hangup: gone, error: 0 };
    }
    const eof = k[at + PIPE.WRITERS] <= 0;
    return { ready: eof || queued > 0, nbytes: queued, hangup: eof, error: 0 };
  }

  seq() {
    return Atomics.load(this.k, K.SEQ);
  }
}

/**
 * The requests of `pyrace_host.call` (all but `self`), run with `this` a KernelClient.
 * @type {{[O in Exclude<HostOp, 'self'>]: (this: KernelClient, req: HostRequestOf<O>) => HostReplyOf<O>}}
 */
const OPS = {
  pipe() {
    const k = this.k;
    this.lockTable();
    let i = 0;
    while (i < MAX_PIPES && k[pipeAt(i) + PIPE.USED]) i++;
    const fdAt = procAt(this.slot) + P.FDS;
    const r = freeFd(k, this.slot);
    if (r >= 0) k[fdAt + r] = -1; // reserved while the second is found
    const w = freeFd(k, this.slot);
    if (r >= 0) k[fdAt + r] = 0;
    if (i === MAX_PIPES || r < 0 || w < 0) {
      unlock(k, false);
      return osError(i === MAX_PIPES ? 'ENFILE' : 'EMFILE', i === MAX_PIPES ? 'too many pipes open in this run' : 'too many pipes open in this process');
    }
    const at = pipeAt(i);
    k.fill(0, at, at + PIPE_INTS);
    k[at + PIPE.USED] = 1;
    k[at + PIPE.READERS] = 1;
    k[at + PIPE.WRITERS] = 1;
    k[fdAt + r] = i * 2 + 1;
    k[fdAt + w] = i * 2 + 2;
    unlock(k);
    return { r: FD_BASE + r, w: FD_BASE + w };
  },

  dup({ fd }) {
    const k = this.k;
    this.lockTable();
    const entry = this.isPipeFd(fd) ? this.entry(fd) : 0;
    const to = freeFd(k, this.slot);
    if (entry === 0 || to < 0) {
      unlock(k, false);
      return entry === 0 ? osError('EBADF', 'Bad file descriptor') : osError('EMFILE', 'too many pipes open in this process');
    }
    k[procAt(this.slot) + P.FDS + to] = entry;
    addEnd(k, entry);
    unlock(k);
    return { fd: FD_BASE + to };
  },

  /** Claims a child that waits warm, gives it `fds` (same numbers) and its preparation pipe. */
  spawn({ fds, pipe }) {
    const k = this.k;
    const deadline = performance.now() + SPAWN_TIMEOUT_MS;
    let counted = false;
    try {
      for (;;) {
        const warmSeq = Atomics.load(k, K.WARM_SEQ);
        this.lockTable();
        let child = -1;
        for (let s = 0; s < MAX_PROCS; s++) {
          if (k[procAt(s) + P.STATE] === PROC.WARM) {
            child = s;
            break;
          }
        }
        if (child >= 0) {
          const me = procAt(this.slot);
          const at = procAt(child);
          for (const fd of fds) {
            if (typeof fd !== 'number' || !this.isPipeFd(fd)) continue;
            const entry = this.entry(fd);
            const cell = at + P.FDS + (fd - FD_BASE);
            if (entry === 0 || k[cell] !== 0) continue;
            k[cell] = entry;
            addEnd(k, entry);
          }
          // The child's own copy of its pipe: spawn_main's parent sentinel.
          const sentinel = freeFd(k, child);
          if (sentinel >= 0 && this.isPipeFd(pipe) && this.entry(pipe) !== 0) {
            k[at + P.FDS + sentinel] = this.entry(pipe);
            addEnd(k, this.entry(pipe));
          }
          k[at + P.STATE] = PROC.RUNNING;
          k[at + P.PPID] = k[me + P.PID];
          k[at + P.ROOT] = k[me + P.ROOT];
          k[at + P.PIPE] = pipe;
          k[at + P.SENTINEL] = sentinel >= 0 ? FD_BASE + sentinel : -1;
          k[at + P.CLAIM] = 1;
          unlock(k);
          Atomics.notify(k, at + P.CLAIM);
          // The page keeps a spare ready for the next spawn.
          Atomics.add(k, K.DOORBELL, 1);
          Atomics.notify(k, K.DOORBELL);
          return { pid: k[at + P.PID] };
        }
        unlock(k, false);
        if (!counted) {
          Atomics.add(k, K.WAITING, 1);
          counted = true;
        }
        Atomics.add(k, K.DOORBELL, 1);
        Atomics.notify(k, K.DOORBELL);
        const left = deadline - performance.now();
        if (left <= 0) return osError('EAGAIN', 'no process could be started: the page did not start one in time');
        this.wait(K.WARM_SEQ, warmSeq, Math.min(left, 1000));
      }
    } finally {
      if (counted) Atomics.sub(k, K.WAITING, 1);
    }
  },

  /**
   * Between two runs of a timed program in one process: asks the page for
   * `count` claimable children and waits (at most `timeout` seconds) until
   * they are up, so that the next run's Process.start() claims a warm child
   * and no start-up competes with the run, as between runs on the page.
   */
  refill_children({ count, timeout }) {
    const k = this.k;
    const deadline = performance.now() + (timeout ?? 10) * 1000;
    Atomics.store(k, K.WANT_WARM, count);
    try {
      for (;;) {
        const warmSeq = Atomics.load(k, K.WARM_SEQ);
        Atomics.add(k, K.DOORBELL, 1);
        Atomics.notify(k, K.DOORBELL);
        const { warm, starting } = claimable(k);
        const left = deadline - performance.now();
        if ((warm >= count && starting === 0) || left <= 0) return { warm };
        this.wait(K.WARM_SEQ, warmSeq, Math.min(left, 200));
      }
    } finally {
      Atomics.store(k, K.WANT_WARM, 0);
    }
  },

  /** A child engine: becomes claimable, then waits until a parent claims it. */
  assignment() {
    const k = this.k;
    const at = procAt(this.slot);
    this.lockTable();
    k[at + P.STATE] = PROC.WARM;
    unlock(k);
    Atomics.add(k, K.WARM_SEQ, 1);
    Atomics.notify(k, K.WARM_SEQ);
    while (Atomics.load(k, at + P.CLAIM) === 0) this.wait(at + P.CLAIM, 0);
    return { pipe: k[at + P.PIPE], sentinel: k[at + P.SENTINEL], ppid: k[at + P.PPID] };
  },

  /** Waits (at most `timeout` seconds; null: for ever) for child `pid`; its exit code, or null. */
  wait({ pid, timeout }) {
    const k = this.k;
    const deadline = timeout === null || timeout === undefined ? Infinity : performance.now() + timeout * 1000;
    for (;;) {
      const slot = slotOfPid(k, pid);
      if (slot < 0 || k[procAt(slot) + P.PPID] !== k[procAt(this.slot) + P.PID]) {
        return osError('ECHILD', 'No child processes');
      }
      const at = procAt(slot);
      const state = Atomics.load(k, at + P.STATE);
      if (state === PROC.EXITED) {
        this.lockTable();
        const code = k[at + P.CODE];
        k[at + P.STATE] = PROC.FREE;
        unlock(k);
        return { exitcode: code };
      }
      const left = deadline - performance.now();
      if (left <= 0) return { exitcode: null };
      this.wait(at + P.STATE, state, Math.min(left, 1000));
    }
  },

  /** Asks the page to end child `pid`; exit code -signal, as a signal gives in CPython. */
  kill({ pid, signal }) {
    const k = this.k;
    const slot = slotOfPid(k, pid);
    if (slot < 0) return osError('ESRCH', 'No such process');
    Atomics.store(k, procAt(slot) + P.KILL, signal || 15);
    Atomics.add(k, K.DOORBELL, 1);
    Atomics.notify(k, K.DOORBELL);
    return {};
  },

  sem_open({ value, max }) {
    const k = this.k;
    this.lockTable();
    let h = 0;
    while (h < MAX_SEMS && k[semAt(h) + SEM.USED]) h++;
    if (h === MAX_SEMS) {
      unlock(k, false);
      return osError('ENOSPC', `too many semaphores in this run (at most ${MAX_SEMS})`);
    }
    const at = semAt(h);
    k[at + SEM.USED] = 1;
    k[at + SEM.VALUE] = value;
    k[at + SEM.MAX] = max;
    k[at + SEM.ROOT] = k[procAt(this.slot) + P.ROOT];
    unlock(k);
    return { handle: h };
  },

  /** Frees semaphores this process created: the program that made them ended. */
  sem_free({ handles }) {
    const k = this.k;
    const root = k[procAt(this.slot) + P.ROOT];
    this.lockTable();
    for (const h of handles) {
      if (Number.isInteger(h) && h >= 0 && h < MAX_SEMS && k[semAt(h) + SEM.ROOT] === root) k[semAt(h) + SEM.USED] = 0;
    }
    unlock(k);
    return {};
  },

  sem_acquire({ handle, timeout }) {
    const k = this.k;
    const cell = semAt(handle) + SEM.VALUE;
    const deadline = timeout === null || timeout === undefined ? Infinity : performance.now() + timeout * 1000;
    for (;;) {
      const v = Atomics.load(k, cell);
      if (v > 0) {
        if (Atomics.compareExchange(k, cell, v, v - 1) !== v) continue;
        if (this.ended()) {
          // Ended while taking it: the unit goes back to the living.
          Atomics.add(k, cell, 1);
          Atomics.notify(k, cell, 1);
          this.fence();
        }
        return { ok: true };
      }
      const left = deadline - performance.now();
      if (left <= 0) return { ok: false };
      this.wait(cell, 0, left);
    }
  },

  sem_release({ handle }) {
    const k = this.k;
    const at = semAt(handle);
    for (;;) {
      const v = Atomics.load(k, at + SEM.VALUE);
      if (v >= k[at + SEM.MAX]) return valueError('semaphore or lock released too many times');
      if (Atomics.compareExchange(k, at + SEM.VALUE, v, v + 1) === v) break;
    }
    Atomics.notify(k, at + SEM.VALUE, 1);
    return {};
  },

  sem_value({ handle }) {
    return { value: Atomics.load(this.k, semAt(handle) + SEM.VALUE) };
  },
};
