//! Every call from Rust into JavaScript: the CodeMirror editors, the
//! engines' glue modules (`www/app/rustpython-glue.js`, `cpython-glue.js`,
//! re-exported by `www/app/glue.js`, bundled next to the app as `glue.js`), the address's fragment, clipboard and downloads, and the
//! browser's confirmation dialog. Anything that can throw is imported with `catch`, so a
//! failure becomes an `Err` the app can show instead of a wasm trap.

use js_sys::{Function, Promise};
use pyrace_model::{EngineId, RunEvent, RunRequest};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::HtmlElement;

#[wasm_bindgen(raw_module = "./glue.js")]
extern "C" {
    /// A CodeMirror editor.
    pub type Editor;

    #[wasm_bindgen(catch, js_name = createEditor)]
    fn create_editor(
        parent: &HtmlElement,
        doc: &str,
        label: &str,
        on_change: &Function,
        read_only: bool,
    ) -> Result<Editor, JsValue>;

    #[wasm_bindgen(method, catch, js_name = setDoc)]
    fn set_doc(this: &Editor, text: &str) -> Result<(), JsValue>;

    #[wasm_bindgen(method, catch, js_name = markErrorLine)]
    fn mark_error_line(this: &Editor, line: u32) -> Result<(), JsValue>;

    #[wasm_bindgen(method, catch, js_name = setLineHeat)]
    fn set_line_heat(this: &Editor, json: &str) -> Result<(), JsValue>;

    #[wasm_bindgen(method, catch, js_name = setLabel)]
    fn set_label(this: &Editor, text: &str) -> Result<(), JsValue>;

    #[wasm_bindgen(method, catch)]
    fn destroy(this: &Editor) -> Result<(), JsValue>;

    /// A started engine, as every engine's glue module hands it over
    /// (`www/app/engine-handle.js`).
    #[derive(Clone)]
    pub type Engine;

    #[wasm_bindgen(catch, js_name = startRustpython)]
    fn start_rustpython(on_progress: &Function) -> Result<Promise, JsValue>;

    #[wasm_bindgen(catch, js_name = startCpython)]
    fn start_cpython(on_progress: &Function) -> Result<Promise, JsValue>;

    #[wasm_bindgen(method, getter)]
    pub fn name(this: &Engine) -> String;

    #[wasm_bindgen(method, getter)]
    pub fn threads(this: &Engine) -> bool;

    #[wasm_bindgen(method, getter)]
    pub fn isolated(this: &Engine) -> bool;

    #[wasm_bindgen(method, getter, js_name = timerResolution)]
    pub fn timer_resolution(this: &Engine) -> f64;

    #[wasm_bindgen(method, catch, js_name = run)]
    fn run_json(
        this: &Engine,
        request: &str,
        input: &str,
        on_event: &Function,
    ) -> Result<Promise, JsValue>;

    #[wasm_bindgen(method, catch)]
    fn stop(this: &Engine) -> Result<(), JsValue>;

    #[wasm_bindgen(method, catch, js_name = whenReady)]
    fn when_ready_promise(this: &Engine) -> Result<Promise, JsValue>;

    /// True when the page is inside another page's frame.
    #[wasm_bindgen(js_name = isFramed)]
    pub fn is_framed() -> bool;

    /// `relative` resolved against the page's address.
    #[wasm_bindgen(js_name = absoluteUrl)]
    pub fn absolute_url(relative: &str) -> String;

    #[wasm_bindgen(catch, js_name = watchEmbedHeight)]
    fn watch_embed_height_js(root: &HtmlElement, height: u32, origin: &str) -> Result<(), JsValue>;

    #[wasm_bindgen(js_name = locationFragment)]
    pub fn location_fragment() -> String;

    #[wasm_bindgen(catch, js_name = clearFragment)]
    fn clear_fragment_js() -> Result<(), JsValue>;

    #[wasm_bindgen(js_name = onFragmentChange)]
    fn on_fragment_change(on_change: &Function) -> Function;

    #[wasm_bindgen(js_name = pageAddress)]
    pub fn page_address() -> String;

    #[wasm_bindgen(js_name = nowIso)]
    pub fn now_iso() -> String;

    #[wasm_bindgen(catch, js_name = copyText)]
    fn copy_text_js(text: &str) -> Result<Promise, JsValue>;

    #[wasm_bindgen(catch, js_name = downloadText)]
    fn download_text_js(name: &str, mime: &str, text: &str) -> Result<(), JsValue>;

    #[wasm_bindgen(catch, js_name = readInputFile)]
    fn read_input_file_js(input: &web_sys::HtmlInputElement) -> Result<Promise, JsValue>;

    #[wasm_bindgen(catch, js_name = downloadChartSvg)]
    fn download_chart_svg_js(selector: &str, name: &str) -> Result<(), JsValue>;

    #[wasm_bindgen(catch, js_name = downloadChartPng)]
    fn download_chart_png_js(selector: &str, name: &str) -> Result<Promise, JsValue>;

    #[wasm_bindgen(catch, js_name = cardSvg)]
    fn card_svg_js(content: &str, chart_holder: &web_sys::Element) -> Result<String, JsValue>;

    #[wasm_bindgen(catch, js_name = downloadCardPng)]
    fn download_card_png_js(svg: &str, name: &str) -> Result<Promise, JsValue>;
}

async fn settle(promise: Result<Promise, JsValue>) -> Result<JsValue, String> {
    JsFuture::from(promise.map_err(|e| describe(&e))?)
        .await
        .map_err(|e| describe(&e))
}

/// Drops the fragment from the address (its state is open now).
pub fn clear_fragment() {
    if let Err(e) = clear_fragment_js() {
        log(&format!("address: {}", describe(&e)));
    }
}

/// A listener for fragment changes, removed when dropped.
pub struct FragmentListener {
    unsubscribe: Function,
    _on_change: Closure<dyn FnMut(String)>,
}

impl FragmentListener {
    pub fn new(on_change: impl FnMut(String) + 'static) -> Self {
        let on_change = Closure::new(on_change);
        let unsubscribe = on_fragment_change(on_change.as_ref().unchecked_ref());
        FragmentListener {
            unsubscribe,
            _on_change: on_change,
        }
    }
}

impl Drop for FragmentListener {
    fn drop(&mut self) {
        let _ = self.unsubscribe.call0(&JsValue::NULL);
    }
}

/// Copies text to the clipboard; `Err` says why the browser refused.
pub async fn copy_text(text: &str) -> Result<(), String> {
    settle(copy_text_js(text)).await.map(|_| ())
}

/// Offers text as a file download.
pub fn download_text(name: &str, mime: &str, text: &str) -> Result<(), String> {
    download_text_js(name, mime, text).map_err(|e| describe(&e))
}

/// The name and text of the file chosen in `input`; `Ok(None)` when none was.
pub async fn read_input_file(
    input: &web_sys::HtmlInputElement,
) -> Result<Option<(String, String)>, String> {
    let file = settle(read_input_file_js(input)).await?;
    if file.is_null() {
        return Ok(None);
    }
    let field = |key: &str| {
        js_sys::Reflect::get(&file, &JsValue::from_str(key))
            .ok()
            .and_then(|v| v.as_string())
            .unwrap_or_default()
    };
    Ok(Some((field("name"), field("text"))))
}

/// Downloads the chart at `selector` as a standalone SVG.
pub fn download_chart_svg(selector: &str, name: &str) -> Result<(), String> {
    download_chart_svg_js(selector, name).map_err(|e| describe(&e))
}

/// Downloads the chart at `selector` as a PNG.
pub async fn download_chart_png(selector: &str, name: &str) -> Result<(), String> {
    settle(download_chart_png_js(selector, name))
        .await
        .map(|_| ())
}

/// The result card as an SVG document (`www/app/card.js`), from what it
/// says (JSON) and the element holding the bar chart rendered for it.
pub fn card_svg(content: &str, chart_holder: &web_sys::Element) -> Result<String, String> {
    card_svg_js(content, chart_holder).map_err(|e| describe(&e))
}

/// Downloads the card's SVG document drawn as a 1200×630 PNG.
pub async fn download_card_png(svg: &str, name: &str) -> Result<(), String> {
    settle(download_card_png_js(svg, name)).await.map(|_| ())
}

/// A JavaScript error as text.
pub fn describe(error: &JsValue) -> String {
    error
        .dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| error.as_string())
        .unwrap_or_else(|| format!("{error:?}"))
}

/// An editor together with the closure it calls back, which must live as long.
pub struct EditorHandle {
    editor: Editor,
    _on_change: Closure<dyn FnMut(String)>,
}

impl EditorHandle {
    pub fn new(
        parent: &HtmlElement,
        doc: &str,
        label: &str,
        read_only: bool,
        on_change: impl FnMut(String) + 'static,
    ) -> Result<EditorHandle, String> {
        let on_change = Closure::new(on_change);
        let editor = create_editor(
            parent,
            doc,
            label,
            on_change.as_ref().unchecked_ref(),
            read_only,
        )
        .map_err(|e| describe(&e))?;
        Ok(EditorHandle {
            editor,
            _on_change: on_change,
        })
    }

    /// Replaces the text when it differs (e.g. a lesson was loaded).
    pub fn set_doc(&self, text: &str) {
        if let Err(e) = self.editor.set_doc(text) {
            log(&format!("editor: {}", describe(&e)));
        }
    }

    /// Marks the 1-based `line`; `None` clears the mark.
    pub fn mark_error_line(&self, line: Option<u32>) {
        if let Err(e) = self.editor.mark_error_line(line.unwrap_or(0)) {
            log(&format!("editor: {}", describe(&e)));
        }
    }

    pub fn set_label(&self, text: &str) {
        let _ = self.editor.set_label(text);
    }

    /// Shows time per line: JSON of the columns `www/app/line-heat.js`
    /// draws (`[]`: none).
    pub fn set_line_heat(&self, json: &str) {
        if let Err(e) = self.editor.set_line_heat(json) {
            log(&format!("editor: {}", describe(&e)));
        }
    }
}

impl Drop for EditorHandle {
    fn drop(&mut self) {
        let _ = self.editor.destroy();
    }
}

/// The callback an engine calls with each event's JSON text, as the engine
/// wrote it: parsed here, once, into a `RunEvent`. A line that does not
/// parse is logged with the engine's name, never shown as a result.
fn event_listener(
    engine: EngineId,
    mut on_event: impl FnMut(RunEvent) + 'static,
) -> Closure<dyn FnMut(String)> {
    Closure::<dyn FnMut(String)>::new(move |text: String| {
        match serde_json::from_str::<RunEvent>(&text) {
            Ok(event) => on_event(event),
            Err(e) => log(&format!(
                "unreadable {} event ({e}): {text}",
                engine.label()
            )),
        }
    })
}

/// A start of `engine`, as its glue module makes it: it reports `(loaded,
/// total)` bytes to `on_progress` while it downloads, and the promise
/// resolves with an [`Engine`] (see [`engine_of`]). `on_progress` must live
/// until the promise settles.
pub fn start_engine(
    engine: EngineId,
    on_progress: &Closure<dyn FnMut(f64, f64)>,
) -> Result<Promise, String> {
    let on_progress = on_progress.as_ref().unchecked_ref();
    match engine {
        EngineId::Rustpython => start_rustpython(on_progress),
        EngineId::Cpython => start_cpython(on_progress),
    }
    .map_err(|e| describe(&e))
}

/// The engine a start promise resolved with.
pub async fn engine_of(start: &Promise) -> Result<Engine, String> {
    JsFuture::from(start.clone())
        .await
        .map(JsCast::unchecked_into)
        .map_err(|e| describe(&e))
}

impl Engine {
    /// Runs `request` with the engine's own `input` (JSON text, or empty:
    /// see `engines::EngineAdapter::input`); `on_event` gets each event,
    /// parsed once from the text the engine wrote. Resolves with the glue's
    /// reply text once the run has ended; an `Err` says why the engine
    /// refused it.
    pub async fn run(
        &self,
        engine: EngineId,
        request: &RunRequest,
        input: &str,
        on_event: impl FnMut(RunEvent) + 'static,
    ) -> Result<String, String> {
        let request = serde_json::to_string(request).map_err(|e| e.to_string())?;
        let on_event = event_listener(engine, on_event);
        let promise = self
            .run_json(&request, input, on_event.as_ref().unchecked_ref())
            .map_err(|e| describe(&e))?;
        let reply = JsFuture::from(promise).await.map_err(|e| describe(&e));
        // The closure must outlive every event of the run: dropped only now.
        drop(on_event);
        reply.map(|v| v.as_string().unwrap_or_default())
    }

    pub fn stop_run(&self) {
        if let Err(e) = self.stop() {
            log(&format!("{} stop: {}", self.name(), describe(&e)));
        }
    }

    /// Waits until the process the next run will use is ready (after a
    /// crash or a Stop that ended it, a fresh one is starting). An `Err`
    /// says it failed to start.
    pub async fn when_ready(&self) -> Result<(), String> {
        let promise = self.when_ready_promise().map_err(|e| describe(&e))?;
        JsFuture::from(promise)
            .await
            .map(|_| ())
            .map_err(|e| describe(&e))
    }
}

/// Asks the person a yes/no question in the browser's own dialog. A dialog
/// that cannot be shown counts as "no": nothing is thrown away unasked.
pub fn confirm(message: &str) -> bool {
    let Some(window) = web_sys::window() else {
        return false;
    };
    window.confirm_with_message(message).unwrap_or_else(|e| {
        log(&format!("confirm: {}", describe(&e)));
        false
    })
}

/// Writes to the browser console.
pub fn log(message: &str) {
    web_sys::console::warn_1(&JsValue::from_str(message));
}

/// Logical cores the browser reports (`navigator.hardwareConcurrency`), at
/// least one.
pub fn cores() -> u32 {
    web_sys::window()
        .map(|w| w.navigator().hardware_concurrency())
        .filter(|n| n.is_finite() && *n >= 1.0)
        .map_or(1, |n| n as u32)
}

/// Calls `on_wheel` for wheel events over `target`, in a listener that may
/// cancel them (the page's own listeners are passive, so scrolling could
/// not be stopped there). Dropping the returned guard removes it.
pub fn on_wheel(
    target: &web_sys::Element,
    on_wheel: impl Fn(web_sys::WheelEvent) + 'static,
) -> Option<WheelListener> {
    let closure = Closure::<dyn Fn(web_sys::WheelEvent)>::new(on_wheel);
    let options = web_sys::AddEventListenerOptions::new();
    options.set_passive(false);
    target
        .add_event_listener_with_callback_and_add_event_listener_options(
            "wheel",
            closure.as_ref().unchecked_ref(),
            &options,
        )
        .ok()?;
    Some(WheelListener {
        target: target.clone(),
        closure,
    })
}

/// A wheel listener added by `on_wheel`, removed when dropped.
pub struct WheelListener {
    target: web_sys::Element,
    closure: Closure<dyn Fn(web_sys::WheelEvent)>,
}

impl Drop for WheelListener {
    fn drop(&mut self) {
        let _ = self
            .target
            .remove_event_listener_with_callback("wheel", self.closure.as_ref().unchecked_ref());
    }
}

/// Sizes the embed's `root` (a fixed `height`, or its content's) and tells
/// the framing page its height, posting only to `origin` (or, if `None`,
/// the framing page's origin as the browser reports it).
pub fn watch_embed_height(root: &HtmlElement, height: Option<u32>, origin: Option<&str>) {
    if let Err(e) = watch_embed_height_js(root, height.unwrap_or(0), origin.unwrap_or("")) {
        log(&format!("embed height: {}", describe(&e)));
    }
}
