//! Loading blueprint settings from YAML, with errors that name the file, the
//! line and column, the key path and what was expected.
//!
//! Values that have a range or a shape are parsed into the validating types
//! below, so a bad value is reported where it stands in the file.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, DeserializeOwned, Deserializer};
use serde::{Deserialize, Serialize};

/// A settings file that could not be read or does not hold valid settings.
#[derive(Debug, thiserror::Error)]
pub enum SettingsError {
    /// The file could not be read.
    #[error("cannot read settings file {file}")]
    Read {
        /// The path as given.
        file: String,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// The YAML is malformed, or a key or value is not what was expected.
    #[error("{file}:{line}:{column}: {key}{message}\n{snippet}")]
    Invalid {
        /// The file name as given (or `<built-in NAME.yaml>`).
        file: String,
        /// 1-based line.
        line: u64,
        /// 1-based column.
        column: u64,
        /// The key path with a trailing `: `, or empty at the top level.
        key: String,
        /// What was wrong and what was expected.
        message: String,
        /// The offending line with a caret under the column.
        snippet: String,
    },
}

impl SettingsError {
    /// An error about the value at `key` (a dotted path such as
    /// `table.read_min`), found after parsing; the line is looked up in `text`.
    pub fn at_key(file: &str, text: &str, key: &str, message: impl Into<String>) -> Self {
        let (line, column) = locate(text, key).unwrap_or((1, 1));
        SettingsError::Invalid {
            file: file.to_owned(),
            line,
            column,
            key: format!("{key}: "),
            message: message.into(),
            snippet: snippet(text, line, column),
        }
    }
}

/// Parses `text` (the contents of `file`) into settings of type `T`.
///
/// Unknown keys are refused by the settings types (`deny_unknown_fields`),
/// and the error lists the keys that are known.
pub fn parse<T: DeserializeOwned>(file: &str, text: &str) -> Result<T, SettingsError> {
    let mut path = String::new();
    let result = serde_saphyr::with_deserializer_from_str(text, |de| {
        serde_path_to_error::deserialize(de).map_err(|e| {
            path = e.path().to_string();
            e.into_inner()
        })
    });
    result.map_err(|e| {
        let (line, column) = e
            .location()
            .map(|l| (l.line(), l.column()))
            .unwrap_or((1, 1));
        let mut message = e.without_snippet().to_string();
        // serde-saphyr appends the location, which the prefix already gives.
        if let Some(cut) = message.rfind(" at line ") {
            message.truncate(cut);
        }
        let key = if path.is_empty() || path == "." {
            String::new()
        } else {
            format!("{path}: ")
        };
        SettingsError::Invalid {
            file: file.to_owned(),
            line,
            column,
            key,
            message,
            snippet: snippet(text, line, column),
        }
    })
}

/// Reads and parses a settings file.
pub fn load<T: DeserializeOwned>(path: &std::path::Path) -> Result<T, SettingsError> {
    let file = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|source| SettingsError::Read {
        file: file.clone(),
        source,
    })?;
    parse(&file, &text)
}

fn snippet(text: &str, line: u64, column: u64) -> String {
    let Some(source) = text.lines().nth(line.saturating_sub(1) as usize) else {
        return String::new();
    };
    let gutter = line.to_string();
    let pad = " ".repeat(gutter.len());
    let caret = " ".repeat(column.saturating_sub(1) as usize);
    format!("{pad} |\n{gutter} | {source}\n{pad} | {caret}^")
}

/// Finds the line and column of a dotted key path (`a.b.c`, list indices
/// `a[2].b` allowed) in a block-style YAML document.
fn locate(text: &str, key: &str) -> Option<(u64, u64)> {
    let mut found = None;
    let mut min_indent = 0usize;
    let mut start = 0usize;
    let lines: Vec<&str> = text.lines().collect();
    for segment in key.split('.') {
        let (name, index) = match segment.split_once('[') {
            Some((n, rest)) => (n, rest.trim_end_matches(']').parse::<usize>().ok()),
            None => (segment, None),
        };
        let mut hit = None;
        for (i, line) in lines.iter().enumerate().skip(start) {
            let body = line.trim_start_matches([' ', '-']);
            let indent = line.len() - body.len();
            if !line.trim().is_empty() && !line.trim_start().starts_with('#') && indent < min_indent
            {
                break;
            }
            if body.strip_prefix(name).is_some_and(|r| r.starts_with(':')) {
                hit = Some((i, indent));
                break;
            }
        }
        let (i, indent) = hit?;
        found = Some((i as u64 + 1, indent as u64 + 1));
        start = i + 1;
        min_indent = indent + 1;
        if let Some(n) = index {
            // Step to the n-th list item under this key.
            let items: Vec<usize> = lines
                .iter()
                .enumerate()
                .skip(start)
                .take_while(|(_, l)| {
                    l.trim().is_empty() || l.len() - l.trim_start().len() >= indent
                })
                .filter(|(_, l)| l.trim_start().starts_with("- "))
                .map(|(j, _)| j)
                .collect();
            // A flow-style list (`[a, b]`) has no item lines: stay on the key.
            let Some(&j) = items.get(n) else {
                return found;
            };
            let col = lines[j].len() - lines[j].trim_start().len();
            found = Some((j as u64 + 1, col as u64 + 1));
            start = j;
            min_indent = col + 1;
        }
    }
    found
}

/// An integer that must lie in `MIN..=MAX`; a value outside is reported
/// where it stands in the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct Bounded<const MIN: i64, const MAX: i64>(i64);

impl<const MIN: i64, const MAX: i64> Bounded<MIN, MAX> {
    /// The value.
    pub fn get(self) -> i64 {
        self.0
    }

    /// A value known to be in range.
    ///
    /// # Panics
    /// When it is not.
    pub fn new(value: i64) -> Self {
        assert!((MIN..=MAX).contains(&value), "{value} out of {MIN}..={MAX}");
        Bounded(value)
    }
}

impl<'de, const MIN: i64, const MAX: i64> Deserialize<'de> for Bounded<MIN, MAX> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let v = i64::deserialize(d)
            .map_err(|_| de::Error::custom(format!("expected an integer from {MIN} to {MAX}")))?;
        if (MIN..=MAX).contains(&v) {
            Ok(Bounded(v))
        } else {
            Err(de::Error::custom(format!(
                "expected an integer from {MIN} to {MAX}, found {v}"
            )))
        }
    }
}

impl<const MIN: i64, const MAX: i64> fmt::Display for Bounded<MIN, MAX> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// A string checked against a rule when it is parsed.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct Checked<R> {
    value: String,
    #[serde(skip)]
    _rule: PhantomData<R>,
}

/// A rule for [`Checked`] strings.
pub trait Rule {
    /// What is expected, for the error message ("expected ...").
    const EXPECTED: &'static str;
    /// Whether `value` follows the rule.
    fn accepts(value: &str) -> bool;
}

impl<R: Rule> Checked<R> {
    /// The string.
    pub fn as_str(&self) -> &str {
        &self.value
    }

    /// Checks `value` against the rule.
    pub fn new(value: &str) -> Result<Self, String> {
        if R::accepts(value) {
            Ok(Checked {
                value: value.to_owned(),
                _rule: PhantomData,
            })
        } else {
            Err(format!("expected {}, found {value:?}", R::EXPECTED))
        }
    }
}

impl<R> std::ops::Deref for Checked<R> {
    type Target = str;
    fn deref(&self) -> &str {
        &self.value
    }
}

impl<R> fmt::Display for Checked<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.value)
    }
}

impl<'de, R: Rule> Deserialize<'de> for Checked<R> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)
            .map_err(|_| de::Error::custom(format!("expected {}", R::EXPECTED)))?;
        Checked::new(&s).map_err(de::Error::custom)
    }
}

/// Lowercase letters, digits and single hyphens, starting with a letter, at
/// most 32 characters: safe in resource names, DNS labels and logical ids.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct NameRule;

impl Rule for NameRule {
    const EXPECTED: &'static str =
        "a name of 1 to 32 lowercase letters, digits and single hyphens, starting with a letter";
    fn accepts(v: &str) -> bool {
        (1..=32).contains(&v.len())
            && v.starts_with(|c: char| c.is_ascii_lowercase())
            && !v.ends_with('-')
            && !v.contains("--")
            && v.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
    }
}

/// A resource-safe name (see [`NameRule`]).
pub type Name = Checked<NameRule>;

impl Name {
    /// The name in PascalCase, for logical ids: `order-events` -> `OrderEvents`.
    pub fn pascal(&self) -> String {
        self.split('-')
            .map(|part| {
                let mut c = part.chars();
                match c.next() {
                    Some(first) => first.to_ascii_uppercase().to_string() + c.as_str(),
                    None => String::new(),
                }
            })
            .collect()
    }
}

/// An IPv4 CIDR block with a prefix from /16 to /28.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CidrRule;

impl Rule for CidrRule {
    const EXPECTED: &'static str = "an IPv4 CIDR block such as 10.0.0.0/16, prefix /16 to /28";
    fn accepts(v: &str) -> bool {
        let Some((addr, prefix)) = v.split_once('/') else {
            return false;
        };
        let octets: Vec<&str> = addr.split('.').collect();
        octets.len() == 4
            && octets
                .iter()
                .all(|o| o.parse::<u8>().is_ok() && !o.starts_with('+'))
            && prefix.parse::<u8>().is_ok_and(|p| (16..=28).contains(&p))
    }
}

/// An IPv4 CIDR block (see [`CidrRule`]).
pub type Cidr = Checked<CidrRule>;

/// An AWS region code such as `us-east-1`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RegionRule;

impl Rule for RegionRule {
    const EXPECTED: &'static str = "an AWS region code such as us-east-1";
    fn accepts(v: &str) -> bool {
        let parts: Vec<&str> = v.split('-').collect();
        parts.len() >= 3
            && parts[..parts.len() - 1]
                .iter()
                .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_lowercase()))
            && parts[parts.len() - 1].parse::<u8>().is_ok()
    }
}

/// An AWS region (see [`RegionRule`]).
pub type Region = Checked<RegionRule>;

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Sample {
        name: Name,
        table: Table,
        items: Vec<Table>,
    }

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Table {
        read: Bounded<1, 100>,
        cidr: Option<Cidr>,
    }

    fn err(text: &str) -> String {
        parse::<Sample>("s.yaml", text).unwrap_err().to_string()
    }

    #[test]
    fn good_settings_parse() {
        let s: Sample = parse(
            "s.yaml",
            "name: my-app\ntable:\n  read: 5\n  cidr: 10.0.0.0/16\nitems: []\n",
        )
        .unwrap();
        assert_eq!(s.name.pascal(), "MyApp");
        assert_eq!(s.table.read.get(), 5);
    }

    #[test]
    fn out_of_range_names_file_line_key_and_range() {
        let e = err("name: a\ntable:\n  read: 500\nitems: []\n");
        assert!(
            e.starts_with("s.yaml:3:9: table.read: expected an integer from 1 to 100, found 500"),
            "{e}"
        );
        assert!(e.contains("3 |   read: 500"), "{e}");
    }

    #[test]
    fn unknown_key_lists_known_keys() {
        let e = err("name: a\ntable:\n  reed: 5\nitems: []\n");
        assert!(
            e.contains("s.yaml:3:3: table.reed: unknown field `reed`"),
            "{e}"
        );
        assert!(e.contains("read, cidr"), "{e}");
    }

    #[test]
    fn syntax_error_has_position() {
        let e = err("name: a\ntable: [\n");
        assert!(e.starts_with("s.yaml:2:"), "{e}");
    }

    #[test]
    fn wrong_shapes_are_named() {
        let e = err("name: My_App\ntable:\n  read: 1\nitems: []\n");
        assert!(e.contains("name: expected a name of"), "{e}");
        let e = err("name: a\ntable:\n  read: 1\n  cidr: 10.0.0/8\nitems: []\n");
        assert!(e.contains("table.cidr: expected an IPv4 CIDR"), "{e}");
        let e = err("name: a\ntable:\n  read: x\nitems: []\n");
        assert!(
            e.contains("table.read: expected an integer from 1 to 100"),
            "{e}"
        );
    }

    #[test]
    fn list_items_are_located() {
        let text = "name: a\ntable:\n  read: 1\nitems:\n  - read: 1\n  - read: 0\n";
        let e = parse::<Sample>("s.yaml", text).unwrap_err().to_string();
        assert!(e.starts_with("s.yaml:6:"), "{e}");
        assert!(e.contains("items[1].read"), "{e}");
    }

    #[test]
    fn keys_are_located_after_parsing() {
        let text = "a:\n  b: 1\n  c:\n    d: 2\nlist:\n  - x: 1\n  - x: 2\n";
        assert_eq!(locate(text, "a.c.d"), Some((4, 5)));
        assert_eq!(locate(text, "list[1]"), Some((7, 3)));
        assert_eq!(locate(text, "missing"), None);
        let e = SettingsError::at_key("f.yaml", text, "a.c.d", "must be below b");
        assert!(
            e.to_string()
                .starts_with("f.yaml:4:5: a.c.d: must be below b")
        );
    }

    #[test]
    fn rules() {
        assert!(NameRule::accepts("orders-v2"));
        assert!(!NameRule::accepts("2orders"));
        assert!(!NameRule::accepts("a--b"));
        assert!(!NameRule::accepts("a-"));
        assert!(RegionRule::accepts("eu-west-1"));
        assert!(RegionRule::accepts("us-gov-west-1"));
        assert!(!RegionRule::accepts("mars"));
        assert!(CidrRule::accepts("10.0.0.0/16"));
        assert!(!CidrRule::accepts("10.0.0.0/8"));
        assert!(!CidrRule::accepts("300.0.0.0/16"));
    }
}

/// Days CloudWatch Logs keeps events: one of the values the service accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct RetentionDays(i64);

impl RetentionDays {
    /// The values CloudWatch Logs accepts.
    pub const ALLOWED: [i64; 22] = [
        1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557,
        2922, 3288, 3653,
    ];

    /// The number of days.
    pub fn get(self) -> i64 {
        self.0
    }
}

impl<'de> Deserialize<'de> for RetentionDays {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let expected = || {
            let list: Vec<String> = Self::ALLOWED.iter().map(i64::to_string).collect();
            format!("expected one of {}", list.join(", "))
        };
        let v = i64::deserialize(d).map_err(|_| de::Error::custom(expected()))?;
        if Self::ALLOWED.contains(&v) {
            Ok(RetentionDays(v))
        } else {
            Err(de::Error::custom(format!("{}, found {v}", expected())))
        }
    }
}

/// An `https://` origin (scheme and host, no path), or `*`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct OriginRule;

impl Rule for OriginRule {
    const EXPECTED: &'static str = "an origin such as https://app.example.com (no path), or *";
    fn accepts(v: &str) -> bool {
        v == "*"
            || v.strip_prefix("https://").is_some_and(|host| {
                !host.is_empty()
                    && host
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':'))
            })
    }
}

/// A CORS origin (see [`OriginRule`]).
pub type Origin = Checked<OriginRule>;

/// An email address: one `@`, a dotted domain, no spaces.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct EmailRule;

impl Rule for EmailRule {
    const EXPECTED: &'static str = "an email address such as news@example.com";
    fn accepts(v: &str) -> bool {
        let Some((local, domain)) = v.split_once('@') else {
            return false;
        };
        !local.is_empty()
            && v.len() <= 254
            && domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !v.contains(char::is_whitespace)
            && !domain.contains('@')
    }
}

/// An email address (see [`EmailRule`]).
pub type Email = Checked<EmailRule>;
