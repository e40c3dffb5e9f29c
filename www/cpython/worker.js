// cpython/worker.js — the CPython engine's worker: Pyodide (CPython 3.14
// compiled to wasm, copied from npm into dist/pyodide/ by build-web.sh)
// running pyrace's own Python: the reference harness that `pyrace compare
// --python` runs natively, and pyrace_cpython.py, which turns what happens
// into pyrace RunEvents. Started by cpython/engine.js only when a person
// turns CPython on.
//
// Messages in:  {type:'start', interrupt?: SharedArrayBuffer}
//               {type:'run', runId, request, spec}   (JSON text; spec null in Run mode)
// Messages out: {type:'progress', loaded, total}, {type:'ready', version},
//               {type:'failed', reason}, {type:'event', json},
//               {type:'done', runId, status, elapsed, measurements}

import { loadPyodide } from '../pyodide/pyodide.mjs';

const here = new URL('./', import.meta.url);
let pyodide = null;
let host = null;

/** Counts the bytes of every download Pyodide starts, for the page's progress. */
function countingFetch(total, onProgress) {
  const plain = globalThis.fetch;
  let loaded = 0;
  return {
    restore: () => { globalThis.fetch = plain; },
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

async function start(interrupt) {
  const manifest = await (await fetch(new URL('manifest.json', here))).json();
  const progress = countingFetch(manifest.bytes, (loaded, total) => postMessage({ type: 'progress', loaded, total }));
  globalThis.fetch = progress.fetch;
  try {
    pyodide = await loadPyodide({ indexURL: new URL('../pyodide/', here).href, stdout: () => {}, stderr: () => {} });
  } finally {
    progress.restore();
  }
  for (const file of ['reference_harness.py', 'pyrace_cpython.py']) {
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
  postMessage({ type: 'ready', version: `CPython ${version} (Pyodide ${pyodide.version})` });
}

/** Calls a host function so that code inside may suspend (asyncio.run
 * through JSPI) where the browser can; plainly otherwise. */
async function call(fn, ...args) {
  if (typeof fn.callPromising === 'function' && typeof WebAssembly.Suspending === 'function') {
    return await fn.callPromising(...args);
  }
  return fn(...args);
}

async function run({ runId, request, spec }) {
  const started = performance.now();
  const emit = (json) => postMessage({ type: 'event', json });
  let status = 'ok';
  let measurements = null;
  try {
    if (spec == null) {
      status = await call(host.run_programs, request, emit);
    } else {
      const reply = JSON.parse(await call(host.time_spec, runId, spec, emit));
      measurements = reply.measurements;
      if (reply.failed) status = 'failed';
    }
  } catch (error) {
    const text = String(error?.message ?? error);
    if (/KeyboardInterrupt/.test(text)) {
      status = 'stopped';
    } else if (error?.name !== 'PythonError') {
      // Not Python's own exception: the interpreter itself died (an abort,
      // a trap in the wasm), and Pyodide cannot be used again. The page
      // replaces this worker and says so at the run.
      postMessage({ type: 'crashed', runId, reason: text.trim().split('\n').pop() });
      return;
    } else {
      status = 'failed';
      emit(JSON.stringify({
        event: 'error',
        run_id: runId,
        error: { kind: 'crash', exc_type: 'EngineError', message: text.trim().split('\n').pop(), part: null, line: null, column: null, traceback: '' },
      }));
    }
  }
  postMessage({ type: 'done', runId, status, elapsed: (performance.now() - started) / 1000, measurements });
}

onmessage = async ({ data }) => {
  if (data.type === 'start') {
    try {
      await start(data.interrupt);
    } catch (error) {
      postMessage({ type: 'failed', reason: String(error?.message ?? error) });
    }
  } else if (data.type === 'run') {
    await run(data);
  }
};
