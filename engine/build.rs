//! Freezes the browser engine's share of the standard library.
//!
//! Natively the whole of RustPython's `Lib` is frozen into the binary
//! (`rustpython/freeze-stdlib`). The browser downloads its engine, so there
//! only the modules named in `frozen-stdlib.txt` are frozen — what a session
//! imports at start, what the lessons and common snippets import — and the
//! rest of `Lib` is served beside the module and fetched when first imported
//! (`scripts/stdlib-files.mjs`, `www/stdlib-fs.js`). This script copies the
//! named modules out of `rustpython-pylib`'s `Lib` into `OUT_DIR` and writes
//! the `py_freeze!` call that compiles them (`src/browser_stdlib.rs`).

use std::env;
use std::fs;
use std::path::{Path, PathBuf};

#[path = "frozen_list.rs"]
mod frozen_list;

fn main() {
    println!("cargo:rerun-if-changed=frozen-stdlib.txt");
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=frozen_list.rs");
    println!("cargo:rerun-if-env-changed=PYRACE_WASM_LINK_MAP");
    if env::var("CARGO_CFG_TARGET_OS").as_deref() != Ok("wasi") {
        return;
    }
    // What each crate puts in the module, for scripts/wasm-map-sizes.mjs:
    // an environment variable rather than a flag, so that asking for the
    // map relinks the engine without recompiling its dependencies.
    if let Some(map) = env::var_os("PYRACE_WASM_LINK_MAP") {
        let map = map.to_str().expect("PYRACE_WASM_LINK_MAP is UTF-8");
        println!("cargo:rustc-link-arg-bin=pyrace=--Map={map}");
    }
    let lib = Path::new(rustpython_pylib::LIB_PATH);
    let out_dir = PathBuf::from(env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    let frozen = out_dir.join("frozen-stdlib");
    if frozen.exists() {
        fs::remove_dir_all(&frozen).expect("clear the frozen stdlib copy");
    }
    let list = fs::read_to_string("frozen-stdlib.txt").expect("read frozen-stdlib.txt");
    // `[not served]` names modules that are neither frozen nor served.
    let names = frozen_list::section(&list, "roots")
        .into_iter()
        .chain(frozen_list::section(&list, "imported"));
    for name in names {
        let (source, relative) = module_file(lib, name);
        let target = frozen.join(&relative);
        fs::create_dir_all(target.parent().expect("a module file has a directory"))
            .expect("create the frozen stdlib's directories");
        fs::copy(&source, &target).unwrap_or_else(|e| panic!("copy {source:?}: {e}"));
    }
    let call = format!(
        "rustpython_derive::py_freeze!(dir = {:?}, crate_name = \"rustpython_vm\")\n",
        frozen.to_str().expect("OUT_DIR is UTF-8")
    );
    fs::write(out_dir.join("frozen_stdlib.rs"), call).expect("write frozen_stdlib.rs");
}

/// The source file of a module in `Lib` (a package's `__init__.py`) and its
/// path relative to `Lib`.
fn module_file(lib: &Path, name: &str) -> (PathBuf, PathBuf) {
    let parts: PathBuf = name.split('.').collect();
    let package = parts.join("__init__.py");
    let module = parts.with_extension("py");
    for relative in [package, module] {
        let source = lib.join(&relative);
        if source.is_file() {
            return (source, relative);
        }
    }
    panic!("frozen-stdlib.txt names {name}, which RustPython's Lib ({lib:?}) does not have");
}
