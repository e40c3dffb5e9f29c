//! The CPython engine's lifetime: started the first time a person turns
//! CPython on (never before, so a page that never does fetches nothing of
//! it), reporting its download to the state; and a run's CPython part,
//! which goes after RustPython's, never beside it.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use js_sys::Promise;
use pyrace_model::reference_spec::reference_spec;
use pyrace_model::{Mode, RunEvent, RunRequest, RunStatus};
use yew::prelude::*;

use crate::bindings;
use crate::cpython_reply::{CpythonReply, closing_events};
use crate::state::{Action, EngineAction, Playground};

/// The engine's start, once asked for; shared with the context handle.
#[derive(Clone, Default)]
pub struct CpythonSlot {
    start: Rc<RefCell<Option<Promise>>>,
    /// The engine running the current CPython part, for Stop.
    running: Rc<RefCell<Option<bindings::CpythonEngine>>>,
    /// Stop was pressed during this run: its CPython part must not start.
    stopped: Rc<Cell<bool>>,
}

#[hook]
pub fn use_cpython(state: &UseReducerHandle<Playground>) -> CpythonSlot {
    let slot = (*use_mut_ref(CpythonSlot::default)).borrow().clone();
    {
        let slot = slot.clone();
        let dispatcher = state.dispatcher();
        use_effect_with(state.draft.cpython, move |on| {
            if *on && slot.start.borrow().is_none() {
                let progress = dispatcher.clone();
                match bindings::start_cpython(move |loaded, total| {
                    progress.dispatch(EngineAction::CpythonProgress { loaded, total }.into());
                }) {
                    Ok(start) => {
                        *slot.start.borrow_mut() = Some(start.clone());
                        let slot = slot.clone();
                        wasm_bindgen_futures::spawn_local(async move {
                            match bindings::cpython_of(&start).await {
                                Ok(engine) => dispatcher
                                    .dispatch(EngineAction::CpythonReady(engine.version()).into()),
                                Err(reason) => {
                                    // Forgotten, so turning it on again retries.
                                    *slot.start.borrow_mut() = None;
                                    dispatcher.dispatch(EngineAction::CpythonFailed(reason).into());
                                }
                            }
                        });
                    }
                    Err(reason) => dispatcher.dispatch(EngineAction::CpythonFailed(reason).into()),
                }
            }
        });
    }
    slot
}

impl CpythonSlot {
    /// A new run begins: a Stop from an earlier one no longer counts.
    pub fn begin(&self) {
        self.stopped.set(false);
    }

    /// Stops the CPython part, running or yet to start.
    pub fn stop(&self) {
        self.stopped.set(true);
        if let Some(engine) = self.running.borrow().as_ref() {
            engine.stop_run();
        }
    }

    /// Runs `request`'s CPython part to its end, dispatching its events.
    pub async fn run(&self, request: RunRequest, dispatcher: UseReducerDispatcher<Playground>) {
        let run_id = request.run_id;
        let send = |events: &[RunEvent]| {
            for event in events {
                dispatcher.dispatch(Action::CpythonEvent(Box::new(event.clone())));
            }
        };
        if self.stopped.get() {
            return send(&RunEvent::refused(
                run_id,
                "Stopped before CPython's turn.",
                RunStatus::Stopped,
            ));
        }
        let Some(start) = self.start.borrow().clone() else {
            return send(&RunEvent::refused(
                run_id,
                "The CPython engine is not loaded: turn “CPython too” on again.",
                RunStatus::Failed,
            ));
        };
        // Waits for the download when it is still going.
        let engine = match bindings::cpython_of(&start).await {
            Ok(engine) => engine,
            Err(reason) => {
                return send(&RunEvent::refused(
                    run_id,
                    &format!(
                        "The CPython engine could not start: {reason}. RustPython's results stand."
                    ),
                    RunStatus::Failed,
                ));
            }
        };
        if let Err(reason) = engine.when_ready().await {
            return send(&RunEvent::refused(
                run_id,
                &format!("The CPython engine could not restart: {reason}"),
                RunStatus::Failed,
            ));
        }
        if self.stopped.get() {
            return send(&RunEvent::refused(
                run_id,
                "Stopped before CPython's turn.",
                RunStatus::Stopped,
            ));
        }
        let spec = match request.mode {
            Mode::Run => String::new(),
            _ => reference_spec(&request).to_string(),
        };
        *self.running.borrow_mut() = Some(engine.clone());
        let events = dispatcher.clone();
        let reply = engine
            .run(&request, &spec, move |event| {
                events.dispatch(Action::CpythonEvent(Box::new(event)))
            })
            .await;
        *self.running.borrow_mut() = None;
        match reply.and_then(|text| {
            serde_json::from_str::<CpythonReply>(&text)
                .map_err(|e| format!("unreadable reply ({e})"))
        }) {
            Ok(reply) => send(&closing_events(run_id, &reply)),
            Err(reason) => send(&RunEvent::refused(run_id, &reason, RunStatus::Failed)),
        }
    }
}
