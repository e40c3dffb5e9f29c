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
// poll_oneoff), which wasi-pipe.js and wasi-poll.js hand to `KernelClient`.
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

//
// The kernel's rooms: kernel-layout.js (where everything lives in the
// buffer), kernel-lock.js (the lock), this file (the process table as the
// page drives it), kernel-client.js (an engine instance's side) and
// kernel-ops.js (the host-call table).

import {
  K, P, PROC, MAX_PROCS, MAX_FDS, MAX_PIPES, MAX_SEMS, PIPE, SEM, PROC_INTS, procAt, pipeAt, semAt, dropEnd, claimable,
} from './kernel-layout.js';
import { lock, unlock, PAGE } from './kernel-lock.js';

export { K, P, PROC, STOP, STOP_GRACE_MS, MAX_PROCS, FD_BASE, KERNEL_BYTES, procAt, createKernel, PROCESSES_NEED_ISOLATION } from './kernel-layout.js';
export { KernelClient } from './kernel-client.js';

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
