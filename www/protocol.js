// @ts-check
// protocol.js — every message that crosses a boundary of the browser engine,
// typed in one place, with the constructors the other files build them with:
//
//   - worker messages: the page (engine.js) ↔ a runner worker (runner.js) or
//     a thread worker (thread.js);
//   - host calls: an engine instance's `pyrace_host.call` (host-call.js) →
//     the kernel (kernel.js), each `{op: …}` request and its reply; the
//     Python side is engine/src/shims/_pyrace_procs.py;
//   - the CPython engine's worker messages: the page (cpython/engine.js) ↔
//     its worker (cpython/worker.js), whose Python side is
//     cpython/pyrace_cpython.py;
//   - the run events JavaScript writes itself (a crashed or stopped run's
//     end, text outside the protocol, a child's output, CPython's start):
//     the serde form of model/src/event.rs's `RunEvent`, keys in its order.
//
// Every other event is written by an engine and travels as its text, as
// requests travel as the text Rust wrote: each is parsed where it is used.

// ---------------------------------------------------------------- worker messages

/**
 * What every worker of a threaded process shares (posted to the runner and
 * to each thread worker).
 * @typedef {object} SharedProcess
 * @property {WebAssembly.Module} module      the compiled engine
 * @property {WebAssembly.Memory} memory      the process's shared memory
 * @property {SharedArrayBuffer} ctl          the control block (process-shared.js CTL)
 * @property {SharedArrayBuffer} ring         the output ring
 * @property {number} clockBaseMs             the page's performance.timeOrigin: one monotonic zero
 * @property {SharedArrayBuffer} kernel       the page's kernel (kernel.js)
 * @property {number} kernelSlot              this process's slot in the kernel
 * @property {number} cpus                    navigator.hardwareConcurrency
 * @property {StdlibIndex} stdlib             the stdlib's files that are not frozen (stdlib-fs.js)
 */

/** @typedef {import('./stdlib-fs.js').StdlibIndex} StdlibIndex */

/**
 * The limits of the engine's memory, from engine.json.
 * @typedef {{initial: number, maximum: number}} MemoryLimits
 */

/**
 * Page → runner, a threaded process: instantiate on the shared memory. With
 * `mailbox` the runner starts `pyrace request` at once and reads the request
 * from it; with `args` it runs that command line at once (a child process).
 * @typedef {SharedProcess & {
 *   type: 'init', threads: true, env: string[], mailbox?: SharedArrayBuffer, args?: string[],
 * }} ThreadedRunnerInit
 */

/**
 * Page → runner, without cross-origin isolation: instantiate on a memory of
 * its own and wait for `run`.
 * @typedef {{
 *   type: 'init', threads: false, module: WebAssembly.Module, memoryLimits: MemoryLimits,
 *   clockBaseMs: number, cpus: number, stdlib: StdlibIndex,
 * }} SingleRunnerInit
 */

/**
 * Page → runner (single-threaded only): run `pyrace request` with `stdin`.
 * @typedef {{type: 'run', stdin: string, env: string[]}} RunnerRun
 */

/** @typedef {ThreadedRunnerInit | SingleRunnerInit | RunnerRun} ToRunner */

/**
 * Page → thread worker: instantiate on the process's memory and serve pool
 * slot `slot` (process-shared.js SLOT) for ever.
 * @typedef {SharedProcess & {type: 'init', slot: number}} ToThread
 */

/**
 * Worker → page. `crash` carries the memory's size when it died (0 or absent:
 * unknown), for crash.js to tell running out of memory apart.
 * @typedef {{type: 'ready'}
 *   | {type: 'stdout', bytes: Uint8Array}
 *   | {type: 'stderr', bytes: Uint8Array}
 *   | {type: 'exit', code: number}
 *   | {type: 'crash', message: string, memoryBytes?: number}
 * } FromWorker
 */

/**
 * @param {SharedProcess} shared
 * @param {{env: string[], mailbox?: SharedArrayBuffer, args?: string[]}} start
 * @returns {ThreadedRunnerInit}
 */
export const threadedRunnerInit = (shared, { env, mailbox, args }) => ({
  type: 'init',
  ...shared,
  threads: true,
  env,
  ...(mailbox ? { mailbox } : {}),
  ...(args ? { args } : {}),
});

/**
 * @param {{module: WebAssembly.Module, memoryLimits: MemoryLimits, clockBaseMs: number, cpus: number, stdlib: StdlibIndex}} init
 * @returns {SingleRunnerInit}
 */
export const singleRunnerInit = ({ module, memoryLimits, clockBaseMs, cpus, stdlib }) => ({
  type: 'init',
  threads: false,
  module,
  memoryLimits,
  clockBaseMs,
  cpus,
  stdlib,
});

/** @type {(stdin: string, env: string[]) => RunnerRun} */
export const runnerRun = (stdin, env) => ({ type: 'run', stdin, env });

/** @type {(shared: SharedProcess, slot: number) => ToThread} */
export const threadInit = (shared, slot) => ({ type: 'init', ...shared, slot });

/** @type {() => FromWorker} */
export const workerReady = () => ({ type: 'ready' });
/** @type {(bytes: Uint8Array) => FromWorker} */
export const workerStdout = (bytes) => ({ type: 'stdout', bytes });
/** @type {(bytes: Uint8Array) => FromWorker} */
export const workerStderr = (bytes) => ({ type: 'stderr', bytes });
/** @type {(code: number) => FromWorker} */
export const workerExit = (code) => ({ type: 'exit', code });
/** @type {(message: string, memoryBytes?: number) => FromWorker} */
export const workerCrash = (message, memoryBytes) =>
  memoryBytes === undefined ? { type: 'crash', message } : { type: 'crash', message, memoryBytes };

// ---------------------------------------------------------------- host calls

/**
 * Each host op: its request's fields (besides `op`) and its reply.
 * Timeouts are in seconds; null or absent waits for ever.
 * @typedef {{
 *   self: {request: {}, reply: {pid: number, ppid: number, cpus: number, first_pipe_fd: number, blocking_ops: HostOp[]}},
 *   pipe: {request: {}, reply: {r: number, w: number}},
 *   dup: {request: {fd: number}, reply: {fd: number}},
 *   spawn: {request: {fds: number[], pipe: number}, reply: {pid: number}},
 *   refill_children: {request: {count: number, timeout?: number | null}, reply: {warm: number}},
 *   assignment: {request: {}, reply: {pipe: number, sentinel: number, ppid: number}},
 *   wait: {request: {pid: number, timeout?: number | null}, reply: {exitcode: number | null}},
 *   kill: {request: {pid: number, signal?: number}, reply: {}},
 *   stop_requested: {request: {}, reply: {requested: boolean}},
 *   sem_open: {request: {value: number, max: number}, reply: {handle: number}},
 *   sem_free: {request: {handles: number[]}, reply: {}},
 *   sem_acquire: {request: {handle: number, timeout?: number | null}, reply: {ok: boolean}},
 *   sem_release: {request: {handle: number}, reply: {}},
 *   sem_value: {request: {handle: number}, reply: {value: number}},
 * }} HostOps
 */

/** @typedef {keyof HostOps} HostOp */

/**
 * The request of op `O`, as the engine sends it.
 * @template {HostOp} O
 * @typedef {{op: O} & HostOps[O]['request']} HostRequestOf
 */

/** @typedef {{[O in HostOp]: HostRequestOf<O>}[HostOp]} HostRequest */

/**
 * The one shape of every error reply. `os`: an OSError with errno
 * `errno_name` (a name of Python's `errno` module); `value`: a ValueError;
 * `unavailable`: a RuntimeError (processes cannot start in this page).
 * `errno_name` is null unless `kind` is `os`.
 * @typedef {{error: string, kind: 'os' | 'value' | 'unavailable', errno_name: string | null}} HostError
 */

/**
 * The reply to op `O`: its own, or an error.
 * @template {HostOp} O
 * @typedef {HostOps[O]['reply'] | HostError} HostReplyOf
 */

/**
 * Ops that may wait (for a child, a semaphore, a process to claim): the
 * engine delivers its output before them and, in GIL mode, lets other
 * threads run meanwhile. The host tells the engine this list (`self`).
 * @type {HostOp[]}
 */
export const BLOCKING_OPS = ['spawn', 'assignment', 'wait', 'sem_acquire', 'refill_children'];

/** @type {(errnoName: string, message: string) => HostError} */
export const osError = (errnoName, message) => ({ error: message, kind: 'os', errno_name: errnoName });
/** @type {(message: string) => HostError} */
export const valueError = (message) => ({ error: message, kind: 'value', errno_name: null });
/** @type {(message: string) => HostError} */
export const unavailableError = (message) => ({ error: message, kind: 'unavailable', errno_name: null });

// ---------------------------------------------------------------- CPython worker messages

/**
 * Page → CPython worker: load Pyodide (`interrupt`, where the page is
 * cross-origin isolated, is where Stop writes SIGINT), then run requests.
 * `requestJson` is the RunRequest as Rust wrote it; `specJson` the
 * reference harness's spec (model/src/reference_spec.rs), null in Run mode.
 * @typedef {{type: 'start', interrupt: SharedArrayBuffer | null}
 *   | {type: 'run', runId: number, requestJson: string, specJson: string | null}
 * } ToCpythonWorker
 */

/**
 * CPython worker → page. `event` carries a RunEvent's text as Python wrote
 * it; `done` ends run `runId` with `timingJson`, the text Python's
 * `time_spec` returned (`{measurements, failed}`; null in Run mode or when
 * the run did not get that far); `crashed`: the interpreter itself died.
 * @typedef {{type: 'progress', loaded: number, total: number}
 *   | {type: 'ready', version: string}
 *   | {type: 'failed', reason: string}
 *   | {type: 'event', json: string}
 *   | {type: 'done', runId: number, status: RunStatus, elapsed: number, timingJson: string | null}
 *   | {type: 'crashed', runId: number, reason: string}
 * } FromCpythonWorker
 */

/** @type {(interrupt: SharedArrayBuffer | null) => ToCpythonWorker} */
export const cpythonStart = (interrupt) => ({ type: 'start', interrupt });
/** @type {(runId: number, requestJson: string, specJson: string | null) => ToCpythonWorker} */
export const cpythonRun = (runId, requestJson, specJson) => ({ type: 'run', runId, requestJson, specJson });

/** @type {(loaded: number, total: number) => FromCpythonWorker} */
export const cpythonProgress = (loaded, total) => ({ type: 'progress', loaded, total });
/** @type {(version: string) => FromCpythonWorker} */
export const cpythonReady = (version) => ({ type: 'ready', version });
/** @type {(reason: string) => FromCpythonWorker} */
export const cpythonFailed = (reason) => ({ type: 'failed', reason });
/** @type {(json: string) => FromCpythonWorker} */
export const cpythonEvent = (json) => ({ type: 'event', json });
/** @type {(runId: number, status: RunStatus, elapsed: number, timingJson: string | null) => FromCpythonWorker} */
export const cpythonDone = (runId, status, elapsed, timingJson) => ({ type: 'done', runId, status, elapsed, timingJson });
/** @type {(runId: number, reason: string) => FromCpythonWorker} */
export const cpythonCrashed = (runId, reason) => ({ type: 'crashed', runId, reason });

/**
 * How a CPython run ended, as the app's CPython adapter reads it
 * (src/engines/cpython.rs): `timing` is spliced in as the text Python
 * wrote, never parsed here.
 * @param {RunStatus} status
 * @param {number} elapsed  seconds
 * @param {string | null} timingJson
 * @returns {string}
 */
export function cpythonReplyJson(status, elapsed, timingJson) {
  return `{"status":${JSON.stringify(status)},"elapsed":${JSON.stringify(elapsed)},"timing":${timingJson ?? 'null'}}`;
}

// ---------------------------------------------------------------- run events

/**
 * A variant of a run request (model/src/request.rs); JavaScript reads its name only.
 * @typedef {{name: string, code: string, [field: string]: unknown}} RequestVariant
 */

/**
 * A run request (model/src/request.rs `RunRequest`), as the engine reads it
 * on stdin. JavaScript reads these fields only.
 * @typedef {{run_id: number, mode: string, variants: RequestVariant[], [field: string]: unknown}} RunRequest
 */

/** @typedef {'stdout' | 'stderr'} OutputStream */
/** @typedef {'ok' | 'failed' | 'stopped'} RunStatus */

/**
 * model `PyError`.
 * @typedef {{
 *   kind: 'syntax' | 'exception' | 'timeout' | 'request' | 'crash', exc_type: string, message: string,
 *   part: string | null, line: number | null, column: number | null, traceback: string,
 * }} PyError
 */

/** @typedef {{event: 'output', run_id: number, stream: OutputStream, text: string, variant?: string}} OutputEvent */
/** @typedef {{event: 'error', run_id: number, error: PyError}} ErrorEvent */
/** @typedef {{event: 'finished', run_id: number, status: RunStatus, elapsed: number}} FinishedEvent */

/**
 * The events only the engine writes; JavaScript passes them on as they are.
 * @typedef {{
 *   event: 'started' | 'calibrated' | 'sample' | 'variant_done' | 'variant_error' | 'result'
 *     | 'timeline' | 'profile' | 'gil_overhead' | 'result_check',
 *   run_id: number, [field: string]: unknown,
 * }} EngineOnlyEvent
 */

/** @typedef {OutputEvent | ErrorEvent | FinishedEvent | EngineOnlyEvent} RunEvent */

/**
 * Text a run's program wrote. `variant` is left out when no variant was
 * running (serde's skip_serializing_if).
 * @param {number} run_id
 * @param {OutputStream} stream
 * @param {string} text
 * @param {string | null} [variant]
 * @returns {OutputEvent}
 */
export function outputEvent(run_id, stream, text, variant = null) {
  return variant == null ? { event: 'output', run_id, stream, text } : { event: 'output', run_id, stream, text, variant };
}

/**
 * The run failed because its engine died (crash.js says why in words).
 * @param {number} run_id
 * @param {{exc_type: string, message: string}} failure
 * @returns {ErrorEvent}
 */
export function crashEvent(run_id, { exc_type, message }) {
  return {
    event: 'error',
    run_id,
    error: { kind: 'crash', exc_type, message, part: null, line: null, column: null, traceback: '' },
  };
}

/**
 * A run's first event, for an engine whose side JavaScript starts (CPython).
 * @param {number} run_id
 * @param {string} engine  its name and version
 * @param {string[]} variants
 * @returns {EngineOnlyEvent}
 */
export function startedEvent(run_id, engine, variants) {
  return { event: 'started', run_id, engine, variants };
}

/**
 * The last event of every run.
 * @param {number} run_id
 * @param {RunStatus} status
 * @param {number} elapsed  seconds
 * @returns {FinishedEvent}
 */
export function finishedEvent(run_id, status, elapsed) {
  return { event: 'finished', run_id, status, elapsed };
}
