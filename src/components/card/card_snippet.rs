//! One snippet of the card (Markdown or HTML) in a box to copy from, with
//! its Copy button.

use wasm_bindgen_futures::spawn_local;
use web_sys::HtmlTextAreaElement;
use yew::prelude::*;

use crate::bindings;

#[derive(Properties, PartialEq)]
pub struct CardSnippetProps {
    /// "Markdown", "HTML".
    pub label: AttrValue,
    pub text: AttrValue,
}

#[function_component(CardSnippet)]
pub fn card_snippet(props: &CardSnippetProps) -> Html {
    let status = use_state(String::new);
    let copy = {
        let text = props.text.to_string();
        let status = status.clone();
        Callback::from(move |_: MouseEvent| {
            let text = text.clone();
            let status = status.clone();
            spawn_local(async move {
                status.set(match bindings::copy_text(&text).await {
                    Ok(()) => "copied".to_owned(),
                    Err(e) => format!("not copied ({e}): select it and copy"),
                });
            });
        })
    };
    let select_all = Callback::from(|e: FocusEvent| {
        let area: HtmlTextAreaElement = e.target_unchecked_into();
        area.select();
    });
    let key = props.label.to_lowercase();
    html! {
        <div class={classes!("card-snippet", format!("card-snippet-{key}"))}>
            <div class="card-snippet-head">
                <strong>{props.label.clone()}</strong>
                <button type="button" class="copy-snippet" onclick={copy}>{format!("Copy {}", props.label)}</button>
                <span class="muted" role="status">{(*status).clone()}</span>
            </div>
            <textarea class="share-link" readonly=true rows="3" spellcheck="false"
                aria-label={format!("{} snippet", props.label)} value={props.text.clone()} onfocus={select_all} />
        </div>
    }
}
