//! The panes: the shared setup (`setup_pane`) and the variants side by side
//! (`variant_pane`), their CodeMirror editor (`code_editor`), what went
//! wrong in a pane (`pane_errors`, `error_message`) and what the last run
//! says about it (`pane_run`).

mod code_editor;
mod error_message;
mod pane_errors;
mod pane_run;
mod setup_pane;
mod variant_pane;

pub use code_editor::CodeEditor;
pub use error_message::ErrorMessage;
pub use pane_errors::PaneErrors;
pub use pane_run::PaneRun;
pub use setup_pane::SetupPane;
pub use variant_pane::VariantPanes;
