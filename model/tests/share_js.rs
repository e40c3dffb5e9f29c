//! JavaScript and Rust agree on share links: a link written by the npm
//! `lz-string` (fixtures/make-share-link.mjs) opens here as the state its
//! JSON says, and the Rust side packs that same JSON into the same link.

use pyrace_model::share;
use pyrace_model::{Mode, ThreadMode};

const LINK: &str = include_str!("fixtures/share-link.txt");
const JSON: &str = include_str!("fixtures/share-link.json");

#[test]
fn a_link_made_by_npm_lz_string_opens_as_its_state() {
    let state = share::decode(LINK.trim()).expect("the JavaScript link decodes");
    assert_eq!(state, share::from_json(JSON).unwrap());
    assert_eq!(state.mode, Mode::Compare);
    assert!(
        state
            .setup
            .contains("𝔘nicode: שלום, مرحبا, \u{202E}evil\u{202C}, NUL:\0, 😀")
    );
    assert_eq!(state.variants[1].name, "set ✓");
    assert_eq!(state.variants[1].setup, "x = '\\u0000'");
    assert_eq!(state.variants[1].thread_mode, Some(ThreadMode::Gil));
    assert_eq!(state.options.budget, Some(2.5));
    let results = state.results.expect("the snapshot survives");
    assert_eq!(results.engine, "RustPython 0.6.0 (browser)");
    assert_eq!(results.variants[0].median, 4.1e-6);
    assert_eq!(results.variants[0].ratio_high, 101.2);
}

#[test]
fn rust_packs_the_same_json_into_the_same_link() {
    let packed = format!(
        "v1.{}",
        lz_str::compress_to_encoded_uri_component(JSON.trim_end())
    );
    assert_eq!(packed, LINK.trim());
}
