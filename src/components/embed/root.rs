//! The embed (`app/embed.html?OPTIONS#STATE`): the playground in compact
//! form for another site's iframe. Same state, engine and components as the
//! full page; the state comes from the fragment (share-link format), the
//! options from the query (`options`). Nothing is saved locally.

use std::rc::Rc;

use pyrace_model::share;
use yew::prelude::*;

use super::bar::EmbedBar;
use super::options::{EmbedOptions, Theme};
use super::panes::EmbedPanes;
use crate::bindings;
use crate::components::{OutputConsole, ResultsPanel, SetupPane};
use crate::hooks::{use_playground, use_run_shortcut};
use crate::state::Draft;

/// What the page's address asks the embed to show.
#[derive(Debug, Clone, PartialEq)]
struct EmbedSetup {
    options: EmbedOptions,
    /// Options that were not understood.
    problems: Vec<String>,
    /// The state to show; `Err` says why the link could not be read.
    draft: Result<Draft, String>,
}

impl EmbedSetup {
    fn from_location() -> EmbedSetup {
        let location = web_sys::window().map(|w| w.location());
        let search = location
            .as_ref()
            .and_then(|l| l.search().ok())
            .unwrap_or_default();
        let hash = location
            .as_ref()
            .and_then(|l| l.hash().ok())
            .unwrap_or_default();
        let pairs = web_sys::UrlSearchParams::new_with_str(&search)
            .ok()
            .map(|params| {
                js_sys::try_iter(&params)
                    .ok()
                    .flatten()
                    .into_iter()
                    .flatten()
                    .filter_map(|entry| {
                        let entry: js_sys::Array = entry.ok()?.into();
                        Some((entry.get(0).as_string()?, entry.get(1).as_string()?))
                    })
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default();
        let (options, problems) = EmbedOptions::from_pairs(pairs);
        let fragment = hash.trim_start_matches('#');
        // No state at all shows the playground's own example.
        let draft = if fragment.is_empty() {
            Ok(Draft::default())
        } else {
            share::decode(fragment)
                .map(|state| Draft::from_shared(&state, 1))
                .map_err(|e| e.to_string())
        };
        EmbedSetup {
            options,
            problems,
            draft,
        }
    }
}

#[function_component(EmbedRoot)]
pub fn embed_root() -> Html {
    crate::render_count::note("EmbedRoot");
    let setup: Rc<EmbedSetup> = use_memo((), |_| EmbedSetup::from_location());
    let contexts = use_playground({
        let mut draft = setup.draft.clone().unwrap_or_default();
        // The query's `cpython` over the state's engines: Pyodide loads
        // only for an embed that runs on it.
        draft.cpython = setup.options.cpython.unwrap_or(draft.cpython);
        move || draft
    });
    use_run_shortcut(&contexts.handle);
    let options = &setup.options;
    let root = use_node_ref();

    {
        let theme = options.theme;
        use_effect_with(theme, |theme| {
            let html = web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.document_element());
            if let Some(html) = html {
                let _ = match theme {
                    Theme::Auto => html.remove_attribute("data-theme"),
                    theme => html.set_attribute("data-theme", theme.as_str()),
                };
            }
        });
    }
    {
        let (root, height, origin) = (root.clone(), options.height, options.origin.clone());
        use_effect_with((), move |_| {
            if let Some(element) = root.cast::<web_sys::HtmlElement>() {
                bindings::watch_embed_height(&element, height, origin.as_deref());
            }
        });
    }
    {
        // autorun: the blog script opens the embed when a reader presses Run.
        let handle = contexts.handle.clone();
        let pending = use_mut_ref(|| setup.options.autorun && setup.draft.is_ok());
        use_effect_with(contexts.engines.ready(), move |ready| {
            if *ready && *pending.borrow() {
                *pending.borrow_mut() = false;
                handle.run();
            }
        });
    }

    let panes = options.panes;
    // An empty setup is left out: an embed is for reading, and "Open in
    // pyrace" is where one adds to it. Run mode has no timings to show.
    let show_setup = panes.code && !contexts.draft.setup.trim().is_empty();
    let show_results = panes.results && contexts.draft.mode.timed();
    let link_error = setup.draft.as_ref().err().cloned();
    // Where the last run is, for the page's scripts and tests (Run mode
    // shows no results panel that would say it).
    let phase = match contexts.runs.run() {
        None => "idle",
        Some(run) if run.running() => "running",
        Some(_) => "finished",
    };
    contexts.provide(html! {
            <div ref={root} class={classes!("embed", options.read_only.then_some("read-only"))} data-phase={phase}>
                <EmbedBar can_run={link_error.is_none()} />
                if let Some(reason) = link_error {
                    <p class="embed-note error" role="alert">
                        {format!("This embed's link cannot be read: {reason}. Nothing from it was run.")}
                    </p>
                }
                if !setup.problems.is_empty() {
                    <p class="embed-note" role="note">
                        {format!("Some embed options were not understood and were left at their defaults: {}.", setup.problems.join("; "))}
                    </p>
                }
                if setup.draft.is_ok() {
                    if show_setup {
                        <SetupPane read_only={options.read_only} />
                    }
                    if panes.code || panes.output {
                        <EmbedPanes read_only={options.read_only} code={panes.code}
                            output={panes.output} timing={panes.results} />
                    }
                    if show_results {
                        <ResultsPanel compact=true />
                    }
                    if panes.output {
                        <OutputConsole />
                    }
                }
            </div>
    })
}
