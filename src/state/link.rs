//! The link slice: what became of the last share link or file opened (shown
//! above the panes), and the draft it replaced, kept until the person puts
//! it back or dismisses the notice.

use super::Draft;

/// The outcome of opening a shared state, as the page reports it.
#[derive(Debug, Clone, PartialEq)]
pub enum LinkNotice {
    /// Opened from a `link` or a `file`.
    Opened(&'static str),
    /// Not opened, and why (the whole sentence).
    Failed(String),
}

/// The notice and the replaced draft.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LinkState {
    pub notice: Option<LinkNotice>,
    /// The draft an opened link replaced, until restored or dismissed.
    pub replaced: Option<Box<Draft>>,
}

/// Opening a share link's fragment: its state, or the sentence that says
/// why it cannot be opened.
pub fn open_link(fragment: &str) -> super::Action {
    match pyrace_model::share::decode(fragment) {
        Ok(state) => super::Action::OpenShared {
            state: Box::new(state),
            source: "link",
        },
        Err(e) => super::Action::OpenFailed(format!("This link could not be opened: {e}.")),
    }
}

/// Opening a `.pyrace.json` file's text.
pub fn open_file(name: &str, text: &str) -> super::Action {
    match pyrace_model::share::from_json(text) {
        Ok(state) => super::Action::OpenShared {
            state: Box::new(state),
            source: "file",
        },
        Err(e) => super::Action::OpenFailed(format!("The file “{name}” could not be opened: {e}.")),
    }
}
