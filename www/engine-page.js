// @ts-check
// engine-page.js — the script of engine.html: the engine, Run/Stop, the output,
// and `window.pyrace` for the browser tests and the benchmark.

import { createEngine } from './engine.js';
import { registerIsolationWorker } from './sw-register.js';

/**
 * @typedef {import('./protocol.js').RunEvent} RunEvent
 * @typedef {import('./engine.js').EngineApi} EngineApi
 * @typedef {import('./engine.js').RunEnd} RunEnd
 */

/**
 * The element of engine.html with this id.
 * @template {HTMLElement} T
 * @param {string} id
 * @param {new () => T} kind
 * @returns {T}
 */
function $(id, kind) {
  const el = document.getElementById(id);
  if (!(el instanceof kind)) throw new Error(`engine.html has no ${kind.name} #${id}`);
  return el;
}
const output = $('output', HTMLElement);
const runButton = $('run', HTMLButtonElement);
const stopButton = $('stop', HTMLButtonElement);
const codeInput = $('code', HTMLTextAreaElement);
/** Output kept on the page: a flood shows its tail instead of growing without end. */
const MAX_OUTPUT_CHARS = 50_000;

// Text is appended once per animation frame, not once per event.
/** @type {[string, string][]} text and class ('' for none), not yet on the page */
let pending = [];
let scheduled = false;
let shownChars = 0;
/** @type {number[]} one entry per child node of #output */
const shownLengths = [];
/**
 * @param {string} text
 * @param {string} cls
 */
function show(text, cls) {
  pending.push([text, cls]);
  if (!scheduled) {
    scheduled = true;
    requestAnimationFrame(() => {
      scheduled = false;
      const frag = document.createDocumentFragment();
      for (const [t, c] of pending) {
        if (c) {
          const span = document.createElement('span');
          span.className = c;
          span.textContent = t;
          frag.append(span);
        } else frag.append(t);
      }
      for (const [t] of pending) {
        shownLengths.push(t.length);
        shownChars += t.length;
      }
      pending = [];
      output.append(frag);
      // Drop the oldest nodes; counting, not re-reading textContent, keeps this linear.
      while (shownChars > MAX_OUTPUT_CHARS && output.firstChild) {
        shownChars -= shownLengths.shift() ?? 0;
        output.firstChild.remove();
      }
      output.scrollTop = output.scrollHeight;
    });
  }
}

/**
 * What the page shows of an event: [text, class], or null for nothing.
 * @param {RunEvent} event
 * @returns {[string, string] | null}
 */
function describe(event) {
  switch (event.event) {
    case 'output':
      return [event.text, event.stream === 'stderr' ? 'stderr' : ''];
    case 'error': {
      const e = event.error;
      const where = e.line ? ` (line ${e.line}${e.column ? `, column ${e.column}` : ''})` : '';
      return [`${e.traceback && e.kind !== 'syntax' ? e.traceback : `${e.exc_type}: ${e.message}${where}`}\n`, 'stderr'];
    }
    case 'finished':
      return [`[${event.status} in ${event.elapsed.toFixed(3)} s]\n`, ''];
    default:
      return null;
  }
}

/**
 * `window.pyrace`, what the browser tests and the benchmark read: the
 * engine once up, the last run's events (parsed, and each one's JSON text
 * as the engine handed it on), and `runCode`.
 * @typedef {{
 *   engine: EngineApi | null, events: RunEvent[], texts: string[], runId: number, firstOutputAt: number | null,
 *   ready: Promise<EngineApi>, runCode: typeof runCode, autorun?: Promise<RunEnd>,
 * }} PageState
 */

registerIsolationWorker();
// ?pool=N sets the number of thread workers per process.
const pool = new URLSearchParams(location.search).get('pool');
const ready = createEngine(pool === null ? {} : { poolSize: Number(pool) }).then((engine) => {
  state.engine = engine;
  $('status', HTMLElement).textContent = 'ready';
  $('mode', HTMLElement).textContent = engine.mode;
  $('mode', HTMLElement).className = engine.mode;
  $('threads-note', HTMLElement).hidden = engine.mode === 'threads';
  runButton.disabled = false;
  return engine;
}, (err) => {
  $('status', HTMLElement).textContent = `failed: ${err.message}`;
  throw err;
});

/**
 * Runs code as a whole program, in `threadMode` ('gil' or 'free') when
 * given; resolves with the run's end. Used by the Run button and the tests.
 * @param {string} code
 * @param {'gil' | 'free'} [threadMode]
 * @returns {Promise<RunEnd>}
 */
async function runCode(code, threadMode) {
  const engine = await state.ready;
  const variant = threadMode ? { name: 'main', code, thread_mode: threadMode } : { name: 'main', code };
  const request = { run_id: ++state.runId, mode: 'run', variants: [variant] };
  output.textContent = '';
  shownChars = 0;
  shownLengths.length = 0;
  pending = [];
  state.events = [];
  state.texts = [];
  runButton.disabled = true;
  stopButton.disabled = false;
  try {
    return await engine.run(request, (event, text) => {
      state.events.push(event);
      state.texts.push(text);
      if (event.event === 'output' && state.firstOutputAt === null) state.firstOutputAt = performance.now();
      const shown = describe(event);
      if (shown) show(...shown);
    });
  } finally {
    runButton.disabled = false;
    stopButton.disabled = true;
  }
}

/** @type {PageState} */
const state = { engine: null, events: [], texts: [], runId: 0, firstOutputAt: null, ready, runCode };
/** @type {Window & {pyrace?: PageState}} */ (window).pyrace = state;

runButton.onclick = () => state.runCode(codeInput.value);

// ?run=CODE runs CODE as soon as the engine is ready (used to time a first run).
const autorun = new URLSearchParams(location.search).get('run');
if (autorun !== null) {
  codeInput.value = autorun;
  state.autorun = state.ready.then(() => state.runCode(autorun));
}
stopButton.onclick = () => state.engine?.stop();
