//! The same-result check: before any timing is trusted, the variants'
//! results after their untimed first run are compared (each one's last
//! expression, or a name the person picks), as perfplot checks that its
//! kernels agree. Variants that compute different things are not a fair
//! race, and the page says so at the panes.

use serde::{Deserialize, Serialize};

/// The longest repr a check keeps of a value (a huge list stays readable).
pub const REPR_CHARS: usize = 120;

/// What the check compares: `""` is each variant's last expression.
pub fn describe_target(name: &str) -> String {
    if name.is_empty() {
        "the value of the last line".to_owned()
    } else {
        format!("`{name}`")
    }
}

/// One variant's value after its first run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CheckedValue {
    pub variant: String,
    /// `repr` of the value, cut to `REPR_CHARS`; `None` when the variant
    /// left none (its last line is not an expression, or the name is unset).
    pub repr: Option<String>,
}

/// The outcome of the check over every variant that ran.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ResultCheck {
    /// The name compared, `""` for the last expression.
    pub name: String,
    pub values: Vec<CheckedValue>,
    /// Every variant gave a value, and all are equal (`==`).
    pub agree: bool,
}

impl ResultCheck {
    /// "list gave 4999, set gave True".
    pub fn gave(&self) -> String {
        self.values
            .iter()
            .map(|v| match &v.repr {
                Some(repr) => format!("{} gave {repr}", v.variant),
                None => format!("{} gave nothing", v.variant),
            })
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// The check in one sentence.
    pub fn sentence(&self) -> String {
        let what = describe_target(&self.name);
        if self.agree {
            let value = self
                .values
                .first()
                .and_then(|v| v.repr.clone())
                .unwrap_or_default();
            format!("Same result: every variant gave {value} ({what}).")
        } else {
            format!(
                "Different results ({what}): {}. The variants do not compute the same thing, so their timings compare different work.",
                self.gave()
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn value(variant: &str, repr: Option<&str>) -> CheckedValue {
        CheckedValue {
            variant: variant.into(),
            repr: repr.map(str::to_owned),
        }
    }

    #[test]
    fn says_what_each_variant_gave() {
        let check = ResultCheck {
            name: String::new(),
            values: vec![value("list", Some("4999")), value("set", Some("True"))],
            agree: false,
        };
        assert_eq!(
            check.sentence(),
            "Different results (the value of the last line): list gave 4999, set gave True. The variants do not compute the same thing, so their timings compare different work."
        );
        let same = ResultCheck {
            name: "result".into(),
            values: vec![value("a", Some("[1, 2]")), value("b", Some("[1, 2]"))],
            agree: true,
        };
        assert_eq!(
            same.sentence(),
            "Same result: every variant gave [1, 2] (`result`)."
        );
        let missing = ResultCheck {
            name: "result".into(),
            values: vec![value("a", Some("1")), value("b", None)],
            agree: false,
        };
        assert!(missing.gave().ends_with("b gave nothing"));
    }
}
