//! The Share dialog: the link to this playground (copied at once), its
//! length, and — past what links safely carry — the same state as a
//! `.pyrace.json` file to download instead; and, under Card, the result
//! card (`card/`).

use pyrace_model::EngineId;
use pyrace_model::share;
use wasm_bindgen_futures::spawn_local;
use web_sys::HtmlTextAreaElement;
use yew::prelude::*;

use crate::bindings;
use crate::components::card::CardPanel;
use crate::components::{use_draft, use_runs};
use crate::state::shared_state;

/// Past about this many characters, browsers, chat and mail programs may
/// cut a link short.
const LONG_LINK: usize = 8_000;

#[derive(Properties, PartialEq)]
pub struct ShareDialogProps {
    pub on_close: Callback<()>,
}

/// Where the copy to the clipboard stands.
#[derive(Clone, PartialEq)]
enum Copy {
    Pending,
    Done,
    Failed(String),
    Skipped,
}

#[function_component(ShareDialog)]
pub fn share_dialog(props: &ShareDialogProps) -> Html {
    crate::render_count::note("ShareDialog");
    let draft = use_draft();
    let runs = use_runs();
    // One time for the dialog's life, so toggling results keeps one link.
    let now = use_memo((), |_| bindings::now_iso());
    let snapshot = runs.snapshot(EngineId::Rustpython, &now);
    let with_results = use_state(|| true);
    let state = shared_state(&draft, &runs, *with_results && snapshot.is_some(), &now);
    let link =
        share::encode(&state).map(|fragment| format!("{}#{fragment}", bindings::page_address()));
    let length = link.as_ref().map_or(0, |l| l.chars().count());
    let long = length > LONG_LINK;

    let copy = use_state(|| Copy::Pending);
    let copy_now = {
        let copy = copy.clone();
        move |text: String| {
            copy.set(Copy::Pending);
            let copy = copy.clone();
            spawn_local(async move {
                copy.set(match bindings::copy_text(&text).await {
                    Ok(()) => Copy::Done,
                    Err(e) => Copy::Failed(e),
                });
            });
        }
    };
    {
        let copy_now = copy_now.clone();
        let copy = copy.clone();
        use_effect_with(link.clone().ok(), move |link| match link {
            Some(link) if link.chars().count() <= LONG_LINK => copy_now(link.clone()),
            _ => copy.set(Copy::Skipped),
        });
    }
    let link_box = use_node_ref();
    {
        let link_box = link_box.clone();
        use_effect_with((), move |_| {
            if let Some(area) = link_box.cast::<HtmlTextAreaElement>() {
                let _ = area.focus();
                area.select();
            }
        });
    }

    let close = {
        let on_close = props.on_close.clone();
        Callback::from(move |_: MouseEvent| on_close.emit(()))
    };
    let on_key = {
        let on_close = props.on_close.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Escape" {
                on_close.emit(());
            }
        })
    };
    let select_all = Callback::from(|e: FocusEvent| {
        let area: HtmlTextAreaElement = e.target_unchecked_into();
        area.select();
    });
    let copy_again = {
        let link = link.clone();
        Callback::from(move |_| {
            if let Ok(link) = &link {
                copy_now(link.clone());
            }
        })
    };
    let file_name = format!(
        "{}.pyrace.json",
        draft.lesson.as_deref().unwrap_or("playground")
    );
    let file_problem = use_state(|| None::<String>);
    let download = {
        let state = state.clone();
        let file_problem = file_problem.clone();
        let file_name = file_name.clone();
        Callback::from(move |_| {
            let written = state
                .check()
                .map_err(|e| e.to_string())
                .and_then(|()| serde_json::to_string_pretty(&state).map_err(|e| e.to_string()))
                .and_then(|json| bindings::download_text(&file_name, "application/json", &json));
            file_problem.set(written.err());
        })
    };
    let show_card = use_state(|| false);
    let toggle_card = {
        let show_card = show_card.clone();
        Callback::from(move |_| show_card.set(!*show_card))
    };
    let toggle_results = {
        let with_results = with_results.clone();
        Callback::from(move |_| with_results.set(!*with_results))
    };

    let copy_text = match &*copy {
        Copy::Pending => "copying…".to_owned(),
        Copy::Done => "copied to the clipboard".to_owned(),
        Copy::Failed(why) => format!("not copied ({why}): select the link and copy it"),
        Copy::Skipped => "not copied: too long for a link".to_owned(),
    };

    html! {
        <div class="dialog-backdrop">
            <section class="share-dialog" role="dialog" aria-modal="true" aria-labelledby="share-title" onkeydown={on_key}>
                <h2 id="share-title">{"Share this playground"}</h2>
                {match &link {
                    Ok(link) => html! {
                        <>
                            <textarea class="share-link" readonly=true rows="3" spellcheck="false"
                                aria-label="Share link" value={link.clone()} ref={link_box} onfocus={select_all} />
                            <p class="share-length">
                                <span class="share-chars">{format!("{length} characters")}</span>
                                {" · "}
                                <span class={classes!("copy-status", matches!(*copy, Copy::Done).then_some("copied"))} role="status">{copy_text}</span>
                            </p>
                            if long {
                                <p class="notice share-long" role="alert">
                                    {format!("This link is {length} characters long: past about 8 000, browsers, chat and mail programs may cut it short. Share the file instead: pyrace opens it with Open file… in the top bar.")}
                                </p>
                            }
                        </>
                    },
                    Err(e) => html! {
                        <p class="notice share-error" role="alert">{format!("This playground cannot be shared: {e}.")}</p>
                    },
                }}
                if let Some(snapshot) = &snapshot {
                    <label class="share-results">
                        <input type="checkbox" checked={*with_results} onchange={toggle_results} />
                        {format!(" Include the results (engine {}), shown as recorded until the reader runs them", snapshot.engine)}
                    </label>
                }
                <div class="dialog-actions">
                    if link.is_ok() {
                        <button type="button" class={classes!("copy-link", (!long).then_some("primary"))} onclick={copy_again}>{"Copy link"}</button>
                    }
                    <button type="button" class={classes!("download-file", long.then_some("primary"))} onclick={download}>
                        {format!("Download {file_name}")}
                    </button>
                    if link.is_ok() {
                        <button type="button" class="card-button" aria-expanded={show_card.to_string()} onclick={toggle_card}>{"Card"}</button>
                    }
                    <button type="button" class="close" onclick={close}>{"Close"}</button>
                </div>
                if let (true, Ok(link)) = (*show_card, &link) {
                    <CardPanel link={link.clone()} now={(*now).clone()} />
                }
                if let Some(problem) = (*file_problem).clone() {
                    <p class="field-error" role="alert">{format!("Could not save the file: {problem}")}</p>
                }
                <p class="muted share-note">
                    {"The link itself holds the code: no server keeps a copy. Opening it runs nothing until Run is pressed."}
                </p>
            </section>
        </div>
    }
}
