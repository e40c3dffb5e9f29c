//! How many times each component has rendered on this page, kept in
//! `window.pyraceRenders` (`{BarChart: 3, …}`): what the page's tests read
//! to check that typing re-renders no chart and a streamed sample no
//! editor. One property write per render; nothing else reads it.

use js_sys::Reflect;
use wasm_bindgen::JsValue;

const PROPERTY: &str = "pyraceRenders";

/// Counts one render of `component`.
pub fn note(component: &'static str) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let property = JsValue::from_str(PROPERTY);
    let counts = match Reflect::get(&window, &property) {
        Ok(counts) if counts.is_object() => counts,
        _ => {
            let counts: JsValue = js_sys::Object::new().into();
            let _ = Reflect::set(&window, &property, &counts);
            counts
        }
    };
    let key = JsValue::from_str(component);
    let seen = Reflect::get(&counts, &key)
        .ok()
        .and_then(|n| n.as_f64())
        .unwrap_or(0.0);
    let _ = Reflect::set(&counts, &key, &JsValue::from_f64(seen + 1.0));
}
