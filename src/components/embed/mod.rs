//! The embed: the playground in compact form for another site's iframe
//! (`root`, with its `bar` and `panes`), the panel that writes the HTML
//! to embed the current state (`generator`), and their pure parts: the
//! embed's options (`options`) and the snippet's HTML (`snippet`).

pub mod options;
pub mod snippet;

browser_only! {
    mod bar;
    mod generator;
    mod panes;
    mod root;

    pub use generator::EmbedGenerator;
    pub use root::EmbedRoot;
}
