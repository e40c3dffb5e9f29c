//! The result card of the Share dialog: a 1200×630 picture (PNG and SVG) of
//! the results for places that run no script, with the Markdown and HTML
//! that put it in a post linked to the share link. What it says comes from
//! `content`, its chart is the results panel's own `BarChart`,
//! and `www/app/card.js` draws the two together.

pub mod content;

browser_only! {
    mod card_chart;
    mod card_panel;
    mod card_snippet;

    pub use card_panel::CardPanel;
}
