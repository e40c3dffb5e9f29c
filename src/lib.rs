//! The pyrace web app: a Yew playground that sends the panes to the browser
//! engine as `RunRequest`s and draws the `RunEvent`s it streams back. The
//! pure parts (state, formatting, scales, lessons) build and test natively;
//! the interface itself exists only on wasm32.

/// Items of the interface, which exists only in the browser; the modules
/// beside them build and test natively too.
macro_rules! browser_only {
    ($($item:item)*) => { $(#[cfg(target_arch = "wasm32")] $item)* };
}

pub mod components;
pub mod engines;
pub mod format;
pub mod line_heat;
pub mod mode_text;
pub mod state;

browser_only! {
    mod app;
    mod bindings;
    mod hooks;
    mod render_count;
}

/// Renders the app into the page: the playground, or its compact embed
/// when the page says so (`app/embed.html` has `data-pyrace-mode="embed"`).
#[cfg(target_arch = "wasm32")]
pub fn start() {
    let document = web_sys::window().and_then(|w| w.document());
    let embed = document
        .as_ref()
        .and_then(|d| d.body())
        .and_then(|body| body.get_attribute("data-pyrace-mode"))
        .is_some_and(|mode| mode == "embed");
    // index.html shows a loading line in #app-root until the app replaces it.
    let root = document.and_then(|d| d.get_element_by_id("app-root"));
    if let Some(root) = &root {
        root.set_inner_html("");
    }
    match (root, embed) {
        (Some(root), true) => {
            yew::Renderer::<components::EmbedRoot>::with_root(root).render();
        }
        (Some(root), false) => {
            yew::Renderer::<app::App>::with_root(root).render();
        }
        (None, true) => {
            yew::Renderer::<components::EmbedRoot>::new().render();
        }
        (None, false) => {
            yew::Renderer::<app::App>::new().render();
        }
    }
}
