//! The draft slice: everything a person typed (panes, setup, mode, sweep,
//! options), saved locally and restored on reload, and the edits that
//! change it. A draft comes from the default, a lesson, a shared link or
//! storage; each way starts from [`Draft::default`] and sets what it brings.

use std::collections::BTreeSet;

use pyrace_model::engines::EngineId;
use pyrace_model::lesson::Lesson;
use pyrace_model::limits::{self, MAX_VARIANTS};
use pyrace_model::share::{SharedOptions, SharedState, SharedVariant};
use pyrace_model::{Mode, Sweep, ThreadMode};
use serde::{Deserialize, Serialize};

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

impl Pane {
    /// A pane with its own setup empty and the draft's thread mode.
    pub fn new(key: u32, name: impl Into<String>, code: impl Into<String>) -> Pane {
        Pane {
            key,
            name: name.into(),
            code: code.into(),
            setup: String::new(),
            thread_mode: None,
        }
    }
}

/// The text of the panes as a lesson (or the default) put them there: what
/// tells whether loading another lesson would throw away edits.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaneTexts {
    pub setup: String,
    /// Name, code and own setup of each variant pane, in order.
    pub panes: Vec<(String, String, String)>,
}

/// The profilers of Run mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Profiler {
    /// The line tracer: time per line, the call tree and memory.
    #[default]
    Lines,
    /// `cProfile`: a table of functions, built-in ones included.
    CProfile,
}

/// Everything a person typed: saved locally and restored on reload.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Draft {
    pub mode: Mode,
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
    /// Run mode runs each program under a profiler (`profiler` says which).
    pub profile: bool,
    /// What a profiled run measures.
    pub profiler: Profiler,
    /// Runs go to CPython too, after RustPython.
    pub cpython: bool,
    /// Before timing, check that the variants give the same result.
    pub same_result: bool,
    /// The name whose value is compared; empty: each variant's last line.
    pub same_result_name: String,
}

impl Default for Draft {
    fn default() -> Self {
        Draft {
            mode: Mode::Compare,
            setup: "L = list(range(1000))\nS = set(L)".to_owned(),
            panes: vec![
                Pane::new(1, "list", "-1 in L"),
                Pane::new(2, "set", "-1 in S"),
            ],
            sweep: "n=100,1000,10000".to_owned(),
            budget: limits::BUDGET.default,
            lesson: None,
            next_key: 3,
            loaded: None,
            thread_mode: ThreadMode::Free,
            switch_interval: limits::SWITCH_INTERVAL.default,
            profile: false,
            profiler: Profiler::default(),
            cpython: false,
            same_result: false,
            same_result_name: String::new(),
        }
        .marked_loaded()
    }
}

/// An edit of the draft.
#[derive(Debug, Clone)]
pub enum DraftEdit {
    SetMode(Mode),
    Setup(String),
    Code {
        key: u32,
        code: String,
    },
    PaneSetup {
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
    Sweep(String),
    Budget(f64),
    ThreadMode(ThreadMode),
    /// A pane's own thread mode, or `None` to follow the draft's.
    PaneThreadMode {
        key: u32,
        mode: Option<ThreadMode>,
    },
    /// GIL mode's switch interval, in seconds.
    SwitchInterval(f64),
    Profile(bool),
    Profiler(Profiler),
    /// Check, before timing, that the variants give the same result.
    SameResult(bool),
    /// The name the same-result check compares (empty: the last line's value).
    SameResultName(String),
    /// Runs go to CPython too (which loads on first use).
    Cpython(bool),
}

impl Draft {
    /// Runs go to `engine`: RustPython always, CPython when "CPython too"
    /// is on.
    pub fn wants(&self, engine: EngineId) -> bool {
        match engine {
            EngineId::Rustpython => true,
            EngineId::Cpython => self.cpython,
        }
    }

    /// Applies one edit.
    pub fn edit(&mut self, edit: DraftEdit) {
        match edit {
            DraftEdit::SetMode(mode) => self.mode = mode,
            DraftEdit::Setup(setup) => self.setup = setup,
            DraftEdit::Code { key, code } => {
                if let Some(pane) = self.pane_mut(key) {
                    pane.code = code;
                }
            }
            DraftEdit::PaneSetup { key, setup } => {
                if let Some(pane) = self.pane_mut(key) {
                    pane.setup = setup;
                }
            }
            DraftEdit::Rename { key, name } => {
                if let Some(pane) = self.pane_mut(key) {
                    pane.name = name;
                }
            }
            DraftEdit::AddPane => {
                if self.panes.len() < MAX_VARIANTS {
                    let key = self.take_key();
                    let name = self.unused_name("variant");
                    self.panes.push(Pane::new(key, name, ""));
                }
            }
            DraftEdit::RemovePane(key) => {
                if self.panes.len() > 1 {
                    self.panes.retain(|p| p.key != key);
                }
            }
            DraftEdit::DuplicatePane(key) => {
                if self.panes.len() < MAX_VARIANTS
                    && let Some(at) = self.panes.iter().position(|p| p.key == key)
                {
                    let mut copy = self.panes[at].clone();
                    copy.key = self.take_key();
                    copy.name = self.unused_name(&format!("{} copy", copy.name.trim()));
                    self.panes.insert(at + 1, copy);
                }
            }
            DraftEdit::MovePane { key, offset } => {
                if let Some(at) = self.panes.iter().position(|p| p.key == key) {
                    let to = at.saturating_add_signed(offset);
                    if to < self.panes.len() {
                        self.panes.swap(at, to);
                    }
                }
            }
            DraftEdit::Sweep(sweep) => self.sweep = sweep,
            DraftEdit::Budget(budget) => self.budget = limits::BUDGET.clamp(budget),
            DraftEdit::ThreadMode(mode) => self.thread_mode = mode,
            DraftEdit::PaneThreadMode { key, mode } => {
                if let Some(pane) = self.pane_mut(key) {
                    pane.thread_mode = mode;
                }
            }
            DraftEdit::SwitchInterval(seconds) => {
                if seconds.is_finite() {
                    self.switch_interval = limits::SWITCH_INTERVAL.clamp(seconds);
                }
            }
            DraftEdit::Profile(profile) => self.profile = profile,
            DraftEdit::Profiler(profiler) => self.profiler = profiler,
            DraftEdit::SameResult(on) => self.same_result = on,
            DraftEdit::SameResultName(name) => self.same_result_name = name.trim().to_owned(),
            DraftEdit::Cpython(on) => self.cpython = on,
        }
    }

    fn pane_mut(&mut self, key: u32) -> Option<&mut Pane> {
        self.panes.iter_mut().find(|p| p.key == key)
    }

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

    /// Whether the panes differ from what was last loaded into them.
    pub fn edited(&self) -> bool {
        self.loaded.as_ref() != Some(&self.pane_texts())
    }

    /// The draft with its current panes counted as loaded, not edited.
    fn marked_loaded(mut self) -> Draft {
        self.loaded = Some(self.pane_texts());
        self
    }

    /// The draft a lesson opens as. The person's choices that are not the
    /// lesson's (sweep sizes when it has none, switch interval, CPython)
    /// stay; pane keys continue from `self`'s so no editor is reused.
    pub fn for_lesson(&self, id: &str, lesson: &Lesson) -> Draft {
        let mut next = Draft {
            mode: lesson.mode,
            setup: lesson.setup.trim_end().to_owned(),
            panes: Vec::new(),
            sweep: lesson
                .sweep
                .as_ref()
                .map(sweep_spec)
                .unwrap_or_else(|| self.sweep.clone()),
            budget: lesson.budget.unwrap_or(limits::BUDGET.default),
            lesson: Some(id.to_owned()),
            next_key: self.next_key,
            switch_interval: self.switch_interval,
            cpython: self.cpython,
            // The lesson decides whether its variants must agree.
            same_result: lesson.same_result.is_some(),
            same_result_name: lesson.same_result.clone().unwrap_or_default(),
            // A profiling lesson opens in Run mode with the line profiler on.
            profile: lesson.profile,
            profiler: Profiler::Lines,
            ..Draft::default()
        };
        for variant in &lesson.variants {
            let key = next.take_key();
            next.panes.push(Pane {
                setup: variant.setup.trim_end().to_owned(),
                thread_mode: variant.thread_mode,
                ..Pane::new(key, variant.name.clone(), variant.code.trim_end())
            });
        }
        next.marked_loaded()
    }

    /// The draft as a share link carries it.
    pub fn to_shared(&self) -> SharedState {
        SharedState {
            version: pyrace_model::share::VERSION,
            mode: self.mode,
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
                switch_interval: (self.switch_interval != limits::SWITCH_INTERVAL.default)
                    .then_some(self.switch_interval),
                same_result: self.same_result.then(|| self.same_result_name.clone()),
            },
            lesson: self.lesson.clone(),
            results: None,
            // RustPython is every run's: a link names the others it wants.
            engines: EngineId::ALL[1..]
                .iter()
                .copied()
                .filter(|&engine| self.wants(engine))
                .collect(),
            cpython_results: None,
        }
    }

    /// The share-link fragment (without `#`) of the draft, without results.
    pub fn to_fragment(&self) -> Result<String, pyrace_model::share::ShareError> {
        pyrace_model::share::encode(&self.to_shared())
    }

    /// The draft a shared state opens as, its panes keyed from `next_key`
    /// on so they never take the key of a pane still on screen. The share
    /// codec has checked the options against `limits`; they are kept as
    /// they are.
    pub fn from_shared(shared: &SharedState, next_key: u32) -> Draft {
        let defaults = Draft::default();
        let mut draft = Draft {
            mode: shared.mode,
            setup: shared.setup.clone(),
            panes: Vec::new(),
            sweep: if shared.sweep.is_empty() {
                defaults.sweep.clone()
            } else {
                shared.sweep.clone()
            },
            budget: shared.options.budget.unwrap_or(defaults.budget),
            lesson: shared.lesson.clone(),
            next_key,
            thread_mode: shared.options.thread_mode.unwrap_or_default(),
            switch_interval: shared
                .options
                .switch_interval
                .unwrap_or(defaults.switch_interval),
            cpython: shared.engines.contains(&EngineId::Cpython),
            same_result: shared.options.same_result.is_some(),
            same_result_name: shared.options.same_result.clone().unwrap_or_default(),
            ..defaults
        };
        for variant in shared.variants.iter().take(MAX_VARIANTS) {
            let key = draft.take_key();
            draft.panes.push(Pane {
                setup: variant.setup.clone(),
                thread_mode: variant.thread_mode,
                ..Pane::new(key, variant.name.clone(), variant.code.clone())
            });
        }
        draft.repaired().marked_loaded()
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

    /// A draft read back from storage, repaired where it would break the
    /// page: no panes, too many, repeated keys, options outside `limits`.
    pub fn repaired(mut self) -> Draft {
        if self.panes.is_empty() {
            self.panes = Draft::default().panes;
        }
        self.panes.truncate(MAX_VARIANTS);
        let mut seen = BTreeSet::new();
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
        self.budget = limits::BUDGET.clamp(self.budget);
        self.switch_interval = limits::SWITCH_INTERVAL.clamp(self.switch_interval);
        self
    }
}

/// `n=10,100,1000` from a sweep.
pub fn sweep_spec(sweep: &Sweep) -> String {
    let sizes: Vec<String> = sweep.sizes.iter().map(u64::to_string).collect();
    format!("{}={}", sweep.var, sizes.join(","))
}
