// @ts-check
// engine-handle.js — the one interface every engine's glue module hands the
// app (src/bindings.rs `Engine`): rustpython-glue.js and cpython-glue.js
// each start their engine and resolve with an EngineHandle, so that Rust
// has one type for every engine (src/engines/). Requests and events cross
// as JSON text: the request as Rust wrote it, each event as the engine
// wrote it.

/**
 * A started engine, as Rust sees it.
 * @typedef {{
 *   readonly name: string,
 *   readonly threads: boolean,
 *   readonly isolated: boolean,
 *   readonly timerResolution: number,
 *   run(requestJson: string, inputJson: string, onEvent: (eventJson: string) => void): Promise<string>,
 *   stop(): void,
 *   whenReady(): Promise<void>,
 * }} EngineHandle
 *
 * - `name`: the engine's name and version as it reports them.
 * - `threads`: Python threads can start (own workers, cross-origin isolation).
 * - `run`: runs a RunRequest; `inputJson` is what the engine's adapter in
 *   src/engines/ adds to it ('' for nothing); `onEvent` receives each
 *   RunEvent's JSON text; resolves, once the run has ended, with the reply
 *   the adapter reads ('' when the events said everything).
 * - `whenReady`: resolves when the next run's process is up (after a crash
 *   or a Stop that ended one, a fresh one starts).
 */

/** Smallest step of performance.now() seen, in seconds: 5 µs isolated, 100 µs otherwise in Chromium. */
export function timerResolutionSeconds() {
  let smallest = Infinity;
  for (let i = 0; i < 20; i++) {
    const start = performance.now();
    let next = start;
    while (next === start) next = performance.now();
    smallest = Math.min(smallest, next - start);
  }
  return smallest / 1000;
}

export {};
