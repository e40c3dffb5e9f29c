// @ts-nocheck — a bench's worker, served from the repository by
// bench/browser/cpython-method.mjs: Pyodide from node_modules, pyrace's
// reference harness from engine/python, and the bench's own Python
// (method_bench.py). Jobs are called the way the CPython engine's worker
// (www/cpython/worker.js) calls pyrace's Python — through JSPI's
// `callPromising` where the browser has it — or plainly, when a job asks,
// so that this difference can be measured too.
//
// Messages in:  {type:'start'}, {type:'job', id, fn, json, jspi}
// Messages out: {type:'ready', version}, {type:'event'} (one per streamed
//               sample, as the engine posts them), {type:'result', id, json},
//               {type:'failed', id, reason}

import { loadPyodide } from '/node_modules/pyodide/pyodide.mjs';

let bench = null;

async function start() {
  const pyodide = await loadPyodide({ indexURL: '/node_modules/pyodide/' });
  // The harness imports the profiler's StatementMeter, as in the engine.
  for (const [file, url] of [['reference_harness.py', '/engine/python/reference_harness.py'],
    ['pyrace_profiler.py', '/engine/python/pyrace_profiler.py'],
    ['method_bench.py', '/bench/browser/pyodide/method_bench.py']]) {
    pyodide.FS.writeFile(`/home/pyodide/${file}`, await (await fetch(url)).text());
  }
  pyodide.runPython('import sys; sys.path.insert(0, "/home/pyodide")');
  bench = pyodide.pyimport('method_bench');
  const version = pyodide.runPython('import platform; platform.python_version()');
  postMessage({ type: 'ready', version: `CPython ${version} (Pyodide ${pyodide.version})` });
}

const emit = (json) => postMessage({ type: 'event', json });

onmessage = async ({ data }) => {
  if (data.type === 'start') {
    await start();
    return;
  }
  try {
    const fn = bench[data.fn];
    const promising = data.jspi && typeof fn.callPromising === 'function' && typeof WebAssembly.Suspending === 'function';
    const json = promising ? await fn.callPromising(data.json, emit) : fn(data.json, emit);
    postMessage({ type: 'result', id: data.id, json, jspi: promising });
  } catch (error) {
    postMessage({ type: 'failed', id: data.id, reason: String(error?.message ?? error) });
  }
};
