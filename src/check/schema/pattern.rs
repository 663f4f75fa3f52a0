//! Matching strings against schema patterns, which are ECMA-262 regular
//! expressions (JSON Schema's dialect).
//!
//! ECMA-262's `\w`, `\d` and `\b` are ASCII-only, as in `regex-lite`, which
//! also builds a pattern in microseconds and little memory; the `regex`
//! crate's Unicode-aware automata cost a few hundred kilobytes each, a real
//! share of a whole `synth`. So patterns go to `regex-lite`, and only what it
//! cannot read (Unicode classes such as `\p{L}`) to `regex`, except that
//! ASCII text is matched against an ASCII form of `\p{L}`, `\p{N}` and
//! `\p{Z}` (exactly the letters, digits and space that ASCII has of them).

use std::collections::HashMap;
use std::sync::{LazyLock, Mutex};

use regex::Regex;

/// Whether `text` matches a schema pattern; `None` for a pattern neither
/// regex engine supports (look-around, back-references), which is then not
/// judged. Patterns are compiled once per process and matched in place: a
/// cloned regex would allocate fresh search caches every time.
pub(crate) fn pattern_matches(pattern: &str, text: &str) -> Option<bool> {
    type Cache = HashMap<(String, bool), Option<Pattern>>;
    static CACHE: LazyLock<Mutex<Cache>> = LazyLock::new(|| Mutex::new(HashMap::new()));
    let ascii = text.is_ascii();
    let Ok(mut cache) = CACHE.lock() else {
        return Pattern::compile(pattern, ascii).map(|re| re.is_match(text));
    };
    cache
        .entry((pattern.to_owned(), ascii))
        .or_insert_with(|| Pattern::compile(pattern, ascii))
        .as_ref()
        .map(|re| re.is_match(text))
}

/// A compiled schema pattern.
enum Pattern {
    /// Compiled by `regex-lite`.
    Lite(regex_lite::Regex),
    /// Compiled by `regex`, for Unicode classes.
    Full(Regex),
}

impl Pattern {
    /// Compiles `pattern` for ASCII text (`ascii`) or any text.
    fn compile(pattern: &str, ascii: bool) -> Option<Pattern> {
        if let Ok(re) = regex_lite::Regex::new(pattern) {
            return Some(Pattern::Lite(re));
        }
        let lite = ascii
            .then(|| ascii_form(pattern))
            .flatten()
            .and_then(|p| regex_lite::Regex::new(&p).ok());
        match lite {
            Some(re) => Some(Pattern::Lite(re)),
            None => Regex::new(pattern).ok().map(Pattern::Full),
        }
    }

    fn is_match(&self, text: &str) -> bool {
        match self {
            Pattern::Lite(re) => re.is_match(text),
            Pattern::Full(re) => re.is_match(text),
        }
    }
}

/// `pattern` with `\p{L}`, `\p{N}` and `\p{Z}` replaced by the ASCII
/// characters they hold (letters, digits, space): the same pattern for
/// ASCII text. `None` when it has other Unicode syntax or nested classes.
fn ascii_form(pattern: &str) -> Option<String> {
    let mut out = String::with_capacity(pattern.len() + 16);
    let mut in_class = false;
    let mut chars = pattern.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                let next = chars.next()?;
                if matches!(next, 'p' | 'P') {
                    if next == 'P' {
                        return None;
                    }
                    let name: String = chars.by_ref().take(3).collect();
                    let set = match name.as_str() {
                        "{L}" => "A-Za-z",
                        "{N}" => "0-9",
                        "{Z}" => " ",
                        _ => return None,
                    };
                    if in_class {
                        out.push_str(set);
                    } else {
                        out.push('[');
                        out.push_str(set);
                        out.push(']');
                    }
                } else {
                    out.push('\\');
                    out.push(next);
                }
            }
            '[' if in_class => return None,
            '[' => {
                in_class = true;
                out.push(c);
                // A `]` first in a class (after an optional `^`) is literal.
                let rest = chars.as_str();
                let skip = usize::from(rest.starts_with('^'));
                if rest[skip..].starts_with(']') {
                    return None;
                }
            }
            ']' if in_class => {
                in_class = false;
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ecma_classes_are_ascii() {
        assert_eq!(pattern_matches(r"^\w+$", "abc_1"), Some(true));
        assert_eq!(pattern_matches(r"^\w+$", "é"), Some(false));
        assert_eq!(pattern_matches(r"^\d+$", "٣"), Some(false));
        assert_eq!(pattern_matches(r"^(?<=a)b$", "b"), None);
    }

    #[test]
    fn unicode_classes_match_unicode_and_their_ascii_form_ascii() {
        let tag = r"^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$";
        assert_eq!(
            ascii_form(tag).as_deref(),
            Some(r"^[A-Za-z 0-9_.:/=+\-@]*$")
        );
        assert_eq!(pattern_matches(tag, "team: data 1"), Some(true));
        assert_eq!(pattern_matches(tag, "équipe données"), Some(true));
        assert_eq!(pattern_matches(tag, "a;b"), Some(false));
        assert_eq!(pattern_matches(tag, "é;b"), Some(false));
        assert_eq!(ascii_form(r"^\p{L}+$").as_deref(), Some("^[A-Za-z]+$"));
        assert_eq!(pattern_matches(r"^\p{L}+$", "abc"), Some(true));
        assert_eq!(pattern_matches(r"^\p{L}+$", "ab1"), Some(false));
        for odd in [
            r"\P{L}",
            r"\p{Lu}",
            r"[[a]\p{L}]",
            r"[]\p{L}]",
            r"[^]\p{L}]",
        ] {
            assert_eq!(ascii_form(odd), None, "{odd}");
        }
    }
}
