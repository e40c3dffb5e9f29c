//! Thread modes: the run's (`switch`, in the top bar), a pane's own
//! (`pane`), and GIL mode's measured cost (`overhead`).

mod overhead;
mod pane;
mod switch;

pub use overhead::GilOverheadNote;
pub use pane::PaneThreadMode;
pub use switch::{ThreadModeSwitch, label};
