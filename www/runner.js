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

import { createImports, ringWriter, MailboxStdin, CTL_BYTES } from './wasi-host.js';
import { WASIProcExit } from './vendor/browser_wasi_shim/index.js';

let instance;
let host;
let flushOutput = () => {};
/** The engine's memory size now (for a crash report: did it run out?). */
let memoryBytes = () => 0;

self.onmessage = async (e) => {
  const msg = e.data;
  try {
    if (msg.type === 'init') await init(msg);
    else if (msg.type === 'run') run(msg);
  } catch (err) {
    crash(err);
  }
};

async function init({ module, memory, memoryLimits, ctl, ring, mailbox, env, clockBaseMs, threads, kernel, kernelSlot, cpus, args }) {
  // Without cross-origin isolation nothing shared can be posted here, but a
  // worker may still create shared memory for itself.
  memory ??= new WebAssembly.Memory({ ...memoryLimits, shared: true });
  memoryBytes = () => memory.buffer.byteLength;
  const ctlView = new Int32Array(ctl ?? new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true }).buffer, 0, CTL_BYTES / 4);
  const stderr = (bytes) => self.postMessage({ type: 'stderr', bytes: bytes.slice() });
  let stdout;
  if (ring) {
    stdout = ringWriter(ctlView, new Uint8Array(ring));
  } else {
    ({ stdout, flush: flushOutput } = messagePoster());
  }
  host = createImports({
    memory,
    ctl: ctlView,
    clockBaseMs,
    args: args ?? ['pyrace', 'request'],
    env: [],
    stdin: new Uint8Array(),
    stdout,
    stderr,
    beforeBlock: () => flushOutput(),
    threads,
    isThread: false,
    kernel,
    slot: kernelSlot,
    cpus,
  });
  instance = await WebAssembly.instantiate(module, host.imports);
  self.postMessage({ type: 'ready' });
  if (mailbox) {
    // Pre-started: enter the engine now, so that its start-up (up to the
    // read of the request on stdin) is done before the person presses Run.
    host.wasi.fds[0] = new MailboxStdin(mailbox, () => flushOutput());
    start(env);
  } else if (args) {
    // A child process: its program starts now and waits to be claimed.
    start(env);
  }
}

/**
 * Output of a single-threaded process: one message per write. The engine
 * already coalesces a program's output into one event per 15 ms, so writes
 * are few; holding them back here could strand the last one while the
 * program computes without another host call.
 */
function messagePoster() {
  const stdout = (bytes) => {
    const copy = bytes.slice();
    self.postMessage({ type: 'stdout', bytes: copy }, [copy.buffer]);
  };
  return { stdout, flush: () => {} };
}

function run({ stdin, env }) {
  host.wasi.fds[0].file.data = new TextEncoder().encode(stdin);
  start(env);
}

function start(env) {
  host.wasi.env = env;
  let code = 0;
  try {
    instance.exports._start();
  } catch (err) {
    if (err instanceof WASIProcExit) code = err.code;
    else return crash(err);
  }
  flushOutput();
  self.postMessage({ type: 'exit', code });
}

function crash(err) {
  flushOutput();
  self.postMessage({ type: 'crash', message: describe(err), memoryBytes: memoryBytes() });
}

function describe(err) {
  if (err instanceof Error) return `${err.constructor.name}: ${err.message}`;
  return String(err);
}
