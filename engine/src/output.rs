//! Program output: the `sys.stdout`/`sys.stderr` objects of a session and
//! the buffer behind them, which batches writes (a print loop must not become
//! one message per line in the browser) and caps their total size (a flood
//! must not exhaust memory or freeze the page).

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use pyrace_model::OutputStream;
use rustpython_vm::builtins::PyStrRef;
use rustpython_vm::{PyObjectRef, PyRef, PyResult, VirtualMachine, extend_class, py_class};

/// Where flushed output goes.
pub(crate) type Deliver = Arc<dyn Fn(OutputStream, &str) + Send + Sync>;

/// Batches and caps output written by any Python thread.
pub(crate) struct OutputBuffer {
    state: Mutex<BufferState>,
    deliver: Deliver,
    /// Writes closer together than this are delivered together; `None`
    /// delivers every write at once.
    batch: Option<Duration>,
    /// Bytes of output a run may produce before the rest is dropped.
    limit: Option<usize>,
}

struct BufferState {
    stream: OutputStream,
    pending: String,
    last_flush: Instant,
    written: usize,
    truncated: bool,
    muted: bool,
}

/// Largest batch held back before delivering.
const MAX_PENDING: usize = 16 * 1024;

impl OutputBuffer {
    pub(crate) fn new(deliver: Deliver, batch: Option<Duration>, limit: Option<usize>) -> Self {
        OutputBuffer {
            state: Mutex::new(BufferState {
                stream: OutputStream::Stdout,
                pending: String::new(),
                last_flush: Instant::now(),
                written: 0,
                truncated: false,
                muted: false,
            }),
            deliver,
            batch,
            limit,
        }
    }

    pub(crate) fn write(&self, stream: OutputStream, text: &str) {
        let mut st = self.state.lock().unwrap();
        if st.muted || st.truncated || text.is_empty() {
            return;
        }
        if st.stream != stream {
            self.flush_locked(&mut st);
            st.stream = stream;
        }
        let mut text = text;
        if let Some(limit) = self.limit {
            let room = limit.saturating_sub(st.written);
            if text.len() > room {
                let mut cut = room;
                while !text.is_char_boundary(cut) {
                    cut -= 1;
                }
                text = &text[..cut];
                st.truncated = true;
            }
        }
        st.written += text.len();
        st.pending.push_str(text);
        if st.truncated {
            st.pending.push_str(&format!(
                "\n[pyrace: output stopped after {} bytes; the program goes on]\n",
                self.limit.unwrap_or(0)
            ));
            self.flush_locked(&mut st);
            return;
        }
        let due = match self.batch {
            None => true,
            Some(every) => st.last_flush.elapsed() >= every || st.pending.len() >= MAX_PENDING,
        };
        if due {
            self.flush_locked(&mut st);
        }
    }

    pub(crate) fn flush(&self) {
        let mut st = self.state.lock().unwrap();
        self.flush_locked(&mut st);
    }

    /// Delivers a batch that has waited a whole batch interval. Called by
    /// the flusher thread (natively), so that text written just before a
    /// long computation does not wait for the next write.
    pub(crate) fn flush_if_stale(&self) {
        let Some(every) = self.batch else { return };
        let mut st = self.state.lock().unwrap();
        if !st.pending.is_empty() && st.last_flush.elapsed() >= every {
            self.flush_locked(&mut st);
        }
    }

    pub(crate) fn batch_interval(&self) -> Option<Duration> {
        self.batch
    }

    /// Starts a run's output afresh: nothing counted, nothing muted.
    pub(crate) fn reset(&self) {
        let mut st = self.state.lock().unwrap();
        self.flush_locked(&mut st);
        // A run's first write goes out at once, even if it follows the start
        // closely: the program may compute for long after it.
        if let Some(every) = self.batch {
            st.last_flush = Instant::now().checked_sub(every).unwrap_or(st.last_flush);
        }
        st.written = 0;
        st.truncated = false;
        st.muted = false;
    }

    /// Drops output while muted (repeat runs of a timed program).
    pub(crate) fn set_muted(&self, muted: bool) {
        let mut st = self.state.lock().unwrap();
        self.flush_locked(&mut st);
        st.muted = muted;
    }

    fn flush_locked(&self, st: &mut BufferState) {
        if !st.pending.is_empty() {
            // Delivered under the lock so that output of several threads
            // keeps the order in which it was written.
            (self.deliver)(st.stream, &st.pending);
            st.pending.clear();
        }
        st.last_flush = Instant::now();
    }
}

/// A file-like object whose `write` goes to `buffer` as `stream`.
pub(crate) fn stream_object(
    vm: &VirtualMachine,
    buffer: Arc<OutputBuffer>,
    stream: OutputStream,
) -> PyObjectRef {
    let ctx = &vm.ctx;
    let name = match stream {
        OutputStream::Stdout => "PyraceStdout",
        OutputStream::Stderr => "PyraceStderr",
    };
    // A class per stream, leaked once per session: repr() names the stream.
    let cls = PyRef::leak(py_class!(ctx, name, ctx.types.object_type.to_owned(), {}));
    let writer = Arc::clone(&buffer);
    let write = vm.new_method(
        "write",
        cls,
        move |_self: PyObjectRef, text: PyStrRef| -> PyResult<usize> {
            let text = text.to_string_lossy();
            writer.write(stream, &text);
            Ok(text.chars().count())
        },
    );
    let flush = vm.new_method("flush", cls, move |_self: PyObjectRef| buffer.flush());
    let isatty = vm.new_method("isatty", cls, |_self: PyObjectRef| false);
    let encoding = ctx.new_str("utf-8");
    extend_class!(ctx, cls, {
        "write" => write,
        "flush" => flush,
        "isatty" => isatty,
        "encoding" => encoding,
    });
    ctx.new_base_object(cls.to_owned(), None)
}
