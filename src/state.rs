//! The playground's state and the one reducer that changes it: what a person
//! typed (the `Draft`, saved locally), the engine's status, and the run in
//! progress or last finished, fed by the engine's `RunEvent`s. Events of any
//! run but the current one are dropped here, so a stopped run's stragglers
//! can never overwrite a newer result.

use std::collections::BTreeMap;

use pyrace_model::engines::EngineId;
use pyrace_model::lesson::Lesson;
use pyrace_model::share::{ResultsSnapshot, SharedOptions, SharedState, SharedVariant};
use pyrace_model::timeline::Timeline;
use pyrace_model::{
    Comparison, GilOverhead, HarnessOptions, Mode, Profile, PyError, PyErrorKind, ResultCheck,
    RunEvent, RunRequest, RunStatus, Sweep, ThreadMode, Variant, VariantResult,
};
use serde::{Deserialize, Serialize};

/// Most variants side by side: beyond six the panes get too narrow to read.
pub const MAX_PANES: usize = 6;
/// Switch intervals offered: from CPython's finest useful step to far
/// coarser than its 5 ms default.
pub const MIN_SWITCH_INTERVAL: f64 = 0.000_1;
pub const MAX_SWITCH_INTERVAL: f64 = 0.1;
/// Output kept per console (a pane's, or the run's untagged one): a print
/// loop shows its tail instead of growing without end.
const MAX_OUTPUT_CHARS: usize = 100_000;

/// What Run does with the panes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PlayMode {
    /// Time each variant's statement.
    Compare,
    /// Time each variant over sizes of `n` and fit growth.
    Sweep,
    /// Run each variant once as a program, output first.
    Run,
    /// Time complete runs of each variant's program.
    Program,
}

impl PlayMode {
    pub const ALL: [PlayMode; 4] = [
        PlayMode::Compare,
        PlayMode::Sweep,
        PlayMode::Run,
        PlayMode::Program,
    ];

    pub fn label(self) -> &'static str {
        match self {
            PlayMode::Compare => "Compare",
            PlayMode::Sweep => "Sweep n",
            PlayMode::Run => "Run",
            PlayMode::Program => "Time programs",
        }
    }

    pub fn hint(self) -> &'static str {
        match self {
            PlayMode::Compare => "time each variant's statement, interleaved",
            PlayMode::Sweep => "time each variant over sizes of n and fit its growth",
            PlayMode::Run => "run each variant once as a program",
            PlayMode::Program => "time complete runs of each program",
        }
    }

    pub fn engine_mode(self) -> Mode {
        match self {
            PlayMode::Compare => Mode::Compare,
            PlayMode::Sweep => Mode::Sweep,
            PlayMode::Run => Mode::Run,
            PlayMode::Program => Mode::Program,
        }
    }

    pub fn of(mode: Mode) -> PlayMode {
        match mode {
            Mode::Compare => PlayMode::Compare,
            Mode::Sweep => PlayMode::Sweep,
            Mode::Run => PlayMode::Run,
            Mode::Program => PlayMode::Program,
        }
    }

    /// True when the mode produces timings (and not only output).
    pub fn timed(self) -> bool {
        self != PlayMode::Run
    }
}

/// One variant pane as typed. `key` stays with the pane through renames
/// and moves, so results and editors follow the right pane.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pane {
    pub key: u32,
    pub name: String,
    pub code: String,
    /// The variant's own setup, run after the shared one.
    #[serde(default)]
    pub setup: String,
    /// Overrides the draft's thread mode for this variant.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub thread_mode: Option<ThreadMode>,
}

/// The text of the panes as a lesson (or the default) put them there: what
/// tells whether loading another lesson would throw away edits.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaneTexts {
    pub setup: String,
    /// Name, code and own setup of each variant pane, in order.
    pub panes: Vec<(String, String, String)>,
}

/// Everything a person typed: saved locally and restored on reload.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Draft {
    pub mode: PlayMode,
    pub setup: String,
    pub panes: Vec<Pane>,
    /// `VAR=SIZE,SIZE,…` for sweeps.
    pub sweep: String,
    /// Seconds the harness may spend on one comparison.
    pub budget: f64,
    /// The lesson the panes came from, by id.
    pub lesson: Option<String>,
    pub next_key: u32,
    /// The panes as last loaded; saved with the draft so that edits made
    /// before a reload still count as edits.
    pub loaded: Option<PaneTexts>,
    /// How threads share the interpreter, for every pane without its own.
    pub thread_mode: ThreadMode,
    /// GIL mode's switch interval, in seconds.
    pub switch_interval: f64,
    /// Run mode runs each program under `cProfile`.
    pub profile: bool,
    /// Runs go to CPython too, after RustPython.
    pub cpython: bool,
    /// Before timing, check that the variants give the same result.
    pub same_result: bool,
    /// The name whose value is compared; empty: each variant's last line.
    pub same_result_name: String,
}

impl Default for Draft {
    fn default() -> Self {
        let mut draft = Draft {
            mode: PlayMode::Compare,
            setup: "L = list(range(1000))\nS = set(L)".to_owned(),
            panes: vec![
                Pane {
                    key: 1,
                    name: "list".to_owned(),
                    code: "-1 in L".to_owned(),
                    setup: String::new(),
                    thread_mode: None,
                },
                Pane {
                    key: 2,
                    name: "set".to_owned(),
                    code: "-1 in S".to_owned(),
                    setup: String::new(),
                    thread_mode: None,
                },
            ],
            sweep: "n=100,1000,10000".to_owned(),
            budget: HarnessOptions::default().budget,
            lesson: None,
            next_key: 3,
            loaded: None,
            thread_mode: ThreadMode::Free,
            switch_interval: HarnessOptions::default().switch_interval,
            profile: false,
            cpython: false,
            same_result: false,
            same_result_name: String::new(),
        };
        draft.loaded = Some(draft.pane_texts());
        draft
    }
}

/// Where the CPython engine is: it loads only once a person turns it on.
#[derive(Debug, Clone, PartialEq)]
pub enum CpythonState {
    Off,
    /// Downloading (bytes so far, of `total`) and starting.
    Loading {
        loaded: f64,
        total: f64,
    },
    /// Its name, e.g. `CPython 3.14.2 (Pyodide 314.0.8)`.
    Ready(String),
    Failed(String),
}

/// Where the engine is.
#[derive(Debug, Clone, PartialEq)]
pub enum EngineState {
    /// Downloading (bytes so far, of about `total`) and compiling.
    Loading {
        loaded: f64,
        total: f64,
    },
    Ready(EngineInfo),
    /// A run crashed or was stopped: the engine host is bringing up a fresh
    /// process, and Run waits until it is ready.
    Restarting(EngineInfo),
    Failed(String),
}

impl EngineState {
    /// What the engine can do, once it has started.
    pub fn info(&self) -> Option<&EngineInfo> {
        match self {
            EngineState::Ready(info) | EngineState::Restarting(info) => Some(info),
            EngineState::Loading { .. } | EngineState::Failed(_) => None,
        }
    }
}

/// What the engine can do on this page, shown beside every result.
#[derive(Debug, Clone, PartialEq)]
pub struct EngineInfo {
    /// Python threads run on their own workers (the page is cross-origin isolated).
    pub threads: bool,
    pub isolated: bool,
    /// Smallest step of `performance.now()` seen, in seconds.
    pub timer_resolution: f64,
}

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
        if self.text.len() > MAX_OUTPUT_CHARS {
            let mut cut = self.text.len() - MAX_OUTPUT_CHARS;
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
    pub mode: PlayMode,
    pub phase: Phase,
    /// The engine's own name for itself, from `Started`.
    pub engine: Option<String>,
    /// Pane key and the variant name it was sent as.
    pub panes: Vec<(u32, String)>,
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
    /// What GIL mode's switching hook costs on this engine, when the run
    /// used GIL mode.
    pub gil_overhead: Option<GilOverhead>,
    /// The same-result check, when the run asked for it.
    pub result_check: Option<ResultCheck>,
}

impl RunView {
    fn new(id: u64, mode: PlayMode, panes: Vec<(u32, String)>, options: HarnessOptions) -> Self {
        RunView {
            id,
            mode,
            phase: Phase::Running,
            engine: None,
            panes,
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

    fn apply(&mut self, event: RunEvent) {
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
            RunEvent::Error { error, .. } => self.run_error = Some(error),
            // The CLI's (`compare --python`): the playground's CPython
            // figures come from its CPython engine's own events.
            RunEvent::Reference { .. } => {}
            RunEvent::Finished {
                status, elapsed, ..
            } => self.phase = Phase::Finished { status, elapsed },
        }
    }
}

/// A run about to be sent to the engine.
#[derive(Debug, Clone, PartialEq)]
pub struct StartedRun {
    pub request: RunRequest,
    pub panes: Vec<(u32, String)>,
    /// Panes left out of the run, and why.
    pub problems: BTreeMap<u32, String>,
    /// The run goes to CPython too, after RustPython.
    pub cpython: bool,
}

/// The whole playground.
#[derive(Debug, Clone, PartialEq)]
pub struct Playground {
    pub draft: Draft,
    pub engine: EngineState,
    pub run: Option<RunView>,
    pub cpython: CpythonState,
    /// The current run's CPython part: running once RustPython's is done
    /// (the two never share the cores), `engine` unset until it starts.
    pub cpython_run: Option<RunView>,
    /// Problems found in the panes before the last run (empty, duplicate…).
    pub problems: BTreeMap<u32, String>,
    /// A problem with the sweep sizes, shown beside their field.
    pub sweep_problem: Option<String>,
    pub last_run_id: u64,
    /// Results recorded by whoever shared the open link or file, shown
    /// until a run here replaces them.
    pub shared_results: Option<ResultsSnapshot>,
    /// CPython's, beside them.
    pub shared_cpython_results: Option<ResultsSnapshot>,
    /// What became of the last link or file opened, shown above the panes.
    pub link_notice: Option<LinkNotice>,
    /// The draft an opened link replaced, until restored or dismissed.
    pub replaced: Option<Box<Draft>>,
}

/// The outcome of opening a shared state, as the page reports it.
#[derive(Debug, Clone, PartialEq)]
pub enum LinkNotice {
    /// Opened from a `link` or a `file`.
    Opened(&'static str),
    /// Not opened, and why (the whole sentence).
    Failed(String),
}

/// Everything that changes the playground.
#[derive(Debug, Clone)]
pub enum Action {
    SetMode(PlayMode),
    EditSetup(String),
    EditCode {
        key: u32,
        code: String,
    },
    EditPaneSetup {
        key: u32,
        setup: String,
    },
    Rename {
        key: u32,
        name: String,
    },
    AddPane,
    RemovePane(u32),
    DuplicatePane(u32),
    MovePane {
        key: u32,
        offset: isize,
    },
    SetSweep(String),
    SetBudget(f64),
    SetThreadMode(ThreadMode),
    /// A pane's own thread mode, or `None` to follow the draft's.
    SetPaneThreadMode {
        key: u32,
        mode: Option<ThreadMode>,
    },
    /// GIL mode's switch interval, in seconds.
    SetSwitchInterval(f64),
    SetProfile(bool),
    /// Check, before timing, that the variants give the same result.
    SetSameResult(bool),
    /// The name the same-result check compares (empty: the last line's value).
    SetSameResultName(String),
    /// Runs go to CPython too (which loads on first use).
    SetCpython(bool),
    CpythonProgress {
        loaded: f64,
        total: f64,
    },
    CpythonReady(String),
    CpythonFailed(String),
    /// An event of the current run's CPython part.
    CpythonEvent(Box<RunEvent>),
    LoadLesson {
        id: String,
        lesson: Box<Lesson>,
    },
    EngineProgress {
        loaded: f64,
        total: f64,
    },
    EngineReady(EngineInfo),
    /// The process the next run will use is ready (after any run).
    EngineRestarted,
    EngineFailed(String),
    /// Run refused before reaching the engine: nothing valid to run.
    Refused {
        problems: BTreeMap<u32, String>,
        sweep_problem: Option<String>,
    },
    Start(Box<StartedRun>),
    Event(Box<RunEvent>),
    /// A shared state (from a `link` or a `file`) replaces the panes.
    OpenShared {
        state: Box<SharedState>,
        source: &'static str,
    },
    /// A link or file could not be opened: the sentence that says why.
    OpenFailed(String),
    /// Puts back the draft the last opened link replaced.
    RestoreReplaced,
    DismissLinkNotice,
}

impl Action {
    /// Opening a share link's fragment: its state, or the sentence that
    /// says why it cannot be opened.
    pub fn open_link(fragment: &str) -> Action {
        match pyrace_model::share::decode(fragment) {
            Ok(state) => Action::OpenShared {
                state: Box::new(state),
                source: "link",
            },
            Err(e) => Action::OpenFailed(format!("This link could not be opened: {e}.")),
        }
    }

    /// Opening a `.pyrace.json` file's text.
    pub fn open_file(name: &str, text: &str) -> Action {
        match pyrace_model::share::from_json(text) {
            Ok(state) => Action::OpenShared {
                state: Box::new(state),
                source: "file",
            },
            Err(e) => Action::OpenFailed(format!("The file “{name}” could not be opened: {e}.")),
        }
    }
}

impl Playground {
    pub fn new(draft: Draft) -> Self {
        let cpython = if draft.cpython {
            CpythonState::Loading {
                loaded: 0.0,
                total: 0.0,
            }
        } else {
            CpythonState::Off
        };
        Playground {
            draft,
            engine: EngineState::Loading {
                loaded: 0.0,
                total: 0.0,
            },
            run: None,
            cpython,
            cpython_run: None,
            problems: BTreeMap::new(),
            sweep_problem: None,
            last_run_id: 0,
            shared_results: None,
            shared_cpython_results: None,
            link_notice: None,
            replaced: None,
        }
    }

    /// What a share link carries: the draft, and the results shown now
    /// (this page's last finished comparison, else the ones the open link
    /// brought, which keep their own date and engine) when `with_results`.
    pub fn shared_state(&self, with_results: bool, now: &str) -> SharedState {
        let mut state = self.draft.to_shared();
        if with_results {
            state.results = self.results_snapshot(now);
            state.cpython_results = self.cpython_snapshot(now);
        }
        state
    }

    /// CPython's results a link could carry, beside RustPython's.
    pub fn cpython_snapshot(&self, now: &str) -> Option<ResultsSnapshot> {
        match (&self.run, &self.cpython_run) {
            (Some(_), Some(run)) => run
                .comparison
                .as_ref()
                .filter(|c| !run.running() && !c.variants.is_empty())
                .map(|c| ResultsSnapshot::of(c, run.mode.engine_mode(), now)),
            (Some(_), None) => None,
            (None, _) => self.shared_cpython_results.clone(),
        }
    }

    /// The results a link could carry, if any are shown.
    pub fn results_snapshot(&self, now: &str) -> Option<ResultsSnapshot> {
        match &self.run {
            Some(run) => run
                .comparison
                .as_ref()
                .filter(|c| !run.running() && !c.variants.is_empty())
                .map(|c| ResultsSnapshot::of(c, run.mode.engine_mode(), now)),
            None => self.shared_results.clone(),
        }
    }

    /// A run is going on either engine.
    pub fn running(&self) -> bool {
        self.run.as_ref().is_some_and(RunView::running)
            || self.cpython_run.as_ref().is_some_and(RunView::running)
    }

    pub fn engine_ready(&self) -> bool {
        matches!(self.engine, EngineState::Ready(_))
    }

    /// Whether loading a lesson now would throw away what was typed.
    pub fn panes_edited(&self) -> bool {
        self.draft.loaded.as_ref() != Some(&self.draft.pane_texts())
    }

    /// Checks the panes and builds the next request, or says why nothing can run.
    pub fn prepare_run(&self) -> Result<StartedRun, Action> {
        let draft = &self.draft;
        let mut problems = BTreeMap::new();
        for pane in &draft.panes {
            let name = pane.name.trim();
            let problem = if name.is_empty() {
                Some("Give this variant a name.".to_owned())
            } else if draft
                .panes
                .iter()
                .any(|other| other.key != pane.key && other.name.trim() == name)
            {
                Some(format!(
                    "Another variant is also called “{name}”: names must differ."
                ))
            } else if pane.code.trim().is_empty() {
                Some(if draft.mode.timed() && draft.mode != PlayMode::Program {
                    "This variant is empty: write the statement to time.".to_owned()
                } else {
                    "This variant is empty: write a program to run.".to_owned()
                })
            } else {
                None
            };
            if let Some(problem) = problem {
                problems.insert(pane.key, problem);
            }
        }
        let sweep = if draft.mode == PlayMode::Sweep {
            match Sweep::parse(draft.sweep.trim()) {
                Ok(sweep) if !sweep.sizes.is_empty() => Some(sweep),
                Ok(_) => {
                    return Err(Action::Refused {
                        problems,
                        sweep_problem: Some("Give at least one size.".to_owned()),
                    });
                }
                Err(reason) => {
                    return Err(Action::Refused {
                        problems,
                        sweep_problem: Some(reason),
                    });
                }
            }
        } else {
            None
        };
        let runnable: Vec<&Pane> = draft
            .panes
            .iter()
            .filter(|pane| !problems.contains_key(&pane.key))
            .collect();
        if runnable.is_empty() {
            return Err(Action::Refused {
                problems,
                sweep_problem: None,
            });
        }
        let options = HarnessOptions {
            budget: draft.budget,
            sweep,
            thread_mode: draft.thread_mode,
            switch_interval: draft.switch_interval,
            profile: draft.profile && draft.mode == PlayMode::Run,
            check_result: (draft.same_result && draft.mode.timed())
                .then(|| draft.same_result_name.clone()),
            ..HarnessOptions::default()
        };
        let request = RunRequest {
            run_id: self.last_run_id + 1,
            mode: draft.mode.engine_mode(),
            setup: draft.setup.clone(),
            variants: runnable
                .iter()
                .map(|pane| Variant {
                    setup: pane.setup.clone(),
                    thread_mode: pane.thread_mode,
                    ..Variant::new(pane.name.trim(), pane.code.clone())
                })
                .collect(),
            options,
        };
        Ok(StartedRun {
            cpython: draft.cpython && !matches!(self.cpython, CpythonState::Failed(_)),
            panes: runnable
                .iter()
                .map(|pane| (pane.key, pane.name.trim().to_owned()))
                .collect(),
            request,
            problems,
        })
    }

    /// Applies one action.
    pub fn apply(&mut self, action: Action) {
        let draft = &mut self.draft;
        match action {
            Action::SetMode(mode) => draft.mode = mode,
            Action::EditSetup(setup) => draft.setup = setup,
            Action::EditCode { key, code } => {
                if let Some(pane) = draft.panes.iter_mut().find(|p| p.key == key) {
                    pane.code = code;
                }
            }
            Action::EditPaneSetup { key, setup } => {
                if let Some(pane) = draft.panes.iter_mut().find(|p| p.key == key) {
                    pane.setup = setup;
                }
            }
            Action::Rename { key, name } => {
                if let Some(pane) = draft.panes.iter_mut().find(|p| p.key == key) {
                    pane.name = name;
                }
            }
            Action::AddPane => {
                if draft.panes.len() < MAX_PANES {
                    let key = draft.take_key();
                    let name = draft.unused_name("variant");
                    draft.panes.push(Pane {
                        key,
                        name,
                        code: String::new(),
                        setup: String::new(),
                        thread_mode: None,
                    });
                }
            }
            Action::RemovePane(key) => {
                if draft.panes.len() > 1 {
                    draft.panes.retain(|p| p.key != key);
                }
            }
            Action::DuplicatePane(key) => {
                if draft.panes.len() < MAX_PANES
                    && let Some(at) = draft.panes.iter().position(|p| p.key == key)
                {
                    let mut copy = draft.panes[at].clone();
                    copy.key = draft.take_key();
                    copy.name = draft.unused_name(&format!("{} copy", copy.name.trim()));
                    draft.panes.insert(at + 1, copy);
                }
            }
            Action::MovePane { key, offset } => {
                if let Some(at) = draft.panes.iter().position(|p| p.key == key) {
                    let to = at.saturating_add_signed(offset);
                    if to < draft.panes.len() {
                        draft.panes.swap(at, to);
                    }
                }
            }
            Action::SetSweep(sweep) => draft.sweep = sweep,
            Action::SetBudget(budget) => draft.budget = budget.clamp(0.5, 60.0),
            Action::SetThreadMode(mode) => draft.thread_mode = mode,
            Action::SetPaneThreadMode { key, mode } => {
                if let Some(pane) = draft.panes.iter_mut().find(|p| p.key == key) {
                    pane.thread_mode = mode;
                }
            }
            Action::SetSwitchInterval(seconds) => {
                if seconds.is_finite() {
                    draft.switch_interval = seconds.clamp(MIN_SWITCH_INTERVAL, MAX_SWITCH_INTERVAL);
                }
            }
            Action::SetProfile(profile) => draft.profile = profile,
            Action::SetSameResult(on) => draft.same_result = on,
            Action::SetSameResultName(name) => draft.same_result_name = name.trim().to_owned(),
            Action::SetCpython(on) => {
                draft.cpython = on;
                if on && matches!(self.cpython, CpythonState::Off | CpythonState::Failed(_)) {
                    self.cpython = CpythonState::Loading {
                        loaded: 0.0,
                        total: 0.0,
                    };
                }
            }
            Action::CpythonProgress { loaded, total } => {
                if let CpythonState::Loading { .. } = self.cpython {
                    self.cpython = CpythonState::Loading { loaded, total };
                }
            }
            Action::CpythonReady(version) => self.cpython = CpythonState::Ready(version),
            Action::CpythonFailed(reason) => self.cpython = CpythonState::Failed(reason),
            Action::CpythonEvent(event) => {
                if let Some(run) = self
                    .cpython_run
                    .as_mut()
                    .filter(|run| run.id == event.run_id())
                {
                    run.apply(*event);
                }
            }
            Action::LoadLesson { id, lesson } => {
                let mut next = Draft {
                    mode: PlayMode::of(lesson.mode),
                    setup: lesson.setup.trim_end().to_owned(),
                    panes: Vec::new(),
                    sweep: lesson
                        .sweep
                        .as_ref()
                        .map(sweep_spec)
                        .unwrap_or_else(|| draft.sweep.clone()),
                    budget: lesson.budget.unwrap_or(HarnessOptions::default().budget),
                    lesson: Some(id),
                    next_key: draft.next_key,
                    loaded: None,
                    thread_mode: ThreadMode::Free,
                    switch_interval: draft.switch_interval,
                    profile: false,
                    cpython: draft.cpython,
                    // The lesson decides whether its variants must agree.
                    same_result: lesson.same_result.is_some(),
                    same_result_name: lesson.same_result.clone().unwrap_or_default(),
                };
                for variant in &lesson.variants {
                    let key = next.take_key();
                    next.panes.push(Pane {
                        key,
                        name: variant.name.clone(),
                        code: variant.code.trim_end().to_owned(),
                        setup: variant.setup.trim_end().to_owned(),
                        thread_mode: variant.thread_mode,
                    });
                }
                next.loaded = Some(next.pane_texts());
                *draft = next;
                self.shared_results = None;
                self.shared_cpython_results = None;
                self.problems.clear();
                self.sweep_problem = None;
                if !self.running() {
                    self.run = None;
                    self.cpython_run = None;
                }
            }
            Action::EngineProgress { loaded, total } => {
                if let EngineState::Loading { .. } = self.engine {
                    self.engine = EngineState::Loading { loaded, total };
                }
            }
            Action::EngineReady(info) => self.engine = EngineState::Ready(info),
            Action::EngineRestarted => {
                if let EngineState::Restarting(info) = &self.engine {
                    self.engine = EngineState::Ready(info.clone());
                }
            }
            Action::EngineFailed(reason) => self.engine = EngineState::Failed(reason),
            Action::Refused {
                problems,
                sweep_problem,
            } => {
                self.problems = problems;
                self.sweep_problem = sweep_problem;
            }
            Action::Start(started) => {
                let StartedRun {
                    request,
                    panes,
                    problems,
                    cpython,
                } = *started;
                self.last_run_id = request.run_id;
                self.shared_results = None;
                self.shared_cpython_results = None;
                self.problems = problems;
                self.sweep_problem = None;
                self.cpython_run = cpython.then(|| {
                    RunView::new(
                        request.run_id,
                        PlayMode::of(request.mode),
                        panes.clone(),
                        request.options.clone(),
                    )
                });
                self.run = Some(RunView::new(
                    request.run_id,
                    PlayMode::of(request.mode),
                    panes,
                    request.options,
                ));
            }
            Action::Event(event) => {
                // Only the current run's events count: a stopped or older
                // run may still be delivering its last batch.
                if let Some(run) = self.run.as_mut().filter(|run| run.id == event.run_id()) {
                    // A crash or a Stop ends the run's process; the host
                    // brings up a fresh one, which the next run waits for.
                    let restarts = matches!(
                        &*event,
                        RunEvent::Error { error, .. } if error.kind == PyErrorKind::Crash
                    ) || matches!(
                        &*event,
                        RunEvent::Finished {
                            status: RunStatus::Stopped,
                            ..
                        }
                    );
                    run.apply(*event);
                    if restarts && let EngineState::Ready(info) = &self.engine {
                        self.engine = EngineState::Restarting(info.clone());
                    }
                }
            }
            Action::OpenShared { state, source } => {
                let next = Draft::from_shared(&state, draft.next_key);
                // The link's state becomes the draft, as the person who
                // followed it expects; what it replaced stays restorable.
                if next.to_shared() != draft.to_shared() {
                    self.replaced = Some(Box::new(std::mem::replace(draft, next)));
                }
                self.shared_results = state.results;
                self.shared_cpython_results = state.cpython_results;
                if self.draft.cpython
                    && matches!(self.cpython, CpythonState::Off | CpythonState::Failed(_))
                {
                    self.cpython = CpythonState::Loading {
                        loaded: 0.0,
                        total: 0.0,
                    };
                }
                self.link_notice = Some(LinkNotice::Opened(source));
                self.problems.clear();
                self.sweep_problem = None;
                if !self.running() {
                    self.run = None;
                    self.cpython_run = None;
                }
            }
            Action::OpenFailed(message) => self.link_notice = Some(LinkNotice::Failed(message)),
            Action::RestoreReplaced => {
                if let Some(replaced) = self.replaced.take() {
                    self.draft = *replaced;
                    self.shared_results = None;
                    self.link_notice = None;
                    self.problems.clear();
                    self.sweep_problem = None;
                }
            }
            Action::DismissLinkNotice => {
                self.link_notice = None;
                self.replaced = None;
            }
        }
    }
}

impl Draft {
    /// The text of the panes, as `loaded` keeps it.
    pub fn pane_texts(&self) -> PaneTexts {
        PaneTexts {
            setup: self.setup.clone(),
            panes: self
                .panes
                .iter()
                .map(|p| (p.name.clone(), p.code.clone(), p.setup.clone()))
                .collect(),
        }
    }

    /// The draft as a share link carries it.
    pub fn to_shared(&self) -> SharedState {
        SharedState {
            version: pyrace_model::share::VERSION,
            mode: self.mode.engine_mode(),
            setup: self.setup.clone(),
            variants: self
                .panes
                .iter()
                .map(|p| SharedVariant {
                    name: p.name.clone(),
                    setup: p.setup.clone(),
                    code: p.code.clone(),
                    thread_mode: p.thread_mode,
                })
                .collect(),
            sweep: self.sweep.clone(),
            options: SharedOptions {
                budget: Some(self.budget),
                // The free-threaded default and the default interval stay
                // out of the link, keeping it short.
                thread_mode: (self.thread_mode != ThreadMode::Free).then_some(self.thread_mode),
                switch_interval: (self.switch_interval
                    != HarnessOptions::default().switch_interval)
                    .then_some(self.switch_interval),
            },
            lesson: self.lesson.clone(),
            results: None,
            engines: if self.cpython {
                vec![EngineId::Cpython]
            } else {
                Vec::new()
            },
            cpython_results: None,
        }
    }

    /// The share-link fragment (without `#`) of the draft, without results.
    pub fn to_fragment(&self) -> Result<String, pyrace_model::share::ShareError> {
        pyrace_model::share::encode(&self.to_shared())
    }

    /// The draft a shared state opens as, its panes keyed from `next_key`
    /// on so they never take the key of a pane still on screen.
    pub fn from_shared(shared: &SharedState, next_key: u32) -> Draft {
        let defaults = Draft::default();
        let mut draft = Draft {
            mode: PlayMode::of(shared.mode),
            setup: shared.setup.clone(),
            panes: Vec::new(),
            sweep: if shared.sweep.is_empty() {
                defaults.sweep
            } else {
                shared.sweep.clone()
            },
            budget: shared
                .options
                .budget
                .unwrap_or(defaults.budget)
                .clamp(0.5, 60.0),
            lesson: shared.lesson.clone(),
            next_key,
            loaded: None,
            thread_mode: shared.options.thread_mode.unwrap_or_default(),
            switch_interval: shared
                .options
                .switch_interval
                .unwrap_or(defaults.switch_interval)
                .clamp(0.0001, 1.0),
            profile: false,
            cpython: shared.engines.contains(&EngineId::Cpython),
            same_result: false,
            same_result_name: String::new(),
        };
        for variant in shared.variants.iter().take(MAX_PANES) {
            let key = draft.take_key();
            draft.panes.push(Pane {
                key,
                name: variant.name.clone(),
                code: variant.code.clone(),
                setup: variant.setup.clone(),
                thread_mode: variant.thread_mode,
            });
        }
        let mut draft = draft.repaired();
        draft.loaded = Some(draft.pane_texts());
        draft
    }

    fn take_key(&mut self) -> u32 {
        let key = self
            .next_key
            .max(self.panes.iter().map(|p| p.key + 1).max().unwrap_or(1));
        self.next_key = key + 1;
        key
    }

    /// `base`, or `base 2`, `base 3`… whichever no pane has yet.
    fn unused_name(&self, base: &str) -> String {
        let taken = |name: &str| self.panes.iter().any(|p| p.name.trim() == name);
        if !taken(base) {
            return base.to_owned();
        }
        (2..)
            .map(|i| format!("{base} {i}"))
            .find(|name| !taken(name))
            .expect("some suffix is free")
    }

    /// A draft read back from storage, repaired where it would break the page.
    pub fn repaired(mut self) -> Draft {
        if self.panes.is_empty() {
            self.panes = Draft::default().panes;
        }
        self.panes.truncate(MAX_PANES);
        let mut seen = std::collections::BTreeSet::new();
        for pane in &mut self.panes {
            if !seen.insert(pane.key) {
                pane.key = 0;
            }
        }
        let mut next = self.panes.iter().map(|p| p.key + 1).max().unwrap_or(1);
        for pane in &mut self.panes {
            if pane.key == 0 {
                pane.key = next;
                next += 1;
            }
        }
        self.next_key = self.next_key.max(next);
        if !(self.budget.is_finite() && self.budget > 0.0) {
            self.budget = HarnessOptions::default().budget;
        }
        self
    }
}

/// `n=10,100,1000` from a sweep.
pub fn sweep_spec(sweep: &Sweep) -> String {
    let sizes: Vec<String> = sweep.sizes.iter().map(u64::to_string).collect();
    format!("{}={}", sweep.var, sizes.join(","))
}

#[cfg(test)]
mod tests {
    use super::*;
    use pyrace_model::OutputStream;

    fn error(part: &str, line: u32) -> PyError {
        PyError {
            kind: PyErrorKind::Syntax,
            exc_type: "SyntaxError".into(),
            message: "invalid syntax".into(),
            part: Some(part.into()),
            line: Some(line),
            column: None,
            traceback: String::new(),
        }
    }

    fn started(playground: &mut Playground) -> u64 {
        let run = playground.prepare_run().expect("the default draft runs");
        let id = run.request.run_id;
        playground.apply(Action::Start(Box::new(run)));
        id
    }

    #[test]
    fn events_of_older_runs_are_dropped() {
        let mut playground = Playground::new(Draft::default());
        let first = started(&mut playground);
        let second = started(&mut playground);
        assert_eq!(second, first + 1);
        for run_id in [first, second] {
            playground.apply(Action::Event(Box::new(RunEvent::Output {
                run_id,
                stream: OutputStream::Stdout,
                text: format!("from {run_id}\n"),
                variant: None,
            })));
        }
        let run = playground.run.as_ref().unwrap();
        assert_eq!(run.output.text, format!("from {second}\n"));
    }

    fn output(run_id: u64, variant: Option<&str>, text: &str) -> Action {
        Action::Event(Box::new(RunEvent::Output {
            run_id,
            stream: OutputStream::Stdout,
            text: text.into(),
            variant: variant.map(Into::into),
        }))
    }

    #[test]
    fn output_goes_to_the_pane_of_the_variant_that_wrote_it() {
        let mut playground = Playground::new(Draft::default());
        let run_id = started(&mut playground);
        playground.apply(output(run_id, Some("list"), "from list\n"));
        playground.apply(output(run_id, Some("set"), "from set\n"));
        playground.apply(output(run_id, Some("list"), "again\n"));
        playground.apply(output(run_id, None, "outside\n"));
        playground.apply(output(run_id, Some("unknown"), "stray\n"));
        let run = playground.run.as_ref().unwrap();
        assert_eq!(run.output_of("list").unwrap().text, "from list\nagain\n");
        assert_eq!(run.output_of("set").unwrap().text, "from set\n");
        assert_eq!(run.output.text, "outside\nstray\n");
    }

    #[test]
    fn each_console_keeps_only_its_own_tail() {
        let mut playground = Playground::new(Draft::default());
        let run_id = started(&mut playground);
        playground.apply(output(run_id, Some("set"), "first\n"));
        let line = "é".repeat(999) + "\n";
        for _ in 0..60 {
            playground.apply(output(run_id, Some("list"), &line));
        }
        let run = playground.run.as_ref().unwrap();
        let list = run.output_of("list").unwrap();
        assert!(list.truncated);
        assert!(list.text.len() <= MAX_OUTPUT_CHARS);
        assert!(list.text.ends_with(&line));
        let set = run.output_of("set").unwrap();
        assert!(!set.truncated);
        assert_eq!(set.text, "first\n");
        assert!(!run.output.truncated);
    }

    fn ready(playground: &mut Playground) {
        playground.apply(Action::EngineReady(EngineInfo {
            threads: true,
            isolated: true,
            timer_resolution: 5e-6,
        }));
    }

    fn finished(run_id: u64, status: RunStatus) -> Action {
        Action::Event(Box::new(RunEvent::Finished {
            run_id,
            status,
            elapsed: 0.1,
        }))
    }

    #[test]
    fn a_stop_or_a_crash_restarts_the_engine_until_it_is_ready() {
        let mut playground = Playground::new(Draft::default());
        ready(&mut playground);
        let run_id = started(&mut playground);
        playground.apply(finished(run_id, RunStatus::Stopped));
        assert!(matches!(playground.engine, EngineState::Restarting(_)));
        assert!(!playground.engine_ready(), "Run waits for the new process");
        playground.apply(Action::EngineRestarted);
        assert!(playground.engine_ready());

        let run_id = started(&mut playground);
        let mut crash = error("list", 1);
        crash.kind = PyErrorKind::Crash;
        crash.part = None;
        playground.apply(Action::Event(Box::new(RunEvent::Error {
            run_id,
            error: crash,
        })));
        playground.apply(finished(run_id, RunStatus::Failed));
        assert!(matches!(playground.engine, EngineState::Restarting(_)));
        playground.apply(Action::EngineRestarted);
        assert!(playground.engine_ready());
    }

    #[test]
    fn an_ordinary_failure_leaves_the_engine_ready() {
        let mut playground = Playground::new(Draft::default());
        ready(&mut playground);
        let run_id = started(&mut playground);
        playground.apply(Action::Event(Box::new(RunEvent::Error {
            run_id,
            error: error("setup", 1),
        })));
        playground.apply(finished(run_id, RunStatus::Failed));
        assert!(playground.engine_ready());
        // A restart report without a restart changes nothing.
        playground.apply(Action::EngineRestarted);
        assert!(playground.engine_ready());
    }

    fn lesson() -> Box<Lesson> {
        Box::new(
            pyrace_model::lesson::parse(
                "join.md",
                "---\ntitle: Join\ntopic: strings\nmode: compare\n---\n\nProse.\n\n```python setup\nxs = ['a'] * 10\n```\n\n```python variant=plus\ns = ''\nfor x in xs: s += x\n```\n\n```python variant=join\ns = ''.join(xs)\n```\n",
            )
            .expect("the test lesson parses"),
        )
    }

    #[test]
    fn panes_count_as_edited_only_when_they_differ_from_what_was_loaded() {
        let mut playground = Playground::new(Draft::default());
        assert!(!playground.panes_edited());
        let key = playground.draft.panes[0].key;
        playground.apply(Action::EditCode {
            key,
            code: "L.index(999)".into(),
        });
        assert!(playground.panes_edited());
        playground.apply(Action::EditCode {
            key,
            code: "-1 in L".into(),
        });
        assert!(!playground.panes_edited(), "typed back to what was loaded");
        playground.apply(Action::SetMode(PlayMode::Run));
        assert!(!playground.panes_edited(), "the mode is not a pane");

        playground.apply(Action::LoadLesson {
            id: "join".into(),
            lesson: lesson(),
        });
        assert_eq!(playground.draft.panes.len(), 2);
        assert!(!playground.panes_edited());
        playground.apply(Action::EditSetup("xs = []".into()));
        assert!(playground.panes_edited());

        // Edits made before a reload are still edits after it.
        let stored = serde_json::to_string(&playground.draft).unwrap();
        let restored: Draft = serde_json::from_str(&stored).unwrap();
        assert!(Playground::new(restored.repaired()).panes_edited());
    }

    #[test]
    fn a_draft_saved_before_loaded_was_kept_compares_with_the_default() {
        let default: Draft =
            serde_json::from_str(r#"{"setup":"L = list(range(1000))\nS = set(L)"}"#).unwrap();
        assert!(!Playground::new(default.repaired()).panes_edited());
        let edited: Draft = serde_json::from_str(r#"{"setup":"x = 1"}"#).unwrap();
        assert!(Playground::new(edited.repaired()).panes_edited());
    }

    #[test]
    fn empty_and_duplicate_panes_are_left_out_with_a_reason() {
        let mut playground = Playground::new(Draft::default());
        playground.apply(Action::AddPane);
        playground.apply(Action::AddPane);
        let keys: Vec<u32> = playground.draft.panes.iter().map(|p| p.key).collect();
        playground.apply(Action::Rename {
            key: keys[3],
            name: "list".into(),
        });
        playground.apply(Action::EditCode {
            key: keys[3],
            code: "1".into(),
        });
        let run = playground.prepare_run().unwrap();
        assert_eq!(run.request.variants.len(), 1, "only `set` is valid");
        assert!(run.problems[&keys[2]].contains("empty"));
        assert!(run.problems[&keys[0]].contains("names must differ"));
        assert!(run.problems[&keys[3]].contains("names must differ"));
    }

    #[test]
    fn the_same_result_switch_asks_for_the_check_in_timed_modes_and_is_kept() {
        let mut playground = Playground::new(Draft::default());
        let check = |p: &Playground| p.prepare_run().unwrap().request.options.check_result;
        assert_eq!(check(&playground), None);
        playground.apply(Action::SetSameResult(true));
        assert_eq!(check(&playground), Some(String::new()));
        playground.apply(Action::SetSameResultName(" result ".into()));
        assert_eq!(check(&playground), Some("result".into()));
        playground.apply(Action::SetMode(PlayMode::Run));
        assert_eq!(check(&playground), None, "Run mode times nothing");
        let saved = serde_json::to_string(&playground.draft).unwrap();
        let restored: Draft = serde_json::from_str(&saved).unwrap();
        assert!(restored.same_result && restored.same_result_name == "result");
    }

    #[test]
    fn thread_modes_and_profiling_reach_the_request_and_survive_a_reload() {
        let mut playground = Playground::new(Draft::default());
        let keys: Vec<u32> = playground.draft.panes.iter().map(|p| p.key).collect();
        playground.apply(Action::SetThreadMode(ThreadMode::Gil));
        playground.apply(Action::SetSwitchInterval(0.001));
        playground.apply(Action::SetPaneThreadMode {
            key: keys[1],
            mode: Some(ThreadMode::Free),
        });
        playground.apply(Action::SetProfile(true));
        let request = playground.prepare_run().unwrap().request;
        assert_eq!(request.options.thread_mode, ThreadMode::Gil);
        assert_eq!(request.options.switch_interval, 0.001);
        assert_eq!(request.variants[0].thread_mode, None);
        assert_eq!(request.variants[1].thread_mode, Some(ThreadMode::Free));
        assert!(!request.options.profile, "only Run mode profiles");
        playground.apply(Action::SetMode(PlayMode::Run));
        assert!(playground.prepare_run().unwrap().request.options.profile);

        let saved = serde_json::to_string(&playground.draft).unwrap();
        let restored: Draft = serde_json::from_str(&saved).unwrap();
        assert_eq!(restored, playground.draft);
        playground.apply(Action::SetSwitchInterval(f64::NAN));
        playground.apply(Action::SetSwitchInterval(10.0));
        assert_eq!(playground.draft.switch_interval, MAX_SWITCH_INTERVAL);
        // A draft saved before thread modes existed reads as free-threaded.
        let old: Draft =
            serde_json::from_str(r#"{"panes":[{"key":1,"name":"a","code":"1"}]}"#).unwrap();
        assert_eq!(old.thread_mode, ThreadMode::Free);
        assert_eq!(old.panes[0].thread_mode, None);
    }

    #[test]
    fn timelines_profiles_and_the_gil_overhead_are_kept_per_run() {
        let mut playground = Playground::new(Draft::default());
        let run_id = started(&mut playground);
        let overhead = GilOverhead {
            plain: 0.01,
            hooked: 0.012,
            ratio: 1.2,
            ratio_low: 1.1,
            ratio_high: 1.3,
            rounds: 9,
        };
        playground.apply(Action::Event(Box::new(RunEvent::GilOverhead {
            run_id,
            overhead: overhead.clone(),
        })));
        playground.apply(Action::Event(Box::new(RunEvent::Profile {
            run_id,
            variant: "set".into(),
            profile: Profile { rows: Vec::new() },
        })));
        playground.apply(Action::Event(Box::new(RunEvent::Timeline {
            run_id,
            variant: "list".into(),
            timeline: Timeline {
                duration: 1.0,
                threads: Vec::new(),
                mode: ThreadMode::Gil,
            },
        })));
        let run = playground.run.as_ref().unwrap();
        assert_eq!(run.gil_overhead, Some(overhead));
        assert!(run.profiles.contains_key("set"));
        assert_eq!(run.timelines["list"].mode, ThreadMode::Gil);
        started(&mut playground);
        let next = playground.run.as_ref().unwrap();
        assert!(
            next.timelines.is_empty() && next.profiles.is_empty() && next.gil_overhead.is_none()
        );
    }

    #[test]
    fn errors_are_found_by_the_part_they_concern() {
        let mut playground = Playground::new(Draft::default());
        let run_id = started(&mut playground);
        playground.apply(Action::Event(Box::new(RunEvent::VariantError {
            run_id,
            variant: "set".into(),
            error: error("set", 1),
        })));
        let run = playground.run.as_ref().unwrap();
        assert_eq!(run.error_in("set").and_then(|e| e.line), Some(1));
        assert!(run.error_in("list").is_none());
    }

    #[test]
    fn panes_duplicate_move_and_keep_keys() {
        let mut playground = Playground::new(Draft::default());
        let first = playground.draft.panes[0].key;
        playground.apply(Action::DuplicatePane(first));
        assert_eq!(playground.draft.panes[1].name, "list copy");
        playground.apply(Action::MovePane {
            key: first,
            offset: 1,
        });
        assert_eq!(playground.draft.panes[1].key, first);
        let keys: Vec<u32> = playground.draft.panes.iter().map(|p| p.key).collect();
        let mut unique = keys.clone();
        unique.dedup();
        assert_eq!(keys.len(), unique.len());
    }

    #[test]
    fn a_bad_sweep_is_refused() {
        let mut playground = Playground::new(Draft::default());
        playground.apply(Action::SetMode(PlayMode::Sweep));
        playground.apply(Action::SetSweep("n=ten".into()));
        assert!(matches!(
            playground.prepare_run(),
            Err(Action::Refused {
                sweep_problem: Some(_),
                ..
            })
        ));
    }

    #[test]
    fn stored_drafts_are_repaired() {
        let stored: Draft = serde_json::from_str(
            r#"{"panes":[{"key":1,"name":"a","code":"1"},{"key":1,"name":"b","code":"2"}]}"#,
        )
        .unwrap();
        let draft = stored.repaired();
        assert_ne!(draft.panes[0].key, draft.panes[1].key);
        assert!(draft.next_key > draft.panes[1].key);
    }

    fn shared(draft: &Draft) -> SharedState {
        let link = pyrace_model::share::encode(&draft.to_shared()).unwrap();
        pyrace_model::share::decode(&link).unwrap()
    }

    #[test]
    fn a_link_holds_as_many_panes_as_the_playground() {
        assert_eq!(MAX_PANES, pyrace_model::share::MAX_VARIANTS);
    }

    #[test]
    fn a_draft_travels_through_a_link_intact() {
        let mut playground = Playground::new(Draft::default());
        playground.apply(Action::LoadLesson {
            id: "join".into(),
            lesson: lesson(),
        });
        playground.apply(Action::SetMode(PlayMode::Sweep));
        playground.apply(Action::SetSweep("n=1,2,3".into()));
        playground.apply(Action::SetBudget(10.0));
        let key = playground.draft.panes[1].key;
        playground.apply(Action::EditPaneSetup {
            key,
            setup: "sep = 'שלום 😀'".into(),
        });
        let sent = playground.draft.clone();

        let opened = Draft::from_shared(&shared(&sent), 1);
        assert_eq!(opened.to_shared(), sent.to_shared());
        assert_eq!(opened.pane_texts(), sent.pane_texts());
        assert_eq!(opened.lesson.as_deref(), Some("join"));
        assert!(
            !Playground::new(opened).panes_edited(),
            "as the link loaded it"
        );
    }

    #[test]
    fn opening_a_link_replaces_the_panes_runs_nothing_and_keeps_the_old_draft() {
        let mut playground = Playground::new(Draft::default());
        let key = playground.draft.panes[0].key;
        playground.apply(Action::EditCode {
            key,
            code: "my own work".into(),
        });
        let mine = playground.draft.clone();
        let mut theirs = Draft::default();
        theirs.panes[0].code = "their code".into();
        let mut state = shared(&theirs);
        state.results = Some(ResultsSnapshot {
            engine: "RustPython 0.6.0 (browser)".into(),
            recorded: "2026-11-26T03:00:00Z".into(),
            mode: pyrace_model::Mode::Compare,
            variants: Vec::new(),
        });
        playground.apply(Action::OpenShared {
            state: Box::new(state),
            source: "link",
        });
        assert_eq!(playground.draft.panes[0].code, "their code");
        assert!(
            playground.run.is_none() && playground.last_run_id == 0,
            "nothing ran"
        );
        assert!(playground.shared_results.is_some());
        assert_eq!(playground.link_notice, Some(LinkNotice::Opened("link")));
        let keys: Vec<u32> = playground.draft.panes.iter().map(|p| p.key).collect();
        assert!(keys.iter().all(|k| *k > key), "fresh keys: {keys:?}");

        // A real run replaces the recorded results.
        started(&mut playground);
        assert!(playground.shared_results.is_none());

        playground.apply(Action::RestoreReplaced);
        assert_eq!(playground.draft, mine);
        assert!(playground.replaced.is_none() && playground.link_notice.is_none());
    }

    #[test]
    fn opening_the_state_already_shown_keeps_nothing_to_restore() {
        let mut playground = Playground::new(Draft::default());
        let state = shared(&playground.draft);
        playground.apply(Action::OpenShared {
            state: Box::new(state),
            source: "file",
        });
        assert!(playground.replaced.is_none());
        assert_eq!(playground.link_notice, Some(LinkNotice::Opened("file")));
    }

    #[test]
    fn a_bad_link_changes_nothing_but_the_notice() {
        let mut playground = Playground::new(Draft::default());
        let before = playground.draft.clone();
        let link = pyrace_model::share::encode(&before.to_shared()).unwrap();
        playground.apply(Action::open_link(&link[..link.len() - 9]));
        assert_eq!(playground.draft, before);
        assert_eq!(
            playground.link_notice,
            Some(LinkNotice::Failed(
                "This link could not be opened: it is damaged: probably cut short or changed when it was copied.".into()
            ))
        );
        playground.apply(Action::open_link(&link.replacen("v1.", "v9.", 1)));
        assert!(
            matches!(&playground.link_notice, Some(LinkNotice::Failed(m)) if m.contains("newer pyrace"))
        );
        playground.apply(Action::open_file("x.pyrace.json", "{"));
        assert!(
            matches!(&playground.link_notice, Some(LinkNotice::Failed(m)) if m.starts_with("The file “x.pyrace.json”"))
        );
        assert_eq!(playground.draft, before);
        playground.apply(Action::DismissLinkNotice);
        assert!(playground.link_notice.is_none());
    }

    #[test]
    fn a_shared_state_missing_parts_opens_with_defaults() {
        let state =
            pyrace_model::share::from_json(r#"{"pyrace":1,"mode":"run","variants":[]}"#).unwrap();
        let draft = Draft::from_shared(&state, 1);
        assert_eq!(draft.mode, PlayMode::Run);
        assert!(
            !draft.panes.is_empty(),
            "an empty link still leaves panes to type in"
        );
        assert_eq!(draft.budget, HarnessOptions::default().budget);
        assert_eq!(draft.sweep, Draft::default().sweep);
    }
}
