// @ts-check
// glue.js — the JavaScript the Yew app calls (through src/bindings.rs):
// CodeMirror 6 editors, share links, downloads and chart export, and the
// engines' glue modules (rustpython-glue.js, cpython-glue.js: one
// EngineHandle each, engine-handle.js), re-exported. esbuild bundles this file and CodeMirror into dist/app/glue.js;
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
import { inlinedCopy, pngOf, downloadBlob } from './svg-export.js';
import { lineHeat, setLineHeat } from './line-heat.js';

// One glue module per engine, each resolving with the same EngineHandle.
export { startRustpython } from './rustpython-glue.js';
export { startCpython } from './cpython-glue.js';

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

/** @type {import('@codemirror/state').StateEffectType<number>} */
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
 * @param {HTMLElement} parent
 * @param {string} doc
 * @param {string} label
 * @param {(text: string) => void} onChange
 * @param {boolean} [readOnly]
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
        lineHeat(),
        EditorState.readOnly.of(readOnly),
        EditorView.editable.of(!readOnly),
        // Tab indents; Escape then Tab leaves the editor (CodeMirror's own rule).
        keymap.of([...defaultKeymap, ...historyKeymap, indentWithTab]),
        // tabindex: the text stays in the tab order (a contenteditable is
        // already) and axe sees that a scroller too narrow for its lines
        // (long code, the profile's gutters) has focusable content.
        EditorView.contentAttributes.of({ 'aria-label': label, tabindex: '0' }),
        EditorView.updateListener.of((update) => {
          if (update.docChanged && !applyingOutside) onChange(update.state.doc.toString());
        }),
      ],
    }),
  });
  return {
    /**
     * Replaces the text (a lesson was loaded); does not call onChange.
     * @param {string} text
     */
    setDoc(text) {
      if (view.state.doc.toString() === text) return;
      applyingOutside = true;
      try {
        view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } });
      } finally {
        applyingOutside = false;
      }
    },
    /**
     * Marks a 1-based line as the error's; 0 clears the mark.
     * @param {number} line
     */
    markErrorLine(line) {
      view.dispatch({ effects: setErrorLine.of(line) });
    },
    /**
     * Shows each engine's time per line (JSON of line-heat.js's HeatColumn
     * list; '[]' clears them).
     * @param {string} json
     */
    setLineHeat(json) {
      view.dispatch({ effects: setLineHeat.of(JSON.parse(json)) });
    },
    /** @param {string} text */
    setLabel(text) {
      view.contentDOM.setAttribute('aria-label', text);
    },
    destroy() {
      view.destroy();
    },
  };
}

// ---------------------------------------------------------------- share links and export

/** The address's fragment without its '#': a share link's state, or ''. */
export function locationFragment() {
  return location.hash.replace(/^#/, '');
}

/**
 * Drops the fragment from the address once its state is open, so that a
 * reload restores the draft (the link's state with any edits since) instead
 * of opening the link again over those edits.
 */
export function clearFragment() {
  // window.history: CodeMirror's `history` is imported under that name here.
  window.history.replaceState(window.history.state, '', location.href.split('#')[0]);
}

/**
 * Calls onChange(fragment) when only the fragment changes (a link pasted into this tab); returns the unsubscribe.
 * @param {(fragment: string) => void} onChange
 */
export function onFragmentChange(onChange) {
  const listener = () => onChange(locationFragment());
  addEventListener('hashchange', listener);
  return () => removeEventListener('hashchange', listener);
}

/** This page's address without its fragment: the base of share links. */
export function pageAddress() {
  return location.href.split('#')[0];
}

export function nowIso() {
  return new Date().toISOString();
}

/**
 * Copies text; rejects where the browser does not allow it (no permission, no secure context).
 * @param {string} text
 */
export async function copyText(text) {
  if (!navigator.clipboard) throw new Error('this page has no clipboard access');
  await navigator.clipboard.writeText(text);
}

/**
 * Offers text as a file download.
 * @param {string} name
 * @param {string} type
 * @param {string} text
 */
export function downloadText(name, type, text) {
  downloadBlob(name, new Blob([text], { type }));
}

/** Largest file Open file… reads: far above any state a playground holds. */
const MAX_OPEN_BYTES = 4 * 1024 * 1024;

/**
 * The file chosen in a file input as { name, text }, or null when none was;
 * the input is reset so that the same file can be chosen again.
 * @param {HTMLInputElement} input
 * @returns {Promise<{name: string, text: string} | null>}
 */
export async function readInputFile(input) {
  const file = input.files && input.files[0];
  if (!file) return null;
  try {
    if (file.size > MAX_OPEN_BYTES) throw new Error(`it is ${file.size} bytes, more than a pyrace state can be`);
    return { name: file.name, text: await file.text() };
  } finally {
    input.value = '';
  }
}

/**
 * A chart as a standalone SVG document: computed colours and fonts inlined, the page's background behind it.
 * @param {SVGSVGElement} svg
 */
function standaloneSvg(svg) {
  const clone = inlinedCopy(svg);
  const box = svg.viewBox.baseVal;
  clone.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  clone.setAttribute('width', String(box.width));
  clone.setAttribute('height', String(box.height));
  const background = document.createElementNS('http://www.w3.org/2000/svg', 'rect');
  background.setAttribute('width', '100%');
  background.setAttribute('height', '100%');
  background.setAttribute('fill', getComputedStyle(document.documentElement).getPropertyValue('--surface').trim() || '#fff');
  clone.prepend(background);
  return { text: new XMLSerializer().serializeToString(clone), width: box.width, height: box.height };
}

/** @param {string} selector */
function chart(selector) {
  const svg = document.querySelector(selector);
  if (!(svg instanceof SVGSVGElement)) throw new Error('there is no chart to export');
  return standaloneSvg(svg);
}

/**
 * Downloads the chart matching `selector` as an SVG file.
 * @param {string} selector
 * @param {string} name
 */
export function downloadChartSvg(selector, name) {
  downloadText(name, 'image/svg+xml', chart(selector).text);
}

/**
 * Downloads the chart matching `selector` as a PNG at twice its size, drawn from its SVG on a canvas.
 * @param {string} selector
 * @param {string} name
 */
export async function downloadChartPng(selector, name) {
  const { text, width, height } = chart(selector);
  downloadBlob(name, await pngOf(text, width, height, 2));
}

// ---------------------------------------------------------------- result card

export { cardSvg, downloadCardPng } from './card.js';

// ---------------------------------------------------------------- embed

export { isFramed, watchEmbedHeight, absoluteUrl } from './embed-glue.js';
