//! Events a run streams back, in order: the same values the CLI prints with
//! `--json` and the browser engine posts to the app.

use serde::{Deserialize, Serialize};

use crate::memory_profile::MemoryProfile;
use crate::profile::Profile;
use crate::result::{Comparison, VariantResult};
use crate::result_check::ResultCheck;
use crate::timeline::{GilOverhead, Timeline};
use crate::trace_profile::TraceProfile;

/// One thing that happened during a run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum RunEvent {
    Started {
        run_id: u64,
        engine: String,
        variants: Vec<String>,
    },
    /// Text a program wrote, in the order written.
    Output {
        run_id: u64,
        stream: OutputStream,
        text: String,
        /// The variant whose code wrote it, when one was running.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        variant: Option<String>,
    },
    /// The harness settled on a loop count for a variant (at size `n`, in a sweep).
    Calibrated {
        run_id: u64,
        variant: String,
        n: Option<u64>,
        loops: u64,
    },
    /// One timing sample: seconds per loop, before baseline subtraction.
    Sample {
        run_id: u64,
        variant: String,
        n: Option<u64>,
        round: u32,
        seconds_per_loop: f64,
    },
    /// A variant has its final figures (also part of `Result`).
    VariantDone { run_id: u64, result: VariantResult },
    /// A variant failed; the others go on.
    VariantError {
        run_id: u64,
        variant: String,
        error: PyError,
    },
    /// The comparison's figures.
    Result { run_id: u64, comparison: Comparison },
    /// What the threads of a variant's program did over its run.
    Timeline {
        run_id: u64,
        variant: String,
        timeline: Timeline,
    },
    /// A variant's program as `cProfile` saw it (runs asked to profile).
    Profile {
        run_id: u64,
        variant: String,
        profile: Profile,
    },
    /// A variant's program as the line tracer saw it: its lines and its
    /// call tree (runs asked for `trace_lines`), up to where it raised or
    /// was stopped.
    Traced {
        run_id: u64,
        variant: String,
        profile: TraceProfile,
    },
    /// What a variant's program allocated (runs asked for `memory`).
    Memory {
        run_id: u64,
        variant: String,
        memory: MemoryProfile,
    },
    /// What GIL mode's switching hook costs on this engine, measured before
    /// the first run that uses GIL mode.
    GilOverhead { run_id: u64, overhead: GilOverhead },
    /// The variants' results after their untimed first run, compared
    /// (runs that asked for it, before their timing).
    ResultCheck { run_id: u64, check: ResultCheck },
    /// The run failed as a whole (a program raised, the setup is invalid…).
    Error { run_id: u64, error: PyError },
    /// The same comparison measured by the same method under CPython
    /// (`pyrace compare --python`), after pyrace's own measuring so that
    /// the two never share the cores; before `Finished`.
    Reference {
        run_id: u64,
        comparison: Comparison,
        /// The variants that failed under CPython, by name.
        #[serde(default)]
        errors: std::collections::BTreeMap<String, PyError>,
    },
    /// Always the last event of a run.
    Finished {
        run_id: u64,
        status: RunStatus,
        elapsed: f64,
    },
}

impl RunEvent {
    /// The run this event belongs to.
    pub fn run_id(&self) -> u64 {
        match self {
            RunEvent::Started { run_id, .. }
            | RunEvent::Output { run_id, .. }
            | RunEvent::Calibrated { run_id, .. }
            | RunEvent::Sample { run_id, .. }
            | RunEvent::VariantDone { run_id, .. }
            | RunEvent::VariantError { run_id, .. }
            | RunEvent::Result { run_id, .. }
            | RunEvent::Timeline { run_id, .. }
            | RunEvent::Profile { run_id, .. }
            | RunEvent::Traced { run_id, .. }
            | RunEvent::Memory { run_id, .. }
            | RunEvent::GilOverhead { run_id, .. }
            | RunEvent::ResultCheck { run_id, .. }
            | RunEvent::Error { run_id, .. }
            | RunEvent::Reference { run_id, .. }
            | RunEvent::Finished { run_id, .. } => *run_id,
        }
    }
}

impl RunEvent {
    /// The closing pair of a run an engine refused or could not start:
    /// an `EngineError` saying why, then `Finished` with `status` (failed,
    /// or stopped when Stop came first). Whoever ends such a run (the app,
    /// for either engine) ends it with these, so every pane reads it alike.
    pub fn refused(run_id: u64, reason: &str, status: RunStatus) -> [RunEvent; 2] {
        [
            RunEvent::Error {
                run_id,
                error: PyError {
                    kind: PyErrorKind::Request,
                    exc_type: "EngineError".to_owned(),
                    message: reason.to_owned(),
                    part: None,
                    line: None,
                    column: None,
                    traceback: String::new(),
                },
            },
            RunEvent::Finished {
                run_id,
                status,
                elapsed: 0.0,
            },
        ]
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OutputStream {
    Stdout,
    Stderr,
}

/// How a run ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RunStatus {
    Ok,
    /// Python raised, or a variant failed.
    Failed,
    /// Stopped by a timeout or by the person.
    Stopped,
}

/// A Python error, described well enough to point at the line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PyError {
    pub kind: PyErrorKind,
    /// The exception type, e.g. `SyntaxError`, `KeyError`.
    pub exc_type: String,
    pub message: String,
    /// Which part of the request the error is in: `setup`, a variant's name,
    /// or `<name> setup`.
    pub part: Option<String>,
    /// 1-based line within that part.
    pub line: Option<u32>,
    /// 1-based column within that line.
    pub column: Option<u32>,
    /// The formatted traceback, as Python prints it.
    pub traceback: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PyErrorKind {
    /// The code does not compile.
    Syntax,
    /// The code raised while running.
    Exception,
    /// The code ran past its time limit and was stopped.
    Timeout,
    /// The request itself is unusable (no variants, duplicate names…).
    Request,
    /// The engine itself failed (a trap, a panic, memory exhausted) and was
    /// restarted; the program did nothing wrong that Python could report.
    Crash,
}

impl std::fmt::Display for PyError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if let Some(part) = &self.part {
            write!(f, "in {part}")?;
            if let Some(line) = self.line {
                write!(f, ", line {line}")?;
                if let Some(col) = self.column {
                    write!(f, ", column {col}")?;
                }
            }
            write!(f, ": ")?;
        }
        write!(f, "{}: {}", self.exc_type, self.message)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::profile::ProfileRow;

    fn round_trip(event: &RunEvent) -> serde_json::Value {
        let json = serde_json::to_value(event).unwrap();
        let back: RunEvent = serde_json::from_value(json.clone()).unwrap();
        assert_eq!(&back, event);
        json
    }

    #[test]
    fn a_profile_event_carries_pstats_columns() {
        let event = RunEvent::Profile {
            run_id: 7,
            variant: "slow".into(),
            profile: Profile {
                rows: vec![ProfileRow {
                    file: "slow".into(),
                    line: 3,
                    function: "dedupe".into(),
                    ncalls: 2,
                    primitive_calls: 1,
                    tottime: 0.25,
                    cumtime: 0.5,
                }],
            },
        };
        let json = round_trip(&event);
        assert_eq!(json["event"], "profile");
        assert_eq!(json["profile"]["rows"][0]["function"], "dedupe");
        assert_eq!(json["profile"]["rows"][0]["primitive_calls"], 1);
        assert_eq!(event.run_id(), 7);
    }

    #[test]
    fn traced_and_memory_events_round_trip() {
        let mut calls = crate::call_tree::CallTreeBuilder::default();
        calls.enter(&crate::call_tree::Frame::new("<module>", "prog", 1), 0.0);
        let profile = TraceProfile {
            tracer: "sys.monitoring".into(),
            hook_seconds: 2e-7,
            hook_share: Some(0.9),
            lines: crate::line_profile::LineAggregator::default().finish(1.0),
            threads: vec![crate::thread_calls::ThreadCalls {
                name: "MainThread".into(),
                ident: 1,
                main: true,
                calls: calls.finish(1.0),
            }],
        };
        let json = round_trip(&RunEvent::Traced {
            run_id: 2,
            variant: "prog".into(),
            profile,
        });
        assert_eq!(json["event"], "traced");
        assert_eq!(
            json["profile"]["threads"][0]["calls"]["nodes"][0]["inclusive"],
            1.0
        );
        let json = round_trip(&RunEvent::Memory {
            run_id: 2,
            variant: "prog".into(),
            memory: MemoryProfile {
                source: crate::memory_profile::MemorySource::Tracemalloc,
                peak_bytes: 10,
                allocated_bytes: None,
                allocations: None,
                retained_bytes: 0,
            },
        });
        assert_eq!(json["event"], "memory");
        assert_eq!(json["memory"]["peak_bytes"], 10);
    }

    #[test]
    fn a_gil_overhead_event_carries_the_paired_figures() {
        let event = RunEvent::GilOverhead {
            run_id: 3,
            overhead: GilOverhead {
                plain: 0.010,
                hooked: 0.013,
                ratio: 1.3,
                ratio_low: 1.2,
                ratio_high: 1.4,
                rounds: 9,
            },
        };
        let json = round_trip(&event);
        assert_eq!(json["event"], "gil_overhead");
        assert_eq!(json["overhead"]["ratio"], 1.3);
        assert_eq!(event.run_id(), 3);
    }

    #[test]
    fn a_timeline_without_a_mode_reads_as_free_threaded() {
        let json = r#"{"event":"timeline","run_id":1,"variant":"v",
            "timeline":{"duration":1.0,"threads":[]}}"#;
        let RunEvent::Timeline { timeline, .. } = serde_json::from_str(json).unwrap() else {
            panic!("a timeline event")
        };
        assert_eq!(timeline.mode, crate::request::ThreadMode::Free);
    }
}
