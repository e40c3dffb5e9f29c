//! Opens the share link in the page's address: once on load, and again
//! whenever a link is pasted into this tab (only the fragment changes then).

use yew::prelude::*;

use super::PlaygroundHandle;
use crate::bindings::{self, FragmentListener};
use crate::state::open_link;

#[hook]
pub fn use_shared_link(handle: &PlaygroundHandle) {
    let dispatcher = handle.dispatcher();
    use_effect_with((), move |_| {
        let open = move |fragment: String| {
            if fragment.is_empty() {
                return;
            }
            dispatcher.dispatch(open_link(&fragment));
            // A reload now restores the draft, edits included, rather than
            // opening the link again over them.
            bindings::clear_fragment();
        };
        open(bindings::location_fragment());
        let listener = FragmentListener::new(open);
        move || drop(listener)
    });
}
