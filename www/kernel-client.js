// @ts-check
// kernel-client.js — the kernel (kernel.js) as one engine instance sees it:
// `pyrace_host.call` requests, dispatched to the host-call table
// (kernel-ops.js), and the WASI calls on pipe descriptors (fd_read,
// fd_write, fd_close, poll_oneoff) that wasi-pipe.js and wasi-poll.js hand over.

import { BLOCKING_OPS, osError, unavailableError } from './protocol.js';
import { readRing, writeRing } from './ring.js';
import {
  K, P, PIPE, PROC, WASI_ERRNO, DATA, INTS, PIPE_BYTES, MAX_FDS, FD_BASE, PROCESSES_NEED_ISOLATION,
  dropEnd, pipeAt, procAt,
} from './kernel-layout.js';
import { lock, unlock } from './kernel-lock.js';
import { OPS } from './kernel-ops.js';

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
