//! The HTML a blog author pastes to embed the current state: an iframe of
//! `app/embed.html`, or the blog script with a `<pyrace-compare>` block
//! (read by `www/embed-script.js`). Everything from the panes is escaped:
//! the snippet shows code, it never becomes markup.

use super::options::EmbedOptions;
use crate::state::Draft;

/// `text` safe inside an HTML element or a double-quoted attribute.
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// What the embed is about, for its title: the variants' names.
pub fn title_of(draft: &Draft) -> String {
    let names: Vec<&str> = draft
        .panes
        .iter()
        .map(|p| p.name.trim())
        .filter(|n| !n.is_empty())
        .collect();
    if names.is_empty() {
        "pyrace".to_owned()
    } else {
        names.join(" vs ")
    }
}

/// An iframe of `embed_url` (the embed page's absolute URL with its query and
/// fragment). Without a fixed height it starts at 520 pixels and the embed
/// page sizes it by its messages only where the blog script listens.
pub fn iframe_snippet(embed_url: &str, title: &str, height: Option<u32>) -> String {
    const FALLBACK_HEIGHT: u32 = 520;
    format!(
        "<iframe src=\"{}\" title=\"pyrace: {}\" width=\"100%\" height=\"{}\" loading=\"lazy\" allow=\"cross-origin-isolated\" style=\"border: 0\"></iframe>",
        escape_html(embed_url),
        escape_html(title),
        height.unwrap_or(FALLBACK_HEIGHT)
    )
}

/// The blog script's tag and a `<pyrace-compare>` block holding the draft.
pub fn script_snippet(script_url: &str, draft: &Draft, options: &EmbedOptions) -> String {
    let mut attrs = vec![format!(
        "mode=\"{}\"",
        format!("{:?}", draft.mode).to_lowercase()
    )];
    if draft.mode == pyrace_model::Mode::Sweep {
        attrs.push(format!("sweep=\"{}\"", escape_html(&draft.sweep)));
    }
    attrs.push(format!("budget=\"{}\"", draft.budget));
    if options.read_only {
        attrs.push("readonly=\"1\"".to_owned());
    }
    if let Some(height) = options.height {
        attrs.push(format!("height=\"{height}\""));
    }
    if options.theme != super::options::Theme::Auto {
        attrs.push(format!("theme=\"{}\"", options.theme.as_str()));
    }
    if options.panes != super::options::Panes::default() {
        attrs.push(format!("panes=\"{}\"", options.panes.names().join(",")));
    }
    // A block's state never names engines: RustPython only unless asked.
    if options.cpython == Some(true) {
        attrs.push("cpython=\"1\"".to_owned());
    }
    let mut out = format!(
        "<script src=\"{}\" defer></script>\n<pyrace-compare {}>\n",
        escape_html(script_url),
        attrs.join(" ")
    );
    if !draft.setup.trim().is_empty() {
        out.push_str(&format!(
            "<pre data-setup>{}</pre>\n",
            escape_html(&draft.setup)
        ));
    }
    for pane in &draft.panes {
        let name = escape_html(pane.name.trim());
        if !pane.setup.trim().is_empty() {
            out.push_str(&format!(
                "<pre data-setup=\"{name}\">{}</pre>\n",
                escape_html(&pane.setup)
            ));
        }
        out.push_str(&format!(
            "<pre data-variant=\"{name}\">{}</pre>\n",
            escape_html(&pane.code)
        ));
    }
    out.push_str("</pyrace-compare>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::components::embed::options::{Panes, Theme};

    #[test]
    fn code_is_escaped_never_markup() {
        let mut draft = Draft::default();
        draft.panes[0].name = "a\"><script>".to_owned();
        draft.panes[0].code =
            "print('</pre><script>alert(1)</script>' if 1 < 2 else \"&\")".to_owned();
        let snippet = script_snippet(
            "https://x.example/embed.js",
            &draft,
            &EmbedOptions::default(),
        );
        assert!(!snippet.contains("<script>"), "{snippet}");
        assert!(
            !snippet.contains("</pre><"),
            "only the block's own </pre> tags"
        );
        assert!(snippet.contains("&lt;/pre&gt;&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(snippet.contains("data-variant=\"a&quot;&gt;&lt;script&gt;\""));
        assert!(snippet.contains("1 &lt; 2 else &quot;&amp;&quot;"));
    }

    #[test]
    fn the_script_snippet_carries_setup_modes_and_options() {
        let mut draft = Draft::default();
        draft.panes[1].setup = "import bisect".to_owned();
        let options = EmbedOptions {
            read_only: true,
            height: Some(400),
            theme: Theme::Dark,
            panes: Panes {
                code: true,
                output: false,
                results: true,
            },
            cpython: Some(true),
            ..EmbedOptions::default()
        };
        let snippet = script_snippet("https://x.example/embed.js", &draft, &options);
        assert!(snippet.starts_with("<script src=\"https://x.example/embed.js\" defer></script>\n<pyrace-compare mode=\"compare\""));
        for part in [
            "readonly=\"1\"",
            "height=\"400\"",
            "theme=\"dark\"",
            "panes=\"code,results\"",
            "cpython=\"1\"",
            "<pre data-setup>L = list(range(1000))\nS = set(L)</pre>",
            "<pre data-setup=\"set\">import bisect</pre>",
            "<pre data-variant=\"list\">-1 in L</pre>",
            "<pre data-variant=\"set\">-1 in S</pre>",
        ] {
            assert!(snippet.contains(part), "{part} in {snippet}");
        }
    }

    #[test]
    fn rustpython_only_writes_no_engine_attribute() {
        for cpython in [None, Some(false)] {
            let options = EmbedOptions {
                cpython,
                ..EmbedOptions::default()
            };
            let snippet = script_snippet("https://x.example/embed.js", &Draft::default(), &options);
            assert!(!snippet.contains("cpython"), "{snippet}");
        }
    }

    #[test]
    fn the_iframe_snippet_escapes_its_url_and_title() {
        let snippet = iframe_snippet(
            "https://x.example/app/embed.html?theme=dark&readonly=1#v1.AB",
            "a & b",
            Some(300),
        );
        assert!(
            snippet.contains(
                "src=\"https://x.example/app/embed.html?theme=dark&amp;readonly=1#v1.AB\""
            )
        );
        assert!(snippet.contains("title=\"pyrace: a &amp; b\""));
        assert!(snippet.contains("height=\"300\""));
    }
}
