// @ts-check
// card.js — the result card (Share → Card): one 1200×630 picture for places
// that run no script (Medium, dev.to, LinkedIn, newsletters). What it says
// comes worked out from Rust (src/components/card/content.rs: the variants' code cut to
// fit, the verdicts, the engines, the date, the link in words); the chart on
// it is the results panel's own bar chart, rendered by the app beside the
// card and copied here with its computed styles (svg-export.js), so the card
// never draws figures of its own. The card is a standalone SVG document
// (generic font families, nothing fetched) and, drawn on a canvas, a PNG.

import { inlinedCopy, pngOf, downloadBlob } from './svg-export.js';

const SVG_NS = 'http://www.w3.org/2000/svg';
export const CARD_WIDTH = 1200;
export const CARD_HEIGHT = 630;
/** The margin all round. */
const PAD = 48;
const SANS = 'sans-serif';
const MONO = 'monospace';
/** The card keeps the app's light colours whatever the page's theme. */
const INK = '#1c1d21';
const MUTED = '#5f6470';
const ACCENT = '#2459d6';
const PANEL = '#f4f4f1';
const RULE = '#e2e2dc';
/** The band of the logo, in the first three series' colours. */
const LOGO = ['#2f6fde', '#e07b1a', '#2e9e5b'];
/** Where the footer (engines, date, link) starts. */
const FOOTER_TOP = 548;
/** Between the code panel and the chart. */
const GUTTER = 28;
/** The code panel's width bounds: short code leaves the chart more room. */
const PANEL_MIN = 300;
const PANEL_MAX = 470;
/** The code's font size bounds, in pixels. */
const CODE_MAX = 22;
const CODE_MIN = 10;
/** A variant's rows are this many font sizes apart. */
const LEADING = 1.45;

/**
 * @typedef {{ name: string, lines: string[], more: number }} CardVariant
 * @typedef {{ engine: string | null, sentence: string, clear: boolean }} CardVerdict
 * @typedef {{ title: string, setup: CardVariant | null, variants: CardVariant[], verdicts: CardVerdict[], engines: string[],
 *   date: string, link_text: string, alt: string }} CardContent
 */

/** @type {CanvasRenderingContext2D | null} */
let measurer = null;

/**
 * How wide `text` is in `font`, as this browser draws it.
 * @param {string} text
 * @param {string} font
 */
function widthOf(text, font) {
  measurer ??= document.createElement('canvas').getContext('2d');
  if (!measurer) return text.length * 0.6 * parseFloat(font.replace(/^\D*/, ''));
  measurer.font = font;
  return measurer.measureText(text).width;
}

/**
 * `text` in lines no wider than `width`, at most `max` of them, the last cut with an ellipsis if need be.
 * @param {string} text
 * @param {string} font
 * @param {number} width
 * @param {number} max
 */
function wrap(text, font, width, max) {
  /** @type {string[]} */
  const lines = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const next = line ? `${line} ${word}` : word;
    if (line && widthOf(next, font) > width) {
      lines.push(line);
      line = word;
    } else {
      line = next;
    }
  }
  if (line) lines.push(line);
  if (lines.length <= max) return lines;
  const kept = lines.slice(0, max);
  let last = `${kept[max - 1]} ${lines[max]}`;
  while (last.length > 1 && widthOf(`${last}…`, font) > width) last = last.slice(0, -1);
  kept[max - 1] = `${last.trimEnd()}…`;
  return kept;
}

/**
 * An SVG element with these attributes (and text).
 * @param {string} tag
 * @param {Record<string, string | number>} attributes
 * @param {string} [text]
 */
function el(tag, attributes, text) {
  const node = document.createElementNS(SVG_NS, tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, String(value));
  if (text !== undefined) node.textContent = text;
  return node;
}

/**
 * A line of text; code keeps its spaces.
 * @param {number} x
 * @param {number} y
 * @param {string} text
 * @param {{ size: number, weight?: number, fill?: string, family?: string, anchor?: string, italic?: boolean }} style
 */
function text(x, y, text, { size, weight = 400, fill = INK, family = SANS, anchor = 'start', italic = false }) {
  return el('text', {
    x, y, fill, 'font-family': family, 'font-size': size, 'font-weight': weight, 'text-anchor': anchor,
    ...(italic ? { 'font-style': 'italic' } : {}),
    ...(family === MONO ? { 'xml:space': 'preserve', style: 'white-space:pre' } : {}),
  }, text);
}

/** @param {number} size @param {number} weight @param {string} family */
const font = (size, weight, family) => `${weight} ${size}px ${family}`;

/**
 * The brand: three bars racing, and the name.
 * @param {SVGElement} card
 */
function brand(card) {
  LOGO.forEach((colour, i) => {
    card.append(el('rect', { x: PAD, y: 30 + i * 9, width: [34, 24, 14][i], height: 6, rx: 3, fill: colour }));
  });
  card.append(text(PAD + 46, 54, 'pyrace', { size: 28, weight: 700, fill: INK }));
  card.append(text(PAD + 46 + widthOf('pyrace', font(28, 700, SANS)) + 14, 54, 'Python performance, measured', { size: 17, fill: MUTED }));
}

/**
 * The title and each engine's verdict, from `top`; where the body may start.
 * @param {SVGElement} card
 * @param {CardContent} content
 * @param {number} top
 */
function headline(card, content, top) {
  const width = CARD_WIDTH - 2 * PAD;
  let y = top;
  const titleFont = font(36, 700, SANS);
  const [title] = wrap(content.title, titleFont, width, 1);
  card.append(text(PAD, y, title ?? '', { size: 36, weight: 700 }));
  y += 14;
  const size = content.verdicts.length > 1 ? 22 : 26;
  for (const verdict of content.verdicts) {
    const label = verdict.engine ? `${verdict.engine}: ` : '';
    const labelWidth = label ? widthOf(label, font(size, 600, SANS)) : 0;
    const sentenceFont = font(size, verdict.clear ? 650 : 400, SANS);
    const lines = wrap(verdict.sentence, sentenceFont, width - labelWidth, 2);
    lines.forEach((line, i) => {
      y += size * 1.35;
      if (i === 0 && label) card.append(text(PAD, y, label, { size, weight: 600, fill: MUTED }));
      card.append(text(PAD + labelWidth, y, line, {
        size, weight: verdict.clear ? 650 : 400, fill: verdict.clear ? INK : MUTED,
      }));
    });
  }
  if (content.verdicts.length === 0) {
    y += size * 1.35;
    card.append(text(PAD, y, 'One variant: its time per loop, with its 95% interval', { size, fill: MUTED }));
  }
  return y + 26;
}

/**
 * The colour a variant has in the chart (its bar's fill), so the code and the bars match.
 * @param {SVGSVGElement} chart
 * @param {string} name
 */
function colourOf(chart, name) {
  const bar = chart.querySelector(`.bar[data-variant="${CSS.escape(name)}"] .fill`);
  return bar ? getComputedStyle(bar).fill : INK;
}

/**
 * The code panel's width and its font size: as large as the code allows.
 * @param {CardVariant[]} variants
 * @param {number} height
 */
function codeLayout(variants, height) {
  const rows = variants.reduce((n, v) => n + 1 + v.lines.length + (v.more > 0 ? 1 : 0), 0);
  const gaps = Math.max(variants.length - 1, 0) * 0.5;
  const inner = height - 2 * 22;
  let size = Math.min(CODE_MAX, inner / ((rows + gaps) * LEADING));
  const longest = Math.max(...variants.flatMap((v) => [...v.lines.map((l) => widthOf(l, font(10, 400, MONO))),
    widthOf(v.name, font(10, 700, SANS)) + 18]), 1);
  // At size s a line is longest·s/10 wide; the panel grows to PANEL_MAX before the font shrinks.
  size = Math.max(CODE_MIN, Math.min(size, ((PANEL_MAX - 44) * 10) / longest));
  const width = Math.min(PANEL_MAX, Math.max(PANEL_MIN, (longest * size) / 10 + 44));
  return { size, width };
}

/**
 * The shared setup (muted, unmarked) and each variant's name (in its chart colour) and code, in a panel at (x, y).
 * @param {SVGElement} card
 * @param {CardVariant | null} setup
 * @param {CardVariant[]} variants
 * @param {SVGSVGElement} chart
 * @param {{ x: number, y: number, width: number, height: number, size: number }} box
 */
function codePanel(card, setup, variants, chart, { x, y, width, height, size }) {
  const clip = el('clipPath', { id: 'code-clip' });
  clip.append(el('rect', { x, y, width, height, rx: 12 }));
  card.append(clip);
  card.append(el('rect', { x, y, width, height, rx: 12, fill: PANEL, stroke: RULE }));
  const group = el('g', { 'clip-path': 'url(#code-clip)', class: 'card-code' });
  card.append(group);
  const step = size * LEADING;
  let row = y + 22 + size;
  const blocks = [...(setup ? [{ variant: setup, shared: true }] : []), ...variants.map((variant) => ({ variant, shared: false }))];
  for (const { variant, shared } of blocks) {
    if (shared) {
      group.append(text(x + 20, row, 'setup', { size: size * 0.9, weight: 600, fill: MUTED }));
    } else {
      const colour = colourOf(chart, variant.name);
      group.append(el('rect', { x: x + 20, y: row - size * 0.78, width: size * 0.8, height: size * 0.8, rx: 3, fill: colour }));
      group.append(text(x + 20 + size * 1.2, row, variant.name, { size, weight: 700, fill: INK }));
    }
    row += step;
    for (const line of variant.lines) {
      group.append(text(x + 20, row, line, { size, family: MONO, fill: shared ? MUTED : INK }));
      row += step;
    }
    if (variant.more > 0) {
      group.append(text(x + 20, row, `… ${variant.more} more line${variant.more === 1 ? '' : 's'}`, { size: size * 0.9, fill: MUTED, italic: true }));
      row += step;
    }
    row += step * 0.5;
  }
}

/**
 * The results panel's bar chart, copied, fitted in the box, and its caption under it.
 * @param {SVGElement} card
 * @param {SVGSVGElement} chart
 * @param {string} caption
 * @param {{ x: number, y: number, width: number, height: number }} box
 */
function chartBox(card, chart, caption, { x, y, width, height }) {
  const captionLines = wrap(caption, font(14, 400, SANS), width, 3);
  const room = height - captionLines.length * 19 - 10;
  const view = chart.viewBox.baseVal;
  const scale = Math.min(width / view.width, room / view.height, 1.6);
  const drawn = { width: view.width * scale, height: view.height * scale };
  // Centred in the room left, so a short chart does not hang at the top.
  const top = y + Math.max(0, (room - drawn.height) / 2);
  const copy = inlinedCopy(chart);
  for (const [name, value] of Object.entries({ x, y: top, width: drawn.width, height: drawn.height })) {
    copy.setAttribute(name, String(value));
  }
  copy.removeAttribute('role');
  copy.setAttribute('class', 'card-chart');
  card.append(copy);
  captionLines.forEach((line, i) => {
    card.append(text(x, top + drawn.height + 22 + i * 19, line, { size: 14, fill: MUTED }));
  });
}

/**
 * The engines, the date and the link in words.
 * @param {SVGElement} card
 * @param {CardContent} content
 */
function footer(card, content) {
  card.append(el('line', { x1: PAD, x2: CARD_WIDTH - PAD, y1: FOOTER_TOP, y2: FOOTER_TOP, stroke: RULE, 'stroke-width': 1.5 }));
  const measured = `Measured ${content.date} on ${content.engines.join(' and ')}`;
  const [line] = wrap(measured, font(17, 400, SANS), CARD_WIDTH - 2 * PAD, 1);
  card.append(text(PAD, FOOTER_TOP + 30, line ?? '', { size: 17, fill: MUTED }));
  const lead = 'Run it yourself: ';
  const leadWidth = widthOf(lead, font(17, 600, SANS));
  card.append(text(PAD, FOOTER_TOP + 60, lead, { size: 17, weight: 600, fill: INK }));
  const room = CARD_WIDTH - 2 * PAD - leadWidth;
  const size = Math.max(11, Math.min(16, (16 * room) / Math.max(widthOf(content.link_text, font(16, 400, MONO)), 1)));
  card.append(text(PAD + leadWidth, FOOTER_TOP + 60, content.link_text, { size, family: MONO, fill: ACCENT }));
}

/**
 * The card as a standalone SVG document, from what it says (`contentJson`,
 * src/components/card/content.rs) and the element holding the results' bar chart as
 * the app rendered it for the card (its `svg` and `figcaption`).
 * @param {string} contentJson
 * @param {Element} chartHolder
 * @returns {string}
 */
export function cardSvg(contentJson, chartHolder) {
  /** @type {CardContent} */
  const content = JSON.parse(contentJson);
  const chart = chartHolder.querySelector('svg');
  if (!(chart instanceof SVGSVGElement)) throw new Error('there is no bar chart to put on the card');
  const caption = chartHolder.querySelector('figcaption')?.textContent?.trim() ?? '';

  const card = el('svg', {
    xmlns: SVG_NS, width: CARD_WIDTH, height: CARD_HEIGHT, viewBox: `0 0 ${CARD_WIDTH} ${CARD_HEIGHT}`,
    role: 'img', 'aria-label': content.alt,
  });
  card.append(el('title', {}, content.alt));
  card.append(el('rect', { width: CARD_WIDTH, height: CARD_HEIGHT, fill: '#ffffff' }));
  card.append(el('rect', { width: CARD_WIDTH, height: 8, fill: ACCENT }));
  brand(card);
  const bodyTop = headline(card, content, 112);
  const bodyHeight = FOOTER_TOP - 22 - bodyTop;
  const code = codeLayout(content.setup ? [content.setup, ...content.variants] : content.variants, bodyHeight);
  codePanel(card, content.setup, content.variants, chart, { x: PAD, y: bodyTop, width: code.width, height: bodyHeight, size: code.size });
  const chartX = PAD + code.width + GUTTER;
  chartBox(card, chart, caption, { x: chartX, y: bodyTop, width: CARD_WIDTH - PAD - chartX, height: bodyHeight });
  footer(card, content);
  return `<?xml version="1.0" encoding="UTF-8"?>\n${new XMLSerializer().serializeToString(card)}`;
}

/**
 * Downloads the card (its SVG document, `svg`) as a 1200×630 PNG named `name`.
 * @param {string} svg
 * @param {string} name
 */
export async function downloadCardPng(svg, name) {
  downloadBlob(name, await pngOf(svg, CARD_WIDTH, CARD_HEIGHT, 1));
}
