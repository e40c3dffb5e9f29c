//! The engines' host in the page: each engine started once it is wanted
//! (RustPython at once, CPython the first time a person turns it on, so a
//! page that never does fetches nothing of it), reporting its download and
//! readiness to the state; and a run, part after part, one engine at a time
//! (they never share the cores), each part's events dispatched under its
//! engine's id.

use std::cell::{Cell, RefCell};

use gloo_timers::callback::Timeout;
use pyrace_model::limits::LIVE_REDRAW_MS;
use std::rc::Rc;

use js_sys::Promise;
use pyrace_model::{EngineId, RunEvent, RunRequest, RunStatus};
use wasm_bindgen::closure::Closure;
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

use super::adapter;
use super::live_batch::{Delivery, LiveBatch};
use crate::bindings::{self, Engine};
use crate::state::{Action, EngineAction, EngineInfo, PerEngine, Playground};

/// One engine's start, once asked for, with the progress callback it
/// reports through (which must live until the start settles).
#[derive(Default)]
struct Start {
    promise: Option<Promise>,
    _on_progress: Option<Closure<dyn FnMut(f64, f64)>>,
}

/// Every engine's start and the run going on: shared with the context
/// handle, for Run and Stop.
#[derive(Clone, Default)]
pub struct EngineHosts {
    starts: Rc<PerEngine<RefCell<Start>>>,
    /// The engine running the current part, for Stop.
    running: Rc<RefCell<Option<Engine>>>,
    /// Stop was pressed during this run: its later parts must not start.
    stopped: Rc<Cell<bool>>,
}

/// Starts each engine the draft wants, once.
#[hook]
pub fn use_engine_hosts(state: &UseReducerHandle<Playground>) -> EngineHosts {
    let hosts = (*use_mut_ref(EngineHosts::default)).borrow().clone();
    {
        let hosts = hosts.clone();
        let dispatcher = state.dispatcher();
        let wanted = PerEngine::from_fn(|engine| state.draft.wants(engine));
        use_effect_with(wanted, move |wanted| {
            for (engine, &on) in wanted.iter() {
                if on {
                    hosts.start(engine, dispatcher.clone());
                }
            }
        });
    }
    hosts
}

impl EngineHosts {
    /// Starts `engine` unless it has started (or is starting); a failed
    /// start is forgotten, so wanting the engine again retries.
    fn start(&self, engine: EngineId, dispatcher: UseReducerDispatcher<Playground>) {
        if self.starts[engine].borrow().promise.is_some() {
            return;
        }
        let progress = dispatcher.clone();
        let on_progress = Closure::<dyn FnMut(f64, f64)>::new(move |loaded, total| {
            progress.dispatch(Action::Engine(
                engine,
                EngineAction::Progress { loaded, total },
            ));
        });
        let promise = match bindings::start_engine(engine, &on_progress) {
            Ok(promise) => promise,
            Err(reason) => {
                return dispatcher.dispatch(Action::Engine(engine, EngineAction::Failed(reason)));
            }
        };
        *self.starts[engine].borrow_mut() = Start {
            promise: Some(promise.clone()),
            _on_progress: Some(on_progress),
        };
        let hosts = self.clone();
        spawn_local(async move {
            let action = match bindings::engine_of(&promise).await {
                Ok(started) => EngineAction::Ready(EngineInfo {
                    name: started.name(),
                    threads: started.threads(),
                    isolated: started.isolated(),
                    timer_resolution: started.timer_resolution(),
                }),
                Err(reason) => {
                    *hosts.starts[engine].borrow_mut() = Start::default();
                    EngineAction::Failed(reason)
                }
            };
            dispatcher.dispatch(Action::Engine(engine, action));
        });
    }

    /// A new run begins: a Stop from an earlier one no longer counts.
    pub fn begin(&self) {
        self.stopped.set(false);
    }

    /// Stops the run at once: the part running and every part yet to
    /// start; each reports a `stopped` finish.
    pub fn stop(&self) {
        self.stopped.set(true);
        if let Some(engine) = self.running.borrow().as_ref() {
            engine.stop_run();
        }
    }

    /// Runs `request` on each of `engines` in turn, to its end.
    pub async fn run(
        &self,
        request: RunRequest,
        engines: Vec<EngineId>,
        dispatcher: UseReducerDispatcher<Playground>,
    ) {
        for engine in engines {
            self.run_part(engine, &request, &dispatcher).await;
        }
    }

    /// `request`'s part on `engine`: every event of it dispatched, ending in
    /// `Finished` whatever happens; it returns once the engine's next
    /// process is up, so that nothing else starts on the cores while the
    /// next part is timed.
    async fn run_part(
        &self,
        engine: EngineId,
        request: &RunRequest,
        dispatcher: &UseReducerDispatcher<Playground>,
    ) {
        let started = self.part(engine, request, dispatcher).await;
        // Every part leaves its process behind; after a crash or a Stop
        // (even one that came before the part's turn) the state shows the
        // engine restarting until the next is up.
        if let Some(started) = started
            && let Err(reason) = started.when_ready().await
        {
            bindings::log(&format!("{} restart: {reason}", engine.label()));
        }
        dispatcher.dispatch(Action::Engine(engine, EngineAction::Restarted));
    }

    /// The part's events; the engine that ran it, if it got that far.
    async fn part(
        &self,
        engine: EngineId,
        request: &RunRequest,
        dispatcher: &UseReducerDispatcher<Playground>,
    ) -> Option<Engine> {
        let run_id = request.run_id;
        let label = engine.label();
        let send = |events: &[RunEvent]| {
            for event in events {
                dispatcher.dispatch(Action::Event(engine, Box::new(event.clone())));
            }
        };
        let refuse = |reason: &str, status| send(&RunEvent::refused(run_id, reason, status));
        let stopped = || {
            refuse(
                &format!("Stopped before {label}'s turn."),
                RunStatus::Stopped,
            )
        };
        if self.stopped.get() {
            stopped();
            return None;
        }
        let Some(start) = self.starts[engine].borrow().promise.clone() else {
            refuse(
                &format!("The {label} engine is not loaded: turn “{label} too” on again."),
                RunStatus::Failed,
            );
            return None;
        };
        // Waits for the download when it is still going.
        let started = match bindings::engine_of(&start).await {
            Ok(started) => started,
            Err(reason) => {
                let first = EngineId::ALL[0];
                let earlier = if engine == first {
                    String::new()
                } else {
                    format!(" {}'s results stand.", first.label())
                };
                refuse(
                    &format!("The {label} engine could not start: {reason}.{earlier}"),
                    RunStatus::Failed,
                );
                return None;
            }
        };
        if let Err(reason) = started.when_ready().await {
            refuse(
                &format!("The {label} engine could not restart: {reason}"),
                RunStatus::Failed,
            );
            return Some(started);
        }
        if self.stopped.get() {
            stopped();
            return Some(started);
        }
        let adapter = adapter(engine);
        *self.running.borrow_mut() = Some(started.clone());
        let live = LiveEvents::new(engine, dispatcher.clone());
        let reply = {
            let live = live.clone();
            started
                .run(engine, request, &adapter.input(request), move |event| {
                    live.push(event)
                })
                .await
        };
        live.flush();
        *self.running.borrow_mut() = None;
        // A refused run ends with the reason, as an engine ends failed runs.
        match reply.and_then(|reply| adapter.closing_events(run_id, &reply)) {
            Ok(events) => send(&events),
            Err(reason) => refuse(&reason, RunStatus::Failed),
        }
        Some(started)
    }
}

/// One part's events on their way to the state: samples batched for the
/// live view's next redraw (see [`LiveBatch`]), the rest at once.
#[derive(Clone)]
struct LiveEvents {
    engine: EngineId,
    dispatcher: UseReducerDispatcher<Playground>,
    batch: Rc<RefCell<LiveBatch>>,
    redraw: Rc<RefCell<Option<Timeout>>>,
}

impl LiveEvents {
    fn new(engine: EngineId, dispatcher: UseReducerDispatcher<Playground>) -> Self {
        LiveEvents {
            engine,
            dispatcher,
            batch: Rc::default(),
            redraw: Rc::default(),
        }
    }

    fn push(&self, event: RunEvent) {
        let delivery = self.batch.borrow_mut().push(event);
        match delivery {
            Delivery::Held { first: false } => {}
            Delivery::Held { first: true } => {
                let this = self.clone();
                *self.redraw.borrow_mut() =
                    Some(Timeout::new(LIVE_REDRAW_MS, move || this.flush()));
            }
            Delivery::Now(events) => {
                self.redraw.borrow_mut().take();
                self.dispatch(events);
            }
        }
    }

    /// Applies the held samples now (the redraw is due, or the part ended).
    fn flush(&self) {
        self.redraw.borrow_mut().take();
        let held = self.batch.borrow_mut().drain();
        self.dispatch(held);
    }

    fn dispatch(&self, events: Vec<RunEvent>) {
        if !events.is_empty() {
            self.dispatcher
                .dispatch(Action::Events(self.engine, events));
        }
    }
}
