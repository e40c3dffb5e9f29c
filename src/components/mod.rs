//! The app's components, one per file.

mod bar_chart;
mod card;
mod chart_axis;
mod code_editor;
mod cpython_switch;
mod distribution_plot;
mod embed_bar;
mod embed_generator;
mod embed_panes;
mod embed_root;
mod engine_note;
mod engine_status;
mod error_message;
mod export_menu;
mod gantt_row;
mod gantt_view;
mod lesson_claims;
mod lesson_figures;
mod lesson_picker;
mod lesson_prose;
mod link_notice;
mod open_file_button;
mod output_console;
mod output_view;
mod pane_errors;
mod pane_run;
mod profile;
mod profile_table;
mod profile_toggle;
mod profile_views;
mod results_panel;
mod results_table;
mod same_result_toggle;
mod setup_pane;
mod share_button;
mod share_dialog;
mod shared_results;
mod sweep_chart;
mod thread_mode_overhead;
mod thread_mode_pane;
mod thread_mode_switch;
mod timeline_chart;
mod timeline_views;
mod timing_card;
mod top_bar;
mod variant_pane;
mod verdict_line;

pub use embed_root::EmbedRoot;
pub use lesson_prose::LessonProse;
pub use link_notice::LinkNotice;
pub use output_console::OutputConsole;
pub use results_panel::ResultsPanel;
pub use setup_pane::SetupPane;
pub use top_bar::TopBar;
pub use variant_pane::VariantPanes;

use pyrace_model::limits::MAX_VARIANTS;

use crate::hooks::{PaneOrder, Slice};
pub(crate) use crate::hooks::{
    use_draft, use_engines, use_handle, use_link, use_pane_order, use_runs,
};
use crate::state::{RunView, Runs};

/// What gives each variant its colour: the pane order and the run's panes.
struct Series {
    order: PaneOrder,
    runs: Slice<Runs>,
}

impl Series {
    /// The colour slot of a variant of the current run.
    fn slot(&self, name: &str) -> usize {
        series_slot(&self.order, self.runs.run(), name)
    }
}

/// Subscribes to the pane order and the runs, not to the panes' text.
#[yew::hook]
fn use_series() -> Series {
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
fn series_index(place: usize) -> usize {
    place % MAX_VARIANTS
}
