//! What the result card (Share → Card) says, worked out from the panes, the
//! results snapshot and the share link: each variant's code cut to fit, the
//! verdict, the engines, the date and the link in words, plus the Markdown
//! and HTML that put the card in a post as an image linked to the link. The
//! card itself is drawn by `www/app/card.js` around the results panel's own
//! bar chart; this part is pure, so it is tested natively.

use pyrace_model::EngineId;
use pyrace_model::limits::{CARD_CODE_LINES, CARD_LINE_CHARS, CARD_LINK_CHARS, CARD_SETUP_LINES};
use pyrace_model::share::ResultsSnapshot;
use pyrace_model::verdict::Verdict;
use serde::Serialize;

use crate::format;

/// The file name the card downloads as, which the snippets refer to.
pub const CARD_FILE: &str = "pyrace-card";

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CardVariant {
    pub name: String,
    /// Its first lines of code, each cut to [`CARD_LINE_CHARS`].
    pub lines: Vec<String>,
    /// How many lines did not fit.
    pub more: usize,
}

/// One engine's verdict.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CardVerdict {
    /// The engine it is of, named when the card has two.
    pub engine: Option<String>,
    pub sentence: String,
    /// The difference is clear (not within what identical code varies by).
    pub clear: bool,
}

/// Everything written on the card, as `card.js` takes it (JSON).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CardContent {
    /// "list vs set".
    pub title: String,
    /// The shared setup's first lines (named `setup`), when there is one.
    pub setup: Option<CardVariant>,
    pub variants: Vec<CardVariant>,
    /// The verdict in words on each engine, when there are two or more
    /// variants: RustPython's first.
    pub verdicts: Vec<CardVerdict>,
    /// The engines that measured the figures, e.g. `RustPython 0.6.0 (browser)`.
    pub engines: Vec<String>,
    /// The day they were measured, `YYYY-MM-DD`.
    pub date: String,
    /// The share link as written on the card, cut to [`CARD_LINK_CHARS`].
    pub link_text: String,
}

/// `text` cut to `max` characters, an ellipsis marking the cut.
fn cut(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_owned()
    } else {
        let kept: String = text.chars().take(max - 1).collect();
        format!("{kept}…")
    }
}

/// `code`'s first lines as the card shows them under `name`: at most
/// `share` rows, a code cut short giving one of its lines to the "… more" note.
fn excerpt(name: &str, code: &str, share: usize) -> CardVariant {
    let all: Vec<&str> = code.trim_end().lines().collect();
    let shown = if all.len() > share {
        share.max(2) - 1
    } else {
        all.len()
    };
    CardVariant {
        name: name.to_owned(),
        lines: all[..shown]
            .iter()
            .map(|l| cut(l, CARD_LINE_CHARS))
            .collect(),
        more: all.len() - shown,
    }
}

impl CardContent {
    /// The card of `snapshot` (and CPython's beside it), with the shared
    /// `setup` and the code of each variant it has figures for (`code` gives
    /// a variant's code by name) and the share `link`; a sweep's title names
    /// its variable, `sweep_var`, at the size the figures are for.
    pub fn new(
        snapshot: &ResultsSnapshot,
        cpython: Option<&ResultsSnapshot>,
        setup: &str,
        code: impl Fn(&str) -> String,
        link: &str,
        sweep_var: Option<&str>,
    ) -> CardContent {
        let setup = (!setup.trim().is_empty()).then(|| excerpt("setup", setup, CARD_SETUP_LINES));
        let setup_rows = setup
            .as_ref()
            .map_or(0, |s| s.lines.len() + usize::from(s.more > 0));
        let names: Vec<&str> = snapshot.variants.iter().map(|v| v.name.as_str()).collect();
        let share = (CARD_CODE_LINES - setup_rows) / names.len().max(1);
        let variants = names
            .iter()
            .map(|name| excerpt(name, &code(name), share))
            .collect();
        let both = cpython.is_some();
        let verdicts = [Some(snapshot), cpython]
            .into_iter()
            .zip(EngineId::ALL)
            .filter_map(|(s, engine)| {
                let verdict = Verdict::of(&s?.variants)?;
                Some(CardVerdict {
                    engine: both.then(|| engine.label().to_owned()),
                    sentence: verdict.sentence(),
                    clear: verdict.clear,
                })
            })
            .collect();
        // A sweep's figures are those of its largest size.
        let size = snapshot.variants.iter().filter_map(|v| v.n).max();
        let title = match (size, sweep_var) {
            (Some(n), Some(var)) => format!("{} at {var}={}", names.join(" vs "), format::size(n)),
            _ => names.join(" vs "),
        };
        CardContent {
            title: cut(&title, CARD_LINE_CHARS),
            setup,
            variants,
            verdicts,
            engines: std::iter::once(snapshot)
                .chain(cpython)
                .map(|s| s.engine.clone())
                .collect(),
            date: snapshot.recorded.chars().take(10).collect(),
            link_text: cut(link, CARD_LINK_CHARS),
        }
    }

    /// The image's alternative text: the (first engine's) verdict, or the title.
    pub fn alt(&self) -> String {
        match self.verdicts.first() {
            Some(verdict) => format!("pyrace: {}", verdict.sentence),
            None => format!("pyrace: {}", self.title),
        }
    }

    /// Markdown putting `image` (the card's file, once uploaded) in a post, linked to `link`.
    pub fn markdown(&self, link: &str, image: &str) -> String {
        let alt = self.alt().replace(['[', ']'], "");
        format!("[![{alt}]({image})]({link})")
    }

    /// The same in HTML.
    pub fn html(&self, link: &str, image: &str) -> String {
        let attr = |s: &str| {
            s.replace('&', "&amp;")
                .replace('"', "&quot;")
                .replace('<', "&lt;")
        };
        format!(
            "<a href=\"{}\"><img src=\"{}\" width=\"1200\" height=\"630\" alt=\"{}\"></a>",
            attr(link),
            attr(image),
            attr(&self.alt())
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use pyrace_model::request::Mode;
    use pyrace_model::share::ResultRow;

    fn row(name: &str, median: f64, ratio: f64) -> ResultRow {
        ResultRow {
            name: name.into(),
            n: None,
            median,
            ci_low: median * 0.98,
            ci_high: median * 1.02,
            ratio,
            ratio_low: ratio * 0.97,
            ratio_high: ratio * 1.03,
        }
    }

    fn snapshot(engine: &str, rows: Vec<ResultRow>) -> ResultsSnapshot {
        ResultsSnapshot {
            engine: engine.into(),
            recorded: "2026-12-04T19:00:00Z".into(),
            mode: Mode::Compare,
            variants: rows,
        }
    }

    #[test]
    fn says_verdict_engines_date_and_link() {
        let rust = snapshot(
            "RustPython 0.6.0 (browser)",
            vec![row("list", 4e-6, 98.0), row("set", 4e-8, 1.0)],
        );
        let cpython = snapshot("CPython 3.12 (Pyodide)", rust.variants.clone());
        let link = format!("https://example.org/app/#v1.{}", "A".repeat(300));
        let card = CardContent::new(
            &rust,
            Some(&cpython),
            "L = list(range(10_000))\nS = set(L)",
            |name| format!("-1 in {}", name[..1].to_uppercase()),
            &link,
            None,
        );
        assert_eq!(card.title, "list vs set");
        let setup = card.setup.as_ref().unwrap();
        assert_eq!(setup.lines, vec!["L = list(range(10_000))", "S = set(L)"]);
        assert_eq!(setup.more, 0);
        assert_eq!(card.variants[0].lines, vec!["-1 in L"]);
        assert_eq!(card.variants[1].more, 0);
        assert_eq!(card.verdicts.len(), 2);
        assert_eq!(card.verdicts[0].engine.as_deref(), Some("RustPython"));
        assert_eq!(card.verdicts[1].engine.as_deref(), Some("CPython"));
        assert!(card.verdicts[0].clear);
        assert!(
            card.verdicts[0]
                .sentence
                .starts_with("set is 98.0× faster than list")
        );
        assert_eq!(
            card.engines,
            vec!["RustPython 0.6.0 (browser)", "CPython 3.12 (Pyodide)"]
        );
        assert_eq!(card.date, "2026-12-04");
        assert_eq!(card.link_text.chars().count(), CARD_LINK_CHARS);
        assert!(
            card.link_text
                .starts_with("https://example.org/app/#v1.AAA")
                && card.link_text.ends_with('…')
        );
        assert_eq!(
            card.markdown(&link, "pyrace-card.png"),
            format!(
                "[![pyrace: {}](pyrace-card.png)]({link})",
                card.verdicts[0].sentence
            )
        );
        assert!(card.html("https://x/#a&b", "c.png").starts_with("<a href=\"https://x/#a&amp;b\"><img src=\"c.png\" width=\"1200\" height=\"630\" alt=\"pyrace: set is"));
    }

    #[test]
    fn long_code_is_cut_to_fit() {
        let names = ["a", "b", "c", "d", "e", "f"];
        let rows = names
            .iter()
            .enumerate()
            .map(|(i, n)| row(n, 1e-6, 1.0 + i as f64))
            .collect();
        let long = (0..40)
            .map(|i| format!("x{i} = {}", "y".repeat(i * 3)))
            .collect::<Vec<_>>()
            .join("\n");
        let card = CardContent::new(
            &snapshot("RustPython", rows),
            None,
            &long,
            |_| long.clone(),
            "l",
            None,
        );
        assert_eq!(card.verdicts.len(), 1);
        assert_eq!(card.verdicts[0].engine, None, "one engine goes unnamed");
        let setup = card.setup.as_ref().unwrap();
        assert_eq!(setup.lines.len(), CARD_SETUP_LINES - 1);
        assert_eq!(setup.more, 40 - (CARD_SETUP_LINES - 1));
        let shown: usize = card
            .variants
            .iter()
            .chain(card.setup.as_ref())
            .map(|v| v.lines.len() + usize::from(v.more > 0))
            .sum();
        assert!(
            shown <= CARD_CODE_LINES.max(2 * names.len()),
            "{shown} lines"
        );
        for v in &card.variants {
            assert_eq!(v.lines.len() + v.more, 40);
            assert!(v.lines.iter().all(|l| l.chars().count() <= CARD_LINE_CHARS));
        }
    }

    #[test]
    fn a_sweep_is_titled_at_its_largest_size_and_one_variant_has_no_verdict() {
        let mut rows = vec![row("sorted", 2e-6, 1.0), row("heap", 3e-6, 1.5)];
        for r in &mut rows {
            r.n = Some(10_000);
        }
        let mut sweep = snapshot("RustPython", rows);
        sweep.mode = Mode::Sweep;
        let card = CardContent::new(&sweep, None, "", |_| "x".into(), "l", Some("n"));
        assert_eq!(card.title, "sorted vs heap at n=10k");
        let lone = snapshot("RustPython", vec![row("only", 1e-6, 1.0)]);
        let card = CardContent::new(&lone, None, " \n", |_| "x".into(), "l", None);
        assert_eq!(card.setup, None, "a blank setup is not shown");
        assert!(card.verdicts.is_empty());
        assert_eq!(card.alt(), "pyrace: only");
    }
}
