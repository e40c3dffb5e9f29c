// @ts-check
// line-heat.js — the editor's time-per-line gutters (CodeMirror 6): one
// column per engine that traced the program, each line a heat bar as long
// as its share of the program's time, with the share and hit count written
// on it and hits, total and per-hit time in its title. The app
// (src/components/profile/line_heat.rs) decides what each line says; this
// file only draws it. A profile is of the code as it ran: any edit clears it.

import { RangeSet, StateEffect, StateField } from '@codemirror/state';
import { GutterMarker, gutter } from '@codemirror/view';

/**
 * One line's figures as the app sends them.
 * @typedef {{line: number, share: number, label: string, title: string}} HeatLine
 * @typedef {{engine: string, lines: HeatLine[]}} HeatColumn
 */

/** Engines drawn side by side at most (RustPython and CPython). */
const COLUMNS = 2;

/** @type {import('@codemirror/state').StateEffectType<HeatColumn[]>} */
export const setLineHeat = StateEffect.define();

/** The columns shown, until the text changes. */
const heatField = StateField.define({
  create: () => /** @type {HeatColumn[]} */ ([]),
  update(columns, tr) {
    for (const effect of tr.effects) {
      if (effect.is(setLineHeat)) return effect.value;
    }
    return tr.docChanged ? [] : columns;
  },
});

class HeatMarker extends GutterMarker {
  /**
   * @param {string} engine
   * @param {HeatLine} heat
   */
  constructor(engine, heat) {
    super();
    this.engine = engine;
    this.heat = heat;
  }

  /** @param {GutterMarker} other */
  eq(other) {
    return other instanceof HeatMarker && other.engine === this.engine && other.heat === this.heat;
  }

  toDOM() {
    const element = document.createElement('div');
    element.className = 'cm-line-heat';
    element.dataset.line = String(this.heat.line);
    element.dataset.share = String(this.heat.share);
    element.dataset.engine = this.engine;
    element.title = this.heat.title;
    const bar = document.createElement('span');
    bar.className = 'cm-line-heat-bar';
    bar.style.width = `${Math.round(Math.min(1, Math.max(0, this.heat.share)) * 1000) / 10}%`;
    const label = document.createElement('span');
    label.className = 'cm-line-heat-label';
    label.textContent = this.heat.label;
    element.append(bar, label);
    return element;
  }
}

/**
 * The gutter of the `slot`th engine's column.
 * @param {number} slot
 */
function heatGutter(slot) {
  return gutter({
    class: `cm-heat-gutter cm-heat-gutter-${slot}`,
    markers(view) {
      const column = view.state.field(heatField)[slot];
      if (!column) return RangeSet.empty;
      const doc = view.state.doc;
      const markers = column.lines
        .filter((heat) => heat.line >= 1 && heat.line <= doc.lines)
        .sort((a, b) => a.line - b.line)
        .map((heat) => new HeatMarker(column.engine, heat).range(doc.line(heat.line).from));
      return RangeSet.of(markers);
    },
    lineMarkerChange: (update) =>
      update.startState.field(heatField) !== update.state.field(heatField),
  });
}

/** The extension: the field and one gutter per engine slot. */
export function lineHeat() {
  return [heatField, ...Array.from({ length: COLUMNS }, (_, slot) => heatGutter(slot))];
}
