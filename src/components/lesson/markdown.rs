//! Just enough Markdown for a lesson's prose: headings, paragraphs, lists,
//! code blocks, and inline `code`, **bold** and *emphasis*. Lessons are our
//! own files, so no HTML passes through; everything becomes typed blocks.

/// A block of prose.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    Heading(u8, Vec<Inline>),
    Paragraph(Vec<Inline>),
    List(Vec<Vec<Inline>>),
    Code(String),
}

/// A run of text inside a block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Inline {
    Text(String),
    Code(String),
    Strong(String),
    Emphasis(String),
}

/// Splits Markdown into blocks.
pub fn parse(markdown: &str) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut paragraph: Vec<&str> = Vec::new();
    let mut list: Vec<String> = Vec::new();
    let mut code: Option<String> = None;

    fn flush(blocks: &mut Vec<Block>, paragraph: &mut Vec<&str>, list: &mut Vec<String>) {
        if !paragraph.is_empty() {
            blocks.push(Block::Paragraph(inline(&paragraph.join(" "))));
            paragraph.clear();
        }
        if !list.is_empty() {
            blocks.push(Block::List(list.iter().map(|item| inline(item)).collect()));
            list.clear();
        }
    }

    for line in markdown.lines() {
        if let Some(body) = code.as_mut() {
            if line.trim_start().starts_with("```") {
                blocks.push(Block::Code(std::mem::take(body)));
                code = None;
            } else {
                body.push_str(line);
                body.push('\n');
            }
            continue;
        }
        let trimmed = line.trim();
        if trimmed.starts_with("```") {
            flush(&mut blocks, &mut paragraph, &mut list);
            code = Some(String::new());
        } else if trimmed.is_empty() {
            flush(&mut blocks, &mut paragraph, &mut list);
        } else if let Some(level) = heading_level(trimmed) {
            flush(&mut blocks, &mut paragraph, &mut list);
            let text = trimmed[level as usize..].trim();
            blocks.push(Block::Heading(level, inline(text)));
        } else if let Some(item) = trimmed
            .strip_prefix("- ")
            .or_else(|| trimmed.strip_prefix("* "))
        {
            if !paragraph.is_empty() {
                flush(&mut blocks, &mut paragraph, &mut list);
            }
            list.push(item.to_owned());
        } else if !list.is_empty() && line.starts_with(' ') {
            // A continuation line of the last list item.
            let last = list.last_mut().expect("list is not empty");
            last.push(' ');
            last.push_str(trimmed);
        } else {
            if !list.is_empty() {
                flush(&mut blocks, &mut paragraph, &mut list);
            }
            paragraph.push(trimmed);
        }
    }
    if let Some(body) = code {
        blocks.push(Block::Code(body));
    }
    flush(&mut blocks, &mut paragraph, &mut list);
    blocks
}

fn heading_level(line: &str) -> Option<u8> {
    let hashes = line.chars().take_while(|&c| c == '#').count();
    (1..=6)
        .contains(&hashes)
        .then_some(())
        .filter(|_| line[hashes..].starts_with(' '))
        .map(|_| hashes as u8)
}

/// Splits a line into plain text, `code`, **strong** and *emphasis*.
pub fn inline(text: &str) -> Vec<Inline> {
    let mut out = Vec::new();
    let mut rest = text;
    let mut plain = String::new();
    while let Some(c) = rest.chars().next() {
        let marker = match c {
            '`' => Some(("`", 1)),
            '*' if rest.starts_with("**") => Some(("**", 2)),
            '*' => Some(("*", 1)),
            // `_` marks emphasis only at a word start: `list_pop` stays as is.
            '_' if plain.is_empty() || plain.ends_with(char::is_whitespace) => Some(("_", 1)),
            _ => None,
        };
        if let Some((delimiter, width)) = marker
            && let Some(end) = rest[width..].find(delimiter).filter(|&end| end > 0)
        {
            let inner = rest[width..width + end].to_owned();
            if !plain.is_empty() {
                out.push(Inline::Text(std::mem::take(&mut plain)));
            }
            out.push(match (c, width) {
                ('`', _) => Inline::Code(inner),
                (_, 2) => Inline::Strong(inner),
                _ => Inline::Emphasis(inner),
            });
            rest = &rest[width + end + width..];
            continue;
        }
        plain.push(c);
        rest = &rest[c.len_utf8()..];
    }
    if !plain.is_empty() {
        out.push(Inline::Text(plain));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_and_inline_marks() {
        let blocks = parse(
            "# Title\n\nA `x in L` scan is **slow**\nfor *big* lists.\n\n- one\n- two\n\n```\ncode\n```\n",
        );
        assert_eq!(blocks.len(), 4);
        assert_eq!(
            blocks[0],
            Block::Heading(1, vec![Inline::Text("Title".into())])
        );
        let Block::Paragraph(runs) = &blocks[1] else {
            panic!("expected a paragraph")
        };
        assert!(runs.contains(&Inline::Code("x in L".into())));
        assert!(runs.contains(&Inline::Strong("slow".into())));
        assert!(runs.contains(&Inline::Emphasis("big".into())));
        assert!(matches!(&blocks[2], Block::List(items) if items.len() == 2));
        assert_eq!(blocks[3], Block::Code("code\n".into()));
    }

    #[test]
    fn snake_case_is_not_emphasis() {
        assert_eq!(
            inline("use list_pop here"),
            vec![Inline::Text("use list_pop here".into())]
        );
    }
}
