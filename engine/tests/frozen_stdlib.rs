//! The browser engine freezes only part of the stdlib (`frozen-stdlib.txt`,
//! `build.rs`); what is not frozen is fetched over the network when first
//! imported. This checks that the list is whole: importing its roots here,
//! natively (where everything is frozen), imports nothing of `Lib` that the
//! list leaves out, so a session's start, the lessons and the common
//! snippets never wait for a download. Imports that fail count too (a
//! finder records every name asked for): in the browser a failed lookup of a
//! served module downloads it first, so such a module is frozen or, when the
//! browser can never import it, in `[not served]`. When it fails it prints
//! the `[imported]` section to paste into the list.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

#[path = "../frozen_list.rs"]
mod frozen_list;

const LIST: &str = include_str!("../frozen-stdlib.txt");

/// The names of one `[section]` of the list.
fn section(name: &str) -> BTreeSet<String> {
    frozen_list::section(LIST, name)
        .into_iter()
        .map(str::to_owned)
        .collect()
}

/// Whether `name` is a module of RustPython's `Lib` (and not one of the
/// interpreter's own frozen or native modules).
fn in_lib(name: &str) -> bool {
    let lib = Path::new(rustpython_pylib::LIB_PATH);
    let parts: std::path::PathBuf = name.split('.').collect();
    lib.join(&parts).join("__init__.py").is_file() || lib.join(parts.with_extension("py")).is_file()
}

#[test]
fn the_frozen_list_holds_everything_its_roots_import() {
    let roots = section("roots");
    let listed = section("imported");
    let not_served = section("not served");
    let code = format!(
        "import sys\n\
         asked = set()\n\
         class Asked:\n    def find_spec(self, name, path=None, target=None):\n        asked.add(name)\n\
         sys.meta_path.insert(0, Asked())\n\
         for name in {roots:?}:\n    __import__(name)\n\
         print('\\n'.join(sorted(set(sys.modules) | asked)))\n",
        roots = roots.iter().collect::<Vec<_>>()
    );
    let out = Command::new(env!("CARGO_BIN_EXE_pyrace"))
        .args(["-c", &code])
        .output()
        .expect("pyrace runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let imported: BTreeSet<String> = stdout
        .lines()
        .filter(|name| in_lib(name) && !roots.contains(*name) && !not_served.contains(*name))
        .map(str::to_owned)
        .collect();
    assert!(
        imported == listed,
        "frozen-stdlib.txt's [imported] section is out of date; it should read:\n\n[imported]\n{}\n",
        imported.iter().cloned().collect::<Vec<_>>().join("\n")
    );
}
