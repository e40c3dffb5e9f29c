// engine.js — the page-side API of the browser engine.
//
//   const engine = await createEngine();
//   engine.mode                       // 'threads' | 'single-thread'
//   const end = await engine.run(request, (event) => ...);  // RunEvent objects
//   engine.stop();                    // ends the running program at once
//   await engine.ready;               // the process the next run takes is up
//   engine.processes                  // { running, warm, starting }: the program's child processes
//   engine.kernelUsage                // pipes, semaphores and process slots the kernel holds now
//
// Each run gets a fresh *process*: a runner worker with its own engine
// instance and memory, plus (when cross-origin isolated) a pool of thread
// workers sharing that memory. Processes are prepared ahead: the next one
// starts up and waits warm (the first one a little after start-up, once the
// page is idle), so Run after Stop or after a crash starts at once. A timed
// run that comes while that spare is starting goes first: the spare is
// dropped (it starts again after the run) rather than share its cores. A
// program run waits for it (it may time itself); a first Run pressed soon
// after start-up finds nothing starting.
// The engine module is compiled once and posted to every worker.
//
// A program's own processes (multiprocessing, ProcessPoolExecutor) are
// child processes of the same kind, started here: the program is blocked
// while it runs, so it asks through the kernel (kernel.js) and this page
// starts workers. Children are started ahead too and wait warm inside the
// engine until a parent claims one; their output joins the run's, and
// Stop ends them with the run.

import { CTL, CTL_BYTES, RING_BYTES, MAX_POOL, MAILBOX, writeMailbox } from './wasi-host.js';
import { engineFailure } from './crash.js';
import { K, P, PROC, procAt, createKernel, allocProcess, processEnded, runEnded, takeKills, childSupply, rootOf, pidOf, kernelUsage } from './kernel.js';

/** Threads a pool has at least: I/O-bound lessons start more threads than a laptop has cores. */
const MIN_POOL = 8;
/** Thread workers of a child process (a Queue's feeder thread, a program's own threads). */
const CHILD_POOL = 4;
/** Longest a run waits for processes still starting up (the next run's, children). */
const STARTUP_WAIT_MS = 5000;
/** Child processes kept warm at most, however many a program used. */
const MAX_WARM_CHILDREN = 4;
/** A child gives up starting children after this many fail in a row (a broken engine). */
const MAX_CHILD_FAILURES = 3;
/** The program of a child process: waits to be claimed, then runs what its parent sends. */
const CHILD_ARGS = ['pyrace', '-c', 'import _pyrace_procs; _pyrace_procs.child_main()'];
/**
 * The first spare process starts this long after the first one is ready (then
 * once the page is idle): a first Run pressed sooner finds nothing starting
 * beside it, and one pressed later finds the spare ready (it starts in ~0.5 s).
 */
const FIRST_SPARE_DELAY_MS = 2000;
/** Longest a spare waits for the page to be idle before it starts anyway. */
const SPARE_IDLE_TIMEOUT_MS = 1000;

/** Calls `fn` once the page has nothing else to do (or after `timeoutMs`). */
function whenIdle(fn, timeoutMs) {
  if (globalThis.requestIdleCallback) requestIdleCallback(fn, { timeout: timeoutMs });
  else setTimeout(fn, 0);
}

/**
 * Compiles the engine and prepares the first process.
 * options.base        URL of the directory holding engine.json and the workers (default: this module's)
 * options.poolSize    thread workers per process (default: max(8, hardwareConcurrency))
 * options.onProgress  (loadedBytes, totalBytes) as the engine module downloads
 */
export async function createEngine(options = {}) {
  const base = new URL(options.base ?? '.', import.meta.url);
  // Revalidated (a 304 when unchanged): it names the module of this build.
  const response = await fetch(new URL('engine.json', base), { cache: 'no-cache' });
  if (!response.ok) throw new Error(`engine.json: HTTP ${response.status}`);
  const engine = new Engine(base, await response.json(), options);
  await engine.current.ready;
  return engine.api();
}

/**
 * Compiles the module as it downloads, counting the bytes of that same
 * response for the progress bar: the module crosses the network once. The
 * count reads a clone (one download, teed), so the response handed to
 * compileStreaming is the fetched one, with its URL: the browser keys its
 * compiled-code cache on that URL, and a reload compiles from that cache.
 */
async function compileWithProgress(url, totalBytes, onProgress) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url.pathname}: HTTP ${response.status}`);
  if (onProgress && response.body) {
    const reader = response.clone().body.getReader();
    (async () => {
      let loaded = 0;
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        loaded += value.length;
        onProgress(loaded, totalBytes);
      }
      onProgress(totalBytes, totalBytes);
    })().catch(() => {}); // a failed download rejects the compile below
  }
  return WebAssembly.compileStreaming(response);
}

class Engine {
  constructor(base, manifest, options) {
    this.base = base;
    this.manifest = manifest;
    this.mode = globalThis.crossOriginIsolated ? 'threads' : 'single-thread';
    this.poolSize = Math.min(MAX_POOL, options.poolSize ?? Math.max(MIN_POOL, navigator.hardwareConcurrency || 1));
    // One monotonic zero for every worker: each worker's performance.now()
    // starts at its own creation, so Python threads would disagree on time.
    this.clockBaseMs = performance.timeOrigin;
    this.cpus = navigator.hardwareConcurrency || 1;
    // What processes share (pipes, semaphores, the process table): only
    // where memory can be shared with workers.
    this.kernel = this.mode === 'threads' ? createKernel(this.cpus) : null;
    /** Processes by kernel slot; the children (warm or running) on their own too. */
    this.bySlot = new Map();
    this.children = new Set();
    this.warmChildren = 1;
    this.childFailures = 0;
    // The module's name carries its content hash (scripts/wasm-manifest.mjs),
    // so caches keep it for good.
    this.module = compileWithProgress(new URL(manifest.wasm, base), manifest.wasmBytes, options.onProgress);
    this.current = new Process(this);
    this.spare = null;
    this.active = null;
    // The first spare waits: a first Run soon after start-up goes alone.
    this.current.ready.then(
      () => setTimeout(() => whenIdle(() => this.prepareSpare(), SPARE_IDLE_TIMEOUT_MS), FIRST_SPARE_DELAY_MS),
      () => {},
    );
    if (this.kernel) this.watchKernel();
  }

  api() {
    const engine = this;
    return {
      get mode() {
        return engine.mode;
      },
      get poolSize() {
        return engine.poolSize;
      },
      get running() {
        return engine.active !== null;
      },
      // The program's own processes (multiprocessing): those a run has
      // started and that are still alive, those waiting warm to be
      // claimed, and those still starting up.
      get processes() {
        const count = { running: 0, warm: 0, starting: 0 };
        for (const child of engine.children) {
          const state = engine.kernel[procAt(child.slot) + P.STATE];
          if (state === PROC.WARM) count.warm++;
          else if (state === PROC.STARTING) count.starting++;
          else if (state === PROC.RUNNING) count.running++;
        }
        return count;
      },
      // What the kernel holds (null without one): what processes that
      // ended failed to give back shows here.
      get kernelUsage() {
        return engine.kernel ? kernelUsage(engine.kernel) : null;
      },
      // Resolves once the process the next run will use is ready (rejects if
      // it failed to start; that run then reports why). After a crash or a
      // Stop it is a fresh one, which may still be starting.
      get ready() {
        return engine.current.ready;
      },
      run: (request, onEvent) => engine.run(request, onEvent),
      stop: () => engine.stop(),
    };
  }

  prepareSpare() {
    // Not during a run: the run's end prepares one (retire).
    if (this.active) return;
    if (!this.spare) this.spare = new Process(this);
    // Children are started once the next run's process is up: they must
    // not slow down what the person is waiting for.
    this.spare.ready.then(() => this.topUpChildren(), () => {});
  }

  /** Serves the kernel's requests for ever: kills, and children for spawns. */
  async watchKernel() {
    const k = this.kernel;
    let seen = Atomics.load(k, K.DOORBELL);
    for (;;) {
      const waiting = Atomics.waitAsync(k, K.DOORBELL, seen);
      if (waiting.async) await waiting.value;
      seen = Atomics.load(k, K.DOORBELL);
      for (const [slot, signal] of takeKills(k)) {
        // Process.terminate()/kill() of a child: exit code -signal, as in CPython.
        const child = this.bySlot.get(slot);
        if (child?.child) child.end(-signal);
      }
      this.topUpChildren();
    }
  }

  /**
   * Starts children until every waiting spawn has one coming and, between
   * runs, the warm ones are there: a child starting up takes a core, which
   * a running program's own processes should have.
   */
  topUpChildren() {
    if (!this.kernel || this.childFailures >= MAX_CHILD_FAILURES) return;
    // How many children each run has at once: that many stay warm for the next.
    const perRoot = new Map();
    for (const child of this.children) {
      const root = this.bySlot.get(rootOf(this.kernel, child.slot));
      if (root && !root.child) perRoot.set(root, (perRoot.get(root) ?? 0) + 1);
    }
    for (const [root, n] of perRoot) root.childrenSeen = Math.max(root.childrenSeen, n);
    const { spare, waiting, wantWarm } = childSupply(this.kernel);
    // During a run, only a timed program between two of its runs wants
    // children warm (it waits for them: they do not compete with it).
    const warm = this.active ? Math.min(MAX_WARM_CHILDREN, wantWarm) : this.warmChildren;
    // A spawn that waits is most often the first of a burst (a Pool starts
    // its workers one after another, each spawn waiting for its child):
    // one child ahead lets the next spawn's start-up overlap this one's.
    const ahead = this.active && waiting > 0 ? 1 : 0;
    for (let i = spare; i < waiting + Math.max(warm, ahead); i++) {
      const child = new Process(this, { child: true });
      if (child.slot < 0) break;
    }
  }

  /**
   * Resolves once nothing is starting up (the spare process for the next
   * run, children started ahead), or after `limitMs`. Starting an engine
   * instance compiles and instantiates on every core it can get: a run timed
   * beside it would read slower than it is.
   */
  async startupsSettled(limitMs) {
    const until = performance.now() + limitMs;
    const childStarting = () => this.kernel && [...this.children].some(
      (child) => this.kernel[procAt(child.slot) + P.STATE] === PROC.STARTING);
    const spareStarting = () => this.spare !== null && !this.spare.done && !this.spare.startedUp();
    while ((spareStarting() || childStarting()) && performance.now() < until) {
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  /** A child that belongs to a run (its root process) reports an event there. */
  childEvent(child, event) {
    const root = this.bySlot.get(rootOf(this.kernel, child.slot));
    if (root && root !== child && !root.child) root.childEvent(event);
  }

  async run(request, onEvent = () => {}) {
    if (this.active) throw new Error('a run is already in progress');
    const proc = this.current;
    this.active = proc;
    try {
      // The next run's process may still be starting up: it takes cores,
      // and a run beside it would read slower than it is. A timed run came
      // first: that start-up goes, and starts again after the run. A program
      // run (which may time itself, and after which Run after Stop should
      // find a spare ready) waits for it, within reason, as for children
      // started ahead.
      if (request.mode !== 'run' && this.spare && !this.spare.startedUp()) {
        this.spare.dispose();
        this.spare = null;
      }
      await this.startupsSettled(STARTUP_WAIT_MS);
      return await proc.run(request, onEvent);
    } finally {
      this.active = null;
      this.retire(proc);
    }
  }

  stop() {
    this.active?.stop();
  }

  /** Drops a used process and puts the warm spare in its place. */
  retire(proc) {
    proc.dispose();
    if (this.kernel && proc.childrenSeen > 0) {
      // Keep as many children warm as the program used, for its next run.
      this.warmChildren = Math.min(MAX_WARM_CHILDREN, Math.max(this.warmChildren, proc.childrenSeen));
    }
    const wanted = proc.threadsWanted();
    if (wanted > this.poolSize) {
      // The program asked for more threads than the pool had: grow it for
      // the next processes (a pool cannot grow while its runner is blocked).
      // Python stops at the first thread that cannot start, so `wanted` is
      // a lower bound: at least double.
      this.poolSize = Math.min(MAX_POOL, Math.max(wanted, 2 * this.poolSize));
      if (this.spare && this.spare.poolSize < this.poolSize) {
        this.spare.dispose();
        this.spare = null;
      }
    }
    this.current = this.spare ?? new Process(this);
    this.spare = null;
    this.current.ready.then(() => this.prepareSpare(), () => {});
  }
}

/**
 * One engine instance and its thread workers: a run's own process, used
 * for a single run, or (`child`) a process that a program starts.
 */
class Process {
  constructor(engine, { child = false } = {}) {
    this.engine = engine;
    this.child = child;
    this.threads = engine.mode === 'threads';
    this.poolSize = this.threads ? (child ? CHILD_POOL : engine.poolSize) : 0;
    this.slot = engine.kernel ? allocProcess(engine.kernel, { root: !child }) : -1;
    if (child && this.slot < 0) return; // the process table is full
    if (this.slot >= 0) engine.bySlot.set(this.slot, this);
    if (child) engine.children.add(this);
    this.childrenSeen = 0;
    this.workers = [];
    this.done = false;
    this.stderr = '';
    this.finishedSeen = false;
    this.decoder = new TextDecoder();
    this.partialLine = '';

    // A built site names its bundled workers (scripts/bundle-workers.mjs);
    // www/ as it is runs the modules.
    const workerUrl = (name) => new URL(engine.manifest.workers?.[name] ?? `${name}.js`, engine.base);
    const runner = new Worker(workerUrl('runner'), { type: 'module', name: child ? 'pyrace-child' : 'pyrace-runner' });
    this.runner = runner;
    this.workers.push(runner);
    for (let i = 0; i < this.poolSize; i++) {
      this.workers.push(new Worker(workerUrl('thread'), { type: 'module', name: `pyrace-thread-${i}` }));
    }
    let readyCount = 0;
    let runnerReady;
    this.runnerReady = new Promise((resolve) => (runnerReady = resolve));
    this.ready = new Promise((resolve, reject) => {
      this.onReady = () => {
        if (++readyCount === 1) runnerReady();
        if (readyCount === this.workers.length) resolve();
      };
      this.onInitFailure = reject;
    });
    // Whether starting up is over, either way (read without awaiting).
    this.settled = false;
    this.ready.then(() => (this.settled = true), () => (this.settled = true));
    for (const w of this.workers) {
      w.onmessage = (e) => this.onWorkerMessage(e.data);
      w.onerror = (e) => {
        e.preventDefault();
        this.onWorkerMessage({ type: 'crash', message: e.message || 'worker error' });
      };
    }

    engine.module.then(
      (module) => {
        if (this.done) return;
        const limits = engine.manifest.memory;
        if (this.threads) {
          this.ctl = new Int32Array(new SharedArrayBuffer(CTL_BYTES));
          this.ring = new Uint8Array(new SharedArrayBuffer(RING_BYTES));
          Atomics.store(this.ctl, CTL.POOL_SIZE, this.poolSize);
          const memory = new WebAssembly.Memory({ ...limits, shared: true });
          this.memory = memory;
          const shared = {
            module,
            memory,
            ctl: this.ctl.buffer,
            ring: this.ring.buffer,
            clockBaseMs: engine.clockBaseMs,
            kernel: engine.kernel.buffer,
            kernelSlot: this.slot,
            cpus: engine.cpus,
          };
          if (child) {
            // A child runs its own program at once: it waits, warm, to be claimed.
            runner.postMessage({ type: 'init', ...shared, threads: true, args: CHILD_ARGS, env: ['PYRACE_CHILD_EVENTS=0'] });
            this.pump();
          } else {
            // The runner starts the engine at once and waits for the request
            // on stdin (a shared mailbox): Run then skips the engine's start-up.
            this.mailbox = new SharedArrayBuffer(MAILBOX.HEADER_BYTES + MAILBOX.DATA_BYTES);
            this.mailboxHeader = new Int32Array(this.mailbox, 0, MAILBOX.HEADER_BYTES / 4);
            runner.postMessage({ type: 'init', ...shared, threads: true, mailbox: this.mailbox, env: this.env() });
          }
          // The first instance on a shared memory initialises it and takes
          // the main thread's static TLS block; an instance created later
          // finds the memory initialised and leaves its TLS base at 0. The
          // runner, which runs the main thread, must therefore come first:
          // thread workers instantiate only once it is ready.
          this.runnerReady.then(() => {
            if (!this.done) this.workers.slice(1).forEach((w, slot) => w.postMessage({ ...shared, slot }));
          });
        } else {
          runner.postMessage({ type: 'init', module, memoryLimits: limits, clockBaseMs: engine.clockBaseMs, threads: false, cpus: engine.cpus });
        }
      },
      (err) => this.onInitFailure(err),
    );
  }

  /** The engine's environment: PYRACE_THREADS tells it whether threads can start. */
  env() {
    return [`PYRACE_THREADS=${this.threads ? 1 : 0}`];
  }

  /**
   * Whether this process has finished starting up: its workers are ready
   * and, pre-started, the engine waits for its request.
   */
  startedUp() {
    if (!this.settled) return false;
    // One that failed to start takes no core either: its run reports why.
    if (this.initError !== undefined) return true;
    return !this.mailbox || Atomics.load(this.mailboxHeader, MAILBOX.WAITING) === 1;
  }

  /** Highest number of threads alive at once that the program asked for. */
  threadsWanted() {
    return this.ctl ? Atomics.load(this.ctl, CTL.THREADS_WANTED) : 0;
  }

  async run(request, onEvent) {
    this.request = request;
    this.onEvent = onEvent;
    this.finished = new Promise((resolve) => (this.resolveFinished = resolve));
    try {
      await this.ready;
    } catch {
      // initError says why.
    }
    if (this.initError !== undefined) {
      this.finish({ crash: `the engine failed to start: ${this.initError}` });
      return this.finished;
    }
    if (this.done) return this.finished;
    this.startedAt = performance.now();
    if (this.mailbox) {
      writeMailbox(this.mailbox, new TextEncoder().encode(JSON.stringify(request)));
    } else {
      this.runner.postMessage({ type: 'run', stdin: JSON.stringify(request), env: this.env() });
    }
    if (this.threads) this.pump();
    return this.finished;
  }

  stop() {
    if (this.done) return;
    // Terminate first so the program stops at once; then report what it wrote.
    this.terminate();
    this.finish({ stopped: true });
  }

  onWorkerMessage(msg) {
    if (this.done) return;
    if (this.child) return this.onChildMessage(msg);
    switch (msg.type) {
      case 'ready':
        this.onReady();
        break;
      case 'stdout':
        this.feed(msg.bytes);
        break;
      case 'stderr':
        this.stderr = (this.stderr + new TextDecoder().decode(msg.bytes)).slice(-16384);
        break;
      case 'exit':
        if (!this.onEvent) {
          this.initError = `the engine exited with code ${msg.code} before its run\n${this.stderr}`;
          this.onInitFailure(new Error(this.initError));
          this.terminate();
        } else {
          this.finish({ code: msg.code });
        }
        break;
      case 'crash':
        if (!this.onEvent) {
          // Failed while being prepared (or, pre-started, before its run):
          // the run that takes this process reports it.
          this.initError = msg.message;
          this.onInitFailure(new Error(msg.message));
          this.terminate();
        } else {
          this.terminate();
          this.finish({ crash: msg.message, memoryBytes: msg.memoryBytes });
        }
        break;
    }
  }

  /** A child's worker reports: its stderr is the run's, its end is its parent's to see. */
  onChildMessage(msg) {
    switch (msg.type) {
      case 'ready':
        this.onReady();
        break;
      case 'stderr': {
        const text = new TextDecoder().decode(msg.bytes);
        this.stderr = (this.stderr + text).slice(-16384);
        this.emit({ event: 'output', run_id: 0, stream: 'stderr', text });
        break;
      }
      case 'exit':
        if (this.claimed()) {
          this.engine.childFailures = 0;
        } else {
          // It ended before any parent claimed it: it failed to start.
          this.engine.childFailures++;
          console.error(`pyrace: a child process exited with ${msg.code} before it was claimed`, this.stderr);
        }
        this.end(msg.code);
        break;
      case 'crash':
        if (this.claimed()) {
          this.emit({ event: 'output', run_id: 0, stream: 'stderr', text: `pyrace: process ${pidOf(this.engine.kernel, this.slot)} crashed: ${msg.message}\n` });
        } else {
          this.engine.childFailures++;
          console.error('pyrace: a child process failed to start:', msg.message, this.stderr);
        }
        // As CPython reports a child that died of a fault (SIGSEGV).
        this.end(-11);
        break;
    }
  }

  /** Whether a parent has claimed this child (it runs part of some run). */
  claimed() {
    return rootOf(this.engine.kernel, this.slot) >= 0;
  }

  /** A child's end: its workers go, its pipes close, its parent may reap the code. */
  end(code) {
    if (this.done) return;
    this.exitCode = code;
    this.drain();
    this.feed(new Uint8Array(), true);
    this.dispose();
  }

  /** Output of one of this run's children: it becomes the run's. */
  childEvent(event) {
    if (this.done || !this.onEvent) return;
    event.run_id = this.runId();
    const variants = this.request?.variants ?? [];
    if (event.event === 'output' && event.variant == null && variants.length === 1) event.variant = variants[0].name;
    this.emit(event);
  }

  /** Reads the output ring as the program writes, yielding to the page between batches. */
  async pump() {
    const ctl = this.ctl;
    while (!this.done) {
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

  drain() {
    if (!this.ctl) return;
    const ctl = this.ctl;
    const written = Atomics.load(ctl, CTL.RING_WRITTEN) >>> 0;
    const read = Atomics.load(ctl, CTL.RING_READ) >>> 0;
    const n = (written - read) >>> 0;
    if (n === 0) return;
    const bytes = new Uint8Array(n);
    const cap = this.ring.length;
    for (let i = 0; i < n; ) {
      const at = (read + i) % cap;
      const run = Math.min(n - i, cap - at);
      bytes.set(this.ring.subarray(at, at + run), i);
      i += run;
    }
    Atomics.store(ctl, CTL.RING_READ, written | 0);
    Atomics.notify(ctl, CTL.RING_READ);
    this.feed(bytes);
  }

  /** Splits the engine's stdout into JSON lines, one RunEvent each. */
  feed(bytes, final = false) {
    const text = this.partialLine + this.decoder.decode(bytes, { stream: !final });
    const lines = text.split('\n');
    this.partialLine = final ? '' : lines.pop();
    for (const line of lines) {
      if (line.trim() === '') continue;
      let event;
      try {
        event = JSON.parse(line);
      } catch {
        // Not an event: text the engine printed outside the protocol.
        event = { event: 'output', run_id: this.runId(), stream: 'stdout', text: `${line}\n` };
      }
      if (event.event === 'finished') this.finishedSeen = true;
      this.emit(event);
    }
  }

  emit(event) {
    if (this.child) {
      if (event.event === 'output') this.engine.childEvent(this, event);
      return;
    }
    try {
      this.onEvent(event);
    } catch (err) {
      console.error('pyrace: onEvent threw', err);
    }
  }

  runId() {
    return this.request?.run_id ?? 0;
  }

  /** Ends the run: reports what is left, and a `finished` event if the engine gave none. */
  finish({ code, crash, stopped, memoryBytes }) {
    if (this.done) return;
    this.drain();
    this.feed(new Uint8Array(), true);
    this.done = true;
    const run_id = this.runId();
    const elapsed = this.startedAt ? (performance.now() - this.startedAt) / 1000 : 0;
    let status = 'ok';
    if (crash !== undefined || (code !== undefined && code !== 0)) {
      if (!this.finishedSeen || crash !== undefined) {
        // What the engine wrote as it died is for the console, not the page.
        console.error(`pyrace: the engine ${crash !== undefined ? `crashed: ${crash}` : `exited with code ${code}`}`, this.stderr);
        const limits = this.engine.manifest.memory;
        const { exc_type, message } = engineFailure({
          crash,
          code,
          stderr: this.stderr,
          memoryBytes: memoryBytes ?? this.memory?.buffer.byteLength ?? 0,
          maxBytes: (limits?.maximum ?? 0) * 65536,
        });
        this.emit({
          event: 'error',
          run_id,
          error: { kind: 'crash', exc_type, message, part: null, line: null, column: null, traceback: '' },
        });
      }
      status = 'failed';
    }
    if (stopped) status = 'stopped';
    if (!this.finishedSeen || stopped || crash !== undefined) {
      this.emit({ event: 'finished', run_id, status, elapsed });
    }
    this.resolveFinished?.({ status, exitCode: code ?? null, crash: crash ?? null, stderr: this.stderr });
  }

  terminate() {
    for (const w of this.workers) w.terminate();
  }

  dispose() {
    if (this.disposed) return;
    this.disposed = true;
    this.done = true;
    // The kernel first, then the workers: a terminated worker that is busy
    // runs on for a while (kernel.js), and must find its process ended.
    this.leaveKernel();
    this.terminate();
  }

  /** Marks this process ended in the kernel (a run's end ends the processes it left running, Stop included). */
  leaveKernel() {
    const engine = this.engine;
    const k = engine.kernel;
    if (!k || this.slot < 0) return;
    engine.bySlot.delete(this.slot);
    if (this.child) {
      engine.children.delete(this);
      processEnded(k, this.slot, this.exitCode ?? -15);
      return;
    }
    for (const child of [...engine.children]) {
      if (rootOf(k, child.slot) === this.slot) {
        child.exitCode = -15;
        child.dispose();
      }
    }
    processEnded(k, this.slot, 0);
    runEnded(k, this.slot);
  }
}
