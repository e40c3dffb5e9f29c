// @ts-check
// wasi-random.js — random_get: crypto.getRandomValues refuses shared memory,
// so it fills a private buffer that is copied in (the shim would fall back
// to Math.random).

import { wasi as defs } from './vendor/browser_wasi_shim/index.js';

/** @param {WebAssembly.Memory} memory  the process's shared memory */
export function randomImports(memory) {
  const entropy = new Uint8Array(65536);
  return {
    /** @type {(ptr: number, len: number) => number} */
    random_get: (ptr, len) => {
      const mem = new Uint8Array(memory.buffer);
      for (let done = 0; done < len; done += entropy.length) {
        const n = Math.min(entropy.length, len - done);
        crypto.getRandomValues(entropy.subarray(0, n));
        mem.set(entropy.subarray(0, n), ptr + done);
      }
      return defs.ERRNO_SUCCESS;
    },
  };
}
