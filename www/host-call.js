// @ts-check
// host-call.js — `pyrace_host.call`, the engine's one import of its own:
// a JSON request of the engine's process support (processes, pipes,
// semaphores) read from memory, answered by the kernel (kernel-client.js),
// its JSON reply written back.

import { osError } from './protocol.js';

/**
 * @param {WebAssembly.Memory} memory  the process's shared memory
 * @param {import('./kernel-client.js').KernelClient} procs  the kernel as this instance sees it
 * @returns {(reqPtr: number, reqLen: number, outPtr: number, outCap: number) => number}
 *   the reply's length, or -1 when it does not fit in `outCap` bytes
 */
export function hostCall(memory, procs) {
  const encoder = new TextEncoder();
  const decoder = new TextDecoder();
  return (reqPtr, reqLen, outPtr, outCap) => {
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
}
