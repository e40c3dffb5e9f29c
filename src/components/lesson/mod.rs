//! Lessons on the page: the picker (`picker`), the loaded lesson's prose
//! (`prose`) with its claims checked against this page's run (`claims`)
//! and its CPython figures beside the run (`figures`); the lessons shipped
//! with the app (`catalog`) and the Markdown of their prose (`markdown`),
//! both pure.

pub mod catalog;
pub mod markdown;

browser_only! {
    mod claims;
    mod figures;
    mod picker;
    mod prose;

    pub use picker::LessonPicker;
    pub use prose::LessonProse;
}
