//! Describes a Python exception as a `PyError`: which part of the request
//! it is in, the line and column, and the traceback as Python prints it.

use pyrace_model::{PyError, PyErrorKind};
use rustpython_vm::builtins::PyBaseExceptionRef;
use rustpython_vm::{AsObject, PyObjectRef, TryFromObject, VirtualMachine};

/// What a `MemoryError` without a message of its own says.
fn out_of_memory() -> String {
    format!(
        "the program used all the memory the engine may use ({} MB)",
        crate::memory::LIMIT_MIB
    )
}

/// The filename code of `part` is compiled under (shown in tracebacks).
pub(crate) fn filename_of(part: &str) -> String {
    format!("<{part}>")
}

fn part_of(filename: &str) -> String {
    filename
        .strip_prefix('<')
        .and_then(|f| f.strip_suffix('>'))
        .unwrap_or(filename)
        .to_owned()
}

/// What `support.describe` returns: type, message, file, line, column, traceback.
type Described = (
    String,
    String,
    Option<String>,
    Option<u32>,
    Option<u32>,
    String,
);

/// Describes `exc` through `support.describe`; `timed_out` marks an
/// interrupt raised by the watchdog.
pub(crate) fn describe(
    vm: &VirtualMachine,
    support_describe: &PyObjectRef,
    exc: &PyBaseExceptionRef,
    timed_out: bool,
) -> PyError {
    let described = support_describe
        .call((exc.clone(),), vm)
        .and_then(|json| String::try_from_object(vm, json))
        .ok()
        .and_then(|json| serde_json::from_str::<Described>(&json).ok());
    let is_syntax = exc.fast_isinstance(vm.ctx.exceptions.syntax_error);
    let kind = if timed_out {
        PyErrorKind::Timeout
    } else if is_syntax {
        PyErrorKind::Syntax
    } else {
        PyErrorKind::Exception
    };
    match described {
        Some((exc_type, message, filename, line, column, mut traceback)) => PyError {
            kind,
            message: if exc_type == "MemoryError" && message.is_empty() {
                // As the traceback's last line says it too.
                if let Some(head) = traceback.strip_suffix("MemoryError\n") {
                    traceback = format!("{head}MemoryError: {}\n", out_of_memory());
                }
                out_of_memory()
            } else {
                message
            },
            exc_type,
            part: filename.as_deref().map(part_of),
            line,
            column,
            traceback,
        },
        None => {
            let mut traceback = String::new();
            let _ = vm.write_exception(&mut traceback, exc);
            PyError {
                kind,
                exc_type: exc.class().name().to_string(),
                message: exc
                    .as_object()
                    .str(vm)
                    .map(|s| s.to_string_lossy().into_owned())
                    .unwrap_or_default(),
                part: None,
                line: None,
                column: None,
                traceback,
            }
        }
    }
}
