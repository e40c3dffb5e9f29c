//! The pyrace web app: a Yew playground that sends the panes to the browser
//! engine as `RunRequest`s and draws the `RunEvent`s it streams back. The
//! pure parts (state, formatting, scales, lessons) build and test natively;
//! the interface itself exists only on wasm32.

pub mod card_content;
pub mod chart_scale;
pub mod chart_stripes;
pub mod embed_options;
pub mod embed_snippet;
pub mod engines;
pub mod export;
pub mod format;
pub mod lessons;
pub mod line_heat;
pub mod mode_text;
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
#[cfg(target_arch = "wasm32")]
mod render_count;

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
