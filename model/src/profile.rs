//! A profile of one variant's run under `cProfile`: one row per function,
//! with `pstats`' columns, which the app shows as a sortable table.

use serde::{Deserialize, Serialize};

/// What `cProfile` measured over one program run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Profile {
    pub rows: Vec<ProfileRow>,
}

/// One function's line of `pstats` output.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProfileRow {
    /// `~` for built-in functions, as `pstats` prints them.
    pub file: String,
    pub line: u32,
    pub function: String,
    /// Calls, recursive ones included.
    pub ncalls: u64,
    /// Calls that were not recursive (`pstats` prints `ncalls/primitive`
    /// when they differ).
    pub primitive_calls: u64,
    /// Seconds spent in the function itself, callees excluded.
    pub tottime: f64,
    /// Seconds spent in the function and everything it called.
    pub cumtime: f64,
}

/// Orders of the profile table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProfileSort {
    Calls,
    OwnTime,
    Cumulative,
    PerCallOwn,
    PerCallCumulative,
    Name,
}

impl ProfileRow {
    /// `ncalls` as `pstats` prints it: `12/3` for recursive functions.
    pub fn calls_label(&self) -> String {
        if self.primitive_calls != self.ncalls {
            format!("{}/{}", self.ncalls, self.primitive_calls)
        } else {
            self.ncalls.to_string()
        }
    }

    /// Own time per call (`tottime / ncalls`).
    pub fn own_per_call(&self) -> f64 {
        if self.ncalls > 0 {
            self.tottime / self.ncalls as f64
        } else {
            0.0
        }
    }

    /// Cumulative time per primitive call, as `pstats` divides it.
    pub fn cumulative_per_call(&self) -> f64 {
        if self.primitive_calls > 0 {
            self.cumtime / self.primitive_calls as f64
        } else {
            0.0
        }
    }

    /// `file:line(function)`, `pstats`' last column.
    pub fn location(&self) -> String {
        if self.file == "~" {
            format!("~:0({})", self.function)
        } else {
            format!("{}:{}({})", self.file, self.line, self.function)
        }
    }
}

impl Profile {
    /// The rows in `sort` order: largest figures first, names A to Z.
    pub fn sorted(&self, sort: ProfileSort) -> Vec<&ProfileRow> {
        let mut rows: Vec<&ProfileRow> = self.rows.iter().collect();
        let key = |r: &ProfileRow| match sort {
            ProfileSort::Calls => r.ncalls as f64,
            ProfileSort::OwnTime => r.tottime,
            ProfileSort::Cumulative => r.cumtime,
            ProfileSort::PerCallOwn => r.own_per_call(),
            ProfileSort::PerCallCumulative => r.cumulative_per_call(),
            ProfileSort::Name => 0.0,
        };
        rows.sort_by(|a, b| {
            if sort == ProfileSort::Name {
                a.function.cmp(&b.function).then(a.line.cmp(&b.line))
            } else {
                key(b).total_cmp(&key(a)).then(a.function.cmp(&b.function))
            }
        });
        rows
    }

    /// Function calls in all, as `pstats`' header counts them.
    pub fn total_calls(&self) -> u64 {
        self.rows.iter().map(|r| r.ncalls).sum()
    }

    /// Seconds the profiled code took, by the profiler's clock: the sum of
    /// own times.
    pub fn total_time(&self) -> f64 {
        self.rows.iter().map(|r| r.tottime).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(function: &str, ncalls: u64, primitive: u64, tottime: f64, cumtime: f64) -> ProfileRow {
        ProfileRow {
            file: "prog".into(),
            line: 1,
            function: function.into(),
            ncalls,
            primitive_calls: primitive,
            tottime,
            cumtime,
        }
    }

    fn profile() -> Profile {
        Profile {
            rows: vec![
                row("main", 1, 1, 0.01, 1.0),
                row("fib", 177, 1, 0.6, 0.6),
                row("helper", 1000, 1000, 0.39, 0.39),
            ],
        }
    }

    #[test]
    fn rows_sort_by_cumulative_own_and_per_call_time() {
        let p = profile();
        let names =
            |sort| -> Vec<String> { p.sorted(sort).iter().map(|r| r.function.clone()).collect() };
        assert_eq!(names(ProfileSort::Cumulative), ["main", "fib", "helper"]);
        assert_eq!(names(ProfileSort::OwnTime), ["fib", "helper", "main"]);
        assert_eq!(names(ProfileSort::Calls), ["helper", "fib", "main"]);
        assert_eq!(
            names(ProfileSort::PerCallCumulative),
            ["main", "fib", "helper"]
        );
        assert_eq!(names(ProfileSort::PerCallOwn), ["main", "fib", "helper"]);
        assert_eq!(names(ProfileSort::Name), ["fib", "helper", "main"]);
    }

    #[test]
    fn recursive_calls_print_as_pstats_does() {
        let p = profile();
        assert_eq!(p.rows[1].calls_label(), "177/1");
        assert_eq!(p.rows[2].calls_label(), "1000");
        assert!((p.rows[1].cumulative_per_call() - 0.6).abs() < 1e-12);
        assert!((p.rows[2].own_per_call() - 0.00039).abs() < 1e-12);
        assert_eq!(p.total_calls(), 1178);
        assert!((p.total_time() - 1.0).abs() < 1e-12);
        let builtin = ProfileRow {
            file: "~".into(),
            line: 0,
            function: "<built-in method builtins.len>".into(),
            ..row("", 1, 1, 0.0, 0.0)
        };
        assert_eq!(builtin.location(), "~:0(<built-in method builtins.len>)");
        assert_eq!(p.rows[0].location(), "prog:1(main)");
    }
}
