//! A variant's colour: its pane's place, so that a variant has one colour
//! in its pane, the table and every chart.

use pyrace_model::limits::MAX_VARIANTS;

use crate::hooks::{PaneOrder, Slice, use_pane_order, use_runs};
use crate::state::{RunView, Runs};

/// What gives each variant its colour: the pane order and the run's panes.
pub struct Series {
    order: PaneOrder,
    /// The runs, which the charts read too.
    pub runs: Slice<Runs>,
}

impl Series {
    /// The colour slot of a variant of the current run.
    pub fn slot(&self, name: &str) -> usize {
        series_slot(&self.order, self.runs.run(), name)
    }
}

/// Subscribes to the pane order and the runs, not to the panes' text.
#[yew::hook]
pub fn use_series() -> Series {
    Series {
        order: use_pane_order(),
        runs: use_runs(),
    }
}

/// The colour slot of a variant: its pane's place, so a variant has one
/// colour in its pane, the table and every chart.
fn series_slot(order: &PaneOrder, run: Option<&RunView>, name: &str) -> usize {
    let Some(run) = run else {
        return 0;
    };
    let key = run
        .panes
        .iter()
        .find(|(_, n)| n == name)
        .map(|(key, _)| *key);
    key.and_then(|key| order.0.iter().position(|k| *k == key))
        .or_else(|| run.panes.iter().position(|(_, n)| n == name))
        .map_or(0, series_index)
}

/// A pane's colour slot from its place: `series-0` … `series-5` in the CSS,
/// one per variant the playground can hold.
pub fn series_index(place: usize) -> usize {
    place % MAX_VARIANTS
}
