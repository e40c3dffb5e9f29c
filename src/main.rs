//! The `pyrace` web app's entry point; the app itself is the library.

#[cfg(target_arch = "wasm32")]
fn main() {
    pyrace::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("pyrace's web app runs in a browser: build it with scripts/build-app.sh");
}
