//! Cell files for `pyrace compare FILE.py`: `#%% setup` starts the shared
//! setup, `#%% NAME` starts a variant; text before the first marker is
//! ignored (a title, comments).

use pyrace_model::Variant;

pub struct CellFile {
    pub setup: String,
    pub variants: Vec<Variant>,
}

pub fn parse(text: &str) -> Result<CellFile, String> {
    let mut setup = String::new();
    let mut variants: Vec<Variant> = Vec::new();
    let mut current: Option<&mut String> = None;
    for (i, line) in text.lines().enumerate() {
        if let Some(rest) = line.strip_prefix("#%%") {
            let name = rest.trim();
            if name.is_empty() {
                return Err(format!("line {}: `#%%` needs a name (or `setup`)", i + 1));
            }
            if name == "setup" {
                current = Some(&mut setup);
            } else {
                variants.push(Variant::new(name, ""));
                current = variants.last_mut().map(|v| &mut v.code);
            }
            continue;
        }
        if let Some(buf) = current.as_deref_mut() {
            buf.push_str(line);
            buf.push('\n');
        }
    }
    if variants.is_empty() {
        return Err("no variants: mark each with a line `#%% NAME`".into());
    }
    Ok(CellFile { setup, variants })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_cells() {
        let f = parse("title\n#%% setup\nL = [1]\n#%% a\nx = 1\n#%% b\ny = 2\nz = 3\n").unwrap();
        assert_eq!(f.setup, "L = [1]\n");
        assert_eq!(f.variants.len(), 2);
        assert_eq!(f.variants[1].code, "y = 2\nz = 3\n");
        assert!(parse("x = 1\n").is_err());
        assert!(parse("#%%\n").is_err());
    }
}
