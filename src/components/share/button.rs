//! The Share button of the top bar, which opens the Share dialog.

use yew::prelude::*;

use super::dialog::ShareDialog;

#[function_component(ShareButton)]
pub fn share_button() -> Html {
    crate::render_count::note("ShareButton");
    let open = use_state(|| false);
    let show = {
        let open = open.clone();
        Callback::from(move |_| open.set(true))
    };
    let on_close = {
        let open = open.clone();
        Callback::from(move |()| open.set(false))
    };
    html! {
        <>
            <button type="button" class="share-button" onclick={show}
                title="Copy a link to this playground: code, options and results">
                {"Share"}
            </button>
            if *open {
                <ShareDialog {on_close} />
            }
        </>
    }
}
