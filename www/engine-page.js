// engine-page.js — the script of engine.html: the engine, Run/Stop, the output,
// and `window.pyrace` for the browser tests and the benchmark.

import { createEngine } from './engine.js';
import { registerIsolationWorker } from './sw-register.js';

const $ = (id) => document.getElementById(id);
const output = $('output');
/** Output kept on the page: a flood shows its tail instead of growing without end. */
const MAX_OUTPUT_CHARS = 50_000;

// Text is appended once per animation frame, not once per event.
let pending = [];
let scheduled = false;
let shownChars = 0;
const shownLengths = []; // one entry per child node of #output
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
        shownChars -= shownLengths.shift();
        output.firstChild.remove();
      }
      output.scrollTop = output.scrollHeight;
    });
  }
}

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

const state = { engine: null, events: [], runId: 0, firstOutputAt: null };
window.pyrace = state;

registerIsolationWorker();
// ?pool=N sets the number of thread workers per process.
const pool = new URLSearchParams(location.search).get('pool');
state.ready = createEngine(pool === null ? {} : { poolSize: Number(pool) }).then((engine) => {
  state.engine = engine;
  $('status').textContent = 'ready';
  $('mode').textContent = engine.mode;
  $('mode').className = engine.mode;
  $('threads-note').hidden = engine.mode === 'threads';
  $('run').disabled = false;
  return engine;
}, (err) => {
  $('status').textContent = `failed: ${err.message}`;
  throw err;
});

/**
 * Runs code as a whole program, in `threadMode` ('gil' or 'free') when
 * given; resolves with the run's end. Used by the Run button and the tests.
 */
state.runCode = async (code, threadMode) => {
  const engine = await state.ready;
  const variant = threadMode ? { name: 'main', code, thread_mode: threadMode } : { name: 'main', code };
  const request = { run_id: ++state.runId, mode: 'run', variants: [variant] };
  output.textContent = '';
  shownChars = 0;
  shownLengths.length = 0;
  pending = [];
  state.events = [];
  $('run').disabled = true;
  $('stop').disabled = false;
  try {
    return await engine.run(request, (event) => {
      state.events.push(event);
      if (event.event === 'output' && state.firstOutputAt === null) state.firstOutputAt = performance.now();
      const shown = describe(event);
      if (shown) show(...shown);
    });
  } finally {
    $('run').disabled = false;
    $('stop').disabled = true;
  }
};

$('run').onclick = () => state.runCode($('code').value);

// ?run=CODE runs CODE as soon as the engine is ready (used to time a first run).
const autorun = new URLSearchParams(location.search).get('run');
if (autorun !== null) {
  $('code').value = autorun;
  state.autorun = state.ready.then(() => state.runCode(autorun));
}
$('stop').onclick = () => state.engine?.stop();
