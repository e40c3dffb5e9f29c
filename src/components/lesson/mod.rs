//! Lessons on the page: the picker (`picker`), the loaded lesson's prose
//! (`prose`) with its claims checked against this page's run (`claims`)
//! and its CPython figures beside the run (`figures`).

mod claims;
mod figures;
mod picker;
mod prose;

pub use picker::LessonPicker;
pub use prose::LessonProse;
