// @ts-check
// engine.js — the page-side API of the browser engine.
//
//   const engine = await createEngine();
//   engine.mode                       // 'threads' | 'single-thread'
//   const end = await engine.run(request, (event, text) => ...);
//                                     // each RunEvent, parsed, and its JSON text as the engine wrote it
//   engine.run(request, onEvent, requestJson)   // the same, with the request's JSON at hand
//   engine.stop();                    // ends the running program (a profiled one ends itself, keeping its profile)
//   await engine.ready;               // the process the next run takes is up
//   engine.processes                  // { running, warm, starting }: the program's child processes
//   engine.kernelUsage                // pipes, semaphores and process slots the kernel holds now
//
// Each run gets a fresh *process*: a runner worker with its own engine
// instance and memory, plus (when cross-origin isolated) a pool of thread
// workers sharing that memory. The first process starts with its runner
// alone, so that the first output waits for one engine instance, not ten:
// its pool grows as its program starts threads (a timed run has it whole
// first). The processes prepared later start with the whole pool.
// Processes are prepared ahead: the next one
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
//
// This file is the engine's policy: which process runs next, when spares
// and children start. How one process lives is process.js.

import { MAX_POOL } from './process-shared.js';
import { K, PROC, createKernel, allocProcess, takeKills, childSupply, rootOf, kernelUsage } from './kernel.js';
import { RunProcess, ChildProcess } from './process.js';
import { loadStdlibIndex } from './stdlib-fs.js';

/**
 * @typedef {import('./protocol.js').RunRequest} RunRequest
 * @typedef {import('./protocol.js').OutputEvent} OutputEvent
 * @typedef {import('./process.js').Process} Process
 * @typedef {import('./process.js').EventCallback} EventCallback
 * @typedef {import('./process.js').RunEnd} RunEnd
 * @typedef {import('./process.js').EngineManifest} EngineManifest
 * @typedef {import('./process.js').ProcessHost} ProcessHost
 */

/**
 * The page's handle on the engine (what createEngine resolves with).
 * @typedef {{
 *   readonly mode: 'threads' | 'single-thread',
 *   readonly poolSize: number,
 *   readonly running: boolean,
 *   readonly processes: {running: number, warm: number, starting: number},
 *   readonly kernelUsage: ReturnType<typeof kernelUsage> | null,
 *   readonly ready: Promise<void>,
 *   run(request: RunRequest, onEvent?: EventCallback, requestJson?: string): Promise<RunEnd>,
 *   stop(): void,
 * }} EngineApi
 */

/**
 * @typedef {object} EngineOptions
 * @property {string | URL} [base]  URL of the directory holding engine.json and the workers (default: this module's)
 * @property {number} [poolSize]  thread workers per process (default: max(8, hardwareConcurrency))
 * @property {(loadedBytes: number, totalBytes: number) => void} [onProgress]  as the engine module downloads
 */

/** Threads a pool has at least: I/O-bound lessons start more threads than a laptop has cores. */
const MIN_POOL = 8;
/** Longest a run waits for processes still starting up (the next run's, children). */
const STARTUP_WAIT_MS = 5000;
/** Child processes kept warm at most, however many a program used. */
const MAX_WARM_CHILDREN = 4;
/** A child gives up starting children after this many fail in a row (a broken engine). */
const MAX_CHILD_FAILURES = 3;
/**
 * The first spare process starts this long after the first one is ready (then
 * once the page is idle): a first Run pressed sooner finds nothing starting
 * beside it, and one pressed later finds the spare ready (it starts in ~0.5 s).
 */
const FIRST_SPARE_DELAY_MS = 2000;
/** Longest a spare waits for the page to be idle before it starts anyway. */
const SPARE_IDLE_TIMEOUT_MS = 1000;

/**
 * Calls `fn` once the page has nothing else to do (or after `timeoutMs`).
 * @param {() => void} fn
 * @param {number} timeoutMs
 */
function whenIdle(fn, timeoutMs) {
  if ('requestIdleCallback' in globalThis) requestIdleCallback(fn, { timeout: timeoutMs });
  else setTimeout(fn, 0);
}

/**
 * Compiles the engine and prepares the first process.
 * @param {EngineOptions} [options]
 * @returns {Promise<EngineApi>}
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
 * @param {URL} url
 * @param {number} totalBytes
 * @param {EngineOptions['onProgress']} onProgress
 */
async function compileWithProgress(url, totalBytes, onProgress) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url.pathname}: HTTP ${response.status}`);
  const counted = response.clone().body;
  if (onProgress && counted) {
    const reader = counted.getReader();
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

/** @implements {ProcessHost} */
class Engine {
  /**
   * @param {URL} base
   * @param {EngineManifest} manifest
   * @param {EngineOptions} options
   */
  constructor(base, manifest, options) {
    this.base = base;
    this.manifest = manifest;
    /** @type {'threads' | 'single-thread'} */
    this.mode = globalThis.crossOriginIsolated ? 'threads' : 'single-thread';
    this.poolSize = Math.min(MAX_POOL, options.poolSize ?? Math.max(MIN_POOL, navigator.hardwareConcurrency || 1));
    // One monotonic zero for every worker: each worker's performance.now()
    // starts at its own creation, so Python threads would disagree on time.
    this.clockBaseMs = performance.timeOrigin;
    this.cpus = navigator.hardwareConcurrency || 1;
    // What processes share (pipes, semaphores, the process table): only
    // where memory can be shared with workers.
    this.kernel = this.mode === 'threads' ? createKernel(this.cpus) : null;
    /** @type {Map<number, Process>} processes by kernel slot */
    this.bySlot = new Map();
    /** @type {Set<ChildProcess>} the children (warm or running) on their own too */
    this.children = new Set();
    this.warmChildren = 1;
    this.childFailures = 0;
    // The module's name carries its content hash (scripts/wasm-manifest.mjs),
    // so caches keep it for good.
    this.module = compileWithProgress(new URL(manifest.wasm, base), manifest.wasmBytes, options.onProgress);
    // Fetched while the module compiles: it lists the stdlib's files that
    // are not frozen, downloaded only when a program imports one.
    this.stdlib = loadStdlibIndex(base, manifest.stdlib);
    // The first process, which the first output waits for, starts alone.
    this.current = this.newRunProcess(0);
    /** @type {RunProcess | null} the next run's process, prepared ahead */
    this.spare = null;
    /** @type {RunProcess | null} the process of the run in progress */
    this.active = null;
    // The first spare waits: a first Run soon after start-up goes alone.
    this.current.ready.then(
      () => setTimeout(() => whenIdle(() => this.prepareSpare(), SPARE_IDLE_TIMEOUT_MS), FIRST_SPARE_DELAY_MS),
      () => {},
    );
    if (this.kernel) this.watchKernel(this.kernel);
  }

  /**
   * A run's process, with a kernel slot when there is a kernel (a root is
   * running at once).
   * @param {number} [ahead]  thread workers it starts with (default: the whole pool)
   */
  newRunProcess(ahead = this.threadsPerProcess()) {
    const slot = this.kernel ? allocProcess(this.kernel, { root: true }) : -1;
    const limit = this.threadsPerProcess();
    return new RunProcess(this, slot, { ahead: Math.min(ahead, limit), limit });
  }

  /** Thread workers of a run's process. */
  threadsPerProcess() {
    return this.mode === 'threads' ? this.poolSize : 0;
  }

  /** @returns {EngineApi} */
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
          const state = child.kernelState();
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
      run: (request, onEvent, requestJson) => engine.run(request, onEvent, requestJson),
      stop: () => engine.stop(),
    };
  }

  prepareSpare() {
    // Not during a run: the run's end prepares one (retire).
    if (this.active) return;
    if (!this.spare) this.spare = this.newRunProcess();
    // Children are started once the next run's process is up: they must
    // not slow down what the person is waiting for.
    this.spare.ready.then(() => this.topUpChildren(), () => {});
  }

  /**
   * Serves the kernel's requests for ever: kills, and children for spawns.
   * @param {Int32Array} k
   */
  async watchKernel(k) {
    let seen = Atomics.load(k, K.DOORBELL);
    for (;;) {
      const waiting = Atomics.waitAsync(k, K.DOORBELL, seen);
      if (waiting.async) await waiting.value;
      seen = Atomics.load(k, K.DOORBELL);
      for (const [slot, signal] of takeKills(k)) {
        // Process.terminate()/kill() of a child: exit code -signal, as in CPython.
        const child = this.bySlot.get(slot);
        if (child instanceof ChildProcess) child.end(-signal);
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
    const k = this.kernel;
    if (!k || this.childFailures >= MAX_CHILD_FAILURES) return;
    // How many children each run has at once: that many stay warm for the next.
    /** @type {Map<RunProcess, number>} */
    const perRoot = new Map();
    for (const child of this.children) {
      const root = this.bySlot.get(rootOf(k, child.slot));
      if (root instanceof RunProcess) perRoot.set(root, (perRoot.get(root) ?? 0) + 1);
    }
    for (const [root, n] of perRoot) root.childrenSeen = Math.max(root.childrenSeen, n);
    const { spare, waiting, wantWarm } = childSupply(k);
    // During a run, only a timed program between two of its runs wants
    // children warm (it waits for them: they do not compete with it).
    const warm = this.active ? Math.min(MAX_WARM_CHILDREN, wantWarm) : this.warmChildren;
    // A spawn that waits is most often the first of a burst (a Pool starts
    // its workers one after another, each spawn waiting for its child):
    // one child ahead lets the next spawn's start-up overlap this one's.
    const ahead = this.active && waiting > 0 ? 1 : 0;
    for (let i = spare; i < waiting + Math.max(warm, ahead); i++) {
      const slot = allocProcess(k, { root: false });
      if (slot < 0) break; // the process table is full
      new ChildProcess(this, slot);
    }
  }

  /**
   * Resolves once nothing is starting up (the spare process for the next
   * run, children started ahead), or after `limitMs`. Starting an engine
   * instance compiles and instantiates on every core it can get: a run timed
   * beside it would read slower than it is.
   * @param {number} limitMs
   */
  async startupsSettled(limitMs) {
    const until = performance.now() + limitMs;
    const childStarting = () => [...this.children].some((child) => child.kernelState() === PROC.STARTING);
    const spareStarting = () => this.spare !== null && !this.spare.over() && !this.spare.startedUp();
    while ((spareStarting() || childStarting()) && performance.now() < until) {
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  /**
   * A child that belongs to a run (its root process) reports an event there.
   * @param {ChildProcess} child
   * @param {OutputEvent} event
   */
  childEvent(child, event) {
    if (!this.kernel) return;
    const root = this.bySlot.get(rootOf(this.kernel, child.slot));
    if (root instanceof RunProcess) root.childEvent(event);
  }

  /**
   * @param {RunRequest} request
   * @param {EventCallback} [onEvent]
   * @param {string} [requestJson]  `request` as JSON, when the caller has it (the engine reads that text)
   * @returns {Promise<RunEnd>}
   */
  async run(request, onEvent = () => {}, requestJson = JSON.stringify(request)) {
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
      if (request.mode !== 'run') await proc.fillPool();
      return await proc.run(request, onEvent, requestJson);
    } finally {
      this.active = null;
      this.retire(proc);
    }
  }

  stop() {
    this.active?.stop();
  }

  /**
   * Drops a used process and puts the warm spare in its place.
   * @param {RunProcess} proc
   */
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
    this.current = this.spare ?? this.newRunProcess();
    this.spare = null;
    this.current.ready.then(() => this.prepareSpare(), () => {});
  }
}
