//! The run slice's view of one run: what the engine's `RunEvent`s have told
//! so far (samples as they arrive, each variant's result, output per pane,
//! errors, timelines, profiles, line traces and memory), folded in one event at a time.

use std::collections::BTreeMap;

use pyrace_model::LineStat;
use pyrace_model::limits;
use pyrace_model::timeline::Timeline;
use pyrace_model::{
    Comparison, GilOverhead, HarnessOptions, MemoryProfile, Mode, Profile, PyError, ResultCheck,
    RunEvent, RunStatus, TraceProfile, VariantResult,
};

/// Text written to one console, its tail kept when it grows too long.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Output {
    pub text: String,
    /// Earlier text was dropped to stay under the cap.
    pub truncated: bool,
}

impl Output {
    fn push(&mut self, text: &str) {
        self.text.push_str(text);
        if self.text.len() > limits::MAX_OUTPUT_CHARS {
            let mut cut = self.text.len() - limits::MAX_OUTPUT_CHARS;
            while !self.text.is_char_boundary(cut) {
                cut += 1;
            }
            self.text.drain(..cut);
            self.truncated = true;
        }
    }
}

/// Whether a run is still going.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Phase {
    Running,
    Finished { status: RunStatus, elapsed: f64 },
}

/// The current run as the events have told it so far.
#[derive(Debug, Clone, PartialEq)]
pub struct RunView {
    pub id: u64,
    pub mode: Mode,
    pub phase: Phase,
    /// The engine's own name for itself, from `Started`.
    pub engine: Option<String>,
    /// Pane key and the variant name it was sent as.
    pub panes: Vec<(u32, String)>,
    /// Each variant's code as it was sent, by name: what the engines' note
    /// reads, whatever the panes hold since.
    pub codes: Vec<(String, String)>,
    pub options: HarnessOptions,
    /// Output written outside any variant of the run.
    pub output: Output,
    /// Output of each variant, by the name it ran as.
    pub outputs: BTreeMap<String, Output>,
    /// Raw seconds per loop per variant, with their size of `n`, as they arrive.
    pub samples: BTreeMap<String, Vec<(Option<u64>, f64)>>,
    pub loops: BTreeMap<String, u64>,
    /// The size being measured now, in a sweep.
    pub current_n: Option<u64>,
    pub rounds_seen: u32,
    pub done: BTreeMap<String, VariantResult>,
    pub variant_errors: BTreeMap<String, PyError>,
    /// An error of the run as a whole (e.g. the shared setup raised).
    pub run_error: Option<PyError>,
    pub comparison: Option<Comparison>,
    /// What each variant's threads did, from programs run as a whole.
    pub timelines: BTreeMap<String, Timeline>,
    /// Each variant's `cProfile` figures, from profiled runs.
    pub profiles: BTreeMap<String, Profile>,
    /// Each variant's lines and call tree, from runs with the line tracer.
    pub traces: BTreeMap<String, TraceProfile>,
    /// What each variant's program allocated, from runs that measured it.
    pub memory: BTreeMap<String, MemoryProfile>,
    /// What GIL mode's switching hook costs on this engine, when the run
    /// used GIL mode.
    pub gil_overhead: Option<GilOverhead>,
    /// The same-result check, when the run asked for it.
    pub result_check: Option<ResultCheck>,
}

impl RunView {
    pub(super) fn new(
        id: u64,
        mode: Mode,
        panes: Vec<(u32, String)>,
        options: HarnessOptions,
    ) -> Self {
        RunView {
            id,
            mode,
            phase: Phase::Running,
            engine: None,
            panes,
            codes: Vec::new(),
            options,
            output: Output::default(),
            outputs: BTreeMap::new(),
            samples: BTreeMap::new(),
            loops: BTreeMap::new(),
            current_n: None,
            rounds_seen: 0,
            done: BTreeMap::new(),
            variant_errors: BTreeMap::new(),
            run_error: None,
            comparison: None,
            timelines: BTreeMap::new(),
            profiles: BTreeMap::new(),
            traces: BTreeMap::new(),
            memory: BTreeMap::new(),
            gil_overhead: None,
            result_check: None,
        }
    }

    pub fn running(&self) -> bool {
        self.phase == Phase::Running
    }

    /// The name the pane was run as, if it took part.
    pub fn name_of(&self, key: u32) -> Option<&str> {
        self.panes
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, name)| name.as_str())
    }

    /// The final or, while running, the latest figures of a variant.
    /// Every variant's result so far: the comparison's, or those done.
    pub fn results(&self) -> Vec<VariantResult> {
        self.comparison
            .as_ref()
            .map(|c| c.variants.clone())
            .unwrap_or_else(|| self.done.values().cloned().collect())
    }

    pub fn result_of(&self, name: &str) -> Option<&VariantResult> {
        self.comparison
            .as_ref()
            .and_then(|c| c.variant(name))
            .or_else(|| self.done.get(name))
    }

    /// Samples of a variant at the size shown (the last size measured).
    pub fn samples_of(&self, name: &str) -> Vec<f64> {
        let shown_n = self.result_of(name).map_or(self.current_n, |r| r.n);
        self.samples
            .get(name)
            .map(|all| {
                all.iter()
                    .filter(|(n, _)| *n == shown_n)
                    .map(|(_, s)| *s)
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The error that concerns a part of the request: `setup`, a variant's
    /// name or `<name> setup`.
    pub fn error_in(&self, part: &str) -> Option<&PyError> {
        let concerns = |e: &&PyError| e.part.as_deref() == Some(part);
        self.run_error
            .as_ref()
            .filter(concerns)
            .or_else(|| self.variant_errors.values().find(concerns))
    }

    /// The line tracer's figures of the lines of a variant's own code. The
    /// engines name the program's file differently (RustPython by the
    /// variant's name, CPython `<name>` as its tracebacks do): both are its.
    pub fn program_lines(&self, name: &str) -> Vec<&LineStat> {
        let Some(trace) = self.traces.get(name) else {
            return Vec::new();
        };
        let bracketed = format!("<{name}>");
        trace
            .lines
            .in_source_order()
            .into_iter()
            .filter(|l| l.file == name || l.file == bracketed)
            .collect()
    }

    /// What a variant's code wrote, if anything.
    pub fn output_of(&self, name: &str) -> Option<&Output> {
        self.outputs.get(name)
    }

    fn push_output(&mut self, variant: Option<String>, text: &str) {
        // A name the run did not send has no pane to show it: the run's
        // console keeps it rather than losing it.
        match variant.filter(|v| self.panes.iter().any(|(_, name)| name == v)) {
            Some(variant) => self.outputs.entry(variant).or_default().push(text),
            None => self.output.push(text),
        }
    }

    pub(super) fn apply(&mut self, event: RunEvent) {
        match event {
            RunEvent::Started { engine, .. } => self.engine = Some(engine),
            RunEvent::Output { text, variant, .. } => self.push_output(variant, &text),
            RunEvent::Calibrated {
                variant, n, loops, ..
            } => {
                self.loops.insert(variant, loops);
                self.current_n = n;
            }
            RunEvent::Sample {
                variant,
                n,
                round,
                seconds_per_loop,
                ..
            } => {
                self.current_n = n;
                self.rounds_seen = self.rounds_seen.max(round + 1);
                self.samples
                    .entry(variant)
                    .or_default()
                    .push((n, seconds_per_loop));
            }
            RunEvent::VariantDone { result, .. } => {
                self.done.insert(result.name.clone(), result);
            }
            RunEvent::VariantError { variant, error, .. } => {
                self.variant_errors.insert(variant, error);
            }
            RunEvent::Result { comparison, .. } => self.comparison = Some(comparison),
            RunEvent::Timeline {
                variant, timeline, ..
            } => {
                self.timelines.insert(variant, timeline);
            }
            RunEvent::Profile {
                variant, profile, ..
            } => {
                self.profiles.insert(variant, profile);
            }
            RunEvent::GilOverhead { overhead, .. } => self.gil_overhead = Some(overhead),
            RunEvent::ResultCheck { check, .. } => self.result_check = Some(check),
            // The CLI's native CPython figures; the app has its own engine.
            RunEvent::Reference { .. } => {}
            RunEvent::Traced {
                variant, profile, ..
            } => {
                self.traces.insert(variant, profile);
            }
            RunEvent::Memory {
                variant, memory, ..
            } => {
                self.memory.insert(variant, memory);
            }
            RunEvent::Error { error, .. } => self.run_error = Some(error),
            RunEvent::Finished {
                status, elapsed, ..
            } => self.phase = Phase::Finished { status, elapsed },
        }
    }
}
