//! Freezes the browser engine's share of the standard library.
//!
//! Natively the whole of RustPython's `Lib` is frozen into the binary
//! (`rustpython/freeze-stdlib`). The browser downloads its engine, so there
//! only the modules named in `frozen-stdlib.txt` are frozen — what a session
//! imports at start, what the lessons and common snippets import — and the
//! rest of `Lib` is served beside the module and fetched when first imported
//! (`scripts/stdlib-files.mjs`, `www/stdlib-fs.js`). This script compiles
//! the named modules of `rustpython-pylib`'s `Lib` into a frozen library in
//! `OUT_DIR`, which `src/browser_stdlib.rs` includes.

use std::env;
use std::fs;
use std::path::{Path, PathBuf};

use rustpython_compiler_core::bytecode::BasicBag;
use rustpython_compiler_core::frozen::{FrozenCodeObject, FrozenLib, FrozenModule};
use rustpython_compiler_core::marshal;

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
    let list = fs::read_to_string("frozen-stdlib.txt").expect("read frozen-stdlib.txt");
    // `[not served]` names modules that are neither frozen nor served.
    let names: Vec<&str> = frozen_list::section(&list, "roots")
        .into_iter()
        .chain(frozen_list::section(&list, "imported"))
        .collect();
    let modules: Vec<(&str, FrozenModule<Vec<u8>>)> = names
        .iter()
        .map(|&name| (name, freeze(lib, name)))
        .collect();
    let frozen = FrozenLib::encode(modules.iter().map(|(name, module)| {
        let module = FrozenModule {
            code: FrozenCodeObject {
                bytes: &module.code.bytes[..],
            },
            package: module.package,
        };
        (*name, module)
    }));
    fs::write(out_dir.join("frozen_stdlib.bin"), frozen.bytes).expect("write frozen_stdlib.bin");
}

/// A module of `Lib` compiled as `py_freeze!` compiles it (the module's
/// name as its file name), its code object marshalled and stored as an LZ4
/// block that holds the bytes as they are.
///
/// RustPython reads every frozen code object as LZ4 (`FrozenCodeObject`);
/// compressed, module by module, it is bytes that brotli can no longer
/// shrink, and the module goes over the network brotli'd anyway: stored,
/// the engine module is 4.74 MB brotli instead of 5.10
/// (`docs/browser-engine.md`), and reading a module at start is a copy.
/// Each block is decoded here once, as the engine will, so a block it
/// could not read fails the build instead of the first import.
fn freeze(lib: &Path, name: &str) -> FrozenModule<Vec<u8>> {
    let (source, relative) = module_file(lib, name);
    let text = fs::read_to_string(&source).unwrap_or_else(|e| panic!("read {source:?}: {e}"));
    let code = rustpython_compiler::compile(
        &text,
        rustpython_compiler::Mode::Exec,
        name,
        rustpython_compiler::CompileOpts::default(),
    )
    .unwrap_or_else(|e| panic!("compile {source:?}: {e}"));
    let mut marshalled = Vec::new();
    marshal::serialize_code(&mut marshalled, &code);
    let code = FrozenCodeObject {
        bytes: lz4_stored(&marshalled),
    };
    code.decode(BasicBag);
    FrozenModule {
        code,
        package: relative.ends_with("__init__.py"),
    }
}

/// `data` as an LZ4 block of literals only, its length prepended (the
/// layout `lz4_flex::decompress_size_prepended` reads): a u32 of the length,
/// a token whose literal length is 15 or the length itself, the rest of the
/// length in bytes of 255 and a last one below it, then the bytes.
fn lz4_stored(data: &[u8]) -> Vec<u8> {
    let len = u32::try_from(data.len()).expect("a module's code fits in 4 GiB");
    let mut block = Vec::with_capacity(data.len() + data.len() / 255 + 6);
    block.extend_from_slice(&len.to_le_bytes());
    if data.len() < 15 {
        block.push((data.len() as u8) << 4);
    } else {
        block.push(0xF0);
        let mut rest = data.len() - 15;
        while rest >= 255 {
            block.push(255);
            rest -= 255;
        }
        block.push(rest as u8);
    }
    block.extend_from_slice(data);
    block
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
