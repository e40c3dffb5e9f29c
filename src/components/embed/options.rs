//! How an embed (`app/embed.html?OPTIONS#STATE`) looks and behaves, read from
//! its query string: the state itself is the fragment, exactly as in a share
//! link, so a link and an embed of the same state differ only in the page.
//!
//! | option | values | default |
//! |---|---|---|
//! | `readonly` | `1`/`true`, `0`/`false` | editable |
//! | `height` | pixels, 120 – 4000 | fits its content |
//! | `theme` | `light`, `dark`, `auto` | `auto` (the reader's system) |
//! | `panes` | any of `code`, `output`, `results`, comma-separated | all three |
//! | `autorun` | `1`: run once the engine is ready | off |
//! | `cpython` | `1`: run on CPython too, both engines' figures shown; `0`: RustPython only | as the state says |
//! | `origin` | the host page's origin, for height messages | the embedding page's |
//!
//! A value that is not understood is left at its default and named in a
//! problem, shown in the embed: a typo never breaks it.

use std::fmt::Write as _;

/// Smallest and largest fixed height, in CSS pixels.
pub const MIN_HEIGHT: u32 = 120;
pub const MAX_HEIGHT: u32 = 4000;

/// Light or dark colours.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Theme {
    /// The reader's system preference.
    #[default]
    Auto,
    Light,
    Dark,
}

impl Theme {
    pub const ALL: [Theme; 3] = [Theme::Auto, Theme::Light, Theme::Dark];

    pub fn as_str(self) -> &'static str {
        match self {
            Theme::Auto => "auto",
            Theme::Light => "light",
            Theme::Dark => "dark",
        }
    }

    fn parse(text: &str) -> Option<Theme> {
        Theme::ALL.into_iter().find(|t| t.as_str() == text)
    }
}

/// Which parts of the playground an embed shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Panes {
    /// The setup and the variants' code.
    pub code: bool,
    /// What the programs printed, and errors.
    pub output: bool,
    /// The timing table and chart.
    pub results: bool,
}

impl Default for Panes {
    fn default() -> Self {
        Panes {
            code: true,
            output: true,
            results: true,
        }
    }
}

impl Panes {
    /// The names, in their fixed order, of the parts shown.
    pub fn names(self) -> Vec<&'static str> {
        [
            ("code", self.code),
            ("output", self.output),
            ("results", self.results),
        ]
        .into_iter()
        .filter_map(|(name, on)| on.then_some(name))
        .collect()
    }
}

/// Everything the query string of an embed sets.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct EmbedOptions {
    pub read_only: bool,
    /// A fixed height; `None` fits the content.
    pub height: Option<u32>,
    pub theme: Theme,
    pub panes: Panes,
    pub autorun: bool,
    /// Run on CPython too (`Some(true)`) or on RustPython only
    /// (`Some(false)`); `None` keeps what the state in the fragment says.
    /// Only an embed that runs on CPython fetches Pyodide.
    pub cpython: Option<bool>,
    /// Where height messages go: the host page's origin.
    pub origin: Option<String>,
}

fn parse_flag(value: &str) -> Option<bool> {
    match value {
        "" | "1" | "true" | "yes" => Some(true),
        "0" | "false" | "no" => Some(false),
        _ => None,
    }
}

/// `scheme://host[:port]` and nothing more: a target for `postMessage`.
fn parse_origin(value: &str) -> Option<String> {
    let (scheme, rest) = value.split_once("://")?;
    let scheme_ok = matches!(scheme, "http" | "https");
    let host_ok = !rest.is_empty()
        && rest
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'));
    (scheme_ok && host_ok).then(|| value.to_owned())
}

impl EmbedOptions {
    /// Reads decoded `(key, value)` pairs; returns the options and a message
    /// for each value that was not understood.
    pub fn from_pairs<K, V>(pairs: impl IntoIterator<Item = (K, V)>) -> (EmbedOptions, Vec<String>)
    where
        K: AsRef<str>,
        V: AsRef<str>,
    {
        let mut options = EmbedOptions::default();
        let mut problems = Vec::new();
        for (key, value) in pairs {
            let (key, value) = (key.as_ref(), value.as_ref().trim());
            match key {
                "readonly" => match parse_flag(value) {
                    Some(on) => options.read_only = on,
                    None => problems.push(format!("readonly={value}: use 1 or 0")),
                },
                "autorun" => match parse_flag(value) {
                    Some(on) => options.autorun = on,
                    None => problems.push(format!("autorun={value}: use 1 or 0")),
                },
                "cpython" => match parse_flag(value) {
                    Some(on) => options.cpython = Some(on),
                    None => problems.push(format!("cpython={value}: use 1 or 0")),
                },
                "height" => match value.trim_end_matches("px").parse::<u32>() {
                    Ok(px) if (MIN_HEIGHT..=MAX_HEIGHT).contains(&px) => options.height = Some(px),
                    _ => problems.push(format!(
                        "height={value}: use a number of pixels from {MIN_HEIGHT} to {MAX_HEIGHT}"
                    )),
                },
                "theme" => match Theme::parse(value) {
                    Some(theme) => options.theme = theme,
                    None => problems.push(format!("theme={value}: use light, dark or auto")),
                },
                "panes" => {
                    let mut panes = Panes {
                        code: false,
                        output: false,
                        results: false,
                    };
                    for name in value.split(',').map(str::trim).filter(|n| !n.is_empty()) {
                        match name {
                            "code" => panes.code = true,
                            "output" => panes.output = true,
                            "results" => panes.results = true,
                            other => problems.push(format!(
                                "panes: “{other}” is not one of code, output, results"
                            )),
                        }
                    }
                    if panes.names().is_empty() {
                        problems.push("panes: nothing to show; showing all".to_owned());
                    } else {
                        options.panes = panes;
                    }
                }
                "origin" => match parse_origin(value) {
                    Some(origin) => options.origin = Some(origin),
                    None => problems.push(format!("origin={value}: not an http(s) origin")),
                },
                // Other parameters belong to whoever wrote the link.
                _ => {}
            }
        }
        (options, problems)
    }

    /// The query string (with `?`, or empty) that sets these options; only
    /// what differs from the defaults is written.
    pub fn to_query(&self) -> String {
        let mut query = String::new();
        let mut add = |key: &str, value: &str| {
            let sep = if query.is_empty() { '?' } else { '&' };
            let _ = write!(query, "{sep}{key}={value}");
        };
        if self.read_only {
            add("readonly", "1");
        }
        if let Some(height) = self.height {
            add("height", &height.to_string());
        }
        if self.theme != Theme::Auto {
            add("theme", self.theme.as_str());
        }
        if self.panes != Panes::default() {
            add("panes", &self.panes.names().join(","));
        }
        if self.autorun {
            add("autorun", "1");
        }
        if let Some(on) = self.cpython {
            add("cpython", if on { "1" } else { "0" });
        }
        if let Some(origin) = &self.origin {
            add("origin", origin);
        }
        query
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(pairs: &[(&str, &str)]) -> (EmbedOptions, Vec<String>) {
        EmbedOptions::from_pairs(pairs.iter().copied())
    }

    #[test]
    fn defaults_show_everything_editable() {
        let (options, problems) = parse(&[]);
        assert_eq!(options, EmbedOptions::default());
        assert!(problems.is_empty());
        assert_eq!(options.panes.names(), ["code", "output", "results"]);
        assert_eq!(options.to_query(), "");
    }

    #[test]
    fn every_option_is_read() {
        let (options, problems) = parse(&[
            ("readonly", "1"),
            ("height", "480"),
            ("theme", "dark"),
            ("panes", "code, results"),
            ("autorun", "true"),
            ("cpython", "1"),
            ("origin", "https://blog.example:8443"),
            ("utm_source", "feed"),
        ]);
        assert!(problems.is_empty(), "{problems:?}");
        assert!(options.read_only && options.autorun);
        assert_eq!(options.cpython, Some(true));
        assert_eq!(options.height, Some(480));
        assert_eq!(options.theme, Theme::Dark);
        assert_eq!(
            options.panes,
            Panes {
                code: true,
                output: false,
                results: true
            }
        );
        assert_eq!(options.origin.as_deref(), Some("https://blog.example:8443"));
    }

    #[test]
    fn the_query_round_trips() {
        let (options, _) = parse(&[
            ("readonly", "yes"),
            ("height", "300px"),
            ("theme", "light"),
            ("panes", "results,code"),
            ("cpython", "0"),
        ]);
        let query = options.to_query();
        assert_eq!(
            query,
            "?readonly=1&height=300&theme=light&panes=code,results&cpython=0"
        );
        let pairs: Vec<(String, String)> = query[1..]
            .split('&')
            .map(|kv| {
                let (k, v) = kv.split_once('=').unwrap();
                (k.to_owned(), v.to_owned())
            })
            .collect();
        assert_eq!(EmbedOptions::from_pairs(pairs).0, options);
    }

    #[test]
    fn bad_values_keep_defaults_and_say_why() {
        let (options, problems) = parse(&[
            ("readonly", "maybe"),
            ("height", "50"),
            ("theme", "sepia"),
            ("panes", "code,chart"),
            ("origin", "javascript:alert(1)"),
            ("cpython", "both"),
        ]);
        assert!(!options.read_only);
        assert_eq!(options.height, None);
        assert_eq!(options.theme, Theme::Auto);
        assert_eq!(options.panes.names(), ["code"]);
        assert_eq!(options.origin, None);
        assert_eq!(options.cpython, None);
        assert_eq!(problems.len(), 6, "{problems:?}");
        assert!(problems.iter().any(|p| p.contains("sepia")));
        assert!(problems.iter().any(|p| p.contains("chart")));
    }

    #[test]
    fn no_panes_at_all_shows_all() {
        let (options, problems) = parse(&[("panes", "")]);
        assert_eq!(options.panes, Panes::default());
        assert_eq!(problems.len(), 1);
    }

    #[test]
    fn origins_are_only_scheme_host_and_port() {
        for bad in [
            "https://a.example/path",
            "https://",
            "ftp://a.example",
            "https://a.example?x",
            "*",
        ] {
            assert_eq!(parse_origin(bad), None, "{bad}");
        }
        assert!(parse_origin("http://127.0.0.1:8000").is_some());
    }
}
