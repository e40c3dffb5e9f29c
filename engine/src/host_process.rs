//! The browser host's process services (WASI only): pipes, named
//! semaphores and child processes that live outside this engine instance.
//!
//! In the browser every Python process is an engine instance of its own, in
//! workers of its own, with its own memory; what processes share (pipes,
//! semaphores, the process table) lives in the host, in memory shared by all
//! of them. The host offers one import, `pyrace_host.call`: a JSON request
//! in, a JSON reply out. Python reaches it as `_pyrace.host_call`, and the
//! shims `_pyrace_procs` and `_multiprocessing` build `multiprocessing`'s
//! spawn start method on it. A call may block (waiting for a child, a
//! semaphore, a free process): the host waits with `Atomics.wait`.

/// Room for the host's reply; replies are a few numbers.
const REPLY_CAPACITY: usize = 64 * 1024;

#[link(wasm_import_module = "pyrace_host")]
unsafe extern "C" {
    /// Runs `request` (JSON, `len` bytes) and writes the JSON reply into
    /// `out` (room for `cap` bytes). Returns the reply's length, or -1 when
    /// it did not fit.
    #[link_name = "call"]
    fn host_call(request: *const u8, len: usize, out: *mut u8, cap: usize) -> isize;
}

/// Sends `request` to the host; its reply, or why there is none.
pub(crate) fn call(request: &str) -> Result<String, String> {
    let mut reply = vec![0u8; REPLY_CAPACITY];
    // SAFETY: both buffers are valid for the lengths given for the whole
    // call; the host reads `request` and writes at most `cap` bytes of `out`.
    let n = unsafe {
        host_call(
            request.as_ptr(),
            request.len(),
            reply.as_mut_ptr(),
            reply.len(),
        )
    };
    let n = usize::try_from(n).map_err(|_| "the host's reply did not fit".to_owned())?;
    reply.truncate(n);
    String::from_utf8(reply).map_err(|_| "the host's reply is not UTF-8".to_owned())
}
