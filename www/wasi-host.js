// @ts-check
// wasi-host.js — the WASI imports of one engine instance (the runner's or a
// thread's), built on @bjorn3/browser_wasi_shim with its gaps patched, one
// WASI family a file:
//   - wasi-fd.js: stdin, stdout/stderr to the sinks given, the root directory;
//   - wasi-pipe.js: descriptor calls on pipes, which are the page's kernel's;
//   - wasi-clock.js: clocks with one monotonic zero for the whole process;
//   - wasi-poll.js: poll_oneoff that sleeps instead of spinning;
//   - wasi-random.js: random_get on shared memory;
//   - wasi-proc.js: proc_exit (in a thread it ends the whole process);
//   - wasi-thread.js: wasi.thread-spawn onto the pre-spawned pool;
//   - host-call.js: `pyrace_host.call`, the kernel's requests.
// What the page and every worker of a process share (the control block,
// the output ring, the stdin mailbox) is process-shared.js.

import { WASI } from './vendor/browser_wasi_shim/index.js';
import { KernelClient } from './kernel.js';
import { standardFds } from './wasi-fd.js';
import { routePipes } from './wasi-pipe.js';
import { processClocks, clockImports } from './wasi-clock.js';
import { pollOneoff } from './wasi-poll.js';
import { randomImports } from './wasi-random.js';
import { procImports } from './wasi-proc.js';
import { threadSpawn } from './wasi-thread.js';
import { hostCall } from './host-call.js';

/**
 * Builds the import object of one instance.
 * @param {object} options
 * @param {WebAssembly.Memory} options.memory  the process's shared memory
 * @param {Int32Array} options.ctl  control block (shared in thread mode, private otherwise)
 * @param {number} options.clockBaseMs  performance.timeOrigin of the page: the shared monotonic zero
 * @param {string[]} options.args  WASI args
 * @param {string[]} options.env  WASI environment
 * @param {Uint8Array} [options.stdin]  bytes of fd 0
 * @param {(bytes: Uint8Array) => void} options.stdout  takes a Uint8Array (copy it to keep it)
 * @param {(bytes: Uint8Array) => void} options.stderr  likewise
 * @param {() => void} [options.beforeBlock]  called before the instance sleeps (flush buffered output)
 * @param {boolean} options.threads  true when thread-spawn may use the pool
 * @param {boolean} options.isThread  true in a pool worker: proc_exit ends the process
 * @param {SharedArrayBuffer | null} [options.kernel]  the page's kernel, null when not isolated
 * @param {number} [options.slot]  this process's slot in the kernel
 * @param {number} [options.cpus]  the machine's logical cores
 * @param {import('./stdlib-fs.js').StdlibIndex} [options.stdlib]  the stdlib's files that are not frozen
 */
export function createImports({
  memory,
  ctl,
  clockBaseMs,
  args,
  env,
  stdin,
  stdout,
  stderr,
  beforeBlock = () => {},
  threads,
  isThread,
  kernel = null,
  slot = 0,
  cpus = 1,
  stdlib,
}) {
  const wasi = new WASI(args, env, standardFds({ stdin, stdout, stderr, stdlib }), { debug: false });
  // The shim reads `inst.exports.memory`; the memory is imported, and thread
  // instances never call _start, so bind it here once for every instance.
  wasi.inst = { exports: { memory } };
  const imp = wasi.wasiImport;
  const view = () => new DataView(memory.buffer);
  const clocks = processClocks(clockBaseMs);
  const procs = new KernelClient(kernel, slot, cpus, beforeBlock);

  Object.assign(imp, clockImports(clocks, view), randomImports(memory), procImports(isThread, beforeBlock));
  imp.poll_oneoff = pollOneoff({ memory, ctl, clocks, procs, beforeBlock });
  routePipes(imp, procs, memory);

  return {
    wasi,
    imports: {
      env: { memory },
      wasi_snapshot_preview1: imp,
      wasi: { 'thread-spawn': threadSpawn(ctl, threads) },
      pyrace_host: { call: hostCall(memory, procs) },
    },
  };
}
