//! Lessons: one Markdown file each, parsed into a run request, the claims it
//! makes about the result, and the CPython figures it was written against.
//!
//! ````text
//! ---
//! title: Membership: list vs set
//! topic: data structures
//! tags: hashing, membership
//! mode: sweep
//! sweep: n=100,1000,10000
//! ---
//! Prose in Markdown.
//!
//! ```python setup
//! L = list(range(n)); S = set(L)
//! ```
//! ```python variant=list
//! -1 in L
//! ```
//! ```python variant=set
//! -1 in S
//! ```
//! expect: set faster than list by >= 20x at n=10000
//! expect: growth list O(n)
//! expect: growth list exponent >= 0.8
//!
//! ```cpython
//! version: CPython 3.11.7
//! machine: 2-core x86_64 Linux VM
//! list: 43.2 µs
//! set: 21.5 ns
//! growth list: O(n)
//! ```
//! ````
//!
//! Claims on memory read the peak each engine measures of one execution
//! of a timed statement, net of its setup (`statement_memory`):
//! `expect: list peak >= 10x generator [at n=N]`, `expect: generator peak
//! <= 64 KiB [at n=N]` (or `>=`; B, kB, MB, GB, KiB, MiB, GiB) and, in a
//! sweep, `expect: memory growth list O(n) [or …]`. The `cpython` block
//! records them as `list peak: 405 kB` and `memory growth list: O(n)`.
//!
//! `mode: run` with `profile: lines` opens the lesson in Run mode with the
//! line profiler on: each variant runs once as a program, traced, and
//! `expect: hottest line in slow "if i not in seen"` says where its time
//! goes: the function with the most time of its own, and in it the line
//! with the most seconds, starts with that code (`hot_line`). The
//! `cpython` block records it as `hottest line slow: if i not in seen:`.
//! `pyrace lesson FILE --python python3` prints the block to paste.
//!
//! Front matter may add `same_result: last line` (or `same_result: NAME`):
//! the run checks, before timing, that every variant gives the same value
//! (`model::result_check`), and the lessons test requires that it does.
//!
//! A `python variant=NAME setup` block is that variant's own setup, and
//! `python variant=NAME threads=gil` (or `threads=free`) runs that variant
//! in the given thread mode whatever the run's mode is. Other fenced blocks
//! are prose. A file with any mistake is refused as a whole,
//! with its file, line and reason.
//!
//! The rooms: this file holds the format's types; `parser` reads a file,
//! `claims` the `expect:` lines and how they are checked, `reference` the
//! recorded CPython figures.

mod claims;
mod parser;
mod reference;
mod resource_claims;
mod run_figures;

#[cfg(test)]
mod resource_tests;
#[cfg(test)]
mod tests;

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::request::{HarnessOptions, Mode, RunRequest, Sweep, Variant};

pub use claims::{Bound, Claim, ClaimKind, Figures, GrowthFigure, Verdict, parse_claim};
pub use parser::parse;
pub use reference::Reference;
pub use run_figures::RunFigures;

/// Why a lesson file was refused, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LessonError {
    pub file: String,
    /// 1-based; 0 when the problem is the file as a whole.
    pub line: usize,
    pub reason: String,
}

impl fmt::Display for LessonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line == 0 {
            write!(f, "{}: {}", self.file, self.reason)
        } else {
            write!(f, "{}:{}: {}", self.file, self.line, self.reason)
        }
    }
}

impl std::error::Error for LessonError {}

/// A parsed lesson.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Lesson {
    pub title: String,
    pub topic: String,
    pub tags: Vec<String>,
    /// `Compare`, `Sweep` or `Program`; or `Run` with `profile`: a lesson
    /// always measures something.
    pub mode: Mode,
    /// Wall-clock budget the lesson asks for, when the default is too short.
    pub budget: Option<f64>,
    pub sweep: Option<Sweep>,
    /// The same-result check the lesson asks for: `""` compares each
    /// variant's last line, else the named value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub same_result: Option<String>,
    /// `profile: lines`: each variant runs once as a program under the
    /// line tracer (lines, calls and memory), as Run mode's Profile does.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub profile: bool,
    /// The Markdown without the blocks and lines parsed into the fields below.
    pub prose: String,
    pub setup: String,
    pub variants: Vec<Variant>,
    pub claims: Vec<Claim>,
    pub reference: Option<Reference>,
}

impl Lesson {
    /// The run request of this lesson, with `options` for the harness knobs
    /// the lesson does not set itself.
    pub fn request(&self, options: HarnessOptions) -> RunRequest {
        RunRequest {
            run_id: 1,
            mode: self.mode,
            setup: self.setup.clone(),
            variants: self.variants.clone(),
            options: HarnessOptions {
                budget: self.budget.unwrap_or(options.budget),
                sweep: self.sweep.clone(),
                check_result: self.same_result.clone().or(options.check_result),
                trace_lines: self.profile || options.trace_lines,
                memory: self.profile || options.memory,
                ..options
            },
        }
    }
}
