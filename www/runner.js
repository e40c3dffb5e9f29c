// runner.js — the runner worker: owns one engine instance (one Python
// "process") and runs `pyrace request` in it once.
//
// Life: `init` (module, memory, control block) → instantiate → `ready`;
// `run` (stdin, env) → `_start` blocks this worker until the program ends →
// `exit`. A runner is used for one run only; the page terminates it after.
// While `_start` runs this worker cannot receive messages, so output leaves
// it directly: through the shared output ring when threads are on (the page
// reads it with Atomics.waitAsync), else as batched postMessages.

import { createImports, ringWriter, MailboxStdin, CTL_BYTES } from './wasi-host.js';
import { WASIProcExit } from './vendor/browser_wasi_shim/index.js';

/** Post buffered output at most this often while the program writes. */
const BATCH_MS = 8;
const BATCH_BYTES = 64 * 1024;

let instance;
let host;
let flushOutput = () => {};

self.onmessage = async (e) => {
  const msg = e.data;
  try {
    if (msg.type === 'init') await init(msg);
    else if (msg.type === 'run') run(msg);
  } catch (err) {
    crash(err);
  }
};

async function init({ module, memory, memoryLimits, ctl, ring, mailbox, env, clockBaseMs, threads }) {
  // Without cross-origin isolation nothing shared can be posted here, but a
  // worker may still create shared memory for itself.
  memory ??= new WebAssembly.Memory({ ...memoryLimits, shared: true });
  const ctlView = new Int32Array(ctl ?? new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true }).buffer, 0, CTL_BYTES / 4);
  const stderr = (bytes) => self.postMessage({ type: 'stderr', bytes: bytes.slice() });
  let stdout;
  if (ring) {
    stdout = ringWriter(ctlView, new Uint8Array(ring));
  } else {
    ({ stdout, flush: flushOutput } = batchedPoster());
  }
  host = createImports({
    memory,
    ctl: ctlView,
    clockBaseMs,
    args: ['pyrace', 'request'],
    env: [],
    stdin: new Uint8Array(),
    stdout,
    stderr,
    beforeBlock: () => flushOutput(),
    threads,
    isThread: false,
  });
  instance = await WebAssembly.instantiate(module, host.imports);
  self.postMessage({ type: 'ready' });
  if (mailbox) {
    // Pre-started: enter the engine now, so that its start-up (up to the
    // read of the request on stdin) is done before the person presses Run.
    host.wasi.fds[0] = new MailboxStdin(mailbox, () => flushOutput());
    start(env);
  }
}

/** Output of a single-threaded process: coalesced into few messages. */
function batchedPoster() {
  let chunks = [];
  let size = 0;
  let lastPost = 0;
  const flush = () => {
    if (size === 0) return;
    const all = new Uint8Array(size);
    let at = 0;
    for (const c of chunks) {
      all.set(c, at);
      at += c.length;
    }
    chunks = [];
    size = 0;
    lastPost = performance.now();
    self.postMessage({ type: 'stdout', bytes: all }, [all.buffer]);
  };
  const stdout = (bytes) => {
    chunks.push(bytes.slice());
    size += bytes.length;
    if (size >= BATCH_BYTES || performance.now() - lastPost >= BATCH_MS) flush();
  };
  return { stdout, flush };
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
  self.postMessage({ type: 'crash', message: describe(err) });
}

function describe(err) {
  if (err instanceof Error) return `${err.constructor.name}: ${err.message}`;
  return String(err);
}
