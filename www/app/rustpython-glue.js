// @ts-check
// rustpython-glue.js — the app's way to the RustPython engine (bundled
// into glue.js, which re-exports it): registers the isolation service
// worker where the page needs it, then starts the engine from ../engine.js
// at run time (unbundled, so its workers and module resolve against their
// own URLs) and hands it to Rust as an EngineHandle (engine-handle.js).

import { timerResolutionSeconds } from './engine-handle.js';
import { isFramed } from './embed-glue.js';

/** @typedef {import('./engine-handle.js').EngineHandle} EngineHandle */

/**
 * Starts the engine. onProgress(loadedBytes, totalBytes) reports the download.
 * @param {(loadedBytes: number, totalBytes: number) => void} onProgress
 * @returns {Promise<EngineHandle>}
 */
export async function startRustpython(onProgress) {
  try {
    await registerIsolation();
  } catch (error) {
    // Without the worker the page runs single-threaded: still a playground.
    console.warn(`service worker: ${error instanceof Error ? error.message : error}`);
  }
  const base = new URL('../', import.meta.url);
  /** @type {typeof import('../engine.js')} */
  const { createEngine } = await import(new URL('engine.js', base).href);
  // The engine counts the bytes of the very download it compiles.
  const engine = await createEngine({ base: base.href, onProgress });
  return {
    name: 'RustPython',
    threads: engine.mode === 'threads',
    isolated: Boolean(globalThis.crossOriginIsolated),
    timerResolution: timerResolutionSeconds(),
    // The engine reads the request's text as it is (parsed here only for
    // what the page needs of it) and hands each event's text on as it
    // wrote it (the callback's second argument): never re-encoded. Every
    // event of the run comes from it, `finished` included: no reply.
    run(requestJson, _inputJson, onEvent) {
      return engine.run(JSON.parse(requestJson), (_event, text) => onEvent(text), requestJson).then(() => '');
    },
    stop() {
      engine.stop();
    },
    whenReady() {
      return Promise.resolve(engine.ready).then(() => undefined);
    },
  };
}

/** Registers the isolation service worker when the page is served without COOP/COEP. */
async function registerIsolation() {
  // Only where it is needed: the worker serves one build's files from its
  // cache, so on an isolated page it would only keep an old app around.
  if (globalThis.crossOriginIsolated) return;
  // A frame cannot be made isolated by its own worker (that takes the top
  // page's headers): an embed in a blog runs single-threaded instead.
  if (isFramed()) return;
  const base = new URL('../', import.meta.url);
  const { registerIsolationWorker } = await import(new URL('sw-register.js', base).href);
  // A reload under the worker is coming: the engine loads after it, from
  // the worker's cache, so its module crosses the network once.
  const reloadAbandoned = await registerIsolationWorker();
  if (reloadAbandoned) await reloadAbandoned;
}
