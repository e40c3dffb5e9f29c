// @ts-check
// wasi-proc.js — proc_exit and sched_yield. proc_exit in a thread worker
// ends the whole process, not only that thread: the thread throws
// ThreadProcExit, which its worker reports to the page.

import { WASIProcExit, wasi as defs } from './vendor/browser_wasi_shim/index.js';

/** Thrown by proc_exit in a thread worker: the whole process must end. */
export class ThreadProcExit extends Error {
  /** @param {number} code */
  constructor(code) {
    super(`exit with exit code ${code}`);
    this.code = code;
  }
}

/**
 * @param {boolean} isThread  true in a pool worker
 * @param {() => void} beforeBlock  delivers buffered output before the instance ends
 */
export function procImports(isThread, beforeBlock) {
  return {
    /** @type {(code: number) => never} */
    proc_exit: (code) => {
      beforeBlock();
      throw isThread ? new ThreadProcExit(code) : new WASIProcExit(code);
    },
    sched_yield: () => defs.ERRNO_SUCCESS,
  };
}
