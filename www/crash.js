// @ts-check
// crash.js — what a person is told when an engine instance dies under a
// program (a wasm trap, an abort, an exit without a result). The engine's
// own report (a Rust panic: its message and the path of a source file on
// the machine that built it) means nothing to them: it goes to the
// browser's console, and the run's error says in plain words what
// happened. Running out of memory is told apart (the module's memory is at
// its maximum, or the allocator said so), and so is a stack overflow.

/** Memory this close to the maximum counts as all of it (an allocation that did not fit is often megabytes). */
const FULL_SHARE = 0.9;
/** What the browser says when the engine's native stack overflows (deep recursion with the limit lifted). */
const STACK_OVERFLOW = /maximum call stack size exceeded|stack overflow/i;
/** What the engine or Rust's runtime write when an allocation fails. */
const OUT_OF_MEMORY = /memory allocation of \d+ bytes failed|unable to allocate|out of memory|capacity overflow/i;

/**
 * The error of a run whose engine died.
 * @param {object} died
 * @param {string} [died.crash]  the worker's error message (a trap), or undefined for an exit
 * @param {number} [died.code]  the exit code, for an exit
 * @param {string} [died.stderr]  what the engine wrote to stderr (kept for the console only)
 * @param {number} [died.memoryBytes]  the size of the engine's memory when it died (0: unknown)
 * @param {number} [died.maxBytes]  the most the engine's memory may grow to (0: unknown)
 * @returns {{exc_type: string, message: string}} the run's error (protocol.js crashEvent)
 */
export function engineFailure({ crash, code, stderr = '', memoryBytes = 0, maxBytes = 0 }) {
  const full = maxBytes > 0 && memoryBytes >= maxBytes * FULL_SHARE;
  if (full || OUT_OF_MEMORY.test(`${crash ?? ''}\n${stderr}`)) {
    const mb = maxBytes > 0 ? ` (${Math.round(maxBytes / 2 ** 20)} MB)` : '';
    return {
      exc_type: 'MemoryError',
      message: `the program used all the memory the engine may use${mb}; the engine restarted`,
    };
  }
  if (crash !== undefined && STACK_OVERFLOW.test(crash)) {
    return {
      exc_type: 'EngineCrash',
      message: "the program's calls went deeper than the engine's stack allows; the engine restarted",
    };
  }
  if (crash !== undefined) {
    return {
      exc_type: 'EngineCrash',
      message: 'the engine stopped on an internal error (not one in the program) and restarted',
    };
  }
  return { exc_type: 'EngineExit', message: `the engine exited with code ${code} and restarted` };
}
