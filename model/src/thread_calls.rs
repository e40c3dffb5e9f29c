//! A profile's call trees, one per thread: the thread that ran the program
//! first, then the others by their time, busiest first. A program that
//! starts more threads than `limits::MAX_PROFILE_THREADS` keeps that many
//! trees; the rest are merged into one, so that no call is lost.

use serde::{Deserialize, Serialize};

use crate::call_tree::CallTree;
use crate::limits::MAX_PROFILE_THREADS;

/// One thread's calls.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ThreadCalls {
    /// `threading`'s name of the thread (`MainThread`, `Thread-1 (work)`).
    pub name: String,
    /// The thread's identifier while it ran (`threading.get_ident()`);
    /// 0 for the merged tree of the threads past the bound.
    pub ident: u64,
    /// The thread that ran the program (its `<module>` is at its top).
    #[serde(default)]
    pub main: bool,
    pub calls: CallTree,
}

impl ThreadCalls {
    /// The thread that ran the program, as the only one (a program that
    /// started no thread).
    pub fn main_thread(calls: CallTree) -> ThreadCalls {
        ThreadCalls {
            name: "MainThread".into(),
            ident: 0,
            main: true,
            calls,
        }
    }

    /// Seconds under the thread's top calls.
    pub fn seconds(&self) -> f64 {
        self.calls.total()
    }
}

/// `threads` in the order a reader looks at them (the main thread, then
/// the others by time, most first, then by name), each tree checked and
/// cut to its bound (`CallTree::bounded`), at most `MAX_PROFILE_THREADS`
/// of them: the last kept is then the merged tree of the rest, named for
/// how many threads it holds.
pub fn ordered(threads: Vec<ThreadCalls>) -> Result<Vec<ThreadCalls>, String> {
    let mut threads = threads
        .into_iter()
        .map(|t| {
            Ok(ThreadCalls {
                calls: t.calls.bounded()?,
                ..t
            })
        })
        .collect::<Result<Vec<_>, String>>()?;
    threads.sort_by(|a, b| {
        b.main
            .cmp(&a.main)
            .then(b.seconds().total_cmp(&a.seconds()))
            .then_with(|| a.name.cmp(&b.name))
    });
    if threads.len() > MAX_PROFILE_THREADS {
        let rest = threads.split_off(MAX_PROFILE_THREADS - 1);
        threads.push(ThreadCalls {
            name: format!("{} other threads", rest.len()),
            ident: 0,
            main: false,
            calls: CallTree::merged(rest.iter().map(|t| &t.calls)),
        });
    }
    Ok(threads)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::call_tree::{CallTreeBuilder, Frame};

    /// A thread that ran `function` for `seconds`.
    fn thread(name: &str, ident: u64, main: bool, function: &str, seconds: f64) -> ThreadCalls {
        let mut b = CallTreeBuilder::default();
        b.enter(&Frame::new(function, "prog", 1), 0.0);
        ThreadCalls {
            name: name.into(),
            ident,
            main,
            calls: b.finish(seconds),
        }
    }

    #[test]
    fn the_main_thread_comes_first_then_the_busiest() {
        let threads = ordered(vec![
            thread("Thread-1 (light)", 11, false, "light", 1.0),
            thread("Thread-2 (heavy)", 12, false, "heavy", 3.0),
            thread("MainThread", 1, true, "<module>", 2.0),
        ])
        .unwrap();
        let names: Vec<&str> = threads.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(
            names,
            ["MainThread", "Thread-2 (heavy)", "Thread-1 (light)"]
        );
        assert_eq!(threads[1].seconds(), 3.0);
    }

    #[test]
    fn threads_past_the_bound_merge_into_one_tree() {
        let mut threads = vec![thread("MainThread", 1, true, "<module>", 0.5)];
        let extra = MAX_PROFILE_THREADS + 4;
        for i in 0..extra {
            // Every worker runs the same function, for 1 to `extra` seconds.
            threads.push(thread(
                &format!("Thread-{i}"),
                100 + i as u64,
                false,
                "task",
                1.0 + i as f64,
            ));
        }
        let kept = ordered(threads).unwrap();
        assert_eq!(kept.len(), MAX_PROFILE_THREADS);
        assert!(kept[0].main);
        // The busiest workers kept whole…
        assert_eq!(kept[1].seconds(), extra as f64);
        let merged = kept.last().unwrap();
        // …and the rest (the 6 least busy, 1 to 6 s) as one tree.
        let rest = extra - (MAX_PROFILE_THREADS - 2);
        assert_eq!(merged.name, format!("{rest} other threads"));
        assert_eq!(merged.ident, 0);
        assert_eq!(merged.calls.nodes.len(), 1, "the same path is one node");
        assert_eq!(merged.calls.nodes[0].calls, rest as u64);
        let expected: f64 = (1..=rest).map(|s| s as f64).sum();
        assert!((merged.seconds() - expected).abs() < 1e-9);
    }

    #[test]
    fn a_thread_whose_tree_points_nowhere_is_refused() {
        let mut bad = thread("MainThread", 1, true, "<module>", 1.0);
        bad.calls.nodes[0].frame = 7;
        assert!(ordered(vec![bad]).is_err());
    }
}
