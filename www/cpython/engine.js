// cpython/engine.js — the page's side of the CPython engine: starts its
// worker (cpython/worker.js) on demand, relays download progress, runs one
// request at a time, and stops a run at once: through Pyodide's interrupt
// buffer where the page is cross-origin isolated (the worker stays warm),
// by ending the worker and starting a fresh one otherwise, or when the
// interrupt is not heard (code inside one long C call). A worker that dies
// is replaced the same way, and the run it was doing says so.

/** How long an interrupted run may take to notice before its worker is ended. */
const INTERRUPT_GRACE_MS = 1500;

/**
 * Starts the CPython engine; onProgress(loadedBytes, totalBytes) reports the
 * download. Resolves with { version, run(request, spec, onEvent), stop(), ready }.
 */
export async function createCpythonEngine({ onProgress = () => {} } = {}) {
  const interrupt = globalThis.crossOriginIsolated ? new SharedArrayBuffer(4) : null;
  let worker = null;
  let version = '';
  let current = null; // { runId, onEvent, resolve, stopping }
  let ready = null;

  function spawn(progress) {
    worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module', name: 'pyrace-cpython' });
    const thisWorker = worker;
    ready = new Promise((resolve, reject) => {
      thisWorker.onmessage = ({ data }) => {
        if (data.type === 'progress') progress(data.loaded, data.total);
        else if (data.type === 'ready') { version = data.version; resolve(); }
        else if (data.type === 'failed') reject(new Error(data.reason));
        else if (data.type === 'event') current?.onEvent(JSON.parse(data.json));
        else if (data.type === 'done' && current && current.runId === data.runId) finish(data);
        else if (data.type === 'crashed' && thisWorker === worker) {
          // As a python process that aborts: the interpreter is gone, not the program's exception.
          crashed(data.reason, `CPython stopped abnormally, as a python process does at os.abort() or a fatal error (${data.reason}). It was restarted: run again.`);
        }
      };
      thisWorker.onerror = (event) => {
        event.preventDefault?.();
        const reason = event.message || 'the CPython worker failed to start';
        reject(new Error(reason));
        if (thisWorker === worker) crashed(reason);
      };
    });
    worker.postMessage({ type: 'start', interrupt });
    return ready;
  }

  function finish(result) {
    const run = current;
    current = null;
    clearTimeout(run.timer);
    run.resolve({ status: result.status, elapsed: result.elapsed, measurements: result.measurements ?? null });
  }

  /** Ends the worker and brings up a fresh one (downloads come from the cache). */
  function restart() {
    worker.terminate();
    spawn(() => {}).catch(() => {});
  }

  function crashed(reason, message = `The CPython engine failed (${reason}) and was restarted: run again.`) {
    if (!current) return restart();
    const run = current;
    run.onEvent({
      event: 'error',
      run_id: run.runId,
      error: {
        kind: 'crash', exc_type: 'EngineError', part: null, line: null, column: null, traceback: '',
        message,
      },
    });
    restart();
    finish({ status: 'failed', elapsed: (performance.now() - run.started) / 1000 });
  }

  await spawn(onProgress);

  return {
    get version() { return version; },
    get ready() { return ready; },
    /** Runs `request` (a RunRequest) with `spec` (the reference harness's
     * spec; null in Run mode). onEvent receives RunEvents as objects. */
    async run(request, spec, onEvent) {
      if (current) throw new Error('the CPython engine is already running');
      await ready;
      return new Promise((resolve) => {
        current = { runId: request.run_id, onEvent, resolve, started: performance.now(), timer: null };
        onEvent({ event: 'started', run_id: request.run_id, engine: version, variants: request.variants.map((v) => v.name) });
        if (interrupt) new Int32Array(interrupt)[0] = 0;
        worker.postMessage({
          type: 'run',
          runId: request.run_id,
          request: JSON.stringify(request),
          spec: spec == null ? null : JSON.stringify(spec),
        });
      });
    },
    /** Stops the run at once: its `done` reports `stopped`. */
    stop() {
      const run = current;
      if (!run) return;
      const ended = () => {
        if (current !== run) return;
        restart();
        finish({ status: 'stopped', elapsed: (performance.now() - run.started) / 1000 });
      };
      if (interrupt) {
        new Int32Array(interrupt)[0] = 2; // SIGINT: KeyboardInterrupt in the running code
        run.timer = setTimeout(ended, INTERRUPT_GRACE_MS);
      } else {
        ended();
      }
    },
  };
}
