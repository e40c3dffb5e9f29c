//! The engine slice: where each engine is — off until wanted (RustPython is
//! always wanted, CPython once a person turns it on), loading, ready,
//! restarting after a crash or a Stop, or failed — and the actions that move
//! it. Every engine goes through the same states; what differs between them
//! is only when they are wanted.

use pyrace_model::EngineId;

use super::per_engine::PerEngine;

/// Where an engine is.
#[derive(Debug, Clone, PartialEq)]
pub enum EngineState {
    /// Not wanted yet: nothing of it has been fetched.
    Off,
    /// Downloading (bytes so far, of about `total`) and starting.
    Loading {
        loaded: f64,
        total: f64,
    },
    Ready(EngineInfo),
    /// A run crashed or was stopped: the engine host is bringing up a fresh
    /// process, and that engine's next part waits until it is ready.
    Restarting(EngineInfo),
    Failed(String),
}

impl EngineState {
    /// What the engine can do, once it has started.
    pub fn info(&self) -> Option<&EngineInfo> {
        match self {
            EngineState::Ready(info) | EngineState::Restarting(info) => Some(info),
            EngineState::Off | EngineState::Loading { .. } | EngineState::Failed(_) => None,
        }
    }

    fn loading() -> EngineState {
        EngineState::Loading {
            loaded: 0.0,
            total: 0.0,
        }
    }
}

/// What an engine can do on this page, shown beside every result.
#[derive(Debug, Clone, PartialEq)]
pub struct EngineInfo {
    /// Its name and version as it reports them, e.g. `CPython 3.14.2
    /// (Pyodide 314.0.8)`.
    pub name: String,
    /// Python threads run on their own workers (the page is cross-origin
    /// isolated and the engine can start them).
    pub threads: bool,
    pub isolated: bool,
    /// Smallest step of `performance.now()` seen, in seconds.
    pub timer_resolution: f64,
}

/// What an engine reports as it loads and restarts.
#[derive(Debug, Clone)]
pub enum EngineAction {
    Progress {
        loaded: f64,
        total: f64,
    },
    Ready(EngineInfo),
    /// The process the next run will use is ready (after any run).
    Restarted,
    /// A run ended its process (a crash or a Stop): the engine's next part
    /// waits for the next.
    Restarting,
    Failed(String),
}

/// Every engine's state: one slice, since the status line shows them all.
#[derive(Debug, Clone, PartialEq)]
pub struct Engines(pub PerEngine<EngineState>);

impl Engines {
    /// Each engine loading when `wanted`, else off.
    pub fn new(wanted: impl Fn(EngineId) -> bool) -> Engines {
        Engines(PerEngine::from_fn(|engine| {
            if wanted(engine) {
                EngineState::loading()
            } else {
                EngineState::Off
            }
        }))
    }

    pub fn get(&self, engine: EngineId) -> &EngineState {
        &self.0[engine]
    }

    /// Run can be pressed: the engine every run starts on is ready (the
    /// others' parts wait for theirs themselves).
    pub fn ready(&self) -> bool {
        matches!(self.0[EngineId::Rustpython], EngineState::Ready(_))
    }

    /// Starts `engine` loading when it is wanted and not there yet (or its
    /// last try failed).
    pub fn want(&mut self, engine: EngineId, on: bool) {
        let state = &mut self.0[engine];
        if on && matches!(state, EngineState::Off | EngineState::Failed(_)) {
            *state = EngineState::loading();
        }
    }

    pub fn apply(&mut self, engine: EngineId, action: EngineAction) {
        let state = &mut self.0[engine];
        match action {
            EngineAction::Progress { loaded, total } => {
                if let EngineState::Loading { .. } = state {
                    *state = EngineState::Loading { loaded, total };
                }
            }
            EngineAction::Ready(info) => *state = EngineState::Ready(info),
            EngineAction::Restarted => {
                if let EngineState::Restarting(info) = state {
                    *state = EngineState::Ready(info.clone());
                }
            }
            EngineAction::Restarting => {
                if let EngineState::Ready(info) = state {
                    *state = EngineState::Restarting(info.clone());
                }
            }
            EngineAction::Failed(reason) => *state = EngineState::Failed(reason),
        }
    }
}
