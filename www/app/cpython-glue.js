// @ts-check
// cpython-glue.js — the app's way to the CPython engine (bundled into
// glue.js, which re-exports it): starts it on the first call only, from
// ../cpython/engine.js at run time (unbundled, so nothing of Pyodide is
// fetched by a page that never turns CPython on), and hands it to Rust as
// an EngineHandle (engine-handle.js), as rustpython-glue.js does.

import { timerResolutionSeconds } from './engine-handle.js';

/** @typedef {import('./engine-handle.js').EngineHandle} EngineHandle */

/** @typedef {import('../cpython/engine.js').CpythonEngine} CpythonEngine */

/** @type {Promise<EngineHandle> | null} */
let starting = null;

/**
 * Starts the CPython engine once; later calls get the same start.
 * onProgress(loadedBytes, totalBytes) reports the download. A failed start
 * is forgotten, so turning CPython on again tries again.
 * @param {(loadedBytes: number, totalBytes: number) => void} onProgress
 * @returns {Promise<EngineHandle>}
 */
export function startCpython(onProgress) {
  if (!starting) {
    starting = (async () => {
      const base = new URL('../', import.meta.url);
      /** @type {typeof import('../cpython/engine.js')} */
      const { createCpythonEngine } = await import(new URL('cpython/engine.js', base).href);
      const engine = await createCpythonEngine({ onProgress });
      return {
        get name() { return engine.version; },
        // Pyodide cannot start threads.
        threads: false,
        isolated: Boolean(globalThis.crossOriginIsolated),
        timerResolution: timerResolutionSeconds(),
        // `inputJson`: the reference harness's spec ('' in Run mode). The
        // reply (www/protocol.js cpythonReplyJson) is what src/engines/
        // cpython.rs turns into the run's figures and its `finished`.
        // Request, spec and events pass through as text.
        run(requestJson, inputJson, onEvent) {
          return engine.run(requestJson, inputJson || null, onEvent);
        },
        stop() { engine.stop(); },
        whenReady() { return Promise.resolve(engine.ready).then(() => undefined); },
      };
    })();
    starting.catch(() => { starting = null; });
  }
  return starting;
}
