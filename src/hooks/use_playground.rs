//! The playground context: the reducer's state, given to components slice
//! by slice (`use_draft`, `use_runs`, `use_engines`, `use_link`, each a
//! context of its own, so a component re-renders only when the slice it
//! draws changes), and a handle with the domain methods components call
//! (`run`, `stop`, `load_lesson`, `dispatch`), so no component talks to the
//! engine or builds a request itself.

use std::cell::RefCell;
use std::ops::Deref;
use std::rc::Rc;

use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

use crate::engines::host::{EngineHosts, use_engine_hosts};
use crate::components::lesson::catalog::CatalogEntry;
use crate::state::{Action, Draft, Engines, LinkState, Playground, Runs};

impl Reducible for Playground {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        // Cheap: the slices are `Rc`s, and `apply` copies only the one the
        // action changes.
        let mut next = Rc::unwrap_or_clone(self);
        next.apply(action);
        Rc::new(next)
    }
}

/// A slice as components subscribe to it: equal while it is the same
/// `Rc`, so comparing never walks a run's samples.
#[derive(Debug)]
pub struct Slice<T>(Rc<T>);

impl<T> Clone for Slice<T> {
    fn clone(&self) -> Self {
        Slice(self.0.clone())
    }
}

impl<T> PartialEq for Slice<T> {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl<T> Deref for Slice<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.0
    }
}

/// The order of the panes, by key: what gives a variant its colour in the
/// charts, without the charts depending on the text typed in the panes.
#[derive(Debug, Clone, PartialEq)]
pub struct PaneOrder(pub Rc<Vec<u32>>);

/// What components get from the context: the domain methods. It never
/// changes, so reading it re-renders nothing; state comes from the slices.
#[derive(Clone)]
pub struct PlaygroundHandle {
    dispatcher: UseReducerDispatcher<Playground>,
    /// The state as of the last render, for methods called from callbacks.
    latest: Rc<RefCell<Playground>>,
    engines: EngineHosts,
    pub lessons: Rc<Vec<CatalogEntry>>,
}

impl PartialEq for PlaygroundHandle {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.latest, &other.latest) && Rc::ptr_eq(&self.lessons, &other.lessons)
    }
}

impl PlaygroundHandle {
    pub fn dispatch(&self, action: impl Into<Action>) {
        self.dispatcher.dispatch(action.into());
    }

    /// Dispatches from callbacks that outlive this render (listeners, futures).
    pub fn dispatcher(&self) -> UseReducerDispatcher<Playground> {
        self.dispatcher.clone()
    }

    /// The state now (as of the last render).
    pub fn state(&self) -> Playground {
        self.latest.borrow().clone()
    }

    /// A run is going on either engine.
    pub fn running(&self) -> bool {
        self.latest.borrow().running()
    }

    /// Sends the panes to the engines, one after the other; does nothing
    /// while a run is going or the first engine is not ready.
    pub fn run(&self) {
        let state = self.state();
        // Also while the engine restarts: Run waits for the fresh process.
        if state.running() || !state.engines.ready() {
            return;
        }
        let started = match state.prepare_run() {
            Ok(started) => started,
            Err(refused) => return self.dispatch(Action::Refused(refused)),
        };
        let request = started.request.clone();
        let engines = started.engines.clone();
        self.dispatch(Action::Start(Box::new(started)));
        let dispatcher = self.dispatcher();
        let hosts = self.engines.clone();
        hosts.begin();
        spawn_local(async move { hosts.run(request, engines, dispatcher).await });
    }

    /// Stops the run at once, on whichever engine it is; each reports a
    /// `stopped` finish.
    pub fn stop(&self) {
        self.engines.stop();
    }

    /// What a Run button does: [`run`](Self::run).
    pub fn on_run<E>(&self) -> Callback<E> {
        let handle = self.clone();
        Callback::from(move |_| handle.run())
    }

    /// What a Stop button does: [`stop`](Self::stop).
    pub fn on_stop<E>(&self) -> Callback<E> {
        let handle = self.clone();
        Callback::from(move |_| handle.stop())
    }

    /// Loads a lesson into the panes by id, after asking when that would
    /// replace edits; returns whether it was loaded.
    pub fn load_lesson(&self, id: &str) -> bool {
        let Some(entry) = self.lessons.iter().find(|entry| entry.id == id) else {
            return false;
        };
        if self.latest.borrow().draft.edited()
            && !crate::bindings::confirm(&format!(
                "Load the lesson “{}”? It replaces the code you edited in the panes.",
                entry.lesson.title
            ))
        {
            return false;
        }
        self.dispatch(Action::LoadLesson {
            id: entry.id.clone(),
            lesson: Box::new(entry.lesson.clone()),
        });
        true
    }

    /// The lesson `draft`'s panes came from.
    pub fn lesson_of(&self, draft: &Draft) -> Option<&CatalogEntry> {
        let id = draft.lesson.as_deref()?;
        self.lessons.iter().find(|entry| entry.id == id)
    }
}

/// Everything the app's root provides: the handle and each slice.
pub struct PlaygroundContexts {
    pub handle: PlaygroundHandle,
    pub draft: Slice<Draft>,
    pub runs: Slice<Runs>,
    pub engines: Slice<Engines>,
    pub link: Slice<LinkState>,
    pub pane_order: PaneOrder,
}

/// Creates the playground state (restored from local storage) and its
/// engines. Only the root calls it: it re-renders on every action and hands
/// each slice to the components that draw it.
#[hook]
pub fn use_playground(initial: impl FnOnce() -> Draft) -> PlaygroundContexts {
    let state = use_reducer(|| Playground::new(initial()));
    let latest = use_mut_ref(|| (*state).clone());
    *latest.borrow_mut() = (*state).clone();
    let engines = use_engine_hosts(&state);
    let lessons = use_memo((), |_| crate::components::lesson::catalog::catalog());
    let order: Vec<u32> = state.draft.panes.iter().map(|p| p.key).collect();
    PlaygroundContexts {
        handle: PlaygroundHandle {
            dispatcher: state.dispatcher(),
            latest,
            engines,
            lessons,
        },
        draft: Slice(state.draft.clone()),
        runs: Slice(state.runs.clone()),
        engines: Slice(state.engines.clone()),
        link: Slice(state.link.clone()),
        pane_order: PaneOrder(Rc::new(order)),
    }
}

/// The handle: domain methods, no state.
#[hook]
pub fn use_handle() -> PlaygroundHandle {
    use_context::<PlaygroundHandle>()
        .expect("components are rendered inside the playground context")
}

/// The draft; re-renders on every edit.
#[hook]
pub fn use_draft() -> Slice<Draft> {
    use_context::<Slice<Draft>>().expect("components are rendered inside the playground context")
}

/// The runs; re-renders on every event of a run.
#[hook]
pub fn use_runs() -> Slice<Runs> {
    use_context::<Slice<Runs>>().expect("components are rendered inside the playground context")
}

/// Every engine's status.
#[hook]
pub fn use_engines() -> Slice<Engines> {
    use_context::<Slice<Engines>>().expect("components are rendered inside the playground context")
}

/// The last link or file opened.
#[hook]
pub fn use_link() -> Slice<LinkState> {
    use_context::<Slice<LinkState>>()
        .expect("components are rendered inside the playground context")
}

/// The panes' order; re-renders only when panes are added, removed or moved.
#[hook]
pub fn use_pane_order() -> PaneOrder {
    use_context::<PaneOrder>().expect("components are rendered inside the playground context")
}

impl PlaygroundContexts {
    /// `children` inside a provider for the handle and for each slice.
    pub fn provide(&self, children: Html) -> Html {
        html! {
            <ContextProvider<PlaygroundHandle> context={self.handle.clone()}>
                <ContextProvider<Slice<Draft>> context={self.draft.clone()}>
                    <ContextProvider<Slice<Runs>> context={self.runs.clone()}>
                        <ContextProvider<Slice<Engines>> context={self.engines.clone()}>
                            <ContextProvider<Slice<LinkState>> context={self.link.clone()}>
                                <ContextProvider<PaneOrder> context={self.pane_order.clone()}>
                                    {children}
                                </ContextProvider<PaneOrder>>
                            </ContextProvider<Slice<LinkState>>>
                        </ContextProvider<Slice<Engines>>>
                    </ContextProvider<Slice<Runs>>>
                </ContextProvider<Slice<Draft>>>
            </ContextProvider<PlaygroundHandle>>
        }
    }
}
