// @ts-check
// cpython/worker.js — the CPython engine's worker: Pyodide (CPython 3.14
// compiled to wasm, copied from npm into dist/pyodide/ by build-web.sh)
// running pyrace's own Python: the reference harness that `pyrace compare
// --python` runs natively, the line tracer and memory meter RustPython runs
// too (pyrace_profiler.py), and pyrace_cpython.py, which turns what happens
// into pyrace RunEvents. Started by cpython/engine.js only when a person
// turns CPython on. Its messages are www/protocol.js's ToCpythonWorker and
// FromCpythonWorker; requests and events pass through it as text.

import { loadPyodide } from '../pyodide/pyodide.mjs';
import {
  cpythonCrashed, cpythonDone, cpythonEvent, cpythonFailed, cpythonProgress, cpythonReady, crashEvent,
} from '../protocol.js';

/** @typedef {import('../protocol.js').ToCpythonWorker} ToCpythonWorker */
/** @typedef {import('../protocol.js').FromCpythonWorker} FromCpythonWorker */
/** @typedef {import('../protocol.js').RunStatus} RunStatus */
/** @typedef {Awaited<ReturnType<typeof loadPyodide>>} Pyodide */
/** @typedef {import('pyodide/ffi').PyCallable} PyCallable */

/**
 * pyrace_cpython.py's functions this worker calls.
 * @typedef {{run_programs: PyCallable, time_spec: PyCallable}} Host
 */

const here = new URL('./', import.meta.url);
/** @type {Host | null} */
let host = null;

/** @param {FromCpythonWorker} message */
const post = (message) => postMessage(message);

/**
 * Counts the bytes of every download Pyodide starts, for the page's progress.
 * @param {number} total
 * @param {(loaded: number, total: number) => void} onProgress
 */
function countingFetch(total, onProgress) {
  const plain = globalThis.fetch;
  let loaded = 0;
  return {
    restore: () => { globalThis.fetch = plain; },
    /** @type {typeof fetch} */
    fetch: async (...args) => {
      const response = await plain(...args);
      if (!response.ok || !response.body) return response;
      const counter = new TransformStream({
        transform(chunk, controller) {
          loaded += chunk.byteLength;
          onProgress(Math.min(loaded, total), total);
          controller.enqueue(chunk);
        },
      });
      return new Response(response.body.pipeThrough(counter), {
        status: response.status,
        statusText: response.statusText,
        headers: response.headers,
      });
    },
  };
}

/** @param {SharedArrayBuffer | null} interrupt */
async function start(interrupt) {
  const manifest = await (await fetch(new URL('manifest.json', here))).json();
  const progress = countingFetch(manifest.bytes, (loaded, total) => post(cpythonProgress(loaded, total)));
  globalThis.fetch = progress.fetch;
  /** @type {Pyodide} */
  let pyodide;
  try {
    pyodide = await loadPyodide({ indexURL: new URL('../pyodide/', here).href, stdout: () => {}, stderr: () => {} });
  } finally {
    progress.restore();
  }
  for (const file of ['reference_harness.py', 'pyrace_profiler.py', 'pyrace_cpython.py']) {
    const response = await fetch(new URL(file, here));
    if (!response.ok) throw new Error(`cpython/${file}: HTTP ${response.status}`);
    pyodide.FS.writeFile(`/home/pyodide/${file}`, await response.text());
  }
  pyodide.runPython('import sys; sys.path.insert(0, "/home/pyodide")');
  host = pyodide.pyimport('pyrace_cpython');
  // Stop raises KeyboardInterrupt in the running code: only where memory
  // can be shared with the page (cross-origin isolated); else the page
  // ends this worker and starts another.
  if (interrupt) pyodide.setInterruptBuffer(new Int32Array(interrupt));
  const version = pyodide.runPython('import platform; platform.python_version()');
  post(cpythonReady(`CPython ${version} (Pyodide ${pyodide.version})`));
}

/**
 * Calls a host function so that code inside may suspend (asyncio.run
 * through JSPI) where the browser can; plainly otherwise.
 * @param {PyCallable} fn
 * @param {...unknown} args
 */
async function call(fn, ...args) {
  if (typeof fn.callPromising === 'function' && typeof (/** @type {any} */ (WebAssembly)).Suspending === 'function') {
    return await fn.callPromising(...args);
  }
  return fn(...args);
}

/**
 * Runs one request, its events posted as Python writes them.
 * @param {{runId: number, requestJson: string, specJson: string | null}} run
 */
async function run({ runId, requestJson, specJson }) {
  const started = performance.now();
  /** @param {string} json */
  const emit = (json) => post(cpythonEvent(json));
  /** @type {RunStatus} */
  let status = 'ok';
  /** @type {string | null} */
  let timingJson = null;
  try {
    if (!host) throw new Error('the CPython engine has not started');
    if (specJson == null) {
      status = await call(host.run_programs, requestJson, emit);
    } else {
      timingJson = await call(host.time_spec, runId, specJson, emit);
    }
  } catch (error) {
    const text = String(error instanceof Error ? error.message : error);
    const last = text.trim().split('\n').pop() ?? text;
    if (/KeyboardInterrupt/.test(text)) {
      status = 'stopped';
    } else if (!(error instanceof Error) || error.name !== 'PythonError') {
      // Not Python's own exception: the interpreter itself died (an abort,
      // a trap in the wasm), and Pyodide cannot be used again. The page
      // replaces this worker and says so at the run.
      post(cpythonCrashed(runId, last));
      return;
    } else {
      status = 'failed';
      emit(JSON.stringify(crashEvent(runId, { exc_type: 'EngineError', message: last })));
    }
  }
  post(cpythonDone(runId, status, (performance.now() - started) / 1000, timingJson));
}

onmessage = async (/** @type {MessageEvent<ToCpythonWorker>} */ { data }) => {
  if (data.type === 'start') {
    try {
      await start(data.interrupt);
    } catch (error) {
      post(cpythonFailed(String(error instanceof Error ? error.message : error)));
    }
  } else if (data.type === 'run') {
    await run(data);
  }
};
