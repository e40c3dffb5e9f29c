// @ts-check
// embed-script.js — the blog script (bundled into dist/embed.js). One tag,
//
//   <script src="https://YOUR-HOST/embed.js" defer></script>
//
// turns marked blocks into live pyrace embeds:
//
//   <pre data-pyrace>            cells as in `pyrace compare FILE.py`:
//   #%% setup                    the shared setup,
//   L = list(range(1000)); S = set(L)
//   #%% list                     then one cell per variant (its name);
//   -1 in L                      without cells the block is one program
//   #%% set                      (Run mode).
//   -1 in S
//   </pre>
//
//   <pyrace-compare mode="compare">
//     <pre data-setup>L = list(range(1000)); S = set(L)</pre>
//     <pre data-variant="list">-1 in L</pre>
//     <pre data-variant="set">-1 in S</pre>
//   </pyrace-compare>
//
// Attributes (on either; `data-` optional): mode (compare, sweep, run,
// program), sweep ("n=10,100,1000"), budget (seconds), and the embed's
// options height, theme, readonly, panes, cpython (see src/components/embed/options.rs).
// A <pyrace-compare highlighted> (as the MkDocs and Sphinx integrations in
// integrations/python/ write it) shows its own <pre> elements, highlighted
// and styled by the page, instead of plain copies of their text.
//
// Until a reader presses Run, a block shows its code and loads nothing; Run
// puts the embed (app/embed.html, the Python engine) in an iframe in its
// place. The state travels in the iframe's fragment in share-link format
// (`v1.` + lz-string of the JSON, model/src/share/mod.rs). Text from the page is
// only ever set as text, never parsed as HTML. The iframe tells its height by
// postMessage; only messages from the embed's origin and from that very
// iframe are heeded.

import LZString from 'lz-string';

/**
 * A playground state in share format 1 (model/src/share/mod.rs), as far as a block describes it.
 * @typedef {{name: string, code: string, setup?: string}} Variant
 * @typedef {{pyrace: 1, mode: string, setup: string, variants: Variant[], sweep?: string, options?: {budget: number}, engines?: string[]}} State
 */

const script = document.currentScript;
const SCRIPT_URL = script instanceof HTMLScriptElement ? script.src : location.href;
const SITE = new URL('.', SCRIPT_URL);
const EMBED_URL = new URL('app/embed.html', SITE);
const APP_URL = new URL('app/', SITE);
const MODES = ['compare', 'sweep', 'run', 'program'];
const MAX_VARIANTS = 6;

/**
 * An attribute, with or without `data-`.
 * @param {Element} el
 * @param {string} name
 */
function attr(el, name) {
  return el.getAttribute(`data-${name}`) ?? el.getAttribute(name);
}

/**
 * Code as written in a block: without the blank first/last lines that markup adds.
 * @param {Element} el
 */
function codeText(el) {
  return (el.textContent ?? '').replace(/^\s*\n/, '').replace(/\s+$/, '');
}

/**
 * Strips the common indentation, which blog markup often adds.
 * @param {string} text
 */
function dedent(text) {
  const lines = text.split('\n');
  const indents = lines.filter((l) => l.trim()).map((l) => /^[ \t]*/.exec(l)?.[0].length ?? 0);
  const cut = indents.length ? Math.min(...indents) : 0;
  return lines.map((l) => l.slice(cut)).join('\n');
}

/**
 * `#%% NAME` cells → { setup, variants }; no cells → one program.
 * @param {string} text
 * @returns {{setup: string, variants: Variant[]}}
 */
function parseCells(text) {
  /** @type {{name: string | null, lines: string[]}[]} */
  const cells = [];
  /** @type {{name: string | null, lines: string[]} | null} */
  let current = null;
  for (const line of text.split('\n')) {
    const marker = line.match(/^#\s?%%\s*(.*)$/);
    if (marker) {
      current = { name: marker[1].trim(), lines: [] };
      cells.push(current);
    } else if (current) current.lines.push(line);
    else if (line.trim()) {
      current = { name: null, lines: [line] };
      cells.push(current);
    }
  }
  let setup = '';
  /** @type {Variant[]} */
  const variants = [];
  for (const cell of cells) {
    const code = dedent(cell.lines.join('\n')).trim();
    if (cell.name === 'setup') setup = code;
    else variants.push({ name: cell.name || 'main', code });
  }
  return { setup, variants };
}

/**
 * The playground state (share format 1) a block describes, or an error message.
 * @param {Element} el
 * @returns {{state: State, error?: undefined} | {error: string, state?: undefined}}
 */
export function stateOf(el) {
  let setup = '';
  /** @type {Variant[]} */
  let variants;
  if (el.localName === 'pyrace-compare') {
    // <pre data-setup> is the shared setup; <pre data-setup="NAME"> that variant's own.
    const ownSetups = new Map();
    for (const pre of el.querySelectorAll('pre[data-setup], pre[setup]')) {
      const owner = (attr(pre, 'setup') ?? '').trim();
      if (owner) ownSetups.set(owner, dedent(codeText(pre)).trim());
      else setup = dedent(codeText(pre)).trim();
    }
    variants = [...el.querySelectorAll('pre[data-variant], pre[variant]')].map((pre, i) => {
      const name = (attr(pre, 'variant') || `v${i + 1}`).trim();
      /** @type {Variant} */
      const variant = { name, code: dedent(codeText(pre)).trim() };
      if (ownSetups.has(name)) variant.setup = ownSetups.get(name);
      return variant;
    });
  } else {
    ({ setup, variants } = parseCells(codeText(el)));
  }
  if (variants.length === 0) return { error: 'no code to run' };
  if (variants.length > MAX_VARIANTS) return { error: `at most ${MAX_VARIANTS} variants` };
  const single = variants.length === 1 && el.localName !== 'pyrace-compare';
  const mode = attr(el, 'mode') ?? (single ? 'run' : 'compare');
  if (!MODES.includes(mode)) return { error: `mode “${mode}” is not one of ${MODES.join(', ')}` };
  /** @type {State} */
  const state = { pyrace: 1, mode, setup, variants };
  const sweep = attr(el, 'sweep');
  if (sweep) state.sweep = sweep;
  const budget = Number(attr(el, 'budget'));
  if (budget > 0 && budget <= 3600) state.options = { budget };
  // The CPython choice goes in the link too, so "Open in pyrace" runs both engines.
  if (attr(el, 'cpython') === '1') state.engines = ['cpython'];
  return { state };
}

/**
 * A state's fragment, as the app's share links write it.
 * @param {State} state
 */
export function fragmentOf(state) {
  return `v1.${LZString.compressToEncodedURIComponent(JSON.stringify(state))}`;
}

/**
 * The embed's options from the block's attributes, as a query string.
 * @param {Element} el
 */
function embedQuery(el) {
  const query = new URLSearchParams();
  for (const name of ['readonly', 'height', 'theme', 'panes', 'cpython']) {
    const value = attr(el, name);
    if (value !== null) query.set(name, value);
  }
  query.set('autorun', '1');
  // Where the embed sends its height: this page.
  if (location.origin.startsWith('http')) query.set('origin', location.origin);
  return query.toString();
}

const STYLE = `
:host { display: block; margin: 1em 0; }
.box { border: 1px solid #d9d9d3; border-radius: 8px; background: #fcfcfa; color: #1c1d21;
  font: 14px/1.45 system-ui, sans-serif; overflow: hidden; }
:host([data-theme="dark"]) .box { background: #1d2027; color: #e7e8eb; border-color: #343945; }
@media (prefers-color-scheme: dark) {
  :host(:not([data-theme="light"])) .box { background: #1d2027; color: #e7e8eb; border-color: #343945; }
}
.bar { display: flex; gap: .6em; align-items: center; padding: .45em .7em; border-bottom: 1px solid rgba(127,127,127,.3); flex-wrap: wrap; }
.title { font-weight: 600; }
.mode { opacity: .7; }
.spacer { flex: 1; }
button { font: inherit; padding: .3em .9em; border-radius: 6px; border: 0; background: #2459d6; color: #fff; cursor: pointer; }
button:focus-visible, a:focus-visible { outline: 2px solid #6d9bff; outline-offset: 2px; }
a { color: inherit; }
.cells { display: grid; grid-template-columns: repeat(auto-fit, minmax(14em, 1fr)); }
.cell { padding: .4em .7em; min-width: 0; }
.cells .cell + .cell { border-left: 1px solid rgba(127,127,127,.3); }
.name { font-size: 12px; font-weight: 600; opacity: .75; }
::slotted(*) { margin: .2em 0 0 !important; }
pre { margin: .2em 0 0; font: 13px/1.4 ui-monospace, Menlo, Consolas, monospace; white-space: pre-wrap; overflow-wrap: anywhere; }
.setup { border-bottom: 1px solid rgba(127,127,127,.3); }
.note { padding: .35em .7em; font-size: 12px; opacity: .75; }
.error { padding: .6em .7em; color: #b3261e; }
iframe { display: block; width: 100%; border: 0; height: 360px; }
`;

/**
 * A new element; `text` among the props is its text, the others its attributes.
 * @param {string} tag
 * @param {Record<string, string>} [props]
 * @param {(Node | string)[]} children
 * @returns {HTMLElement}
 */
function element(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (key === 'text') el.textContent = value;
    else el.setAttribute(key, value);
  }
  el.append(...children);
  return el;
}

/** Slot names handed out so far on this page. */
let slots = 0;

/**
 * A part's code as text, or, for a block's own highlighted <pre>, a slot showing it.
 * @param {string} code
 * @param {Element | undefined} shown the block's child that holds the <pre>, if it is to be shown
 */
function codeView(code, shown) {
  const text = element('pre', {}, element('code', { text: code }));
  if (!shown) return text;
  const name = `pyrace-${slots++}`;
  shown.setAttribute('slot', name);
  return element('slot', { name }, text);
}

/**
 * @param {string} name
 * @param {(Node | string)[]} views
 * @param {string} [cls]
 */
function codeCell(name, views, cls = 'cell') {
  return element('div', { class: cls }, element('div', { class: 'name', text: name }), ...views);
}

/**
 * The child of `block` that a <pre> inside it is in (a highlighter's wrapper, or itself).
 * @param {Element} block
 * @param {Element | null} pre
 */
function childHolding(block, pre) {
  let node = pre;
  while (node && node.parentElement !== block) node = node.parentElement;
  return node ?? undefined;
}

/**
 * Frames that this script opened, so their messages can be told apart.
 * @type {Set<HTMLIFrameElement>}
 */
const frames = new Set();

/** @param {MessageEvent} event */
function onMessage(event) {
  if (event.origin !== EMBED_URL.origin) return;
  const data = event.data;
  if (!data || data.type !== 'pyrace:height' || !Number.isFinite(data.height)) return;
  for (const frame of frames) {
    if (frame.contentWindow === event.source) {
      frame.style.height = `${Math.min(4000, Math.max(100, Math.ceil(data.height)))}px`;
    }
  }
}

/**
 * Replaces a marked block by its embed: code and Run first, the engine on Run.
 * @param {Element} el
 */
export function upgrade(el) {
  if (el.hasAttribute('data-pyrace-upgraded')) return;
  el.setAttribute('data-pyrace-upgraded', '');
  const host = el.localName === 'pyrace-compare' ? el : element('div', { class: 'pyrace-embed' });
  const theme = attr(el, 'theme');
  if (theme) host.setAttribute('data-theme', theme);
  const root = host.attachShadow({ mode: 'open' });
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(STYLE);
  root.adoptedStyleSheets = [sheet];
  const box = element('div', { class: 'box' });
  root.append(box);
  host.setAttribute('data-pyrace-upgraded', '');
  if (host !== el) el.replaceWith(host);

  const { state, error } = stateOf(el);
  if (state === undefined) {
    box.append(element('div', { class: 'error', role: 'alert', text: `pyrace: this block cannot be run: ${error}.` }));
    // The code stays readable.
    box.append(codeCell('code', [codeView(codeText(el), undefined)]));
    return;
  }
  const fragment = fragmentOf(state);
  const title = attr(el, 'title') || state.variants.map((v) => v.name).join(' vs ');
  const open = element('a', { href: `${APP_URL.href}#${fragment}`, target: '_blank', rel: 'noopener', text: 'Open in pyrace ↗' });
  const run = element('button', { type: 'button', text: '▶ Run' });
  box.append(
    element('div', { class: 'bar' }, element('span', { class: 'title', text: title }), element('span', { class: 'mode', text: state.mode }), element('span', { class: 'spacer' }), run, open),
  );
  const preview = element('div', {});
  // Highlighted blocks show their own <pre> elements (found as stateOf found them).
  const own = el === host && attr(el, 'highlighted') !== null;
  /** @param {string} selector */
  const shown = (selector) => (own ? childHolding(el, el.querySelector(selector)) : undefined);
  const pres = own ? [...el.querySelectorAll('pre[data-variant], pre[variant]')] : [];
  if (state.setup) preview.append(codeCell('setup', [codeView(state.setup, shown('pre[data-setup=""], pre[setup=""]'))], 'cell setup'));
  /**
   * @param {Variant} v
   * @param {number} i
   */
  const cell = (v, i) => {
    const code = codeView(v.code, pres[i] && childHolding(el, pres[i]));
    if (v.setup === undefined) return codeCell(v.name, [code]);
    const ownSetup = own ? [...el.querySelectorAll('pre[data-setup], pre[setup]')].find((p) => (attr(p, 'setup') ?? '').trim() === v.name) : undefined;
    return codeCell(v.name, [codeView(v.setup, ownSetup && childHolding(el, ownSetup)), element('div', { class: 'name', text: '# ──' }), code]);
  };
  preview.append(element('div', { class: 'cells' }, ...state.variants.map(cell)));
  preview.append(element('div', { class: 'note', text: 'Run loads pyrace’s Python engine (WebAssembly) into this page and runs the code in your browser.' }));
  box.append(preview);

  run.addEventListener('click', () => {
    const frame = /** @type {HTMLIFrameElement} */ (element('iframe', {
      src: `${EMBED_URL.href}?${embedQuery(el)}#${fragment}`,
      title: `pyrace: ${title}`,
      allow: 'cross-origin-isolated',
    }));
    const height = Number(attr(el, 'height'));
    frame.style.height = `${height >= 120 ? height : Math.max(320, preview.offsetHeight + 160)}px`;
    frames.add(frame);
    // The embed has its own bar with Run and "Open in pyrace".
    box.replaceChildren(frame);
  });
}

/**
 * Upgrades every marked block under `root` (the whole page by default).
 * @param {ParentNode} [root]
 */
export function scan(root = document) {
  for (const el of root.querySelectorAll('pre[data-pyrace], pyrace-compare')) upgrade(el);
}

window.addEventListener('message', onMessage);
if (!customElements.get('pyrace-compare')) {
  customElements.define(
    'pyrace-compare',
    class extends HTMLElement {
      connectedCallback() {
        // Before the page is parsed its children may not be there yet.
        if (document.readyState !== 'loading') upgrade(this);
      }
    },
  );
}
/** @type {Window & {pyraceEmbed?: object}} */ (window).pyraceEmbed = { scan, upgrade, stateOf, fragmentOf };
if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', () => scan());
else scan();
