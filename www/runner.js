// @ts-check
// runner.js — the runner worker: owns one engine instance (one Python
// "process") and runs `pyrace request` in it once.
//
// Life: `init` (module, memory, control block) → instantiate → `ready`;
// `run` (stdin, env) → `_start` blocks this worker until the program ends →
// `exit`. A runner is used for one run only; the page terminates it after.
// A child process (multiprocessing) is a runner whose `init` carries its
// own command line (`pyrace -c …`): it enters `_start` at once and waits,
// warm, inside the engine until a parent claims it through the kernel.
// While `_start` runs this worker cannot receive messages, so output leaves
// it directly: through the shared output ring when threads are on (the page
// reads it with Atomics.waitAsync), else as one postMessage per write.
// The messages are protocol.js's ToRunner and FromWorker.

import { createImports } from './wasi-host.js';
import { ringWriter, CTL_BYTES } from './process-shared.js';
import { MailboxStdin } from './wasi-fd.js';
import { WASIProcExit } from './vendor/browser_wasi_shim/index.js';
import { workerReady, workerStdout, workerStderr, workerExit, workerCrash } from './protocol.js';

/**
 * @typedef {import('./protocol.js').ToRunner} ToRunner
 * @typedef {import('./protocol.js').FromWorker} FromWorker
 * @typedef {import('./protocol.js').ThreadedRunnerInit} ThreadedRunnerInit
 * @typedef {import('./protocol.js').SingleRunnerInit} SingleRunnerInit
 * @typedef {import('./protocol.js').RunnerRun} RunnerRun
 */

/** @type {WebAssembly.Instance} */
let instance;
/** @type {ReturnType<typeof createImports>} */
let host;
let flushOutput = () => {};
/** The engine's memory size now (for a crash report: did it run out?). */
let memoryBytes = () => 0;

/**
 * @param {FromWorker} msg
 * @param {Transferable[]} [transfer]
 */
const post = (msg, transfer = []) => self.postMessage(msg, transfer);

/** @param {MessageEvent<ToRunner>} e */
self.onmessage = async (e) => {
  const msg = e.data;
  try {
    if (msg.type === 'init') await init(msg);
    else if (msg.type === 'run') run(msg);
  } catch (err) {
    crash(err);
  }
};

/** @param {ThreadedRunnerInit | SingleRunnerInit} msg */
async function init(msg) {
  // Without cross-origin isolation nothing shared can be posted here, but a
  // worker may still create shared memory for itself.
  const memory = msg.threads ? msg.memory : new WebAssembly.Memory({ ...msg.memoryLimits, shared: true });
  memoryBytes = () => memory.buffer.byteLength;
  const ctl = msg.threads ? msg.ctl : new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true }).buffer;
  const ctlView = new Int32Array(ctl, 0, CTL_BYTES / 4);
  /** @param {Uint8Array} bytes */
  const stderr = (bytes) => post(workerStderr(bytes.slice()));
  let stdout;
  if (msg.threads) {
    stdout = ringWriter(ctlView, new Uint8Array(msg.ring));
  } else {
    ({ stdout, flush: flushOutput } = messagePoster());
  }
  const args = msg.threads ? msg.args : undefined;
  host = createImports({
    memory,
    ctl: ctlView,
    clockBaseMs: msg.clockBaseMs,
    args: args ?? ['pyrace', 'request'],
    env: [],
    stdin: new Uint8Array(),
    stdout,
    stderr,
    beforeBlock: () => flushOutput(),
    threads: msg.threads,
    isThread: false,
    kernel: msg.threads ? msg.kernel : null,
    slot: msg.threads ? msg.kernelSlot : 0,
    cpus: msg.cpus,
    stdlib: msg.stdlib,
  });
  instance = await WebAssembly.instantiate(msg.module, host.imports);
  post(workerReady());
  if (!msg.threads) return;
  if (msg.mailbox) {
    // Pre-started: enter the engine now, so that its start-up (up to the
    // read of the request on stdin) is done before the person presses Run.
    host.wasi.fds[0] = new MailboxStdin(msg.mailbox, () => flushOutput());
    start(msg.env);
  } else if (args) {
    // A child process: its program starts now and waits to be claimed.
    start(msg.env);
  }
}

/**
 * Output of a single-threaded process: one message per write. The engine
 * already coalesces a program's output into one event per 15 ms, so writes
 * are few; holding them back here could strand the last one while the
 * program computes without another host call.
 */
function messagePoster() {
  /** @param {Uint8Array} bytes */
  const stdout = (bytes) => {
    const copy = bytes.slice();
    post(workerStdout(copy), [copy.buffer]);
  };
  return { stdout, flush: () => {} };
}

/** @param {RunnerRun} msg */
function run({ stdin, env }) {
  /** @type {import('./vendor/browser_wasi_shim/index.js').OpenFile} */ (host.wasi.fds[0]).file.data =
    new TextEncoder().encode(stdin);
  start(env);
}

/** @param {string[]} env */
function start(env) {
  host.wasi.env = env;
  let code = 0;
  try {
    /** @type {() => void} */ (instance.exports._start)();
  } catch (err) {
    if (err instanceof WASIProcExit) code = err.code;
    else return crash(err);
  }
  flushOutput();
  post(workerExit(code));
}

/** @param {unknown} err */
function crash(err) {
  flushOutput();
  post(workerCrash(describe(err), memoryBytes()));
}

/** @param {unknown} err */
function describe(err) {
  if (err instanceof Error) return `${err.constructor.name}: ${err.message}`;
  return String(err);
}
