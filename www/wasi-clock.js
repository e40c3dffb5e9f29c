// @ts-check
// wasi-clock.js — WASI's clocks for one engine instance: one monotonic zero
// shared by every worker of a process (each worker's own
// `performance.now()` starts at a different zero), and the resolution the
// browser really gives.

import { wasi as defs } from './vendor/browser_wasi_shim/index.js';

/**
 * The clocks of one instance, in nanoseconds.
 * @typedef {object} Clocks
 * @property {() => bigint} monotonicNs  since the process's shared zero
 * @property {() => bigint} realtimeNs  since the Unix epoch
 * @property {(clock: number) => bigint} nowOf  the reading of a WASI clock id
 */

/**
 * @param {number} clockBaseMs  performance.timeOrigin of the page: the shared monotonic zero
 * @returns {Clocks}
 */
export function processClocks(clockBaseMs) {
  const offsetMs = performance.timeOrigin - clockBaseMs;
  const monotonicNs = () => BigInt(Math.round((performance.now() + offsetMs) * 1e6));
  const realtimeNs = () => BigInt(Math.round((performance.timeOrigin + performance.now()) * 1e6));
  /** @param {number} clock */
  const nowOf = (clock) => (clock === defs.CLOCKID_REALTIME ? realtimeNs() : monotonicNs());
  return { monotonicNs, realtimeNs, nowOf };
}

/**
 * clock_time_get and clock_res_get. The process and thread CPU-time clocks
 * (ids 2 and 3) read the monotonic clock: a browser has no CPU time.
 * @param {Clocks} clocks
 * @param {() => DataView} view  the instance's memory
 */
export function clockImports(clocks, view) {
  return {
    /** @type {(id: number, precision: bigint, out: number) => number} */
    clock_time_get: (id, _precision, out) => {
      if (id === defs.CLOCKID_REALTIME) view().setBigUint64(out, clocks.realtimeNs(), true);
      else if (id === defs.CLOCKID_MONOTONIC || id === 2 || id === 3) view().setBigUint64(out, clocks.monotonicNs(), true);
      else return defs.ERRNO_INVAL;
      return defs.ERRNO_SUCCESS;
    },
    /** @type {(id: number, out: number) => number} */
    clock_res_get: (id, out) => {
      // 5 µs when cross-origin isolated, 100 µs otherwise (Chromium's coarsening).
      const res = globalThis.crossOriginIsolated ? 5000n : 100000n;
      if (id > 3) return defs.ERRNO_INVAL;
      view().setBigUint64(out, id === defs.CLOCKID_REALTIME ? 1000000n : res, true);
      return defs.ERRNO_SUCCESS;
    },
  };
}
