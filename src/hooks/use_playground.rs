//! The playground context: the reducer's state plus the domain methods that
//! components call (`run`, `stop`, `load_lesson`, edits), so no component
//! talks to the engine or builds a request itself.

use std::rc::Rc;

use pyrace_model::{PyError, PyErrorKind, RunEvent, RunStatus};
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

use super::use_cpython::{CpythonSlot, use_cpython};
use super::use_engine::{EngineSlot, use_engine};
use crate::lessons::CatalogEntry;
use crate::state::{Action, Draft, Playground};

impl Reducible for Playground {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut next = Rc::unwrap_or_clone(self);
        next.apply(action);
        Rc::new(next)
    }
}

/// What components get from the context.
#[derive(Clone)]
pub struct PlaygroundHandle {
    state: UseReducerHandle<Playground>,
    engine: EngineSlot,
    cpython: CpythonSlot,
    pub lessons: Rc<Vec<CatalogEntry>>,
}

impl PartialEq for PlaygroundHandle {
    fn eq(&self, other: &Self) -> bool {
        self.state == other.state && Rc::ptr_eq(&self.lessons, &other.lessons)
    }
}

impl std::ops::Deref for PlaygroundHandle {
    type Target = Playground;

    fn deref(&self) -> &Playground {
        &self.state
    }
}

impl PlaygroundHandle {
    pub fn dispatch(&self, action: Action) {
        self.state.dispatch(action);
    }

    /// Dispatches from callbacks that outlive this render (listeners, futures).
    pub fn dispatcher(&self) -> UseReducerDispatcher<Playground> {
        self.state.dispatcher()
    }

    /// Sends the panes to the engine; does nothing while a run is going or
    /// the engine is not ready.
    pub fn run(&self) {
        // Also while the engine restarts: Run waits for the fresh process.
        if self.state.running() || !self.state.engine_ready() {
            return;
        }
        let Some(engine) = self.engine.borrow().clone() else {
            return;
        };
        let started = match self.state.prepare_run() {
            Ok(started) => started,
            Err(refused) => return self.state.dispatch(refused),
        };
        let run_id = started.request.run_id;
        let request = match serde_json::to_string(&started.request) {
            Ok(json) => json,
            Err(e) => return crate::bindings::log(&format!("request: {e}")),
        };
        let cpython_request = started.cpython.then(|| started.request.clone());
        self.state.dispatch(Action::Start(Box::new(started)));
        let dispatcher = self.state.dispatcher();
        let cpython = self.cpython.clone();
        cpython.begin();
        spawn_local(async move {
            let events = dispatcher.clone();
            let ended = engine
                .run(&request, move |text: String| {
                    match serde_json::from_str::<RunEvent>(&text) {
                        Ok(event) => events.dispatch(Action::Event(Box::new(event))),
                        Err(e) => crate::bindings::log(&format!("unreadable event ({e}): {text}")),
                    }
                })
                .await;
            if let Err(reason) = ended {
                // The engine refused the run: end it with the reason, as the
                // engine itself ends failed runs.
                for event in [
                    RunEvent::Error {
                        run_id,
                        error: PyError {
                            kind: PyErrorKind::Request,
                            exc_type: "EngineError".to_owned(),
                            message: reason,
                            part: None,
                            line: None,
                            column: None,
                            traceback: String::new(),
                        },
                    },
                    RunEvent::Finished {
                        run_id,
                        status: RunStatus::Failed,
                        elapsed: 0.0,
                    },
                ] {
                    dispatcher.dispatch(Action::Event(Box::new(event)));
                }
            }
            // Every run leaves its process behind; after a crash or a Stop
            // the state shows the engine restarting until the next is up.
            if let Err(reason) = engine.when_ready().await {
                crate::bindings::log(&format!("engine restart: {reason}"));
            }
            dispatcher.dispatch(Action::EngineRestarted);
            // CPython's turn comes once RustPython's next process is up, so
            // that nothing else starts on the cores while CPython is timed.
            if let Some(request) = cpython_request {
                cpython.run(request, dispatcher).await;
            }
        });
    }

    /// Stops the run at once, on whichever engine it is; each reports a
    /// `stopped` finish.
    pub fn stop(&self) {
        self.cpython.stop();
        if let Some(engine) = self.engine.borrow().as_ref() {
            engine.stop_run();
        }
    }

    /// Loads a lesson into the panes by id, after asking when that would
    /// replace edits; returns whether it was loaded.
    pub fn load_lesson(&self, id: &str) -> bool {
        let Some(entry) = self.lessons.iter().find(|entry| entry.id == id) else {
            return false;
        };
        if self.state.panes_edited()
            && !crate::bindings::confirm(&format!(
                "Load the lesson “{}”? It replaces the code you edited in the panes.",
                entry.lesson.title
            ))
        {
            return false;
        }
        self.state.dispatch(Action::LoadLesson {
            id: entry.id.clone(),
            lesson: Box::new(entry.lesson.clone()),
        });
        true
    }

    /// The lesson the panes came from.
    pub fn lesson(&self) -> Option<&CatalogEntry> {
        let id = self.state.draft.lesson.as_deref()?;
        self.lessons.iter().find(|entry| entry.id == id)
    }
}

/// Creates the playground state (restored from local storage) and its engine.
#[hook]
pub fn use_playground(initial: impl FnOnce() -> Draft) -> PlaygroundHandle {
    let state = use_reducer(|| Playground::new(initial()));
    let engine = use_engine(&state);
    let cpython = use_cpython(&state);
    let lessons = use_memo((), |_| crate::lessons::catalog());
    PlaygroundHandle {
        state,
        engine,
        cpython,
        lessons,
    }
}
