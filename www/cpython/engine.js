// @ts-check
// cpython/engine.js — the page's side of the CPython engine: starts its
// worker (cpython/worker.js) on demand, relays download progress, runs one
// request at a time, and stops a run at once: through Pyodide's interrupt
// buffer where the page is cross-origin isolated (the worker stays warm),
// by ending the worker and starting a fresh one otherwise, or when the
// interrupt is not heard (code inside one long C call). A worker that dies
// is replaced the same way, and the run it was doing says so. Requests go
// to the worker and events come back as JSON text (www/protocol.js has
// the messages): this file parses a request only for its id and names.

import { cpythonReplyJson, cpythonRun, cpythonStart, crashEvent, startedEvent } from '../protocol.js';

/** @typedef {import('../protocol.js').FromCpythonWorker} FromCpythonWorker */
/** @typedef {import('../protocol.js').RunRequest} RunRequest */
/** @typedef {import('../protocol.js').RunStatus} RunStatus */

/** How long an interrupted run may take to notice before its worker is ended. */
const INTERRUPT_GRACE_MS = 1500;

/**
 * The run going on.
 * @typedef {{
 *   runId: number,
 *   onEvent: (eventJson: string) => void,
 *   resolve: (replyJson: string) => void,
 *   started: number,
 *   timer: ReturnType<typeof setTimeout> | undefined,
 * }} CurrentRun
 */

/**
 * The started engine.
 * @typedef {{
 *   readonly version: string,
 *   readonly ready: Promise<void>,
 *   run(requestJson: string, specJson: string | null, onEvent: (eventJson: string) => void): Promise<string>,
 *   stop(): void,
 * }} CpythonEngine
 */

/**
 * Starts the CPython engine; onProgress(loadedBytes, totalBytes) reports the
 * download.
 * @param {{onProgress?: (loaded: number, total: number) => void}} [options]
 * @returns {Promise<CpythonEngine>}
 */
export async function createCpythonEngine({ onProgress = () => {} } = {}) {
  const interrupt = globalThis.crossOriginIsolated ? new SharedArrayBuffer(4) : null;
  /** @type {Worker} */
  let worker;
  let version = '';
  /** @type {CurrentRun | null} */
  let current = null;
  /** @type {Promise<void>} */
  let ready;

  /** @param {(loaded: number, total: number) => void} progress */
  function spawn(progress) {
    worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module', name: 'pyrace-cpython' });
    const thisWorker = worker;
    ready = new Promise((resolve, reject) => {
      thisWorker.onmessage = (/** @type {MessageEvent<FromCpythonWorker>} */ { data }) => {
        if (data.type === 'progress') progress(data.loaded, data.total);
        else if (data.type === 'ready') { version = data.version; resolve(); }
        else if (data.type === 'failed') reject(new Error(data.reason));
        else if (data.type === 'event') current?.onEvent(data.json);
        else if (data.type === 'done' && current && current.runId === data.runId) finish(data.status, data.timingJson, data.elapsed);
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
    worker.postMessage(cpythonStart(interrupt));
    return ready;
  }

  /**
   * Ends the current run with its reply.
   * @param {RunStatus} status
   * @param {string | null} timingJson
   * @param {number} [elapsed]  seconds, as the worker measured them; else the page's count
   */
  function finish(status, timingJson, elapsed) {
    const run = current;
    if (!run) return;
    current = null;
    clearTimeout(run.timer);
    run.resolve(cpythonReplyJson(status, elapsed ?? (performance.now() - run.started) / 1000, timingJson));
  }

  /** Ends the worker and brings up a fresh one (downloads come from the cache). */
  function restart() {
    worker.terminate();
    spawn(() => {}).catch(() => {});
  }

  /**
   * @param {string} reason
   * @param {string} [message]
   */
  function crashed(reason, message = `The CPython engine failed (${reason}) and was restarted: run again.`) {
    if (!current) return restart();
    current.onEvent(JSON.stringify(crashEvent(current.runId, { exc_type: 'EngineError', message })));
    restart();
    finish('failed', null);
  }

  await spawn(onProgress);

  return {
    get version() { return version; },
    get ready() { return ready; },
    /** Runs a request (`requestJson`, a RunRequest) with `specJson` (the
     * reference harness's spec; null in Run mode). onEvent receives each
     * RunEvent's text; resolves with the reply's (protocol.js
     * cpythonReplyJson). */
    async run(requestJson, specJson, onEvent) {
      if (current) throw new Error('the CPython engine is already running');
      await ready;
      /** @type {RunRequest} */
      const request = JSON.parse(requestJson);
      return new Promise((resolve) => {
        current = { runId: request.run_id, onEvent, resolve, started: performance.now(), timer: undefined };
        onEvent(JSON.stringify(startedEvent(request.run_id, version, request.variants.map((v) => v.name))));
        if (interrupt) new Int32Array(interrupt)[0] = 0;
        worker.postMessage(cpythonRun(request.run_id, requestJson, specJson));
      });
    },
    /** Stops the run at once: its reply says `stopped`. */
    stop() {
      const run = current;
      if (!run) return;
      const ended = () => {
        if (current !== run) return;
        restart();
        finish('stopped', null);
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
