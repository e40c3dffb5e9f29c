//! The results: the panel (`panel`) with the comparison in words
//! (`verdict_line`), the table (`table`), memory beside time
//! (`memory_table`), the note when the engines
//! disagree (`engine_note`), results that came with a link (`shared_results`),
//! and each variant's timing at the foot of its pane (`timing_card`).

mod engine_note;
mod memory_table;
mod panel;
mod shared_results;
mod table;
mod timing_card;
mod verdict_line;

pub use panel::ResultsPanel;
pub use timing_card::TimingCard;
