//! What a run asks the engine to do: a program to run, or variants to time.

use serde::{Deserialize, Serialize};

use crate::limits;

/// One run, as posted by the app to an engine or built by the CLI.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunRequest {
    /// Identifies the run so that events of an older run can be dropped.
    #[serde(default)]
    pub run_id: u64,
    pub mode: Mode,
    /// Code run before every variant (imports, data).
    #[serde(default)]
    pub setup: String,
    pub variants: Vec<Variant>,
    #[serde(default)]
    pub options: HarnessOptions,
}

/// How the variants are run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    /// Run each variant once as a whole program, output first.
    Run,
    /// Time each variant's statement under the harness.
    Compare,
    /// Time each variant's statement over several sizes of `n`.
    Sweep,
    /// Time complete runs of each variant's program.
    Program,
}

impl Mode {
    /// Every mode, in the order the playground offers them.
    pub const ALL: [Mode; 4] = [Mode::Compare, Mode::Sweep, Mode::Run, Mode::Program];

    /// True when the mode produces timings (and not only output).
    pub fn timed(self) -> bool {
        self != Mode::Run
    }
}

/// A named snippet: a statement to time (or a program to run) and its own setup.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Variant {
    pub name: String,
    #[serde(default)]
    pub setup: String,
    pub code: String,
    /// Overrides the run's thread mode for this variant.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub thread_mode: Option<ThreadMode>,
}

/// How Python threads share the interpreter.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ThreadMode {
    /// Threads run Python in parallel (RustPython's own behaviour, like
    /// CPython's free-threaded 3.13t/3.14t builds).
    #[default]
    Free,
    /// One thread at a time runs Python, as under CPython's default build.
    Gil,
}

impl Variant {
    pub fn new(name: impl Into<String>, code: impl Into<String>) -> Self {
        Variant {
            name: name.into(),
            setup: String::new(),
            code: code.into(),
            thread_mode: None,
        }
    }
}

/// Sizes of `n` for a scaling sweep.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Sweep {
    /// The name the sizes are bound to in setup and statement.
    pub var: String,
    pub sizes: Vec<u64>,
}

/// Knobs of the timing harness.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct HarnessOptions {
    /// One sample lasts at least this long (seconds): far above timer
    /// resolution, so a sample's error is dominated by real noise.
    pub target_sample: f64,
    /// Wall-clock budget of the whole comparison (seconds).
    pub budget: f64,
    /// Rounds taken and thrown away after calibration, while the VM warms up.
    pub warmup_rounds: u32,
    /// Fewest rounds wanted; fewer are taken only when the budget runs out.
    pub min_rounds: u32,
    /// Most rounds taken, even if budget is left.
    pub max_rounds: u32,
    /// Sizes for `Mode::Sweep`.
    pub sweep: Option<Sweep>,
    /// Thread mode of every variant that does not set its own.
    pub thread_mode: ThreadMode,
    /// GIL mode's switch interval in seconds (`sys.setswitchinterval`).
    pub switch_interval: f64,
    /// Run each program under `cProfile` and report its functions
    /// (`Mode::Run` only).
    pub profile: bool,
    /// Trace each program's lines and calls (`RunEvent::Traced`;
    /// `Mode::Run` only).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub trace_lines: bool,
    /// Measure what each program allocates (`RunEvent::Memory`;
    /// `Mode::Run` only).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub memory: bool,
    /// Compare the variants' results after their untimed first run
    /// (`model::result_check`): `Some("")` each one's last expression,
    /// `Some(name)` the value it leaves in `name`; `None`: no check.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub check_result: Option<String>,
}

impl Default for HarnessOptions {
    fn default() -> Self {
        HarnessOptions {
            target_sample: limits::TARGET_SAMPLE,
            budget: limits::BUDGET.default,
            warmup_rounds: limits::WARMUP_ROUNDS,
            min_rounds: limits::MIN_ROUNDS,
            max_rounds: limits::MAX_ROUNDS,
            sweep: None,
            thread_mode: ThreadMode::Free,
            switch_interval: limits::SWITCH_INTERVAL.default,
            profile: false,
            trace_lines: false,
            memory: false,
            check_result: None,
        }
    }
}
