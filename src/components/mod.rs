//! The app's components, one per file.

mod bar_chart;
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
mod lesson_picker;
mod lesson_prose;
mod link_notice;
mod open_file_button;
mod output_console;
mod output_view;
mod pane_errors;
mod pane_run;
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

use crate::hooks::PlaygroundHandle;
use crate::state::Playground;

/// The playground context; every component sits under its provider.
#[yew::hook]
fn use_handle() -> PlaygroundHandle {
    yew::use_context::<PlaygroundHandle>()
        .expect("components are rendered inside the playground context")
}

/// The colour slot of a variant: its pane's place, so a variant has one
/// colour in its pane, the table and every chart.
fn series_slot(playground: &Playground, name: &str) -> usize {
    let Some(run) = playground.run.as_ref() else {
        return 0;
    };
    let key = run
        .panes
        .iter()
        .find(|(_, n)| n == name)
        .map(|(key, _)| *key);
    key.and_then(|key| playground.draft.panes.iter().position(|p| p.key == key))
        .or_else(|| run.panes.iter().position(|(_, n)| n == name))
        .unwrap_or(0)
        % 6
}
