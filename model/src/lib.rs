//! Types shared by the pyrace engine, its command-line tool and the web app:
//! what a run asks for, the events it streams back, and the statistics that
//! turn timing samples into honest numbers.

pub mod analysis;
pub mod blocks;
pub mod call_tree;
pub mod engines;
pub mod event;
pub mod flame_export;
pub mod growth;
pub mod hot_line;
pub mod icicle;
pub mod lesson;
pub mod limits;
pub mod line_profile;
mod lz_decode;
pub mod measurement;
pub mod memory_profile;
pub mod memory_verdict;
pub mod profile;
pub mod reference_spec;
pub mod request;
pub mod result;
pub mod result_check;
pub mod share;
pub mod statement_memory;
pub mod stats;
pub mod thread_calls;
pub mod timeline;
pub mod timing_source;
pub mod trace_profile;
pub mod units;
pub mod verdict;
pub mod warmup;
pub mod warnings;

pub use call_tree::{CallNode, CallTree, CallTreeBuilder, Frame};
pub use engines::EngineId;
pub use event::{OutputStream, PyError, PyErrorKind, RunEvent, RunStatus};
pub use growth::{Growth, GrowthClass};
pub use line_profile::{LineAggregator, LineProfile, LineStat};
pub use measurement::{Measurements, Series, SizeMeasurements};
pub use memory_profile::{MemoryProfile, MemorySource};
pub use memory_verdict::MemoryVerdict;
pub use profile::{Profile, ProfileRow, ProfileSort};
pub use request::{HarnessOptions, Mode, RunRequest, Sweep, ThreadMode, Variant};
pub use result::{Comparison, Ratio, SweepPoint, SweepSeries, VariantResult};
pub use result_check::{CheckedValue, ResultCheck};
pub use statement_memory::StatementMemory;
pub use stats::Summary;
pub use thread_calls::ThreadCalls;
pub use timeline::{GilOverhead, Span, ThreadState, ThreadTrack, Timeline, TrackKind};
pub use trace_profile::TraceProfile;
pub use verdict::{Ranked, Standing, Verdict};
pub use warnings::{Warning, WarningKind};
