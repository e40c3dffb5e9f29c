//! The playground's state, as slices each with its own reducer: the draft
//! (what a person typed), the engines' status, the runs (fed by the
//! engines' `RunEvent`s) and the last link opened. `Playground` holds them
//! behind `Rc`s so that an action clones and changes only the slice it
//! concerns, and a component that draws one slice re-renders only when that
//! slice changes: typing touches the draft alone, a streamed sample the
//! runs alone.

mod draft;
mod engine;
mod link;
mod per_engine;
mod prepare;
mod run_view;
mod runs;

#[cfg(test)]
mod tests;

use std::rc::Rc;

use pyrace_model::lesson::Lesson;
use pyrace_model::share::SharedState;
use pyrace_model::{EngineId, RunEvent};

pub use draft::{Draft, DraftEdit, Pane, PaneTexts, Profiler, sweep_spec};
pub use engine::{EngineAction, EngineInfo, EngineState, Engines};
pub use link::{LinkNotice, LinkState, open_file, open_link};
pub use per_engine::PerEngine;
pub use prepare::{Refusal, StartedRun};
pub use run_view::{Output, Phase, RunView};
pub use runs::Runs;

/// The whole playground.
#[derive(Debug, Clone, PartialEq)]
pub struct Playground {
    pub draft: Rc<Draft>,
    pub engines: Rc<Engines>,
    pub runs: Rc<Runs>,
    pub link: Rc<LinkState>,
}

/// Everything that changes the playground.
#[derive(Debug, Clone)]
pub enum Action {
    /// An edit of the draft.
    Edit(DraftEdit),
    /// News from an engine's host.
    Engine(EngineId, EngineAction),
    LoadLesson {
        id: String,
        lesson: Box<Lesson>,
    },
    /// Run refused before reaching the engine: nothing valid to run.
    Refused(Refusal),
    Start(Box<StartedRun>),
    /// An event of the current run's part on an engine.
    Event(EngineId, Box<RunEvent>),
    /// Several events of one engine's part, in order, applied as one change
    /// (streamed samples held back for the live view's next redraw).
    Events(EngineId, Vec<RunEvent>),
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

impl From<DraftEdit> for Action {
    fn from(edit: DraftEdit) -> Action {
        Action::Edit(edit)
    }
}

/// What a share link carries, from the two slices it is made of (see
/// [`Playground::shared_state`]).
pub fn shared_state(draft: &Draft, runs: &Runs, with_results: bool, now: &str) -> SharedState {
    let mut state = draft.to_shared();
    if with_results {
        for engine in EngineId::ALL {
            *state.results_mut(engine) = runs.snapshot(engine, now);
        }
    }
    state
}

impl Playground {
    pub fn new(draft: Draft) -> Self {
        Playground {
            engines: Rc::new(Engines::new(|engine| draft.wants(engine))),
            draft: Rc::new(draft),
            runs: Rc::default(),
            link: Rc::default(),
        }
    }

    /// What a share link carries: the draft, and the results shown now
    /// (this page's last finished comparison, else the ones the open link
    /// brought, which keep their own date and engine) when `with_results`.
    pub fn shared_state(&self, with_results: bool, now: &str) -> SharedState {
        shared_state(&self.draft, &self.runs, with_results, now)
    }

    fn run_event(&mut self, engine: EngineId, event: RunEvent) {
        if self.runs_mut().event(engine, event) {
            // The host brings up a fresh process, which the engine's next
            // part waits for.
            self.engines_mut().apply(engine, EngineAction::Restarting);
        }
    }

    /// A run is going on any engine.
    pub fn running(&self) -> bool {
        self.runs.running()
    }

    /// Checks the panes and builds the next request, or says why nothing can run.
    pub fn prepare_run(&self) -> Result<StartedRun, Refusal> {
        let engines = EngineId::ALL
            .into_iter()
            .filter(|&engine| {
                self.draft.wants(engine)
                    && !matches!(self.engines.get(engine), EngineState::Failed(_))
            })
            .collect();
        prepare::prepare(&self.draft, self.runs.last_run_id + 1, engines)
    }

    /// The panes become `next`; what the old ones showed goes.
    fn replace_draft(&mut self, next: Draft) {
        for engine in EngineId::ALL {
            self.engines_mut().want(engine, next.wants(engine));
        }
        self.draft = Rc::new(next);
        self.runs_mut().panes_replaced();
    }

    fn engines_mut(&mut self) -> &mut Engines {
        Rc::make_mut(&mut self.engines)
    }

    fn runs_mut(&mut self) -> &mut Runs {
        Rc::make_mut(&mut self.runs)
    }

    fn link_mut(&mut self) -> &mut LinkState {
        Rc::make_mut(&mut self.link)
    }

    /// Applies one action, each to the slice it concerns.
    pub fn apply(&mut self, action: Action) {
        match action {
            Action::Edit(edit) => {
                if let DraftEdit::Cpython(on) = edit {
                    self.engines_mut().want(EngineId::Cpython, on);
                }
                Rc::make_mut(&mut self.draft).edit(edit);
            }
            Action::Engine(engine, action) => self.engines_mut().apply(engine, action),
            Action::LoadLesson { id, lesson } => {
                let next = self.draft.for_lesson(&id, &lesson);
                self.replace_draft(next);
            }
            Action::Refused(refusal) => self.runs_mut().refused(refusal),
            Action::Start(started) => self.runs_mut().start(*started),
            Action::Event(engine, event) => self.run_event(engine, *event),
            Action::Events(engine, events) => {
                for event in events {
                    self.run_event(engine, event);
                }
            }
            Action::OpenShared { state, source } => {
                let next = Draft::from_shared(&state, self.draft.next_key);
                // The link's state becomes the draft, as the person who
                // followed it expects; what it replaced stays restorable.
                let replaced = (next.to_shared() != self.draft.to_shared())
                    .then(|| Box::new((*self.draft).clone()));
                self.replace_draft(next);
                self.runs_mut().shared =
                    PerEngine::from_fn(|engine| state.results_of(engine).cloned());
                let link = self.link_mut();
                if replaced.is_some() {
                    link.replaced = replaced;
                }
                link.notice = Some(LinkNotice::Opened(source));
            }
            Action::OpenFailed(message) => {
                self.link_mut().notice = Some(LinkNotice::Failed(message))
            }
            Action::RestoreReplaced => {
                if self.link.replaced.is_some()
                    && let Some(replaced) = self.link_mut().replaced.take()
                {
                    self.replace_draft(*replaced);
                    self.link_mut().notice = None;
                }
            }
            Action::DismissLinkNotice => self.link = Rc::default(),
        }
    }
}
