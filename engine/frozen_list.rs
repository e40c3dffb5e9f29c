//! Reads `frozen-stdlib.txt`, the browser engine's list of frozen stdlib
//! modules: `[section]` headers, one module name per line, `#` starting a
//! comment. Shared by `build.rs` (which freezes `[roots]` and `[imported]`)
//! and `tests/frozen_stdlib.rs` (which checks that `[imported]` is whole),
//! so that both read the list the same way.

/// The module names of the list's section `[name]`, in the list's order.
pub fn section<'a>(list: &'a str, name: &str) -> Vec<&'a str> {
    let header = format!("[{name}]");
    list.lines()
        .map(|line| line.split('#').next().unwrap_or("").trim())
        .skip_while(|line| *line != header)
        .skip(1)
        .take_while(|line| !line.starts_with('['))
        .filter(|line| !line.is_empty())
        .collect()
}
