//! A CodeMirror editor as a Yew component. The editor owns its text while a
//! person types (each edit is reported through `on_change`); a `doc` that
//! differs from the editor's text (a lesson was loaded) replaces it.

use std::cell::RefCell;
use std::rc::Rc;

use web_sys::HtmlElement;
use yew::prelude::*;

use crate::bindings::EditorHandle;

#[derive(Properties, PartialEq)]
pub struct CodeEditorProps {
    pub doc: AttrValue,
    /// Names the editor for screen readers.
    pub label: AttrValue,
    /// The run and 1-based line of an error to mark: keyed by run so the
    /// same line is marked again after a rerun.
    #[prop_or_default]
    pub error_mark: Option<(u64, u32)>,
    pub on_change: Callback<String>,
    /// Time per line, as JSON of the gutter's columns
    /// (`profile::line_heat`); empty: none.
    #[prop_or_default]
    pub line_heat: AttrValue,
    /// Shown but not editable (a read-only embed). Fixed when created.
    #[prop_or_default]
    pub read_only: bool,
}

#[function_component(CodeEditor)]
pub fn code_editor(props: &CodeEditorProps) -> Html {
    crate::render_count::note("CodeEditor");
    let host = use_node_ref();
    let editor: Rc<RefCell<Option<EditorHandle>>> = use_mut_ref(|| None);
    let failure = use_state(|| None::<String>);
    let on_change = use_mut_ref(|| props.on_change.clone());
    *on_change.borrow_mut() = props.on_change.clone();

    {
        let (host, editor, failure) = (host.clone(), editor.clone(), failure.clone());
        let (doc, label, read_only) = (props.doc.clone(), props.label.clone(), props.read_only);
        use_effect_with((), move |_| {
            if let Some(element) = host.cast::<HtmlElement>() {
                let report = move |text: String| {
                    // Cloned out first: emitting may re-render this component,
                    // which replaces the callback.
                    let callback = on_change.borrow().clone();
                    callback.emit(text);
                };
                match EditorHandle::new(&element, &doc, &label, read_only, report) {
                    Ok(handle) => *editor.borrow_mut() = Some(handle),
                    Err(reason) => failure.set(Some(reason)),
                }
            }
            move || drop(editor.borrow_mut().take())
        });
    }
    {
        let editor = editor.clone();
        use_effect_with(props.doc.clone(), move |doc| {
            if let Some(handle) = editor.borrow().as_ref() {
                handle.set_doc(doc);
            }
        });
    }
    {
        let editor = editor.clone();
        use_effect_with(props.label.clone(), move |label| {
            if let Some(handle) = editor.borrow().as_ref() {
                handle.set_label(label);
            }
        });
    }
    {
        let editor = editor.clone();
        use_effect_with(props.error_mark, move |mark| {
            if let Some(handle) = editor.borrow().as_ref() {
                handle.mark_error_line(mark.map(|(_, line)| line));
            }
        });
    }

    {
        let editor = editor.clone();
        use_effect_with(props.line_heat.clone(), move |heat| {
            if let Some(handle) = editor.borrow().as_ref() {
                handle.set_line_heat(if heat.is_empty() { "[]" } else { heat });
            }
        });
    }

    html! {
        <div class="code-editor">
            <div ref={host} class="code-editor-host"></div>
            if let Some(reason) = &*failure {
                <p class="pane-error" role="alert">{format!("The editor failed to start: {reason}")}</p>
            }
        </div>
    }
}
