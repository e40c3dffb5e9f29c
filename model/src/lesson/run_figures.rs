//! The figures of a run as the claims read them: the comparison of a timed
//! run and, for a profiled run, each variant's line profile and call tree
//! with the code it ran, from which the hottest line is found.

use super::claims::{Figures, GrowthFigure};
use crate::hot_line::{HotLine, hottest_line};
use crate::result::Comparison;
use crate::trace_profile::TraceProfile;

/// One profiled variant: its name, what the tracer measured, its code.
pub type Traced<'a> = (&'a str, &'a TraceProfile, &'a str);

/// A run's figures, timed or profiled.
#[derive(Debug, Clone, Default)]
pub struct RunFigures<'a> {
    pub comparison: Option<&'a Comparison>,
    pub traces: Vec<Traced<'a>>,
}

impl Figures for RunFigures<'_> {
    fn time(&self, variant: &str, n: Option<u64>) -> Option<f64> {
        self.comparison?.time(variant, n)
    }

    fn growth(&self, variant: &str) -> Option<GrowthFigure> {
        self.comparison?.growth(variant)
    }

    fn peak(&self, variant: &str, n: Option<u64>) -> Option<u64> {
        self.comparison?.peak(variant, n)
    }

    fn memory_growth(&self, variant: &str) -> Option<GrowthFigure> {
        self.comparison?.memory_growth(variant)
    }

    fn hottest_line(&self, variant: &str) -> Option<HotLine> {
        let (_, trace, code) = self.traces.iter().find(|(name, ..)| *name == variant)?;
        // The engines name the program's file differently: RustPython by
        // the variant's name, CPython `<name>` as its tracebacks do.
        let bracketed = format!("<{variant}>");
        hottest_line(trace, &[variant, &bracketed], code)
    }
}
