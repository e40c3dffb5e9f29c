//! What the horizontal value charts (bars, samples) share: one row per
//! variant, a time axis that turns logarithmic when the variants differ too
//! much for a linear one, and its ticks with units.

use yew::prelude::*;

use crate::chart_scale::{Scale, nice_max};
use crate::format;

pub const WIDTH: f64 = 640.0;
/// Room for the variant names left of the plot.
pub const LEFT: f64 = 96.0;
pub const TOP: f64 = 8.0;
/// Room for the tick labels under the plot.
pub const AXIS: f64 = 34.0;
/// Above this spread between largest and smallest, a linear axis squeezes
/// the small values into a few pixels.
const LOG_ABOVE: f64 = 30.0;

/// A time axis from `LEFT` to `WIDTH - right` holding `min..max` seconds;
/// the flag tells whether it is logarithmic.
pub fn time_scale(min: f64, max: f64, right: f64) -> (Scale, bool) {
    let range = (LEFT, WIDTH - right);
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

/// A variant's name left of its row.
pub fn row_label(name: &str, mid: f64) -> Html {
    html! {
        <text x={(LEFT - 8.0).to_string()} y={(mid + 4.0).to_string()} text-anchor="end" class="label">{name.to_owned()}</text>
    }
}
