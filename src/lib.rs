//! The pyrace web app: a Yew playground that sends the panes to the browser
//! engine as `RunRequest`s and draws the `RunEvent`s it streams back. The
//! pure parts (state, formatting, scales, lessons) build and test natively;
//! the interface itself exists only on wasm32.

pub mod chart_scale;
pub mod export;
pub mod format;
pub mod lessons;
pub mod prose;
pub mod state;

#[cfg(target_arch = "wasm32")]
mod app;
#[cfg(target_arch = "wasm32")]
mod bindings;
#[cfg(target_arch = "wasm32")]
mod components;
#[cfg(target_arch = "wasm32")]
mod hooks;

/// Renders the app into the page.
#[cfg(target_arch = "wasm32")]
pub fn start() {
    // index.html shows a loading line in #app-root until the app replaces it.
    let root = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("app-root"));
    match root {
        Some(root) => {
            root.set_inner_html("");
            yew::Renderer::<app::App>::with_root(root).render();
        }
        None => {
            yew::Renderer::<app::App>::new().render();
        }
    }
}
