//! The pyrace web app. Its Yew interface is built on the engine events of
//! `pyrace-model`; until then this binary only links the shared model.

fn main() {
    let _ = pyrace_model::HarnessOptions::default();
}
