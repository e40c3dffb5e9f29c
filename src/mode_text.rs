//! What the playground calls each run mode and how it explains it: the
//! words of the mode picker, the embed bar and the results' empty state.

use pyrace_model::Mode;

/// A mode's name and one-line explanation, as the page shows them.
pub trait ModeText {
    fn label(self) -> &'static str;
    fn hint(self) -> &'static str;
}

impl ModeText for Mode {
    fn label(self) -> &'static str {
        match self {
            Mode::Compare => "Compare",
            Mode::Sweep => "Sweep n",
            Mode::Run => "Run",
            Mode::Program => "Time programs",
        }
    }

    fn hint(self) -> &'static str {
        match self {
            Mode::Compare => "time each variant's statement, interleaved",
            Mode::Sweep => "time each variant over sizes of n and fit its growth",
            Mode::Run => "run each variant once as a program",
            Mode::Program => "time complete runs of each program",
        }
    }
}
