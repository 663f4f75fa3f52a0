//! Override paths: `Properties.Tags[0].Value`, `DeletionPolicy`.

use std::fmt;

/// One step of a path: a mapping key or a list index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// A key of a mapping.
    Key(String),
    /// A position in a list, from 0.
    Index(usize),
}

/// A path inside a resource, from its top (`Properties.Foo.Bar`,
/// `Properties.Tags[1].Value`, `DeletionPolicy`).
///
/// Keys are separated by `.`; `[N]` indexes a list. A key that itself holds
/// `.`, `[`, `]` or `\` writes it escaped with `\` (`Metadata.a\.b`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Path {
    steps: Vec<Step>,
}

/// The longest path accepted: deeper is a mistake, not a template.
const MAX_STEPS: usize = 64;

impl Path {
    /// Parses a path; the error says what is wrong with it.
    pub fn parse(text: &str) -> Result<Path, String> {
        let mut steps = Vec::new();
        let mut chars = text.chars().peekable();
        let mut key = String::new();
        // Whether a key must follow (start, or after a `.`).
        let mut want_key = true;
        while let Some(c) = chars.next() {
            match c {
                '\\' => match chars.next() {
                    Some(e @ ('.' | '[' | ']' | '\\')) => key.push(e),
                    _ => return Err(format!("{text:?}: `\\` escapes only . [ ] or \\")),
                },
                '.' => {
                    end_key(text, &mut key, &mut steps, want_key)?;
                    want_key = true;
                    continue;
                }
                '[' => {
                    if want_key && key.is_empty() {
                        return Err(format!("{text:?}: an index [N] must follow a key"));
                    }
                    if !key.is_empty() {
                        steps.push(Step::Key(std::mem::take(&mut key)));
                    }
                    steps.push(Step::Index(index(text, &mut chars)?));
                    want_key = false;
                    match chars.peek() {
                        None | Some('.' | '[') => {}
                        Some(_) => {
                            return Err(format!("{text:?}: expected `.` or `[` after `]`"));
                        }
                    }
                    continue;
                }
                ']' => return Err(format!("{text:?}: `]` without `[`")),
                c => key.push(c),
            }
            want_key = false;
        }
        if want_key || !key.is_empty() {
            end_key(text, &mut key, &mut steps, true)?;
        }
        if steps.len() > MAX_STEPS {
            return Err(format!("{text:?}: more than {MAX_STEPS} steps"));
        }
        Ok(Path { steps })
    }

    /// A path from steps.
    pub fn from_steps(steps: Vec<Step>) -> Path {
        Path { steps }
    }

    /// The steps, first to last.
    pub fn steps(&self) -> &[Step] {
        &self.steps
    }
}

/// Ends the key being read; an empty key is an error.
fn end_key(text: &str, key: &mut String, steps: &mut Vec<Step>, need: bool) -> Result<(), String> {
    if key.is_empty() {
        if need {
            return Err(format!(
                "{text:?}: empty key (two dots, or a dot at an end)"
            ));
        }
        return Ok(());
    }
    steps.push(Step::Key(std::mem::take(key)));
    Ok(())
}

/// Reads `N]` after a `[`.
fn index(
    text: &str,
    chars: &mut std::iter::Peekable<std::str::Chars<'_>>,
) -> Result<usize, String> {
    let mut digits = String::new();
    for c in chars.by_ref() {
        if c == ']' {
            return digits
                .parse()
                .ok()
                .filter(|_| digits.bytes().all(|b| b.is_ascii_digit()))
                .ok_or_else(|| format!("{text:?}: [{digits}] is not a list index (0, 1, ...)"));
        }
        digits.push(c);
    }
    Err(format!("{text:?}: `[` without `]`"))
}

impl fmt::Display for Path {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, step) in self.steps.iter().enumerate() {
            match step {
                Step::Key(k) => {
                    if i > 0 {
                        f.write_str(".")?;
                    }
                    for c in k.chars() {
                        if matches!(c, '.' | '[' | ']' | '\\') {
                            f.write_str("\\")?;
                        }
                        write!(f, "{c}")?;
                    }
                }
                Step::Index(n) => write!(f, "[{n}]")?,
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(p: &Path) -> Vec<String> {
        p.steps()
            .iter()
            .map(|s| match s {
                Step::Key(k) => k.clone(),
                Step::Index(n) => format!("#{n}"),
            })
            .collect()
    }

    #[test]
    fn paths_parse_and_print_back() {
        for (text, want) in [
            ("DeletionPolicy", vec!["DeletionPolicy"]),
            ("Properties.A.B", vec!["Properties", "A", "B"]),
            (
                "Properties.Tags[0].Value",
                vec!["Properties", "Tags", "#0", "Value"],
            ),
            ("Properties.M[1][2]", vec!["Properties", "M", "#1", "#2"]),
            ("Metadata.a\\.b", vec!["Metadata", "a.b"]),
        ] {
            let p = Path::parse(text).unwrap();
            assert_eq!(keys(&p), want, "{text}");
            assert_eq!(p.to_string(), text);
        }
    }

    #[test]
    fn bad_paths_say_why() {
        for (text, why) in [
            ("", "empty key"),
            ("A..B", "empty key"),
            ("A.", "empty key"),
            (".A", "empty key"),
            ("A[x]", "not a list index"),
            ("A[-1]", "not a list index"),
            ("A[1", "without `]`"),
            ("A]", "without `[`"),
            ("[0]", "must follow a key"),
            ("A[0]B", "expected `.` or `[`"),
            ("A\\x", "escapes only"),
        ] {
            let e = Path::parse(text).unwrap_err();
            assert!(e.contains(why), "{text}: {e}");
        }
        assert!(Path::parse("a.".repeat(70).trim_end_matches('.')).is_err());
    }
}
