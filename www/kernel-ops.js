// @ts-check
// kernel-ops.js — the host-call table: each `pyrace_host.call` request but
// `self` (pipes, descriptors, processes, semaphores), run by a
// KernelClient (kernel-client.js) on the kernel's tables under its lock.

import { osError, valueError } from './protocol.js';
import {
  K, P, PIPE, PROC, SEM, STOP, FD_BASE, MAX_PIPES, MAX_PROCS, MAX_SEMS, PIPE_INTS, SPAWN_TIMEOUT_MS,
  addEnd, claimable, freeFd, pipeAt, procAt, semAt, slotOfPid,
} from './kernel-layout.js';
import { unlock } from './kernel-lock.js';

/** @typedef {import('./kernel-client.js').KernelClient} KernelClient */
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
 * The requests of `pyrace_host.call` (all but `self`), run with `this` a KernelClient.
 * @type {{[O in Exclude<HostOp, 'self'>]: (this: KernelClient, req: HostRequestOf<O>) => HostReplyOf<O>}}
 */
export const OPS = {
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

  /**
   * Whether the reader pressed Stop; the first ask marks the process as
   * one that looks (P.STOP), so that Stop gives it time to end by itself.
   */
  stop_requested() {
    const at = procAt(this.slot) + P.STOP;
    Atomics.compareExchange(this.k, at, STOP.NONE, STOP.POLLS);
    return { requested: Atomics.load(this.k, at) === STOP.REQUESTED };
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

