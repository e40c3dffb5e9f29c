// @ts-check
// process.js — one Python process of the browser engine: an engine instance
// in a runner worker (runner.js) and, when cross-origin isolated, a pool of
// thread workers (thread.js) sharing its memory: those it starts with, and
// more while its program runs, as the program's threads ask for them
// (process-shared.js). engine.js decides when processes start and end, and
// with how many workers; this file is how one lives.
//
// Two kinds share the base class `Process` (workers, start-up, the output
// ring, the engine's event lines):
//   - `RunProcess`: a run's own process, prepared ahead and used for one
//     run; its events go to the run's callback, and its end (exit, crash,
//     Stop) closes the run.
//   - `ChildProcess`: a process that a program starts (multiprocessing); it
//     runs `pyrace -c …` at once and waits, warm, inside the engine until a
//     parent claims it through the kernel; its output joins its run's.
// A process's lifecycle is its `state`:
//   starting → ready → running → ended → disposed
// with `failed` (it could not start, or died before its run) in place of
// ready. A run process is `running` from the moment a run takes it (it may
// still be starting then); a child is `running` once started up (its
// program runs at once). `ended`: its run is over (finish) but its workers
// may still be there; `disposed`: its workers are gone and the kernel knows.

import { CTL, CTL_BYTES, RING_BYTES, MAILBOX, SLOT, SLOT_INTS, writeMailbox } from './process-shared.js';
import { engineFailure } from './crash.js';
import { P, PROC, STOP, STOP_GRACE_MS, procAt, processEnded, runEnded, rootOf, pidOf } from './kernel.js';
import { readRing } from './ring.js';
import {
  threadedRunnerInit,
  singleRunnerInit,
  runnerRun,
  threadInit,
  outputEvent,
  crashEvent,
  finishedEvent,
} from './protocol.js';

/**
 * @typedef {import('./protocol.js').FromWorker} FromWorker
 * @typedef {import('./protocol.js').SharedProcess} SharedProcess
 * @typedef {import('./protocol.js').RunEvent} RunEvent
 * @typedef {import('./protocol.js').OutputEvent} OutputEvent
 * @typedef {import('./protocol.js').RunRequest} RunRequest
 * @typedef {import('./protocol.js').RunStatus} RunStatus
 * @typedef {import('./protocol.js').MemoryLimits} MemoryLimits
 * @typedef {import('./stdlib-fs.js').StdlibIndex} StdlibIndex
 */

/**
 * Called once per event of a run: the event, and its JSON text as the engine
 * wrote it (for the events JavaScript writes, JSON.stringify of the event).
 * @typedef {(event: RunEvent, text: string) => void} EventCallback
 */

/**
 * How a run ended (what `engine.run` resolves with).
 * @typedef {{status: RunStatus, exitCode: number | null, crash: string | null, stderr: string}} RunEnd
 */

/**
 * engine.json, written by scripts/wasm-manifest.mjs, bundle-workers.mjs and
 * stdlib-files.mjs (`stdlib`: the stdlib index's file name).
 * @typedef {{wasm: string, wasmBytes: number, memory: MemoryLimits, workers?: Record<string, string>, stdlib?: string}} EngineManifest
 */

/**
 * What a process needs of the engine (engine.js's Engine).
 * @typedef {object} ProcessHost
 * @property {URL} base                  the directory of engine.json and the workers
 * @property {EngineManifest} manifest
 * @property {Promise<WebAssembly.Module>} module
 * @property {Promise<StdlibIndex>} stdlib  the stdlib's files that are not frozen (stdlib-fs.js)
 * @property {'threads' | 'single-thread'} mode
 * @property {number} clockBaseMs        one monotonic zero for every worker
 * @property {number} cpus
 * @property {Int32Array | null} kernel  shared by every process (threads only)
 * @property {Map<number, Process>} bySlot
 * @property {Set<ChildProcess>} children
 * @property {number} childFailures      children that failed to start, in a row
 * @property {(child: ChildProcess, event: OutputEvent) => void} childEvent
 */

/** @typedef {'starting' | 'ready' | 'failed' | 'running' | 'ended' | 'disposed'} ProcessState */

/** Thread workers of a child process (a Queue's feeder thread, a program's own threads). */
export const CHILD_POOL = 4;
/** The program of a child process: waits to be claimed, then runs what its parent sends. */
const CHILD_ARGS = ['pyrace', '-c', 'import _pyrace_procs; _pyrace_procs.child_main()'];
/** A child's output events go to its parent's run, which names their run and variant. */
const CHILD_ENV = ['PYRACE_CHILD_EVENTS=0'];
/** What a process keeps of its stderr: the tail, for the console and crash.js. */
const STDERR_KEPT = 16384;

/**
 * A process's thread workers: how many start with it, and how many it may
 * have at most (more start while its program runs, as it asks for threads).
 * @typedef {{ahead: number, limit: number}} PoolPlan
 */

/** The base of both kinds: workers, start-up, output. */
export class Process {
  /**
   * @param {ProcessHost} engine
   * @param {number} slot  its slot in the kernel (-1: no kernel)
   * @param {PoolPlan} pool  its thread workers (none without threads)
   * @param {string} name  of its runner worker, as the browser's tools show it
   */
  constructor(engine, slot, pool, name) {
    this.engine = engine;
    this.slot = slot;
    this.threads = engine.mode === 'threads';
    /** Most thread workers it may have. */
    this.poolSize = this.threads ? pool.limit : 0;
    /** Thread workers started so far (each one's pool slot is its index). */
    this.threadWorkers = 0;
    /** @type {Promise<void>[]} each thread worker's start-up */
    this.threadsReady = [];
    /** @type {ProcessState} */
    this.state = 'starting';
    if (slot >= 0) engine.bySlot.set(slot, this);
    this.stderr = '';
    /** @type {ReturnType<typeof setTimeout> | null} set while a Stop waits for the program to end by itself */
    this.stopTimer = null;
    this.decoder = new TextDecoder();
    this.partialLine = '';
    /** @type {Int32Array | null} the control block (threads only) */
    this.ctl = null;
    /** @type {Uint8Array | null} the output ring (threads only) */
    this.ring = null;
    /** @type {WebAssembly.Memory | null} */
    this.memory = null;
    /** @type {(shared: SharedProcess) => void} */
    let sharedMade = () => {};
    /** @type {Promise<SharedProcess>} what its thread workers start on (threads only) */
    this.shared = new Promise((resolve) => (sharedMade = resolve));
    /** @type {() => void} */
    this.markGone = () => {};
    /** Resolves once the process can run nothing more (failed, or disposed). */
    this.gone = new Promise((resolve) => (this.markGone = () => resolve(undefined)));

    /** @type {Worker[]} the runner, then the thread workers */
    this.workers = [];
    const runner = this.startWorker('runner', name);
    this.runner = runner.worker;
    this.runnerReady = runner.ready;
    for (let i = 0; i < Math.min(pool.ahead, this.poolSize); i++) this.addThreadWorker();
    const started = [this.runnerReady, ...this.threadsReady];
    /** @type {(err: Error) => void} */
    this.onInitFailure = () => {};
    /** @type {Promise<void>} resolves once the workers it starts with are ready; rejects if the process failed first */
    this.ready = new Promise((resolve, reject) => {
      this.onInitFailure = reject;
      Promise.all(started).then(() => {
        if (this.state === 'starting') this.state = this.startedState();
        resolve();
      });
    });

    Promise.all([engine.module, engine.stdlib]).then(
      ([module, stdlib]) => {
        if (this.over()) return;
        const limits = engine.manifest.memory;
        if (!this.threads || !engine.kernel) {
          this.runner.postMessage(
            singleRunnerInit({ module, memoryLimits: limits, clockBaseMs: engine.clockBaseMs, cpus: engine.cpus, stdlib }),
          );
          return;
        }
        const ctl = new SharedArrayBuffer(CTL_BYTES);
        const ring = new SharedArrayBuffer(RING_BYTES);
        this.ctl = new Int32Array(ctl);
        this.ring = new Uint8Array(ring);
        Atomics.store(this.ctl, CTL.POOL_SIZE, this.threadWorkers);
        Atomics.store(this.ctl, CTL.POOL_LIMIT, this.poolSize);
        const memory = new WebAssembly.Memory({ ...limits, shared: true });
        this.memory = memory;
        /** @type {SharedProcess} */
        const shared = {
          module,
          memory,
          ctl,
          ring,
          clockBaseMs: engine.clockBaseMs,
          // createKernel's view is over a SharedArrayBuffer.
          kernel: /** @type {SharedArrayBuffer} */ (engine.kernel.buffer),
          kernelSlot: slot,
          cpus: engine.cpus,
          stdlib,
        };
        this.startThreaded(shared);
        sharedMade(shared);
        this.servePool(this.ctl);
      },
      (err) => this.onInitFailure(err),
    );
  }

  /**
   * Starts one of its workers; `ready` resolves once it has instantiated.
   * @param {'runner' | 'thread'} kind
   * @param {string} name  as the browser's tools show it
   */
  startWorker(kind, name) {
    // A built site names its bundled workers (scripts/bundle-workers.mjs);
    // www/ as it is runs the modules.
    const url = new URL(this.engine.manifest.workers?.[kind] ?? `${kind}.js`, this.engine.base);
    const worker = new Worker(url, { type: 'module', name });
    /** @type {() => void} */
    let started = () => {};
    /** @type {Promise<void>} */
    const ready = new Promise((resolve) => (started = () => resolve(undefined)));
    /** @param {MessageEvent<FromWorker>} e */
    worker.onmessage = (e) => {
      if (e.data.type === 'ready') started();
      else this.onWorkerMessage(e.data);
    };
    worker.onerror = (e) => {
      e.preventDefault();
      this.onWorkerMessage({ type: 'crash', message: e.message || 'worker error' });
    };
    this.workers.push(worker);
    return { worker, ready };
  }

  /**
   * Starts the next thread worker; it serves the next pool slot once it is up.
   * @returns {Promise<void>} its start-up
   */
  addThreadWorker() {
    const slot = this.threadWorkers++;
    const { worker, ready } = this.startWorker('thread', `pyrace-thread-${slot}`);
    this.threadsReady.push(ready);
    if (this.ctl) Atomics.store(this.ctl, CTL.POOL_SIZE, this.threadWorkers);
    // The first instance on a shared memory initialises it and takes the
    // main thread's static TLS block; an instance created later finds the
    // memory initialised and leaves its TLS base at 0. The runner, which
    // runs the main thread, must therefore come first: thread workers
    // instantiate only once it is ready.
    Promise.all([this.shared, this.runnerReady]).then(([shared]) => {
      if (!this.over()) worker.postMessage(threadInit(shared, slot));
    });
    return ready;
  }

  /**
   * Starts thread workers as the program's spawns wait for them, until the
   * process ends. The pool doubles each time (at least as many as wait): a
   * program that starts n threads one after another waits for workers about
   * log2(n) times, each time for several starting at once.
   * @param {Int32Array} ctl
   */
  async servePool(ctl) {
    while (!this.over()) {
      const waiting = Atomics.load(ctl, CTL.SPAWNS_WAITING);
      let starting = 0;
      for (let i = 0; i < this.threadWorkers; i++) {
        if (Atomics.load(ctl, CTL.SLOTS + i * SLOT_INTS) === SLOT.STARTING) starting++;
      }
      const more = Math.min(this.poolSize - this.threadWorkers, Math.max(waiting - starting, this.threadWorkers));
      if (waiting > starting) for (let i = 0; i < more; i++) this.addThreadWorker();
      // The timeout lets the loop end soon after the process does.
      const change = Atomics.waitAsync(ctl, CTL.SPAWNS_WAITING, waiting, 1000);
      if (change.async) await change.value;
    }
  }

  /**
   * Starts the rest of the pool, all of it; resolves once every worker is
   * up, or once the process can no longer run. A timed run has it whole
   * before it starts: a thread's worker starting inside a timed variant
   * would count as the variant's time.
   */
  async fillPool() {
    while (this.threadWorkers < this.poolSize) this.addThreadWorker();
    await Promise.race([Promise.all(this.threadsReady), this.gone]);
  }

  /**
   * Posts the runner its init on the process's shared memory.
   * @param {SharedProcess} _shared
   * @abstract
   */
  startThreaded(_shared) {
    throw new Error('a process kind must say how it starts');
  }

  /**
   * The state once every worker is ready.
   * @returns {ProcessState}
   */
  startedState() {
    return 'ready';
  }

  /** Whether the process is over: its run has ended, or it is gone. */
  over() {
    return this.state === 'ended' || this.state === 'disposed';
  }

  /**
   * A message of one of its workers: start-up and stdout alike for both
   * kinds, the rest each kind's own.
   * @param {FromWorker} msg
   */
  onWorkerMessage(msg) {
    if (this.over()) return;
    switch (msg.type) {
      case 'stdout':
        this.feed(msg.bytes);
        break;
      case 'stderr': {
        const text = new TextDecoder().decode(msg.bytes);
        this.stderr = (this.stderr + text).slice(-STDERR_KEPT);
        this.onStderr(text);
        break;
      }
      case 'exit':
        this.onExit(msg.code);
        break;
      case 'crash':
        this.onCrash(msg.message, msg.memoryBytes);
        break;
    }
  }

  /**
   * What the engine wrote to stderr (kept in `stderr` already).
   * @param {string} _text
   */
  onStderr(_text) {}

  /**
   * The engine exited.
   * @param {number} _code
   * @abstract
   */
  onExit(_code) {
    throw new Error('a process kind must say what its exit means');
  }

  /**
   * A worker died (a trap, a failed start).
   * @param {string} _message
   * @param {number} [_memoryBytes]  the memory's size then
   * @abstract
   */
  onCrash(_message, _memoryBytes) {
    throw new Error('a process kind must say what its crash means');
  }

  /** Highest number of threads alive at once that the program asked for. */
  threadsWanted() {
    return this.ctl ? Atomics.load(this.ctl, CTL.THREADS_WANTED) : 0;
  }

  /** Reads the output ring as the program writes, yielding to the page between batches. */
  async pump() {
    const ctl = this.ctl;
    if (!ctl) return;
    while (!this.over()) {
      const written = Atomics.load(ctl, CTL.RING_WRITTEN);
      if (written !== Atomics.load(ctl, CTL.RING_READ)) {
        this.drain();
        // A macrotask between batches: a flood of output leaves the page
        // time to render, and the writers wait on the full ring meanwhile.
        await new Promise((r) => setTimeout(r, 0));
        continue;
      }
      const waiting = Atomics.waitAsync(ctl, CTL.RING_WRITTEN, written, 1000);
      if (waiting.async) await waiting.value;
    }
  }

  /** Takes what the ring holds and feeds it on. */
  drain() {
    const { ctl, ring } = this;
    if (!ctl || !ring) return;
    const written = Atomics.load(ctl, CTL.RING_WRITTEN) >>> 0;
    const read = Atomics.load(ctl, CTL.RING_READ) >>> 0;
    const n = (written - read) >>> 0;
    if (n === 0) return;
    const bytes = readRing(ring, read, n);
    Atomics.store(ctl, CTL.RING_READ, written | 0);
    Atomics.notify(ctl, CTL.RING_READ);
    this.feed(bytes);
  }

  /**
   * Splits the engine's stdout into JSON lines, one RunEvent each, passed on
   * with the line itself; a line that is not one is text the engine printed
   * outside the protocol.
   * @param {Uint8Array} bytes
   * @param {boolean} [final]  no more bytes come: a last line without its newline counts
   */
  feed(bytes, final = false) {
    const text = this.partialLine + this.decoder.decode(bytes, { stream: !final });
    const lines = text.split('\n');
    this.partialLine = final ? '' : (lines.pop() ?? '');
    for (const line of lines) {
      if (line.trim() === '') continue;
      /** @type {RunEvent} */
      let event;
      try {
        event = JSON.parse(line);
      } catch {
        this.emit(outputEvent(this.runId(), 'stdout', `${line}\n`));
        continue;
      }
      this.emit(event, line);
    }
  }

  /** The run id that events written here carry. */
  runId() {
    return 0;
  }

  /**
   * One event of this process.
   * @param {RunEvent} _event
   * @param {string} [_text]  as the engine wrote it
   * @abstract
   */
  emit(_event, _text) {
    throw new Error('a process kind must say where its events go');
  }

  terminate() {
    for (const w of this.workers) w.terminate();
  }

  /** Ends the process for good: the kernel first, then the workers. */
  dispose() {
    if (this.state === 'disposed') return;
    this.state = 'disposed';
    this.markGone();
    // A terminated worker that is busy runs on for a while (kernel.js),
    // and must find its process ended.
    if (this.engine.kernel && this.slot >= 0) {
      this.engine.bySlot.delete(this.slot);
      this.leaveKernel(this.engine.kernel);
    }
    this.terminate();
  }

  /**
   * Marks this process ended in the kernel.
   * @param {Int32Array} _kernel
   * @abstract
   */
  leaveKernel(_kernel) {
    throw new Error('a process kind must say how it leaves the kernel');
  }
}

/** A run's own process: prepared ahead, used for one run. */
export class RunProcess extends Process {
  /**
   * @param {ProcessHost} engine
   * @param {number} slot
   * @param {PoolPlan} pool
   */
  constructor(engine, slot, pool) {
    super(engine, slot, pool, 'pyrace-runner');
    /** Most children of this run alive at once (engine.js keeps that many warm after). */
    this.childrenSeen = 0;
    /** Whether the engine wrote the run's `finished` event itself. */
    this.engineFinished = false;
    /** Why the process could not start, once `failed`. */
    this.initError = '';
    /** @type {RunRequest | null} */
    this.request = null;
    /** @type {EventCallback} */
    this.onEvent = () => {};
    /** @type {(end: RunEnd) => void} */
    this.resolveFinished = () => {};
    /** @type {SharedArrayBuffer | null} the stdin mailbox of a pre-started runner */
    this.mailbox = null;
    /** @type {Int32Array | null} */
    this.mailboxHeader = null;
    this.startedAt = 0;
  }

  /** @param {SharedProcess} shared */
  startThreaded(shared) {
    // The runner starts the engine at once and waits for the request on
    // stdin (a shared mailbox): Run then skips the engine's start-up.
    this.mailbox = new SharedArrayBuffer(MAILBOX.HEADER_BYTES + MAILBOX.DATA_BYTES);
    this.mailboxHeader = new Int32Array(this.mailbox, 0, MAILBOX.HEADER_BYTES / 4);
    this.runner.postMessage(threadedRunnerInit(shared, { env: this.env(), mailbox: this.mailbox }));
  }

  /** The engine's environment: PYRACE_THREADS tells it whether threads can start. */
  env() {
    return [`PYRACE_THREADS=${this.threads ? 1 : 0}`];
  }

  /**
   * Whether this process has finished starting up: its workers are ready
   * and, pre-started, the engine waits for its request. One that failed to
   * start takes no core either: its run reports why.
   */
  startedUp() {
    if (this.state === 'starting') return false;
    if (this.state === 'failed') return true;
    return !this.mailboxHeader || Atomics.load(this.mailboxHeader, MAILBOX.WAITING) === 1;
  }

  /**
   * Runs `request`; resolves when the run has ended and its `finished`
   * event has been delivered.
   * @param {RunRequest} request
   * @param {EventCallback} onEvent
   * @param {string} stdin  the request's JSON, as the engine reads it
   * @returns {Promise<RunEnd>}
   */
  async run(request, onEvent, stdin) {
    this.request = request;
    this.onEvent = onEvent;
    if (this.over()) {
      // Stopped before its run began (while the run waited for start-ups).
      this.emit(finishedEvent(this.runId(), 'stopped', 0));
      return { status: 'stopped', exitCode: null, crash: null, stderr: this.stderr };
    }
    /** @type {Promise<RunEnd>} */
    const finished = new Promise((resolve) => (this.resolveFinished = resolve));
    const failed = this.state === 'failed';
    if (!this.over() && !failed) this.state = 'running';
    try {
      await this.ready;
    } catch {
      // initError says why.
    }
    if (failed || this.state === 'failed') {
      this.state = 'running';
      this.finish({ crash: `the engine failed to start: ${this.initError}` });
      return finished;
    }
    if (this.over()) return finished;
    this.startedAt = performance.now();
    if (this.mailbox) {
      writeMailbox(this.mailbox, new TextEncoder().encode(stdin));
    } else {
      this.runner.postMessage(runnerRun(stdin, this.env()));
    }
    if (this.threads) this.pump();
    return finished;
  }

  /**
   * The reader's Stop. A program under the line tracer looks for it and
   * ends by itself, keeping its profile, if it gets back to Python within
   * STOP_GRACE_MS; any other program, or a second Stop, ends at once.
   */
  stop() {
    if (this.over()) return;
    const k = this.engine.kernel;
    if (k && this.slot >= 0 && this.stopTimer === null) {
      const at = procAt(this.slot) + P.STOP;
      if (Atomics.compareExchange(k, at, STOP.POLLS, STOP.REQUESTED) === STOP.POLLS) {
        this.stopTimer = setTimeout(() => this.stopNow(), STOP_GRACE_MS);
        return;
      }
    }
    this.stopNow();
  }

  /** Ends the program at once, then reports what it wrote. */
  stopNow() {
    if (this.over()) return;
    this.terminate();
    this.finish({ stopped: true });
  }

  /**
   * Failed before a run took it (while starting, or pre-started, waiting):
   * the run that takes it reports why.
   * @param {string} why
   */
  failBeforeRun(why) {
    this.initError = why;
    this.state = 'failed';
    this.markGone();
    this.onInitFailure(new Error(why));
    this.terminate();
  }

  /** @param {number} code */
  onExit(code) {
    if (this.state === 'running') this.finish({ code });
    else this.failBeforeRun(`the engine exited with code ${code} before its run\n${this.stderr}`);
  }

  /**
   * @param {string} message
   * @param {number} [memoryBytes]
   */
  onCrash(message, memoryBytes) {
    if (this.state === 'running') {
      this.terminate();
      this.finish({ crash: message, memoryBytes });
    } else {
      this.failBeforeRun(message);
    }
  }

  /**
   * Output of one of this run's children: it becomes the run's (its run id,
   * and the variant when the run has only one).
   * @param {OutputEvent} event
   */
  childEvent(event) {
    if (this.state !== 'running' || !this.request) return;
    const variants = this.request.variants;
    const variant = event.variant ?? (variants.length === 1 ? variants[0].name : null);
    this.emit(outputEvent(this.runId(), event.stream, event.text, variant));
  }

  runId() {
    return this.request?.run_id ?? 0;
  }

  /**
   * @param {RunEvent} event
   * @param {string} [text]
   */
  emit(event, text = JSON.stringify(event)) {
    if (event.event === 'finished') this.engineFinished = true;
    try {
      this.onEvent(event, text);
    } catch (err) {
      console.error('pyrace: onEvent threw', err);
    }
  }

  /**
   * Ends the run: reports what is left, and a `finished` event if the engine
   * gave none (with an `error` first when the engine died).
   * @param {{code?: number, crash?: string, stopped?: boolean, memoryBytes?: number}} end
   */
  finish({ code, crash, stopped, memoryBytes }) {
    if (this.over()) return;
    if (this.stopTimer !== null) clearTimeout(this.stopTimer);
    this.drain();
    this.feed(new Uint8Array(), true);
    this.state = 'ended';
    this.markGone();
    // A run that took the process while it was still starting waits on `ready`.
    this.onInitFailure(new Error('the process ended'));
    const run_id = this.runId();
    const elapsed = this.startedAt ? (performance.now() - this.startedAt) / 1000 : 0;
    /** @type {RunStatus} */
    let status = 'ok';
    if (crash !== undefined || (code !== undefined && code !== 0)) {
      if (!this.engineFinished || crash !== undefined) {
        // What the engine wrote as it died is for the console, not the page.
        console.error(`pyrace: the engine ${crash !== undefined ? `crashed: ${crash}` : `exited with code ${code}`}`, this.stderr);
        const limits = this.engine.manifest.memory;
        const failure = engineFailure({
          crash,
          code,
          stderr: this.stderr,
          memoryBytes: memoryBytes ?? this.memory?.buffer.byteLength ?? 0,
          maxBytes: (limits?.maximum ?? 0) * 65536,
        });
        this.emit(crashEvent(run_id, failure));
      }
      status = 'failed';
    }
    // A program that ended by itself after a Stop said so in its own
    // `finished`; one ended by stopNow did not.
    if (stopped || this.stopTimer !== null) status = 'stopped';
    if (!this.engineFinished || stopped || crash !== undefined) {
      this.emit(finishedEvent(run_id, status, elapsed));
    }
    this.resolveFinished({ status, exitCode: code ?? null, crash: crash ?? null, stderr: this.stderr });
  }

  /**
   * A run's end ends the processes it left running (Stop included).
   * @param {Int32Array} k
   */
  leaveKernel(k) {
    for (const child of [...this.engine.children]) {
      if (rootOf(k, child.slot) === this.slot) {
        child.exitCode = -15;
        child.dispose();
      }
    }
    processEnded(k, this.slot, 0);
    runEnded(k, this.slot);
  }
}

/** A process a program started: its stderr is the run's, its end is its parent's to see. */
export class ChildProcess extends Process {
  /**
   * @param {ProcessHost} engine
   * @param {number} slot  from allocProcess: a child needs the kernel
   */
  constructor(engine, slot) {
    super(engine, slot, { ahead: CHILD_POOL, limit: CHILD_POOL }, 'pyrace-child');
    engine.children.add(this);
    /** @type {number | null} its exit code, once ended (-signal when killed) */
    this.exitCode = null;
  }

  /** @param {SharedProcess} shared */
  startThreaded(shared) {
    // A child runs its own program at once: it waits, warm, to be claimed.
    this.runner.postMessage(threadedRunnerInit(shared, { env: CHILD_ENV, args: CHILD_ARGS }));
    this.pump();
  }

  /**
   * Its program runs as soon as it is up.
   * @returns {ProcessState}
   */
  startedState() {
    return 'running';
  }

  /** Where it stands in the kernel: starting, warm (claimable) or running (claimed). */
  kernelState() {
    const k = this.engine.kernel;
    return k ? k[procAt(this.slot) + P.STATE] : PROC.FREE;
  }

  /** Whether a parent has claimed this child (it runs part of some run). */
  claimed() {
    const k = this.engine.kernel;
    return k !== null && rootOf(k, this.slot) >= 0;
  }

  /** @param {string} text */
  onStderr(text) {
    this.emit(outputEvent(0, 'stderr', text));
  }

  /** @param {number} code */
  onExit(code) {
    if (this.claimed()) {
      this.engine.childFailures = 0;
    } else {
      // It ended before any parent claimed it: it failed to start.
      this.engine.childFailures++;
      console.error(`pyrace: a child process exited with ${code} before it was claimed`, this.stderr);
    }
    this.end(code);
  }

  /** @param {string} message */
  onCrash(message) {
    if (this.claimed()) {
      const pid = this.engine.kernel ? pidOf(this.engine.kernel, this.slot) : 0;
      this.emit(outputEvent(0, 'stderr', `pyrace: process ${pid} crashed: ${message}\n`));
    } else {
      this.engine.childFailures++;
      console.error('pyrace: a child process failed to start:', message, this.stderr);
    }
    // As CPython reports a child that died of a fault (SIGSEGV).
    this.end(-11);
  }

  /**
   * Its output goes to the run of its root process.
   * @param {RunEvent} event
   */
  emit(event) {
    if (event.event === 'output') this.engine.childEvent(this, event);
  }

  /**
   * A child's end: its workers go, its pipes close, its parent may reap the code.
   * @param {number} code
   */
  end(code) {
    if (this.over()) return;
    this.exitCode = code;
    this.drain();
    this.feed(new Uint8Array(), true);
    this.dispose();
  }

  /** @param {Int32Array} k */
  leaveKernel(k) {
    this.engine.children.delete(this);
    processEnded(k, this.slot, this.exitCode ?? -15);
  }
}
