// engine.js — the page-side API of the browser engine.
//
//   const engine = await createEngine();
//   engine.mode                       // 'threads' | 'single-thread'
//   const end = await engine.run(request, (event) => ...);  // RunEvent objects
//   engine.stop();                    // ends the running program at once
//   await engine.ready;               // the process the next run takes is up
//
// Each run gets a fresh *process*: a runner worker with its own engine
// instance and memory, plus (when cross-origin isolated) a pool of thread
// workers sharing that memory. Processes are prepared ahead: while one runs,
// the next waits warm, so Run after Stop or after a crash starts at once.
// The engine module is compiled once and posted to every worker.

import { CTL, CTL_BYTES, RING_BYTES, MAX_POOL, MAILBOX, writeMailbox } from './wasi-host.js';

/** Threads a pool has at least: I/O-bound lessons start more threads than a laptop has cores. */
const MIN_POOL = 8;

/**
 * Compiles the engine and prepares the first process.
 * options.base      URL of the directory holding engine.json and the workers (default: this module's)
 * options.poolSize  thread workers per process (default: max(8, hardwareConcurrency))
 */
export async function createEngine(options = {}) {
  const base = new URL(options.base ?? '.', import.meta.url);
  const manifest = await (await fetch(new URL('engine.json', base), { cache: 'no-cache' })).json();
  const engine = new Engine(base, manifest, options);
  await engine.current.ready;
  return engine.api();
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
    // The version in the URL lets caches keep the module for good.
    const wasmUrl = new URL(`${manifest.wasm}?v=${manifest.version}`, base);
    this.module = WebAssembly.compileStreaming(fetch(wasmUrl));
    this.current = new Process(this);
    this.spare = null;
    this.active = null;
    this.current.ready.then(() => this.prepareSpare(), () => {});
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
    if (!this.spare) this.spare = new Process(this);
  }

  async run(request, onEvent = () => {}) {
    if (this.active) throw new Error('a run is already in progress');
    const proc = this.current;
    this.active = proc;
    try {
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

/** One engine instance and its thread workers; used for a single run. */
class Process {
  constructor(engine) {
    this.engine = engine;
    this.threads = engine.mode === 'threads';
    this.poolSize = this.threads ? engine.poolSize : 0;
    this.workers = [];
    this.done = false;
    this.stderr = '';
    this.finishedSeen = false;
    this.decoder = new TextDecoder();
    this.partialLine = '';

    const workerUrl = (name) => new URL(name, engine.base);
    const runner = new Worker(workerUrl('runner.js'), { type: 'module', name: 'pyrace-runner' });
    this.runner = runner;
    this.workers.push(runner);
    for (let i = 0; i < this.poolSize; i++) {
      this.workers.push(new Worker(workerUrl('thread.js'), { type: 'module', name: `pyrace-thread-${i}` }));
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
    this.ready.catch(() => {});
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
          const shared = { module, memory, ctl: this.ctl.buffer, ring: this.ring.buffer, clockBaseMs: engine.clockBaseMs };
          // The runner starts the engine at once and waits for the request
          // on stdin (a shared mailbox): Run then skips the engine's start-up.
          this.mailbox = new SharedArrayBuffer(MAILBOX.HEADER_BYTES + MAILBOX.DATA_BYTES);
          runner.postMessage({ type: 'init', ...shared, threads: true, mailbox: this.mailbox, env: this.env() });
          // The first instance on a shared memory initialises it and takes
          // the main thread's static TLS block; an instance created later
          // finds the memory initialised and leaves its TLS base at 0. The
          // runner, which runs the main thread, must therefore come first:
          // thread workers instantiate only once it is ready.
          this.runnerReady.then(() => {
            if (!this.done) this.workers.slice(1).forEach((w, slot) => w.postMessage({ ...shared, slot }));
          });
        } else {
          runner.postMessage({ type: 'init', module, memoryLimits: limits, clockBaseMs: engine.clockBaseMs, threads: false });
        }
      },
      (err) => this.onInitFailure(err),
    );
  }

  /** The engine's environment: PYRACE_THREADS tells it whether threads can start. */
  env() {
    return [`PYRACE_THREADS=${this.threads ? 1 : 0}`];
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
          this.finish({ crash: msg.message });
        }
        break;
    }
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
  finish({ code, crash, stopped }) {
    if (this.done) return;
    this.drain();
    this.feed(new Uint8Array(), true);
    this.done = true;
    const run_id = this.runId();
    const elapsed = this.startedAt ? (performance.now() - this.startedAt) / 1000 : 0;
    let status = 'ok';
    if (crash !== undefined || (code !== undefined && code !== 0)) {
      const panic = this.stderr.trim();
      const message = crash !== undefined ? `the engine crashed: ${crash}` : `the engine exited with code ${code}`;
      if (!this.finishedSeen || crash !== undefined) {
        this.emit({
          event: 'error',
          run_id,
          error: {
            kind: 'crash',
            exc_type: crash !== undefined ? 'EngineCrash' : 'EngineExit',
            message: panic ? `${message}\n${lastLines(panic, 6)}` : message,
            part: null,
            line: null,
            column: null,
            traceback: panic,
          },
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
    this.done = true;
    this.terminate();
  }
}

function lastLines(text, n) {
  return text.split('\n').slice(-n).join('\n');
}
