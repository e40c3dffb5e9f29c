//! The app's components, in rooms of one concept each: `panes` (the setup
//! and variant panes, their editor, errors and run), `output`, `results`
//! (the panel, table, verdict, timing cards), `charts` (bars, samples,
//! sweeps, and their scale), `timeline` (Gantt charts of threads, tasks and
//! processes), `thread_mode`, `engine` (an engine's status, the "CPython
//! too" switch), `lesson`, `share` (links, files, export, the Share
//! dialog), `card` (the result card), `embed` (the compact embed and its
//! snippet), `top_bar`; the profile's views; `series` (a variant's colour).
//! Rooms hold their pure parts too (scales, embed options, a Gantt view,
//! the card's words, the export, the lesson catalog), which build and test
//! natively; the components exist only in the browser.

pub mod card;
pub mod charts;
pub mod embed;
pub mod lesson;
pub mod share;
pub mod timeline;

browser_only! {
    mod engine;
    mod output;
    mod panes;
    mod profile;
    mod profile_table;
    mod profile_toggle;
    mod profile_views;
    mod results;
    mod series;
    mod thread_mode;
    mod top_bar;

    pub use embed::EmbedRoot;
    pub use lesson::LessonProse;
    pub use output::OutputConsole;
    pub use panes::{SetupPane, VariantPanes};
    pub use results::ResultsPanel;
    pub use share::LinkNotice;
    pub use top_bar::TopBar;

    pub(crate) use crate::hooks::{use_draft, use_engines, use_handle, use_link, use_runs};
    use series::{series_index, use_series};
}
