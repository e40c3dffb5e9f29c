// thread.js — a thread worker of the pre-spawned pool. It instantiates the
// engine module on the process's shared memory, reports ready, then waits
// on its mailbox slot in the control block for a (tid, start_arg) and runs
// `wasi_thread_start` on it; then waits for the next thread.
//
// The pool exists because a worker created while the runner is blocked in
// `_start` never starts: threads must come from workers that are already
// up. This worker blocks in Atomics.wait between threads, so it takes no
// messages after `init`; the page terminates it with its process.

import { createImports, ringWriter, ThreadProcExit, CTL, SLOT, SLOT_INTS } from './wasi-host.js';

self.onmessage = async (e) => {
  const { module, memory, ctl, ring, clockBaseMs, slot, kernel, kernelSlot, cpus } = e.data;
  const ctlView = new Int32Array(ctl);
  const at = CTL.SLOTS + slot * SLOT_INTS;
  let instance;
  try {
    const host = createImports({
      memory,
      ctl: ctlView,
      clockBaseMs,
      args: ['pyrace'],
      env: [],
      stdin: new Uint8Array(),
      stdout: ringWriter(ctlView, new Uint8Array(ring)),
      stderr: (bytes) => self.postMessage({ type: 'stderr', bytes: bytes.slice() }),
      threads: true,
      isThread: true,
      kernel,
      slot: kernelSlot,
      cpus,
    });
    instance = await WebAssembly.instantiate(module, host.imports);
  } catch (err) {
    self.postMessage({ type: 'crash', message: `thread worker failed to start: ${err}` });
    return;
  }
  Atomics.store(ctlView, at, SLOT.IDLE);
  self.postMessage({ type: 'ready' });
  for (;;) {
    while (Atomics.load(ctlView, at) !== SLOT.ASSIGNED) {
      Atomics.wait(ctlView, at, Atomics.load(ctlView, at));
    }
    Atomics.store(ctlView, at, SLOT.BUSY);
    const tid = Atomics.load(ctlView, at + 1);
    const startArg = Atomics.load(ctlView, at + 2);
    try {
      instance.exports.wasi_thread_start(tid, startArg);
    } catch (err) {
      if (err instanceof ThreadProcExit) {
        self.postMessage({ type: 'exit', code: err.code });
      } else {
        self.postMessage({ type: 'crash', message: `in thread ${tid}: ${err?.constructor?.name}: ${err?.message ?? err}` });
      }
      return;
    }
    Atomics.sub(ctlView, CTL.THREADS_ALIVE, 1);
    Atomics.store(ctlView, at, SLOT.IDLE);
  }
}
