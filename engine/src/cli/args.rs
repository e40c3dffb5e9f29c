//! The command-line arguments of `pyrace`.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};
use pyrace_model::Variant;

#[derive(Parser)]
#[command(
    name = "pyrace",
    version,
    about = "Run and time Python snippets side by side"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand)]
pub enum Command {
    /// Run a Python program, streaming its output.
    Run(RunArgs),
    /// Time statements against each other.
    Compare(CompareArgs),
    /// Read one JSON run request on stdin; write its events as JSON lines.
    Request,
    /// Run a lesson file: print its table and check its claims.
    Lesson(LessonArgs),
    /// Profile a program: its call tree, its lines, its memory.
    Profile(ProfileArgs),
}

#[derive(Args)]
pub struct ProfileArgs {
    /// The program.
    pub file: PathBuf,
    /// A table of every line: hits, time, time per hit, % of the run.
    #[arg(long)]
    pub lines: bool,
    /// The memory the program allocated: its peak and, with `--lines`,
    /// each line's peak.
    #[arg(long)]
    pub memory: bool,
    /// Write the call tree as a speedscope file.
    #[arg(long, value_name = "OUT.json")]
    pub speedscope: Option<PathBuf>,
    /// Write the call tree as collapsed stacks (`a;b;c 123`, microseconds).
    #[arg(long, value_name = "OUT.txt")]
    pub collapsed: Option<PathBuf>,
    /// Print one JSON object per line of code (and one for memory).
    #[arg(long)]
    pub json: bool,
    /// Profile under this CPython interpreter instead.
    #[arg(long, value_name = "PATH")]
    pub python: Option<String>,
    /// Stop the program after this many seconds (its profile is kept).
    #[arg(long, value_name = "SECONDS", default_value_t = 60.0)]
    pub timeout: f64,
}

#[derive(Args)]
pub struct LessonArgs {
    /// The lesson, e.g. `lessons/membership.md`.
    pub file: PathBuf,
    /// Wall-clock seconds for the comparison [default: the lesson's, or 5].
    #[arg(long, value_name = "SECONDS")]
    pub budget: Option<f64>,
    /// Also measure under this CPython interpreter, show both, and print
    /// CPython's figures as the lesson's `cpython` block.
    #[arg(long, value_name = "PATH")]
    pub python: Option<String>,
}

#[derive(Args)]
pub struct RunArgs {
    /// The program.
    pub file: PathBuf,
    /// Stop the program after this many seconds.
    #[arg(long, value_name = "SECONDS")]
    pub timeout: Option<f64>,
    /// Run with a GIL, as CPython's default build does (threads take turns).
    #[arg(long)]
    pub gil: bool,
    /// Print one JSON event per line instead of plain output.
    #[arg(long)]
    pub json: bool,
}

#[derive(Args)]
pub struct CompareArgs {
    /// `NAME=STMT` pairs, or files of cells (`#%% setup`, `#%% NAME`).
    #[arg(value_name = "NAME=STMT | FILE.py", required = true)]
    pub variants: Vec<String>,
    /// Code run before each variant, not timed.
    #[arg(long, short = 's', value_name = "CODE")]
    pub setup: Option<String>,
    /// Time over sizes, e.g. `n=10,100,1000,10000`; setup and statements see `n`.
    #[arg(long, value_name = "VAR=SIZES")]
    pub sweep: Option<String>,
    /// Time whole programs (each variant is a program) instead of statements.
    #[arg(long)]
    pub program: bool,
    /// Run every variant with a GIL, as CPython's default build does.
    #[arg(long)]
    pub gil: bool,
    /// Wall-clock seconds for the whole comparison [default: 5].
    #[arg(long, value_name = "SECONDS")]
    pub budget: Option<f64>,
    /// Seconds one sample lasts at least [default: 0.02].
    #[arg(long, value_name = "SECONDS")]
    pub target_sample: Option<f64>,
    /// Before timing, check that the variants give the same result: the
    /// value of each one's last line, or of NAME.
    #[arg(long, value_name = "NAME", num_args = 0..=1, default_missing_value = "")]
    pub same_result: Option<String>,
    /// Fewest interleaved rounds wanted [default: 5].
    #[arg(long, value_name = "ROUNDS")]
    pub min_rounds: Option<u32>,
    /// Stop any single run of a variant after this many seconds.
    #[arg(long, value_name = "SECONDS", default_value_t = 60.0)]
    pub timeout: f64,
    /// Also measure under this CPython interpreter and show both.
    #[arg(long, value_name = "PATH")]
    pub python: Option<String>,
    /// Print one JSON event per line.
    #[arg(long)]
    pub json: bool,
}

/// Parses `NAME=STMT`.
pub fn parse_variant(spec: &str) -> Result<Variant, String> {
    let Some((name, stmt)) = spec.split_once('=') else {
        return Err(format!("{spec:?} is not NAME=STMT"));
    };
    let name = name.trim();
    if name.is_empty() || name.chars().any(char::is_whitespace) {
        return Err(format!("{spec:?}: the name before `=` must be one word"));
    }
    Ok(Variant::new(name, stmt))
}

/// Parses `VAR=SIZE,SIZE,…`.
pub fn parse_sweep(spec: &str) -> Result<(String, Vec<u64>), String> {
    let sweep = pyrace_model::Sweep::parse(spec).map_err(|e| format!("--sweep {e}"))?;
    Ok((sweep.var, sweep.sizes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variants_and_sweeps_parse() {
        let v = parse_variant("eq=x == 1").unwrap();
        assert_eq!((v.name.as_str(), v.code.as_str()), ("eq", "x == 1"));
        assert!(parse_variant("no equals sign").is_err());
        assert!(parse_variant("=x").is_err());
        assert!(parse_variant("two words=x").is_err());
        assert_eq!(
            parse_sweep("n=10,1_000").unwrap(),
            ("n".into(), vec![10, 1000])
        );
        assert!(parse_sweep("n=10,x").is_err());
        assert!(parse_sweep("10,100").is_err());
    }
}
