//! The line above the panes after a link or file was opened: what opened
//! and that nothing ran, with the replaced code one click away; or, for a
//! link that cannot open, what is wrong with it.

use yew::prelude::*;

use crate::components::{use_handle, use_link, use_runs};
use crate::state::{Action, LinkNotice as Notice};

#[function_component(LinkNotice)]
pub fn link_notice() -> Html {
    crate::render_count::note("LinkNotice");
    let handle = use_handle();
    let link = use_link();
    let runs = use_runs();
    let Some(notice) = link.notice.clone() else {
        return html! {};
    };
    let dismiss = {
        let handle = handle.clone();
        Callback::from(move |_| handle.dispatch(Action::DismissLinkNotice))
    };
    match notice {
        Notice::Failed(message) => html! {
            <div class="link-notice failed" role="alert">
                <p>
                    <strong>{message}</strong>
                    {" Nothing from it was loaded or run: the playground is as you left it."}
                </p>
                <button type="button" class="dismiss" onclick={dismiss}>{"Dismiss"}</button>
            </div>
        },
        Notice::Opened(source) => {
            let restore = {
                let handle = handle.clone();
                Callback::from(move |_| handle.dispatch(Action::RestoreReplaced))
            };
            html! {
                <div class="link-notice opened" role="status">
                    <p>
                        {format!("Opened the playground shared in this {source}.")}
                        if runs.run().is_none() {
                            {" Nothing has run: press Run to measure it here."}
                        }
                        if link.replaced.is_some() {
                            {" The code you had before can be restored until you dismiss this or leave the page."}
                        }
                    </p>
                    if link.replaced.is_some() {
                        <button type="button" class="restore" onclick={restore}>{"Restore my previous code"}</button>
                    }
                    <button type="button" class="dismiss" onclick={dismiss}>{"Dismiss"}</button>
                </div>
            }
        }
    }
}
