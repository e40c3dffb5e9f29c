//! Hooks of the app: the playground's state given slice by slice with its
//! domain methods (the engines' hosts are `crate::engines::host`), local
//! saving of drafts, opening share links, and the Run shortcut.

mod use_playground;
mod use_run_shortcut;
mod use_saved_draft;
mod use_shared_link;

pub use use_playground::{
    PaneOrder, PlaygroundHandle, Slice, use_draft, use_engines, use_handle, use_link,
    use_pane_order, use_playground, use_runs,
};
pub use use_run_shortcut::use_run_shortcut;
pub use use_saved_draft::{load_draft, use_saved_draft};
pub use use_shared_link::use_shared_link;
