//! What the horizontal value charts (bars, samples) share: one row per
//! variant — or, when the run went to both engines, a group per variant with
//! a row per engine and the engine named in a column of its own —, a time
//! axis that turns logarithmic when the values differ too much for a linear
//! one, and its ticks with units.

use pyrace_model::engines::EngineId;
use yew::prelude::*;

use super::scale::{Scale, nice_max};
use crate::format;

pub const WIDTH: f64 = 640.0;
/// Room for the variant names left of the plot.
pub const LEFT: f64 = 96.0;
/// Room for the engine names between the variant names and the plot.
const ENGINE_COLUMN: f64 = 78.0;
/// Space between two variants' groups of engine rows.
const GROUP_GAP: f64 = 10.0;
pub const TOP: f64 = 8.0;
/// Room for the tick labels under the plot.
pub const AXIS: f64 = 34.0;
/// Above this spread between largest and smallest, a linear axis squeezes
/// the small values into a few pixels.
const LOG_ABOVE: f64 = 30.0;

/// Where a value chart's rows go: `groups` variants of `engines` rows each.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RowLayout {
    pub groups: usize,
    pub engines: usize,
    /// Height of one row.
    pub row: f64,
}

impl RowLayout {
    fn grouped(&self) -> bool {
        self.engines > 1
    }

    fn group_height(&self) -> f64 {
        let rows = self.row * self.engines as f64;
        if self.grouped() {
            rows + GROUP_GAP
        } else {
            rows
        }
    }

    /// The top of `group`'s row for its `lane`-th engine.
    pub fn row_top(&self, group: usize, lane: usize) -> f64 {
        TOP + self.group_height() * group as f64 + self.row * lane as f64
    }

    /// The middle of a group's rows, where its variant's name goes.
    pub fn group_mid(&self, group: usize) -> f64 {
        self.row_top(group, 0) + self.row * self.engines as f64 / 2.0
    }

    /// Where the plot starts: after the engine names when there are two.
    pub fn plot_left(&self) -> f64 {
        if self.grouped() {
            LEFT + ENGINE_COLUMN
        } else {
            LEFT
        }
    }

    /// The bottom of the last row, where the time axis is.
    pub fn axis_y(&self) -> f64 {
        let gap = if self.grouped() && self.groups > 0 {
            GROUP_GAP
        } else {
            0.0
        };
        TOP + self.group_height() * self.groups as f64 - gap
    }

    /// The whole chart's height, tick labels included.
    pub fn height(&self) -> f64 {
        self.axis_y() + AXIS
    }
}

/// A time axis from `left` to `WIDTH - right` holding `min..max` seconds;
/// the flag tells whether it is logarithmic.
pub fn time_scale(min: f64, max: f64, left: f64, right: f64) -> (Scale, bool) {
    let range = (left, WIDTH - right);
    if min.is_finite() && min > 0.0 && max / min > LOG_ABOVE {
        (Scale::log10((min, max), range), true)
    } else {
        (Scale::linear((0.0, nice_max(max)), range), false)
    }
}

/// Vertical grid lines with duration labels under `axis_y`.
pub fn time_ticks(scale: &Scale, axis_y: f64) -> Html {
    scale
        .ticks(4)
        .into_iter()
        .map(|t| {
            let x = scale.at(t).to_string();
            html! {
                <g class="tick">
                    <line x1={x.clone()} x2={x.clone()} y1={TOP.to_string()} y2={axis_y.to_string()} class="grid" />
                    <text x={x} y={(axis_y + 16.0).to_string()} text-anchor="middle">{format::duration(t)}</text>
                </g>
            }
        })
        .collect()
}

/// A variant's name left of its row (or its group of engine rows).
fn row_label(name: &str, mid: f64) -> Html {
    html! {
        <text x={(LEFT - 8.0).to_string()} y={(mid + 4.0).to_string()} text-anchor="end" class="label">{name.to_owned()}</text>
    }
}

/// The name an engine goes by in the page's `data-engine` attributes.
pub fn engine_key(engine: EngineId) -> &'static str {
    match engine {
        EngineId::Rustpython => "rustpython",
        EngineId::Cpython => "cpython",
    }
}

/// An engine's name left of its row in a group, right of the variant names.
fn engine_label(engine: EngineId, layout: &RowLayout, mid: f64) -> Html {
    html! {
        <text x={(layout.plot_left() - 8.0).to_string()} y={(mid + 4.0).to_string()} text-anchor="end" class="engine-name">{engine.label()}</text>
    }
}

/// What a row without a value says: the engine's part is still to come or
/// going, or it gave no figure (the variant failed there, or it was stopped).
pub fn missing_value(pending: bool) -> &'static str {
    if pending {
        "not measured yet"
    } else {
        "no timing"
    }
}

/// A row without a value: [`missing_value`]'s words at the plot's start.
fn missing_row(engine: EngineId, pending: bool, layout: &RowLayout, mid: f64) -> Html {
    html! {
        <text class="missing" data-engine={engine_key(engine)}
            x={(layout.plot_left() + 6.0).to_string()} y={(mid + 4.0).to_string()}>
            {missing_value(pending)}
        </text>
    }
}

/// Every variant's rows: its name, then a row per engine of `lanes` (each
/// engine with whether its missing values are still to come), the engine
/// named when there are two, holding `cell(lane, name, top)`'s drawing of
/// the value, or [`missing_row`] where that engine has none.
pub fn variant_rows(
    class: &'static str,
    names: &[String],
    lanes: &[(EngineId, bool)],
    layout: &RowLayout,
    cell: impl Fn(usize, &str, f64) -> Option<Html>,
) -> Html {
    let grouped = layout.grouped();
    html! {
        <>
            {for names.iter().enumerate().map(|(i, name)| html! {
                <g class={class} data-variant={name.clone()}>
                    {row_label(name, layout.group_mid(i))}
                    {for lanes.iter().enumerate().map(|(j, &(engine, pending))| {
                        let top = layout.row_top(i, j);
                        let mid = top + layout.row / 2.0;
                        html! {
                            <>
                                if grouped { {engine_label(engine, layout, mid)} }
                                {cell(j, name, top).unwrap_or_else(|| missing_row(engine, pending, layout, mid))}
                            </>
                        }
                    })}
                </g>
            })}
        </>
    }
}

/// The variants' names in the order the rows go: the first engine's, then
/// any that only a later one has (a variant that failed on the first).
pub fn variant_order<'a>(lanes: impl IntoIterator<Item = Vec<&'a str>>) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for lane in lanes {
        for name in lane {
            if !names.iter().any(|n| n == name) {
                names.push(name.to_owned());
            }
        }
    }
    names
}
