//! "Embed": a panel that writes the HTML to put the current state into a
//! blog post — an iframe, or the blog script with a block — with the
//! embed's options (height, theme, read-only, which parts, CPython too) and
//! a live preview of the embed as configured.

use wasm_bindgen_futures::spawn_local;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use super::options::{EmbedOptions, MAX_HEIGHT, MIN_HEIGHT, Panes, Theme};
use super::snippet::{iframe_snippet, script_snippet, title_of};
use crate::bindings;
use crate::components::use_draft;

/// Which part a checkbox switches.
#[derive(Clone, Copy, PartialEq)]
enum Part {
    Code,
    Output,
    Results,
}

fn with_part(panes: Panes, part: Part, on: bool) -> Panes {
    let mut next = panes;
    match part {
        Part::Code => next.code = on,
        Part::Output => next.output = on,
        Part::Results => next.results = on,
    }
    // At least one part stays: an embed showing nothing is no embed.
    if next.names().is_empty() { panes } else { next }
}

#[function_component(EmbedGenerator)]
pub fn embed_generator() -> Html {
    crate::render_count::note("EmbedGenerator");
    let draft = use_draft();
    let open = use_state(|| false);
    let options = use_state(EmbedOptions::default);
    let copied = use_state(|| None::<&'static str>);

    let toggle = {
        let open = open.clone();
        Callback::from(move |_| open.set(!*open))
    };
    let button = html! {
        <button class="embed-button" onclick={toggle.clone()} aria-expanded={open.to_string()}
            title="HTML to put this comparison into a web page">{"Embed"}</button>
    };
    if !*open {
        return button;
    }

    // Whether the embed runs on CPython too is the query's to say, so both
    // snippets carry it alike: the state goes without engines. Until the
    // panel's box is touched it follows the playground's own switch.
    let cpython = options.cpython.unwrap_or(draft.cpython);
    let embedded = crate::state::Draft {
        cpython: false,
        ..(*draft).clone()
    };
    let fragment = match embedded.to_fragment() {
        Ok(fragment) => fragment,
        Err(e) => {
            return html! {
                <>
                    {button}
                    <section class="embed-generator" aria-label="Embed">
                        <p class="pane-error" role="alert">{format!("This state cannot be embedded: {e}")}</p>
                    </section>
                </>
            };
        }
    };
    let written = EmbedOptions {
        cpython: cpython.then_some(true),
        ..(*options).clone()
    };
    let query = written.to_query();
    let embed_path = format!("embed.html{query}#{fragment}");
    let embed_url = bindings::absolute_url(&embed_path);
    let title = title_of(&draft);
    let iframe = iframe_snippet(&embed_url, &title, options.height);
    let script = script_snippet(&bindings::absolute_url("../embed.js"), &draft, &written);

    let set = |change: fn(&mut EmbedOptions, String)| {
        let options = options.clone();
        move |value: String| {
            let mut next = (*options).clone();
            change(&mut next, value);
            options.set(next);
        }
    };
    let on_height = {
        let set = set(|o, v| {
            o.height = v
                .parse::<u32>()
                .ok()
                .map(|h| h.clamp(MIN_HEIGHT, MAX_HEIGHT))
        });
        Callback::from(move |e: Event| set(e.target_unchecked_into::<HtmlInputElement>().value()))
    };
    let on_theme = {
        let set = set(|o, v| {
            o.theme = Theme::ALL
                .into_iter()
                .find(|t| t.as_str() == v)
                .unwrap_or_default()
        });
        Callback::from(move |e: Event| set(e.target_unchecked_into::<HtmlSelectElement>().value()))
    };
    let check = |change: fn(&mut EmbedOptions, String)| {
        let set = set(change);
        Callback::from(move |e: Event| {
            set(e
                .target_unchecked_into::<HtmlInputElement>()
                .checked()
                .to_string())
        })
    };
    let on_read_only = check(|o, v| o.read_only = v == "true");
    let on_cpython = check(|o, v| o.cpython = Some(v == "true"));
    let part_box = |part: Part, label: &'static str, on: bool| {
        let options = options.clone();
        let onchange = Callback::from(move |e: Event| {
            let checked = e.target_unchecked_into::<HtmlInputElement>().checked();
            let mut next = (*options).clone();
            next.panes = with_part(next.panes, part, checked);
            options.set(next);
        });
        html! {
            <label class="check"><input type="checkbox" checked={on} {onchange} />{label}</label>
        }
    };
    let copy = |which: &'static str, text: String| {
        let copied = copied.clone();
        Callback::from(move |_| {
            let (copied, text) = (copied.clone(), text.clone());
            spawn_local(async move {
                if bindings::copy_text(&text).await.is_ok() {
                    copied.set(Some(which));
                }
            });
        })
    };
    let copied_label = |which: &'static str| {
        if *copied == Some(which) {
            "Copied ✓"
        } else {
            "Copy"
        }
    };
    let preview_height = options.height.unwrap_or(420).to_string();

    html! {
        <>
            {button}
            <section class="embed-generator" aria-label="Embed">
                <header class="pane-header">
                    <h2>{"Embed this comparison"}</h2>
                    <button class="link-button" onclick={toggle} aria-label="Close the embed panel">{"✕"}</button>
                </header>
                <div class="embed-options">
                    <label class="field"><span>{"Height"}</span>
                        <input class="embed-height" type="number" min={MIN_HEIGHT.to_string()} max={MAX_HEIGHT.to_string()}
                            placeholder="fits" value={options.height.map(|h| h.to_string()).unwrap_or_default()}
                            onchange={on_height} />
                    </label>
                    <label class="field"><span>{"Theme"}</span>
                        <select class="embed-theme" onchange={on_theme}>
                            {for Theme::ALL.iter().map(|t| html! {
                                <option value={t.as_str()} selected={*t == options.theme}>{t.as_str()}</option>
                            })}
                        </select>
                    </label>
                    <label class="check"><input class="embed-readonly" type="checkbox" checked={options.read_only}
                        onchange={on_read_only} />{"read-only"}</label>
                    <label class="check" title="Runs go to RustPython, then to CPython 3.14 (Pyodide, about 6 MB, loaded only by embeds with this option): both engines' figures side by side">
                        <input class="embed-cpython" type="checkbox" checked={cpython} onchange={on_cpython} />
                        {"CPython too"}</label>
                    <fieldset class="embed-parts">
                        <legend>{"Show"}</legend>
                        {part_box(Part::Code, "code", options.panes.code)}
                        {part_box(Part::Output, "output", options.panes.output)}
                        {part_box(Part::Results, "results", options.panes.results)}
                    </fieldset>
                </div>
                <div class="embed-snippets">
                    <label class="snippet">
                        <span>{"iframe"}</span>
                        <textarea class="snippet-iframe" readonly=true rows="3" value={iframe.clone()} />
                        <button onclick={copy("iframe", iframe)}>{copied_label("iframe")}</button>
                    </label>
                    <label class="snippet">
                        <span>{"Blog script: code shows at once, the engine loads on Run"}</span>
                        <textarea class="snippet-script" readonly=true rows="6" value={script.clone()} />
                        <button onclick={copy("script", script)}>{copied_label("script")}</button>
                    </label>
                </div>
                <h3>{"Preview"}</h3>
                <iframe class="embed-preview" src={embed_path} title="Preview of the embed"
                    height={preview_height} />
            </section>
        </>
    }
}
