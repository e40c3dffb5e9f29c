//! The engine slice: where each engine is — RustPython loading, ready,
//! restarting after a crash or a Stop, or failed; CPython off until a person
//! turns it on, then loading and warm — and the actions that move them.

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

/// What the engines report as they load and restart.
#[derive(Debug, Clone)]
pub enum EngineAction {
    Progress {
        loaded: f64,
        total: f64,
    },
    Ready(EngineInfo),
    /// The process the next run will use is ready (after any run).
    Restarted,
    /// A run ended its process (a crash or a Stop): Run waits for the next.
    Restarting,
    Failed(String),
    CpythonProgress {
        loaded: f64,
        total: f64,
    },
    CpythonReady(String),
    CpythonFailed(String),
}

/// Both engines' states: one slice, since the status line shows both.
#[derive(Debug, Clone, PartialEq)]
pub struct Engines {
    pub engine: EngineState,
    pub cpython: CpythonState,
}

impl Engines {
    /// RustPython loading; CPython loading too when the draft asks for it.
    pub fn new(cpython_on: bool) -> Engines {
        let mut engines = Engines {
            engine: EngineState::Loading {
                loaded: 0.0,
                total: 0.0,
            },
            cpython: CpythonState::Off,
        };
        engines.want_cpython(cpython_on);
        engines
    }

    pub fn ready(&self) -> bool {
        matches!(self.engine, EngineState::Ready(_))
    }

    /// Starts CPython loading when it is wanted and not there yet (or its
    /// last try failed).
    pub fn want_cpython(&mut self, on: bool) {
        if on && matches!(self.cpython, CpythonState::Off | CpythonState::Failed(_)) {
            self.cpython = CpythonState::Loading {
                loaded: 0.0,
                total: 0.0,
            };
        }
    }

    pub fn apply(&mut self, action: EngineAction) {
        match action {
            EngineAction::Progress { loaded, total } => {
                if let EngineState::Loading { .. } = self.engine {
                    self.engine = EngineState::Loading { loaded, total };
                }
            }
            EngineAction::Ready(info) => self.engine = EngineState::Ready(info),
            EngineAction::Restarted => {
                if let EngineState::Restarting(info) = &self.engine {
                    self.engine = EngineState::Ready(info.clone());
                }
            }
            EngineAction::Restarting => {
                if let EngineState::Ready(info) = &self.engine {
                    self.engine = EngineState::Restarting(info.clone());
                }
            }
            EngineAction::Failed(reason) => self.engine = EngineState::Failed(reason),
            EngineAction::CpythonProgress { loaded, total } => {
                if let CpythonState::Loading { .. } = self.cpython {
                    self.cpython = CpythonState::Loading { loaded, total };
                }
            }
            EngineAction::CpythonReady(version) => self.cpython = CpythonState::Ready(version),
            EngineAction::CpythonFailed(reason) => self.cpython = CpythonState::Failed(reason),
        }
    }
}
