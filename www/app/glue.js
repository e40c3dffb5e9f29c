// glue.js — the JavaScript the Yew app calls (through src/bindings.rs):
// CodeMirror 6 editors, and a thin wrapper over the browser engine
// (../engine.js) that reports download progress and hands events to Rust as
// JSON text. esbuild bundles this file and CodeMirror into dist/app/glue.js;
// the engine is loaded at run time from the directory above, unbundled, so
// its workers and module resolve against their own URLs.

import { EditorState, StateEffect, StateField } from '@codemirror/state';
import {
  EditorView,
  Decoration,
  keymap,
  lineNumbers,
  highlightActiveLine,
  highlightActiveLineGutter,
  drawSelection,
} from '@codemirror/view';
import { defaultKeymap, history, historyKeymap, indentWithTab } from '@codemirror/commands';
import { HighlightStyle, syntaxHighlighting, indentOnInput, bracketMatching, indentUnit } from '@codemirror/language';
import { python } from '@codemirror/lang-python';
import { tags } from '@lezer/highlight';
import { isFramed } from './embed-glue.js';

// ---------------------------------------------------------------- editor

/** Colours come from CSS variables, so the editor follows the page's theme. */
const highlight = HighlightStyle.define([
  { tag: [tags.keyword, tags.controlKeyword, tags.operatorKeyword, tags.definitionKeyword], color: 'var(--syntax-keyword)' },
  { tag: [tags.string, tags.special(tags.string)], color: 'var(--syntax-string)' },
  { tag: [tags.number, tags.bool, tags.null], color: 'var(--syntax-number)' },
  { tag: [tags.comment, tags.lineComment], color: 'var(--syntax-comment)', fontStyle: 'italic' },
  { tag: [tags.function(tags.variableName), tags.function(tags.definition(tags.variableName))], color: 'var(--syntax-function)' },
  { tag: [tags.className, tags.definition(tags.className)], color: 'var(--syntax-class)' },
  { tag: tags.self, color: 'var(--syntax-keyword)' },
]);

const setErrorLine = StateEffect.define();

/** The line of the last error in this editor, drawn until the text changes. */
const errorLineField = StateField.define({
  create: () => Decoration.none,
  update(marks, tr) {
    for (const effect of tr.effects) {
      if (effect.is(setErrorLine)) {
        const line = effect.value;
        if (!line || line > tr.state.doc.lines) return Decoration.none;
        const from = tr.state.doc.line(line).from;
        return Decoration.set([Decoration.line({ class: 'cm-error-line', attributes: { 'data-error-line': String(line) } }).range(from)]);
      }
    }
    return tr.docChanged ? Decoration.none : marks;
  },
  provide: (field) => EditorView.decorations.from(field),
});

/**
 * Creates an editor in `parent`.
 * onChange(text) is called after every edit; `label` names it for screen readers;
 * a read-only editor shows the code without letting it be changed.
 */
export function createEditor(parent, doc, label, onChange, readOnly = false) {
  let applyingOutside = false;
  const view = new EditorView({
    parent,
    state: EditorState.create({
      doc,
      extensions: [
        lineNumbers(),
        highlightActiveLineGutter(),
        highlightActiveLine(),
        drawSelection(),
        history(),
        indentOnInput(),
        bracketMatching(),
        indentUnit.of('    '),
        python(),
        syntaxHighlighting(highlight),
        errorLineField,
        EditorState.readOnly.of(readOnly),
        EditorView.editable.of(!readOnly),
        // Tab indents; Escape then Tab leaves the editor (CodeMirror's own rule).
        keymap.of([...defaultKeymap, ...historyKeymap, indentWithTab]),
        EditorView.contentAttributes.of({ 'aria-label': label }),
        EditorView.updateListener.of((update) => {
          if (update.docChanged && !applyingOutside) onChange(update.state.doc.toString());
        }),
      ],
    }),
  });
  return {
    /** Replaces the text (a lesson was loaded); does not call onChange. */
    setDoc(text) {
      if (view.state.doc.toString() === text) return;
      applyingOutside = true;
      try {
        view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } });
      } finally {
        applyingOutside = false;
      }
    },
    /** Marks a 1-based line as the error's; 0 clears the mark. */
    markErrorLine(line) {
      view.dispatch({ effects: setErrorLine.of(line) });
    },
    setLabel(text) {
      view.contentDOM.setAttribute('aria-label', text);
    },
    destroy() {
      view.destroy();
    },
  };
}

// ---------------------------------------------------------------- engine

/** Smallest step of performance.now() seen: 5 µs isolated, 100 µs otherwise in Chromium. */
function timerResolutionSeconds() {
  let smallest = Infinity;
  for (let i = 0; i < 20; i++) {
    const start = performance.now();
    let next = start;
    while (next === start) next = performance.now();
    smallest = Math.min(smallest, next - start);
  }
  return smallest / 1000;
}

/** Downloads the engine module with progress, so the later compile hits the HTTP cache. */
async function prefetchWithProgress(url, expectedBytes, onProgress) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url.pathname}: HTTP ${response.status}`);
  if (!response.body) return;
  const reader = response.body.getReader();
  let loaded = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    loaded += value.length;
    onProgress(loaded, expectedBytes);
  }
}

/**
 * Starts the engine. onProgress(loadedBytes, totalBytes) reports the download.
 * Resolves with a handle: { threads, isolated, timerResolution, run, stop, whenReady }.
 */
export async function startEngine(onProgress) {
  const base = new URL('../', import.meta.url);
  const manifest = await (await fetch(new URL('engine.json', base), { cache: 'no-cache' })).json();
  const wasmUrl = new URL(`${manifest.wasm}?v=${manifest.version}`, base);
  await prefetchWithProgress(wasmUrl, manifest.wasmBytes ?? 0, onProgress);
  onProgress(manifest.wasmBytes ?? 0, manifest.wasmBytes ?? 0);
  const { createEngine } = await import(new URL('engine.js', base).href);
  const engine = await createEngine({ base: base.href });
  return {
    threads: engine.mode === 'threads',
    isolated: Boolean(globalThis.crossOriginIsolated),
    timerResolution: timerResolutionSeconds(),
    /** Runs a request (JSON text); onEvent receives each RunEvent as JSON text. */
    run(requestJson, onEvent) {
      return engine.run(JSON.parse(requestJson), (event) => onEvent(JSON.stringify(event))).then(() => undefined);
    },
    stop() {
      engine.stop();
    },
    /** Resolves when the next run's process is ready, e.g. after a crash or Stop. */
    whenReady() {
      return Promise.resolve(engine.ready).then(() => undefined);
    },
  };
}

/** Registers the isolation service worker when the page is served without COOP/COEP. */
export async function registerIsolation() {
  // Only where it is needed: the worker serves one build's files from its
  // cache, so on an isolated page it would only keep an old app around.
  if (globalThis.crossOriginIsolated) return;
  // A frame cannot be made isolated by its own worker (that takes the top
  // page's headers): an embed in a blog runs single-threaded instead.
  if (isFramed()) return;
  const base = new URL('../', import.meta.url);
  const { registerIsolationWorker } = await import(new URL('sw-register.js', base).href);
  await registerIsolationWorker();
}

// ---------------------------------------------------------------- embed

export { isFramed, watchEmbedHeight, absoluteUrl, copyText } from './embed-glue.js';
