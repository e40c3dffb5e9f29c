//! Everything typed is saved in `localStorage` after each change and read
//! back on load, so a reload (or a crash) loses nothing.

use yew::prelude::*;

use super::Slice;
use crate::state::Draft;

/// Versioned so that a future incompatible draft format starts fresh.
const STORAGE_KEY: &str = "pyrace.draft.v1";

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// The saved draft, or the default one when there is none or it is unreadable.
pub fn load_draft() -> Draft {
    storage()
        .and_then(|s| s.get_item(STORAGE_KEY).ok().flatten())
        .and_then(|text| serde_json::from_str::<Draft>(&text).ok())
        .map(Draft::repaired)
        .unwrap_or_default()
}

/// Saves `draft` whenever it changes.
#[hook]
pub fn use_saved_draft(draft: &Slice<Draft>) {
    use_effect_with(draft.clone(), |draft| {
        if let (Some(storage), Ok(text)) = (storage(), serde_json::to_string(&**draft)) {
            // Storage may be full or disabled (private mode): the page works on.
            let _ = storage.set_item(STORAGE_KEY, &text);
        }
    });
}
