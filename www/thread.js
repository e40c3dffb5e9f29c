// @ts-check
// thread.js — a thread worker of a process's pool. It instantiates the
// engine module on the process's shared memory, reports ready, then waits
// on its mailbox slot in the control block for a (tid, start_arg) and runs
// `wasi_thread_start` on it; then waits for the next thread.
//
// The pool exists because the engine, blocked in `_start`, cannot start a
// worker itself: the page starts them, some ahead and the rest when a spawn
// asks (process-shared.js). This worker blocks in Atomics.wait between
// threads, so it takes no messages after `init`; the page terminates it
// with its process.
// The messages are protocol.js's ToThread and FromWorker.

import { createImports } from './wasi-host.js';
import { ringWriter, markSlotIdle, CTL, SLOT, SLOT_INTS } from './process-shared.js';
import { ThreadProcExit } from './wasi-proc.js';
import { workerReady, workerStderr, workerExit, workerCrash } from './protocol.js';

/** @param {import('./protocol.js').FromWorker} msg */
const post = (msg) => self.postMessage(msg);

/** @param {MessageEvent<import('./protocol.js').ToThread>} e */
self.onmessage = async (e) => {
  if (e.data.type !== 'init') return;
  const { module, memory, ctl, ring, clockBaseMs, slot, kernel, kernelSlot, cpus, stdlib } = e.data;
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
      stderr: (bytes) => post(workerStderr(bytes.slice())),
      threads: true,
      isThread: true,
      kernel,
      slot: kernelSlot,
      cpus,
      stdlib,
    });
    instance = await WebAssembly.instantiate(module, host.imports);
  } catch (err) {
    post(workerCrash(`thread worker failed to start: ${err}`));
    return;
  }
  markSlotIdle(ctlView, at);
  post(workerReady());
  for (;;) {
    while (Atomics.load(ctlView, at) !== SLOT.ASSIGNED) {
      Atomics.wait(ctlView, at, Atomics.load(ctlView, at));
    }
    Atomics.store(ctlView, at, SLOT.BUSY);
    const tid = Atomics.load(ctlView, at + 1);
    const startArg = Atomics.load(ctlView, at + 2);
    try {
      /** @type {(tid: number, arg: number) => void} */ (instance.exports.wasi_thread_start)(tid, startArg);
    } catch (err) {
      if (err instanceof ThreadProcExit) {
        post(workerExit(err.code));
      } else {
        const what = err instanceof Error ? `${err.constructor.name}: ${err.message}` : String(err);
        post(workerCrash(`in thread ${tid}: ${what}`));
      }
      return;
    }
    Atomics.sub(ctlView, CTL.THREADS_ALIVE, 1);
    markSlotIdle(ctlView, at);
  }
}
