// @ts-check
// wasi-poll.js — poll_oneoff: sleeps with Atomics.wait instead of
// busy-waiting, takes any number of subscriptions and writes `nevents`
// (RustPython's sleep reads it). A pipe's readiness is the kernel's
// (kernel-client.js): while one is polled the wait is on the kernel's
// sequence number, which every change to a pipe bumps.

import { wasi as defs } from './vendor/browser_wasi_shim/index.js';
import { K } from './kernel-layout.js';
import { CTL } from './process-shared.js';

/**
 * One subscription: a clock's (`deadlineNs` on `clock`) or a descriptor's
 * (`fd`; `state` its readiness once looked at, null for one that is not a
 * pipe).
 * @typedef {{userdata: bigint, tag: number, clock: number, deadlineNs: bigint, fd: number,
 *   state: {ready: boolean, nbytes: number, hangup: boolean, error: number} | null}} Subscription
 */

/**
 * @param {object} options
 * @param {WebAssembly.Memory} options.memory  the process's shared memory
 * @param {Int32Array} options.ctl  the control block (its sleep cell)
 * @param {import('./wasi-clock.js').Clocks} options.clocks
 * @param {import('./kernel-client.js').KernelClient} options.procs  the kernel as this instance sees it
 * @param {() => void} options.beforeBlock  called before the instance sleeps
 * @returns {(inPtr: number, outPtr: number, nsubs: number, neventsPtr: number) => number}
 */
export function pollOneoff({ memory, ctl, clocks, procs, beforeBlock }) {
  const view = () => new DataView(memory.buffer);
  return (inPtr, outPtr, nsubs, neventsPtr) => {
    if (nsubs === 0) return defs.ERRNO_INVAL;
    const subs = readSubscriptions(view(), inPtr, nsubs, clocks);
    /** @param {{clock: number}} s */
    const nowOf = (s) => clocks.nowOf(s.clock);
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
      const clockSubs = subs.filter((s) => s.tag === defs.EVENTTYPE_CLOCK);
      ready = clockSubs.filter((s) => s.deadlineNs <= nowOf(s));
      if (ready.length > 0) break;
      const waitNs = clockSubs.reduce((m, s) => {
        const left = s.deadlineNs - nowOf(s);
        return left < m ? left : m;
      }, BigInt(Number.MAX_SAFE_INTEGER));
      const waitMs = clockSubs.length > 0 ? Number(waitNs) / 1e6 : Infinity;
      beforeBlock();
      // Atomics.wait takes milliseconds as a double: sub-ms sleeps stay exact.
      if (onPipes) Atomics.wait(procs.k, K.SEQ, seq, waitMs);
      else Atomics.wait(ctl, CTL.SLEEP_CELL, 0, waitMs);
      if (!onPipes) {
        ready = clockSubs.filter((s) => s.deadlineNs <= nowOf(s));
        if (ready.length === 0) ready = [subs[0]];
        break;
      }
    }
    writeEvents(view(), outPtr, ready);
    view().setUint32(neventsPtr, ready.length, true);
    return defs.ERRNO_SUCCESS;
  };
}

/**
 * The subscriptions of a call, clock deadlines made absolute.
 * @param {DataView} dv
 * @param {number} inPtr
 * @param {number} nsubs
 * @param {import('./wasi-clock.js').Clocks} clocks
 * @returns {Subscription[]}
 */
function readSubscriptions(dv, inPtr, nsubs, clocks) {
  /** @type {Subscription[]} */
  const subs = [];
  for (let i = 0; i < nsubs; i++) {
    const p = inPtr + i * 48;
    const userdata = dv.getBigUint64(p, true);
    const tag = dv.getUint8(p + 8);
    if (tag === defs.EVENTTYPE_CLOCK) {
      const clock = dv.getUint32(p + 16, true);
      const timeout = dv.getBigUint64(p + 24, true);
      const flags = dv.getUint16(p + 40, true);
      const abs = (flags & defs.SUBCLOCKFLAGS_SUBSCRIPTION_CLOCK_ABSTIME) !== 0;
      subs.push({ userdata, tag, clock, deadlineNs: abs ? timeout : clocks.nowOf(clock) + timeout, fd: -1, state: null });
    } else {
      subs.push({ userdata, tag, clock: -1, deadlineNs: 0n, fd: dv.getUint32(p + 16, true), state: null });
    }
  }
  return subs;
}

/**
 * Writes one event per ready subscription.
 * @param {DataView} dv
 * @param {number} outPtr
 * @param {Subscription[]} ready
 */
function writeEvents(dv, outPtr, ready) {
  ready.forEach((s, i) => {
    const p = outPtr + i * 32;
    for (let b = 0; b < 32; b += 8) dv.setBigUint64(p + b, 0n, true);
    dv.setBigUint64(p, s.userdata, true);
    dv.setUint16(p + 8, s.state?.error ?? defs.ERRNO_SUCCESS, true);
    dv.setUint8(p + 10, s.tag);
    if (s.state) {
      dv.setBigUint64(p + 16, BigInt(s.state.nbytes), true);
      dv.setUint16(p + 24, s.state.hangup ? defs.EVENTRWFLAGS_FD_READWRITE_HANGUP : 0, true);
    }
  });
}
