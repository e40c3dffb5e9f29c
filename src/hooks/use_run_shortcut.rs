//! Ctrl+Enter (Cmd+Enter on a Mac) runs from anywhere on the page, even
//! inside an editor; while a run is going it stops it instead.

use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::Closure;
use web_sys::KeyboardEvent;
use yew::prelude::*;

use super::PlaygroundHandle;

#[hook]
pub fn use_run_shortcut(handle: &PlaygroundHandle) {
    // The listener is installed once and reads the newest handle from here.
    // The handle reads the state as of the last render when called, so the
    // listener made at the first render stays right.
    let handle = handle.clone();
    use_effect_with((), move |_| {
        let listener = Closure::<dyn Fn(KeyboardEvent)>::new(move |event: KeyboardEvent| {
            if event.key() != "Enter" || !(event.ctrl_key() || event.meta_key()) {
                return;
            }
            // Captured before CodeMirror sees it: its own Mod-Enter inserts a line.
            event.prevent_default();
            event.stop_propagation();
            if handle.running() {
                handle.stop();
            } else {
                handle.run();
            }
        });
        let window = web_sys::window().expect("the app runs in a window");
        let _ = window.add_event_listener_with_callback_and_bool(
            "keydown",
            listener.as_ref().unchecked_ref(),
            true,
        );
        move || {
            let _ = window.remove_event_listener_with_callback_and_bool(
                "keydown",
                listener.as_ref().unchecked_ref(),
                true,
            );
        }
    });
}
