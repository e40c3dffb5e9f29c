// @ts-check
// cpython-glue.js — the app's way to the CPython engine (bundled into
// glue.js, which re-exports it): starts it on the first call only, from
// ../cpython/engine.js at run time (unbundled, so nothing of Pyodide is
// fetched by a page that never turns CPython on), and hands JSON text to
// and from Rust as the RustPython wrapper in glue.js does.

/**
 * What ../cpython/engine.js's createCpythonEngine resolves with (objects in
 * and out; this file turns them into JSON text for Rust).
 * @typedef {{
 *   version: string,
 *   run(request: unknown, spec: unknown, onEvent: (event: unknown) => void): Promise<unknown>,
 *   stop(): void,
 *   ready: Promise<unknown>,
 * }} CpythonEngine
 */

/**
 * The handle Rust gets (src/bindings.rs `CpythonEngine`).
 * @typedef {{
 *   readonly version: string,
 *   run(requestJson: string, specJson: string, onEvent: (eventJson: string) => void): Promise<string>,
 *   stop(): void,
 *   whenReady(): Promise<void>,
 * }} CpythonHandle
 */

/** @type {Promise<CpythonHandle> | null} */
let starting = null;

/**
 * Starts the CPython engine once; later calls get the same start.
 * onProgress(loadedBytes, totalBytes) reports the download. A failed start
 * is forgotten, so turning CPython on again tries again.
 * @param {(loadedBytes: number, totalBytes: number) => void} onProgress
 * @returns {Promise<CpythonHandle>}
 */
export function startCpython(onProgress) {
  if (!starting) {
    starting = (async () => {
      const base = new URL('../', import.meta.url);
      /** @type {{createCpythonEngine: (options: {onProgress: typeof onProgress}) => Promise<CpythonEngine>}} */
      const { createCpythonEngine } = await import(new URL('cpython/engine.js', base).href);
      const engine = await createCpythonEngine({ onProgress });
      return {
        get version() { return engine.version; },
        /** Runs a RunRequest (JSON) with the reference harness's spec (JSON, or
         * '' in Run mode); onEvent gets RunEvent JSON text; resolves with the
         * reply {status, elapsed, measurements} as JSON text. */
        async run(requestJson, specJson, onEvent) {
          const reply = await engine.run(JSON.parse(requestJson), specJson ? JSON.parse(specJson) : null,
            (event) => onEvent(JSON.stringify(event)));
          return JSON.stringify(reply);
        },
        stop() { engine.stop(); },
        whenReady() { return Promise.resolve(engine.ready).then(() => undefined); },
      };
    })();
    starting.catch(() => { starting = null; });
  }
  return starting;
}
