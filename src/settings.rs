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

mod layered;
mod overrides;
pub mod tree;

pub use overrides::KEY as OVERRIDES_KEY;

use tree::{Node, Step};

/// One source of settings.
#[derive(Debug, Clone)]
struct Layer {
    /// How errors name it: the file, `<built-in todo.yaml>` or `--set`.
    file: String,
    /// Its text, for the snippet under an error.
    text: String,
    /// For `--set`: the key path and where the value starts in `text`.
    set: Option<(String, usize)>,
}

/// The layers settings come from, lowest first: a blueprint's defaults, the
/// user's settings file, then each `--set KEY.PATH=VALUE`.
///
/// A higher layer only needs the keys it changes: mappings merge key by key,
/// while scalars and lists replace what is below (a `services:` list in a
/// settings file is the whole list). Every value keeps the file, line and
/// column it was written at, so errors point at the user's text.
#[derive(Debug, Clone)]
pub struct Layers {
    layers: Vec<Layer>,
    /// The merged tree, once built: the blueprint's settings and the
    /// `overrides:` key are both read from it, so the YAML is parsed once.
    merged: std::sync::OnceLock<Node>,
}

impl Layers {
    /// The defaults (`file` names them in errors).
    pub fn new(file: &str, text: &str) -> Self {
        Layers {
            layers: vec![Layer {
                file: file.to_owned(),
                text: text.to_owned(),
                set: None,
            }],
            merged: std::sync::OnceLock::new(),
        }
    }

    /// Adds a settings file over the layers so far.
    pub fn file(mut self, file: &str, text: &str) -> Self {
        self.merged = std::sync::OnceLock::new();
        self.layers.push(Layer {
            file: file.to_owned(),
            text: text.to_owned(),
            set: None,
        });
        self
    }

    /// Adds a `KEY.PATH=VALUE` override (the value is YAML: `3`, `[a, b]`,
    /// `{x: 1}`); a malformed one is reported when the settings are parsed.
    pub fn set(mut self, assignment: &str) -> Self {
        let set = assignment
            .split_once('=')
            .map(|(k, _)| (k.trim().to_owned(), k.len() + 1));
        self.merged = std::sync::OnceLock::new();
        self.layers.push(Layer {
            file: "--set".to_owned(),
            text: assignment.to_owned(),
            set: set.or(Some((String::new(), 0))),
        });
        self
    }

    /// The merged tree of every layer, built on first use.
    fn tree(&self) -> Result<&Node, SettingsError> {
        if let Some(tree) = self.merged.get() {
            return Ok(tree);
        }
        let tree = self.merge()?;
        Ok(self.merged.get_or_init(|| tree))
    }

    /// Parses and merges every layer.
    fn merge(&self) -> Result<Node, SettingsError> {
        let mut merged: Option<Node> = None;
        for (i, layer) in self.layers.iter().enumerate() {
            let fail = |f: tree::ParseFailure| self.error(f.pos, "", f.message);
            match &layer.set {
                None => {
                    let node = tree::parse(i, &layer.text).map_err(fail)?;
                    merged = Some(match merged {
                        Some(base) => tree::merge(base, node),
                        None => node,
                    });
                }
                Some((key, offset)) => {
                    let at = |column: usize| tree::Pos {
                        layer: i,
                        line: 1,
                        column: column as u64,
                    };
                    let steps = tree::steps(key).filter(|_| *offset > 0).ok_or_else(|| {
                        self.error(
                            at(1),
                            "",
                            "expected KEY.PATH=VALUE, such as table.read_capacity.max=50".into(),
                        )
                    })?;
                    let mut value = tree::parse(i, &layer.text[*offset..]).map_err(fail)?;
                    shift(&mut value, *offset as u64);
                    let base = merged.get_or_insert_with(|| value.clone());
                    base.set(&steps, value)
                        .map_err(|m| self.error(at(1), &format!("{key}: "), m))?;
                }
            }
        }
        merged.ok_or_else(|| {
            self.error(
                tree::Pos {
                    layer: 0,
                    line: 1,
                    column: 1,
                },
                "",
                "no settings".into(),
            )
        })
    }

    /// An error at `pos` about `key` (with its trailing `: `, or empty).
    fn error(&self, pos: tree::Pos, key: &str, message: String) -> SettingsError {
        let layer = &self.layers[pos.layer.min(self.layers.len() - 1)];
        SettingsError::Invalid {
            file: layer.file.clone(),
            line: pos.line,
            column: pos.column,
            key: key.to_owned(),
            message,
            snippet: snippet(&layer.text, pos.line, pos.column),
        }
    }

    /// An error about the value at `key` (a path such as `table.read_min` or
    /// `services[2].calls[0]`), found after parsing: located in whichever
    /// layer set that value, by the parser's positions.
    pub fn error_at(&self, key: &str, message: impl Into<String>) -> SettingsError {
        let pos = match (self.tree(), tree::steps(key)) {
            (Ok(t), Some(steps)) => t.locate(&steps, false),
            _ => tree::Pos {
                layer: self.layers.len() - 1,
                line: 1,
                column: 1,
            },
        };
        self.error(pos, &format!("{key}: "), message.into())
    }

    /// Parses the merged layers into settings of type `T`.
    ///
    /// Unknown keys are refused by the settings types (`deny_unknown_fields`),
    /// and the error lists the keys that are known.
    pub fn parse<T: DeserializeOwned>(&self) -> Result<T, SettingsError> {
        // `overrides:` is read after synthesis (see `Layers::apply_overrides`).
        let mut tree = overrides::strip(self.tree()?.clone());
        // `quotas:` belongs to the run, not to a blueprint (see `quotas`).
        if let tree::Kind::Map(entries) = &mut tree.kind {
            entries.retain(|(k, _, _)| k != QUOTAS_KEY);
        }
        serde_path_to_error::deserialize(layered::De(&tree)).map_err(|e| {
            let path = e.path().to_string();
            let message = e.into_inner().0;
            let steps = if path == "." {
                Some(Vec::new())
            } else {
                tree::steps(&path)
            };
            let unknown =
                message.starts_with("unknown field") || message.starts_with("unknown variant");
            let pos = steps.map_or(tree.pos, |s: Vec<Step>| tree.locate(&s, unknown));
            let key = if path == "." {
                String::new()
            } else {
                format!("{path}: ")
            };
            self.error(pos, &key, message)
        })
    }
}

/// The top-level key that declares raised account quotas.
const QUOTAS_KEY: &str = "quotas";

/// The top-level `quotas:` mapping: quota id or name -> the account's value.
#[derive(Deserialize)]
struct QuotasOnly {
    #[serde(default)]
    quotas: std::collections::BTreeMap<String, Bounded<1, 100_000_000>>,
}

impl Layers {
    /// The account quotas the settings declare raised (`quotas:`, beside
    /// any blueprint's keys), checked against the known quotas.
    pub fn quotas(&self) -> Result<crate::check::quotas::Raised, SettingsError> {
        let mut tree = self.tree()?.clone();
        if let tree::Kind::Map(entries) = &mut tree.kind {
            entries.retain(|(k, _, _)| k == QUOTAS_KEY);
        }
        let only: QuotasOnly =
            serde_path_to_error::deserialize(layered::De(&tree)).map_err(|e| {
                let path = e.path().to_string();
                let pos = tree::steps(&path).map_or(tree.pos, |s| tree.locate(&s, false));
                self.error(pos, &format!("{path}: "), e.into_inner().0)
            })?;
        let mut raised = crate::check::quotas::Raised::default();
        for (key, value) in only.quotas {
            raised
                .insert(&key, value.get() as u64)
                .map_err(|m| self.error_at(&format!("quotas.{key}"), m))?;
        }
        Ok(raised)
    }
}

/// Makes a settings type's JSON Schema describe a settings *file*: keys of
/// mappings are optional (the defaults fill them in), while the items of a
/// list still need all their required keys (a list replaces the defaults'
/// list whole).
pub fn layer_schema(mut schema: serde_json::Value) -> serde_json::Value {
    use std::collections::BTreeSet;
    fn walk(
        node: &serde_json::Value,
        in_list: bool,
        maps: &mut BTreeSet<String>,
        lists: &mut BTreeSet<String>,
        defs: &serde_json::Value,
    ) {
        if let Some(r) = node.get("$ref").and_then(|r| r.as_str()) {
            let name = r.trim_start_matches("#/$defs/").to_owned();
            let seen = if in_list { &mut *lists } else { &mut *maps };
            if seen.insert(name.clone())
                && let Some(def) = defs.get(&name)
            {
                walk(def, in_list, maps, lists, defs);
            }
        }
        for key in ["oneOf", "anyOf", "allOf"] {
            for sub in node
                .get(key)
                .and_then(|v| v.as_array())
                .into_iter()
                .flatten()
            {
                walk(sub, in_list, maps, lists, defs);
            }
        }
        if let Some(props) = node.get("properties").and_then(|p| p.as_object()) {
            for v in props.values() {
                walk(v, in_list, maps, lists, defs);
            }
        }
        if let Some(items) = node.get("items") {
            walk(items, true, maps, lists, defs);
        }
        if let Some(extra) = node.get("additionalProperties") {
            walk(extra, in_list, maps, lists, defs);
        }
    }
    let defs = schema.get("$defs").cloned().unwrap_or_default();
    let (mut maps, mut lists) = (BTreeSet::new(), BTreeSet::new());
    walk(&schema, false, &mut maps, &mut lists, &defs);
    if let Some(o) = schema.as_object_mut() {
        o.remove("required");
    }
    if let Some(props) = schema.get_mut("properties").and_then(|p| p.as_object_mut()) {
        props.insert(overrides::KEY.into(), overrides::schema());
        props.insert(
            QUOTAS_KEY.into(),
            serde_json::json!({
                "description": "Account quotas raised above AWS's defaults (quota id or name -> value); `synth` warns when all stacks together exceed a quota",
                "type": "object",
                "additionalProperties": {"type": "integer", "minimum": 1, "maximum": 100_000_000}
            }),
        );
    }
    for name in maps.difference(&lists) {
        if let Some(def) = schema
            .pointer_mut(&format!("/$defs/{name}"))
            .and_then(|d| d.as_object_mut())
        {
            def.remove("required");
        }
    }
    schema
}

/// Moves a `--set` value's columns past `KEY=`.
fn shift(node: &mut Node, by: u64) {
    node.pos.column += by;
    match &mut node.kind {
        tree::Kind::Scalar { .. } => {}
        tree::Kind::Seq(items) => items.iter_mut().for_each(|n| shift(n, by)),
        tree::Kind::Map(entries) => entries.iter_mut().for_each(|(_, k, v)| {
            k.column += by;
            shift(v, by)
        }),
    }
}

/// Parses `text` (the contents of `file`) alone, with no defaults under it.
pub fn parse<T: DeserializeOwned>(file: &str, text: &str) -> Result<T, SettingsError> {
    Layers::new(file, text).parse()
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
        // A visitor, not a mapped error: serde's own errors (a missing
        // field, a wrong type) come through intact.
        struct V<const MIN: i64, const MAX: i64>;
        impl<const MIN: i64, const MAX: i64> de::Visitor<'_> for V<MIN, MAX> {
            type Value = Bounded<MIN, MAX>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "an integer from {MIN} to {MAX}")
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
                if (MIN..=MAX).contains(&v) {
                    Ok(Bounded(v))
                } else {
                    Err(E::custom(format!(
                        "expected an integer from {MIN} to {MAX}, found {v}"
                    )))
                }
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
                self.visit_i64(i64::try_from(v).unwrap_or(i64::MAX))
            }
        }
        d.deserialize_i64(V::<MIN, MAX>)
    }
}

impl<const MIN: i64, const MAX: i64> schemars::JsonSchema for Bounded<MIN, MAX> {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        format!("Integer{MIN}To{MAX}").into()
    }
    fn inline_schema() -> bool {
        true
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({"type": "integer", "minimum": MIN, "maximum": MAX})
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
    /// A regular expression (ECMA 262, for JSON Schema) that matches what
    /// [`Rule::accepts`] accepts, where one says it exactly.
    const PATTERN: Option<&'static str> = None;
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

impl<R: Rule> schemars::JsonSchema for Checked<R> {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "String".into()
    }
    fn inline_schema() -> bool {
        true
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let mut schema = schemars::json_schema!({"type": "string", "description": R::EXPECTED});
        if let Some(pattern) = R::PATTERN {
            schema.insert("pattern".into(), pattern.into());
        }
        schema
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
        struct V<R>(PhantomData<R>);
        impl<R: Rule> de::Visitor<'_> for V<R> {
            type Value = Checked<R>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(R::EXPECTED)
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Checked::new(v).map_err(E::custom)
            }
        }
        d.deserialize_str(V::<R>(PhantomData))
    }
}

/// Lowercase letters, digits and single hyphens, starting with a letter, at
/// most 32 characters: safe in resource names, DNS labels and logical ids.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct NameRule;

impl Rule for NameRule {
    const EXPECTED: &'static str =
        "a name of 1 to 32 lowercase letters, digits and single hyphens, starting with a letter";
    const PATTERN: Option<&'static str> = Some("^(?=.{1,32}$)[a-z][a-z0-9]*(-[a-z0-9]+)*$");
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
        crate::patterns::naming::pascal(self)
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
        assert!(e.contains("expected `read` or `cidr`"), "{e}");
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
            e.contains("table.read: invalid type: string \"x\", expected an integer from 1 to 100"),
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
    fn keys_are_located_after_parsing_by_the_parser_not_by_text() {
        // `x:` appears on two list items; the second is found, not the first.
        let text = "a:\n  b: 1\n  c:\n    d: 2\nlist:\n  - x: 1\n  - x: 2\n";
        let layers = Layers::new("f.yaml", text);
        let e = layers.error_at("a.c.d", "must be below b").to_string();
        assert!(e.starts_with("f.yaml:4:8: a.c.d: must be below b"), "{e}");
        let e = layers.error_at("list[1].x", "bad").to_string();
        assert!(e.starts_with("f.yaml:7:8: list[1].x: bad"), "{e}");
        // A flow list's item is located too.
        let e = Layers::new("f.yaml", "l: [a, b, c]\n")
            .error_at("l[2]", "bad")
            .to_string();
        assert!(e.starts_with("f.yaml:1:11: l[2]: bad"), "{e}");
    }

    #[test]
    fn a_missing_key_is_named() {
        let e = err("name: a\ntable:\n  cidr: 10.0.0.0/16\nitems: []\n");
        assert!(
            e.starts_with("s.yaml:3:3: table: missing field `read`"),
            "{e}"
        );
        let e = err("table:\n  read: 1\nitems: []\n");
        assert!(e.starts_with("s.yaml:1:1: missing field `name`"), "{e}");
    }

    #[test]
    fn duplicate_keys_and_bad_aliases_have_a_position_and_a_whole_message() {
        let e = err("name: a\ntable:\n  read: 1\n  read: 2\nitems: []\n");
        assert!(
            e.starts_with("s.yaml:4:3: key \"read\" appears twice (first at line 3); keep one"),
            "{e}"
        );
        let e = err("name: *nope\ntable:\n  read: 1\nitems: []\n");
        assert!(
            e.starts_with(
                "s.yaml:1:7: an alias (*name) must refer to an anchor (&name) defined before it\n"
            ),
            "{e}"
        );
        let s: Sample = parse(
            "s.yaml",
            "name: &n a\ntable: &t\n  read: 1\nitems: [*t, *t]\n",
        )
        .unwrap();
        assert_eq!(s.items.len(), 2);
    }

    #[test]
    fn a_layer_holds_only_what_it_changes() {
        let defaults = "name: a\ntable:\n  read: 5\n  cidr: 10.0.0.0/16\nitems:\n  - read: 1\n";
        let layers = Layers::new("d.yaml", defaults).file("u.yaml", "table:\n  read: 7\n");
        let s: Sample = layers.parse().unwrap();
        assert_eq!(s.table.read.get(), 7);
        assert_eq!(s.table.cidr.as_deref(), Some("10.0.0.0/16"));
        assert_eq!(s.items.len(), 1);
        // Lists replace.
        let s: Sample = Layers::new("d.yaml", defaults)
            .file("u.yaml", "items: []\n")
            .parse()
            .unwrap();
        assert!(s.items.is_empty());
        // Errors name the layer that wrote the value.
        let e = Layers::new("d.yaml", defaults)
            .file("u.yaml", "# mine\ntable:\n  read: 700\n")
            .parse::<Sample>()
            .unwrap_err()
            .to_string();
        assert!(
            e.starts_with("u.yaml:3:9: table.read: expected an integer from 1 to 100, found 700"),
            "{e}"
        );
        let e = Layers::new("d.yaml", defaults)
            .file("u.yaml", "table:\n  read: 7\n")
            .error_at("items[0].read", "bad")
            .to_string();
        assert!(e.starts_with("d.yaml:6:11: items[0].read: bad"), "{e}");
    }

    #[test]
    fn set_overrides_one_value_with_the_same_checks() {
        let defaults = "name: a\ntable:\n  read: 5\nitems:\n  - read: 1\n";
        let s: Sample = Layers::new("d.yaml", defaults)
            .set("table.read=9")
            .set("items[0].read=3")
            .parse()
            .unwrap();
        assert_eq!((s.table.read.get(), s.items[0].read.get()), (9, 3));
        let e = Layers::new("d.yaml", defaults)
            .set("table.read=500")
            .parse::<Sample>()
            .unwrap_err()
            .to_string();
        assert!(
            e.starts_with("--set:1:12: table.read: expected an integer from 1 to 100, found 500"),
            "{e}"
        );
        assert!(e.contains("1 | table.read=500"), "{e}");
        let e = Layers::new("d.yaml", defaults)
            .set("table.read")
            .parse::<Sample>()
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("--set:1:1: expected KEY.PATH=VALUE"), "{e}");
        let e = Layers::new("d.yaml", defaults)
            .set("items[4].read=1")
            .parse::<Sample>()
            .unwrap_err()
            .to_string();
        assert!(e.contains("[4] is past the end of a list of 1"), "{e}");
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

impl schemars::JsonSchema for RetentionDays {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "RetentionDays".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "integer",
            "enum": Self::ALLOWED,
            "description": "Days CloudWatch Logs keeps events"
        })
    }
}

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
        struct V;
        impl de::Visitor<'_> for V {
            type Value = RetentionDays;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                let list: Vec<String> = RetentionDays::ALLOWED.iter().map(i64::to_string).collect();
                write!(f, "one of {}", list.join(", "))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
                if RetentionDays::ALLOWED.contains(&v) {
                    Ok(RetentionDays(v))
                } else {
                    Err(E::custom(format!(
                        "expected {}, found {v}",
                        Expecting(&self)
                    )))
                }
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
                self.visit_i64(i64::try_from(v).unwrap_or(i64::MAX))
            }
        }
        /// A visitor's `expecting` as a `Display`.
        struct Expecting<'a>(&'a V);
        impl fmt::Display for Expecting<'_> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                de::Visitor::expecting(self.0, f)
            }
        }
        d.deserialize_i64(V)
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
