//! Open file…: opens a `.pyrace.json` file, the form a state too long for
//! a link is shared in.

use wasm_bindgen_futures::spawn_local;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::bindings;
use crate::components::use_handle;
use crate::state::open_file;

#[function_component(OpenFileButton)]
pub fn open_file_button() -> Html {
    crate::render_count::note("OpenFileButton");
    let handle = use_handle();
    let onchange = {
        let dispatcher = handle.dispatcher();
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            let dispatcher = dispatcher.clone();
            spawn_local(async move {
                match bindings::read_input_file(&input).await {
                    Ok(Some((name, text))) => dispatcher.dispatch(open_file(&name, &text)),
                    Ok(None) => {}
                    Err(e) => dispatcher.dispatch(crate::state::Action::OpenFailed(format!(
                        "The file could not be opened: {e}."
                    ))),
                }
            });
        })
    };
    html! {
        <label class="button open-file" title="Open a .pyrace.json file saved from Share">
            {"Open file…"}
            <input type="file" class="visually-hidden" accept=".json,application/json" {onchange} />
        </label>
    }
}
