//! Every limit and default of a run and of what the playground keeps, in one
//! place: the app's reducer, the share codec, the lesson parser and the
//! engine's harness all read them here, so a value one of them accepts is
//! never cut or refused by another.

/// A closed range of seconds with the value used when none is given.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Seconds {
    pub min: f64,
    pub max: f64,
    pub default: f64,
}

impl Seconds {
    /// Whether `x` is a finite value inside the range.
    pub fn allows(&self, x: f64) -> bool {
        x.is_finite() && (self.min..=self.max).contains(&x)
    }

    /// `x` brought into the range; a value that is not a number gives the
    /// default.
    pub fn clamp(&self, x: f64) -> f64 {
        if x.is_nan() {
            self.default
        } else {
            x.clamp(self.min, self.max)
        }
    }

    /// `x`, or why it is outside the range, naming it `what`.
    pub fn check(&self, what: &str, x: f64) -> Result<f64, String> {
        if self.allows(x) {
            Ok(x)
        } else {
            Err(format!(
                "{what} must be from {} to {} seconds (it is {x})",
                self.min, self.max
            ))
        }
    }
}

/// Wall-clock budget of a whole comparison, sweep or set of timed programs.
/// The top bar offers a few values inside it; links, lessons and the CLI
/// may ask for any value inside it. The low end lets tests and quick CLI
/// checks run short; the high end keeps a shared link from holding a
/// reader's page for minutes.
pub const BUDGET: Seconds = Seconds {
    min: 0.1,
    max: 120.0,
    default: 5.0,
};

/// GIL mode's switch interval (`sys.setswitchinterval`); CPython's default
/// is 5 ms.
pub const SWITCH_INTERVAL: Seconds = Seconds {
    min: 0.000_1,
    max: 1.0,
    default: 0.005,
};

/// One sample lasts at least this long (seconds): far above timer
/// resolution, so a sample's error is dominated by real noise.
pub const TARGET_SAMPLE: f64 = 0.02;
/// Fewest rounds taken and thrown away after calibration, while the VM
/// warms up; the warm-up goes on until the samples settle
/// (`model::warmup`).
pub const WARMUP_ROUNDS: u32 = 1;
/// The warm-up's rule compares the median of the last this-many samples of
/// each variant with the median of as many before them.
pub const WARMUP_WINDOW: usize = 3;
/// … and calls them settled when the two are within this share of each
/// other.
pub const WARMUP_TOLERANCE: f64 = 0.05;
/// The warm-up ends at the latest when it has used this share of the time
/// a size has: a variant whose times never settle is measured anyway, and
/// the drift left is reported.
pub const WARMUP_SHARE: f64 = 0.3;
/// The kept rounds are taken in up to this many blocks, each with its own
/// order of the variants; how much the blocks disagree widens the
/// intervals (`model::blocks`).
pub const BLOCKS: usize = 4;
/// A block has at least this many rounds: the fewer rounds a run has, the
/// fewer blocks it is cut into (below two blocks, no widening).
pub const ROUNDS_PER_BLOCK: usize = 3;
/// Fewest rounds wanted; fewer are taken only when the budget runs out.
pub const MIN_ROUNDS: u32 = 5;
/// Most rounds taken, even if budget is left.
pub const MAX_ROUNDS: u32 = 200;

/// Variants side by side: the playground's panes, a link's variants, and
/// the chart colours (`series-0` … `series-5` in the app's CSS).
pub const MAX_VARIANTS: usize = 6;

/// Characters of output a pane keeps: the oldest go first, so a runaway
/// `print` loop cannot freeze the page.
pub const MAX_OUTPUT_CHARS: usize = 100_000;

// Share links and files: counted before compression, because lz-string
// output can grow quadratically with adversarial input.

/// Longest code or setup, in characters.
pub const MAX_TEXT_CHARS: usize = 50_000;
/// Longest name, lesson id, sweep, engine name or date, in characters.
pub const MAX_LABEL_CHARS: usize = 500;
/// Most characters of all texts together.
pub const MAX_TOTAL_CHARS: usize = 120_000;
/// Most UTF-16 units the compressed JSON may decompress to: above what the
/// largest valid state needs (every character escaped as `\u0000`), and
/// small enough that a crafted link cannot exhaust the page's memory.
pub const MAX_JSON_UNITS: usize = 1_000_000;
/// Longest fragment read (about what browsers keep of a URL).
pub const MAX_LINK_CHARS: usize = 2_000_000;

/// Engines a link may name (RustPython and CPython).
pub const MAX_ENGINES: usize = 2;

/// Least time between two redraws of a run's live view as samples stream
/// in (milliseconds): the page's own drawing runs on the reader's cores
/// beside the measurement, so it redraws a few times a second rather than
/// after every sample. Other events reach the page at once.
pub const LIVE_REDRAW_MS: u32 = 250;

/// The result card (Share → Card, 1200×630): lines of code it shows in all,
/// shared among the variants (the shared setup's first, at most
/// `CARD_SETUP_LINES`), each cut at this many characters, and the
/// characters of the share link it writes out (the image links to all of it).
pub const CARD_CODE_LINES: usize = 15;
pub const CARD_SETUP_LINES: usize = 3;
pub const CARD_LINE_CHARS: usize = 54;
pub const CARD_LINK_CHARS: usize = 96;

/// A profile whose hooks took at least this share of its traced time says
/// so beside the figures: its short lines and calls read far above what
/// they take untraced (docs/method.md, "What a profile reads").
pub const HOOKS_DOMINATE: f64 = 0.5;

/// Lines a line profile keeps per variant: far more than a playground
/// program has; lines met once the table is full are counted, not kept.
pub const MAX_PROFILE_LINES: usize = 10_000;
/// Nodes of a call tree per variant (one per distinct call path): a deep
/// recursion or a huge program folds further calls into their caller
/// instead of growing the tree without end.
pub const MAX_CALL_TREE_NODES: usize = 20_000;
/// Call trees a profile keeps, one per thread: the main thread's and the
/// busiest others'; the rest are merged into one tree of their calls (a
/// program that starts a thread per task still draws as a few trees).
pub const MAX_PROFILE_THREADS: usize = 16;
/// How often a profiled program in the browser asks whether the reader
/// pressed Stop (RustPython's tracer asks the host; natively and on
/// CPython the program is interrupted from outside): often enough that a
/// Stop answers at once, rarely enough to cost nothing measurable. The
/// host waits `STOP_GRACE_MS` (`www/kernel-layout.js`) for the program to
/// end by itself with its profile before ending it.
pub const STOP_POLL_SECONDS: f64 = 0.02;
/// Frames an icicle draws at most, shallow levels first, and the narrowest
/// frame it draws (a fraction of its width: under a pixel or two): a call
/// tree of any size draws quickly, the frames left out counted.
pub const MAX_FLAME_FRAMES: usize = 2_000;
pub const FLAME_MIN_WIDTH: f64 = 0.002;
/// Lines listed as the top allocators of a memory profile.
pub const MEMORY_TOP_LINES: usize = 10;
/// Most executions of a timed statement its memory figures count (per
/// size): past one, they only average the per-loop totals, and a counting
/// allocator or `tracemalloc` slows each one.
pub const MEMORY_LOOPS_MAX: u64 = 100;
/// Peaks of a comparison's variants are put in words when the highest is
/// this many times the lowest: a peak is measured once, without an
/// interval, and a counting allocator sees the interpreter's own
/// allocations too, so smaller gaps say little about the code.
pub const MEMORY_RATIO_WORTH_SAYING: f64 = 2.0;
/// A peak against a variant that held nothing is put in words from this
/// many bytes: a few hundred are the engine's own bookkeeping.
pub const MEMORY_PEAK_WORTH_SAYING: u64 = 1024;
/// Peaks of a sweep's sizes that all lie within this many bytes of each
/// other are flat, O(1): a few dozen bytes are an int outgrowing a digit or
/// an allocator's rounding, not memory that grows with `n`.
pub const MEMORY_FLAT_BYTES: u64 = 256;

/// Whether `s` is a Python identifier (ASCII or Unicode letters, digits
/// after the first character, underscores): sweep variables and the names
/// the same-result check reads.
pub fn is_identifier(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if c == '_' || c.is_alphabetic())
        && chars.all(|c| c == '_' || c.is_alphanumeric())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_lie_inside_their_ranges() {
        for range in [BUDGET, SWITCH_INTERVAL] {
            assert!(range.allows(range.default), "{range:?}");
            assert!(range.min > 0.0 && range.min < range.max);
        }
    }

    #[test]
    fn clamp_keeps_inside_and_moves_outside_to_the_ends() {
        assert_eq!(BUDGET.clamp(12.0), 12.0);
        assert_eq!(BUDGET.clamp(1e9), BUDGET.max);
        assert_eq!(BUDGET.clamp(-1.0), BUDGET.min);
        assert_eq!(BUDGET.clamp(f64::NAN), BUDGET.default);
        assert_eq!(SWITCH_INTERVAL.clamp(f64::INFINITY), SWITCH_INTERVAL.max);
    }

    #[test]
    fn check_names_the_value_and_the_range() {
        assert_eq!(BUDGET.check("the budget", 8.0), Ok(8.0));
        let refused = BUDGET.check("the budget", 300.0).unwrap_err();
        assert_eq!(
            refused,
            "the budget must be from 0.1 to 120 seconds (it is 300)"
        );
        assert!(BUDGET.check("the budget", f64::NAN).is_err());
        assert!(SWITCH_INTERVAL.check("the switch interval", 0.0).is_err());
    }

    #[test]
    fn identifiers() {
        for ok in ["n", "_x", "size2", "größe"] {
            assert!(is_identifier(ok), "{ok}");
        }
        for bad in ["", "2n", "a-b", "a b", "n="] {
            assert!(!is_identifier(bad), "{bad}");
        }
    }
}
