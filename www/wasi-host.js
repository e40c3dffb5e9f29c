// @ts-check
// wasi-host.js — the WASI imports of one engine instance (the runner's or a
// thread's), built on @bjorn3/browser_wasi_shim with its gaps patched:
//   - clocks: one monotonic zero shared by every worker of a process
//     (each worker's own `performance.now()` starts at a different zero);
//   - poll_oneoff: sleeps with Atomics.wait instead of busy-waiting, takes
//     any number of subscriptions and writes `nevents` (RustPython's sleep
//     reads it);
//   - random_get: crypto.getRandomValues refuses shared memory, so fill a
//     private buffer and copy (the shim falls back to Math.random);
//   - stdout/stderr go to the sinks given, and are not ttys (no ANSI colour);
//   - proc_exit in a thread ends the whole process, not only that thread;
//   - wasi.thread-spawn hands (tid, arg) to an idle pre-spawned pool worker;
//   - pipe descriptors (numbered from FD_BASE) and `pyrace_host.call` are
//     the page's kernel (kernel.js): processes, pipes, semaphores; one
//     table per process, so every thread of a process sees its pipes.
// Shared layout of the process control block lives here too, so the page,
// the runner and the thread workers agree on it.

import {
  WASI,
  WASIProcExit,
  Fd,
  Inode,
  File,
  OpenFile,
  PreopenDirectory,
  Directory,
  wasi as defs,
} from './vendor/browser_wasi_shim/index.js';
import { KernelClient, K } from './kernel.js';
import { writeRing } from './ring.js';
import { osError } from './protocol.js';
import { stdlibDirectory, STDLIB_MOUNT } from './stdlib-fs.js';

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
  SLOTS: 16, // first pool slot; each slot is SLOT_INTS ints
};
export const SLOT_INTS = 4; // state, tid, start_arg, spare
// A slot starts at STARTING (0, the SharedArrayBuffer's initial value) so that
// no thread is handed to a worker that has not instantiated yet.
export const SLOT = { STARTING: 0, IDLE: 1, CLAIMED: 2, ASSIGNED: 3, BUSY: 4 };
export const MAX_POOL = 64;
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

/** fd 0 of a pre-started runner: reads block until the page has written the request. */
export class MailboxStdin extends Fd {
  /**
   * @param {SharedArrayBuffer} buffer  the mailbox
   * @param {() => void} beforeBlock  called before a read waits
   */
  constructor(buffer, beforeBlock) {
    super();
    this.header = new Int32Array(buffer, 0, MAILBOX.HEADER_BYTES / 4);
    this.data = new Uint8Array(buffer, MAILBOX.HEADER_BYTES);
    this.offset = 0;
    this.ended = false;
    this.beforeBlock = beforeBlock;
  }
  /** @param {number} size */
  fd_read(size) {
    const h = this.header;
    while (!this.ended && Atomics.load(h, MAILBOX.STATE) !== MAILBOX_STATE.FULL) {
      this.beforeBlock();
      Atomics.store(h, MAILBOX.WAITING, 1);
      Atomics.wait(h, MAILBOX.STATE, MAILBOX_STATE.EMPTY);
    }
    if (this.ended) return { ret: 0, data: new Uint8Array() };
    const length = Atomics.load(h, MAILBOX.LENGTH);
    const n = Math.min(size, length - this.offset);
    const data = this.data.slice(this.offset, this.offset + n);
    this.offset += n;
    if (this.offset >= length) {
      this.offset = 0;
      this.ended = Atomics.load(h, MAILBOX.LAST) === 1;
      Atomics.store(h, MAILBOX.STATE, MAILBOX_STATE.EMPTY);
      Atomics.notify(h, MAILBOX.STATE);
    }
    return { ret: 0, data };
  }
  fd_fdstat_get() {
    return { ret: 0, fdstat: new defs.Fdstat(defs.FILETYPE_CHARACTER_DEVICE, 0) };
  }
  fd_filestat_get() {
    return { ret: 0, filestat: new defs.Filestat(0n, defs.FILETYPE_CHARACTER_DEVICE, 0n) };
  }
}

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

/** Thrown by proc_exit in a thread worker: the whole process must end. */
export class ThreadProcExit extends Error {
  /** @param {number} code */
  constructor(code) {
    super(`exit with exit code ${code}`);
    this.code = code;
  }
}

/** An fd whose writes go to a callback: stdout/stderr. Not a tty. */
class SinkFd extends Fd {
  /** @param {(bytes: Uint8Array) => void} sink */
  constructor(sink) {
    super();
    this.ino = Inode.issue_ino();
    this.sink = sink;
  }
  /** @param {Uint8Array} data */
  fd_write(data) {
    this.sink(data);
    return { ret: 0, nwritten: data.byteLength };
  }
  fd_fdstat_get() {
    // wasi-libc's isatty() is "fdstat says character device without seek
    // rights"; saying regular file here keeps tracebacks free of colour codes.
    const fdstat = new defs.Fdstat(defs.FILETYPE_REGULAR_FILE, 0);
    fdstat.fs_rights_base = BigInt(defs.RIGHTS_FD_WRITE);
    return { ret: 0, fdstat };
  }
  fd_filestat_get() {
    // Python's io stack fstat()s its standard streams at start-up; a
    // character device is a stream that cannot seek.
    return { ret: 0, filestat: new defs.Filestat(this.ino, defs.FILETYPE_CHARACTER_DEVICE, 0n) };
  }
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
 * The root directory: /tmp, and /stdlib where the build has one.
 * @param {import('./stdlib-fs.js').StdlibIndex | undefined} stdlib
 * @returns {Map<string, Inode>}
 */
function rootEntries(stdlib) {
  /** @type {Map<string, Inode>} */
  const root = new Map([['tmp', new Directory(new Map())]]);
  if (stdlib) root.set(STDLIB_MOUNT, stdlibDirectory(stdlib));
  return root;
}

/**
 * Builds the import object of one instance.
 * @param {object} options
 * @param {WebAssembly.Memory} options.memory  the process's shared memory
 * @param {Int32Array} options.ctl  control block (shared in thread mode, private otherwise)
 * @param {number} options.clockBaseMs  performance.timeOrigin of the page: the shared monotonic zero
 * @param {string[]} options.args  WASI args
 * @param {string[]} options.env  WASI environment
 * @param {Uint8Array} [options.stdin]  bytes of fd 0
 * @param {(bytes: Uint8Array) => void} options.stdout  takes a Uint8Array (copy it to keep it)
 * @param {(bytes: Uint8Array) => void} options.stderr  likewise
 * @param {() => void} [options.beforeBlock]  called before the instance sleeps (flush buffered output)
 * @param {boolean} options.threads  true when thread-spawn may use the pool
 * @param {boolean} options.isThread  true in a pool worker: proc_exit ends the process
 * @param {SharedArrayBuffer | null} [options.kernel]  the page's kernel, null when not isolated
 * @param {number} [options.slot]  this process's slot in the kernel
 * @param {number} [options.cpus]  the machine's logical cores
 * @param {import('./stdlib-fs.js').StdlibIndex} [options.stdlib]  the stdlib's files that are not frozen
 */
export function createImports({
  memory,
  ctl,
  clockBaseMs,
  args,
  env,
  stdin,
  stdout,
  stderr,
  beforeBlock = () => {},
  threads,
  isThread,
  kernel = null,
  slot = 0,
  cpus = 1,
  stdlib,
}) {
  const fds = [
    new OpenFile(new File(stdin ?? new Uint8Array())),
    new SinkFd(stdout),
    new SinkFd(stderr),
    new PreopenDirectory('/', rootEntries(stdlib)),
  ];
  const wasi = new WASI(args, env, fds, { debug: false });
  // The shim reads `inst.exports.memory`; the memory is imported, and thread
  // instances never call _start, so bind it here once for every instance.
  wasi.inst = { exports: { memory } };
  const imp = wasi.wasiImport;

  const offsetMs = performance.timeOrigin - clockBaseMs;
  const monotonicNs = () => BigInt(Math.round((performance.now() + offsetMs) * 1e6));
  const realtimeNs = () => BigInt(Math.round((performance.timeOrigin + performance.now()) * 1e6));
  const view = () => new DataView(memory.buffer);

  imp.clock_time_get = (id, _precision, out) => {
    if (id === defs.CLOCKID_REALTIME) view().setBigUint64(out, realtimeNs(), true);
    else if (id === defs.CLOCKID_MONOTONIC || id === 2 || id === 3) view().setBigUint64(out, monotonicNs(), true);
    else return defs.ERRNO_INVAL;
    return defs.ERRNO_SUCCESS;
  };
  imp.clock_res_get = (id, out) => {
    // 5 µs when cross-origin isolated, 100 µs otherwise (Chromium's coarsening).
    const res = globalThis.crossOriginIsolated ? 5000n : 100000n;
    if (id > 3) return defs.ERRNO_INVAL;
    view().setBigUint64(out, id === defs.CLOCKID_REALTIME ? 1000000n : res, true);
    return defs.ERRNO_SUCCESS;
  };

  const procs = new KernelClient(kernel, slot, cpus, beforeBlock);

  imp.poll_oneoff = (inPtr, outPtr, nsubs, neventsPtr) => {
    if (nsubs === 0) return defs.ERRNO_INVAL;
    const dv = view();
    /**
     * One subscription: a clock's (`deadlineNs` on `clock`) or a
     * descriptor's (`fd`; `state` its readiness once looked at, null
     * for one that is not a pipe).
     * @type {{userdata: bigint, tag: number, clock: number, deadlineNs: bigint, fd: number,
     *   state: {ready: boolean, nbytes: number, hangup: boolean, error: number} | null}[]}
     */
    const subs = [];
    for (let i = 0; i < nsubs; i++) {
      const p = inPtr + i * 48;
      const userdata = dv.getBigUint64(p, true);
      const tag = dv.getUint8(p + 8);
      if (tag === defs.EVENTTYPE_CLOCK) {
        const clock = dv.getUint32(p + 16, true);
        const timeout = dv.getBigUint64(p + 24, true);
        const flags = dv.getUint16(p + 40, true);
        const now = clock === defs.CLOCKID_REALTIME ? realtimeNs() : monotonicNs();
        const abs = (flags & defs.SUBCLOCKFLAGS_SUBSCRIPTION_CLOCK_ABSTIME) !== 0;
        subs.push({ userdata, tag, clock, deadlineNs: abs ? timeout : now + timeout, fd: -1, state: null });
      } else {
        subs.push({ userdata, tag, clock: -1, deadlineNs: 0n, fd: dv.getUint32(p + 16, true), state: null });
      }
    }
    /** @param {{clock: number}} s */
    const nowOf = (s) => (s.clock === defs.CLOCKID_REALTIME ? realtimeNs() : monotonicNs());
    const onPipes = subs.some((s) => s.tag !== defs.EVENTTYPE_CLOCK && procs.isPipeFd(s.fd));
    let ready;
    for (;;) {
      const seq = onPipes ? procs.seq() : 0;
      // A pipe is ready when it has bytes (or room) or its other end is
      // gone; any other descriptor (stdin, files) is always ready.
      ready = [];
      for (const s of subs) {
        if (s.tag === defs.EVENTTYPE_CLOCK) continue;
        s.state = procs.isPipeFd(s.fd) ? procs.readiness(s.fd, s.tag === defs.EVENTTYPE_FD_WRITE) : null;
        if (s.state === null || s.state.ready) ready.push(s);
      }
      if (ready.length > 0) break;
      const clocks = subs.filter((s) => s.tag === defs.EVENTTYPE_CLOCK);
      ready = clocks.filter((s) => s.deadlineNs <= nowOf(s));
      if (ready.length > 0) break;
      const waitNs = clocks.reduce((m, s) => {
        const left = s.deadlineNs - nowOf(s);
        return left < m ? left : m;
      }, BigInt(Number.MAX_SAFE_INTEGER));
      const waitMs = clocks.length > 0 ? Number(waitNs) / 1e6 : Infinity;
      beforeBlock();
      // Atomics.wait takes milliseconds as a double: sub-ms sleeps stay exact.
      if (onPipes) Atomics.wait(procs.k, K.SEQ, seq, waitMs);
      else Atomics.wait(ctl, CTL.SLEEP_CELL, 0, waitMs);
      if (!onPipes) {
        ready = clocks.filter((s) => s.deadlineNs <= nowOf(s));
        if (ready.length === 0) ready = [subs[0]];
        break;
      }
    }
    const dv2 = view();
    ready.forEach((s, i) => {
      const p = outPtr + i * 32;
      for (let b = 0; b < 32; b += 8) dv2.setBigUint64(p + b, 0n, true);
      dv2.setBigUint64(p, s.userdata, true);
      dv2.setUint16(p + 8, s.state?.error ?? defs.ERRNO_SUCCESS, true);
      dv2.setUint8(p + 10, s.tag);
      if (s.state) {
        dv2.setBigUint64(p + 16, BigInt(s.state.nbytes), true);
        dv2.setUint16(p + 24, s.state.hangup ? defs.EVENTRWFLAGS_FD_READWRITE_HANGUP : 0, true);
      }
    });
    dv2.setUint32(neventsPtr, ready.length, true);
    return defs.ERRNO_SUCCESS;
  };

  // Pipe descriptors go to the kernel; the others to the shim.
  /**
   * @param {string} name
   * @param {(fd: number, ...rest: number[]) => number} pipe
   */
  const onPipe = (name, pipe) => {
    const other = imp[name];
    imp[name] = (fd, ...rest) => (procs.isPipeFd(fd) ? pipe(fd, ...rest) : other(fd, ...rest));
  };
  onPipe('fd_read', (fd, iovsPtr, iovsLen, nreadPtr) => {
    const dv = view();
    let size = 0;
    for (let i = 0; i < iovsLen; i++) size += dv.getUint32(iovsPtr + i * 8 + 4, true);
    const read = procs.read(fd, size);
    if (read.bytes === undefined) return read.errno;
    const bytes = read.bytes;
    const mem = new Uint8Array(memory.buffer);
    let done = 0;
    for (let i = 0; i < iovsLen && done < bytes.length; i++) {
      const buf = dv.getUint32(iovsPtr + i * 8, true);
      const len = Math.min(dv.getUint32(iovsPtr + i * 8 + 4, true), bytes.length - done);
      mem.set(bytes.subarray(done, done + len), buf);
      done += len;
    }
    view().setUint32(nreadPtr, bytes.length, true);
    return defs.ERRNO_SUCCESS;
  });
  onPipe('fd_write', (fd, iovsPtr, iovsLen, nwrittenPtr) => {
    const dv = view();
    const parts = [];
    let size = 0;
    for (let i = 0; i < iovsLen; i++) {
      const buf = dv.getUint32(iovsPtr + i * 8, true);
      const len = dv.getUint32(iovsPtr + i * 8 + 4, true);
      parts.push([buf, len]);
      size += len;
    }
    const bytes = new Uint8Array(size);
    const mem = new Uint8Array(memory.buffer);
    let at = 0;
    for (const [buf, len] of parts) {
      bytes.set(mem.subarray(buf, buf + len), at);
      at += len;
    }
    const written = procs.write(fd, bytes);
    if (written.n === undefined) return written.errno;
    view().setUint32(nwrittenPtr, written.n, true);
    return defs.ERRNO_SUCCESS;
  });
  onPipe('fd_close', (fd) => procs.close(fd));
  onPipe('fd_seek', () => defs.ERRNO_SPIPE);
  onPipe('fd_tell', () => defs.ERRNO_SPIPE);
  onPipe('fd_fdstat_set_flags', () => defs.ERRNO_SUCCESS);
  // A pipe's type is "unknown", as WASI runtimes report pipes: a character
  // device without seek rights would read as a tty.
  onPipe('fd_fdstat_get', (fd, ptr) => {
    const fdstat = new defs.Fdstat(defs.FILETYPE_UNKNOWN, 0);
    fdstat.fs_rights_base = BigInt(defs.RIGHTS_FD_READ | defs.RIGHTS_FD_WRITE | defs.RIGHTS_POLL_FD_READWRITE);
    fdstat.write_bytes(view(), ptr);
    return defs.ERRNO_SUCCESS;
  });
  onPipe('fd_filestat_get', (fd, ptr) => {
    new defs.Filestat(BigInt(fd), defs.FILETYPE_UNKNOWN, 0n).write_bytes(view(), ptr);
    return defs.ERRNO_SUCCESS;
  });

  const encoder = new TextEncoder();
  const decoder = new TextDecoder();
  /** `pyrace_host.call`: one JSON request of the engine's process support, its JSON reply. */
  /** @type {(reqPtr: number, reqLen: number, outPtr: number, outCap: number) => number} */
  const hostCall = (reqPtr, reqLen, outPtr, outCap) => {
    let reply;
    try {
      const req = JSON.parse(decoder.decode(new Uint8Array(memory.buffer).slice(reqPtr, reqPtr + reqLen)));
      reply = procs.call(req);
    } catch (err) {
      reply = osError('EIO', `host: ${err instanceof Error ? err.message : err}`);
    }
    const bytes = encoder.encode(JSON.stringify(reply));
    if (bytes.length > outCap) return -1;
    new Uint8Array(memory.buffer).set(bytes, outPtr);
    return bytes.length;
  };

  const entropy = new Uint8Array(65536);
  imp.random_get = (ptr, len) => {
    const mem = new Uint8Array(memory.buffer);
    for (let done = 0; done < len; done += entropy.length) {
      const n = Math.min(entropy.length, len - done);
      crypto.getRandomValues(entropy.subarray(0, n));
      mem.set(entropy.subarray(0, n), ptr + done);
    }
    return defs.ERRNO_SUCCESS;
  };

  imp.sched_yield = () => defs.ERRNO_SUCCESS;

  imp.proc_exit = (code) => {
    beforeBlock();
    throw isThread ? new ThreadProcExit(code) : new WASIProcExit(code);
  };

  /** @param {number} startArg */
  const threadSpawn = (startArg) => {
    if (!threads) return -6; // EAGAIN: RustPython raises "can't start new thread"
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
    return -6;
  };

  return {
    wasi,
    imports: {
      env: { memory },
      wasi_snapshot_preview1: imp,
      wasi: { 'thread-spawn': threadSpawn },
      pyrace_host: { call: hostCall },
    },
  };
}
