//! Reading a template a user hands us: JSON, or YAML with the short-form
//! intrinsic tags (`!Ref`, `!GetAtt`, `!Sub`, ...) turned into long form.
//!
//! The reader is exact or refuses: duplicate keys (JSON and YAML), several
//! YAML documents in one file, and anything that is not a template (an empty
//! file, a scalar, a list, no `Resources` mapping, a resource without a
//! string `Type`) are errors, never an empty report.

use std::fmt;

use granit_parser::{Event, Parser, ScalarStyle};
use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};

/// A template file that is not valid JSON or YAML, or not a template.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}:{}{message}", position(*line, *column))]
pub struct ParseError {
    /// The file as named.
    pub file: String,
    /// 1-based line; 0 when the problem is the template's shape, named by
    /// the key path in the message rather than a position.
    pub line: usize,
    /// 1-based column (0 with `line` 0).
    pub column: usize,
    /// What was wrong.
    pub message: String,
}

fn position(line: usize, column: usize) -> String {
    if line == 0 {
        " ".to_owned()
    } else {
        format!("{line}:{column}: ")
    }
}

/// Parses a template and checks it has the shape of one. Text starting
/// with `{` is JSON; anything else YAML.
pub fn parse_template(file: &str, text: &str) -> Result<Value, ParseError> {
    let value = if text.trim_start().starts_with('{') {
        parse_json(file, text)?
    } else {
        parse_yaml(file, text)?
    };
    check_shape(&value).map_err(|message| ParseError {
        file: file.to_owned(),
        line: 0,
        column: 0,
        message,
    })?;
    Ok(value)
}

/// What the value is, for messages.
fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "nothing (null)",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "a mapping",
    }
}

/// A template is a mapping with a `Resources` mapping whose entries are
/// mappings with a string `Type` (or `Fn::ForEach::*` loops, expanded by
/// the `AWS::LanguageExtensions` transform).
fn check_shape(v: &Value) -> Result<(), String> {
    let Some(top) = v.as_object() else {
        return Err(format!(
            "expected a template (a mapping with a Resources section), found {}",
            kind(v)
        ));
    };
    let resources = match top.get("Resources") {
        Some(Value::Object(m)) => m,
        Some(other) => {
            return Err(format!(
                "Resources: expected a mapping of logical ids to resources, found {}",
                kind(other)
            ));
        }
        None => return Err("no Resources section: every template declares its resources".into()),
    };
    for (id, r) in resources {
        if id.starts_with("Fn::ForEach::") {
            continue;
        }
        match r.get("Type") {
            Some(Value::String(_)) => {}
            Some(other) => {
                return Err(format!(
                    "Resources.{id}.Type: expected a string such as AWS::S3::Bucket, found {}",
                    kind(other)
                ));
            }
            None if r.is_object() => {
                return Err(format!("Resources.{id}: the resource has no Type"));
            }
            None => {
                return Err(format!(
                    "Resources.{id}: expected a mapping with a Type, found {}",
                    kind(r)
                ));
            }
        }
    }
    Ok(())
}

/// JSON, refusing duplicate keys (serde_json keeps the last one silently).
fn parse_json(file: &str, text: &str) -> Result<Value, ParseError> {
    let mut de = serde_json::Deserializer::from_str(text);
    let result = Strict
        .deserialize(&mut de)
        .and_then(|v| de.end().map(|()| v));
    result.map_err(|e| ParseError {
        file: file.to_owned(),
        line: e.line(),
        column: e.column(),
        message: e
            .to_string()
            .split(" at line")
            .next()
            .unwrap_or_default()
            .to_owned(),
    })
}

/// Builds a `Value`, failing on a key seen twice in one object.
struct Strict;

impl<'de> DeserializeSeed<'de> for Strict {
    type Value = Value;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Strict {
    type Value = Value;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_bool<E>(self, b: bool) -> Result<Value, E> {
        Ok(Value::Bool(b))
    }
    fn visit_i64<E>(self, n: i64) -> Result<Value, E> {
        Ok(Value::Number(n.into()))
    }
    fn visit_u64<E>(self, n: u64) -> Result<Value, E> {
        Ok(Value::Number(n.into()))
    }
    fn visit_f64<E>(self, n: f64) -> Result<Value, E> {
        Ok(Number::from_f64(n).map_or(Value::Null, Value::Number))
    }
    fn visit_str<E>(self, s: &str) -> Result<Value, E> {
        Ok(Value::String(s.to_owned()))
    }
    fn visit_string<E>(self, s: String) -> Result<Value, E> {
        Ok(Value::String(s))
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(v) = seq.next_element_seed(Strict)? {
            items.push(v);
        }
        Ok(Value::Array(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<Value, A::Error> {
        let mut map = Map::new();
        while let Some(k) = access.next_key::<String>()? {
            if map.contains_key(&k) {
                return Err(de::Error::custom(format!("duplicate key {k:?}")));
            }
            let v = access.next_value_seed(Strict)?;
            map.insert(k, v);
        }
        Ok(Value::Object(map))
    }
}

/// Turns a short-form tag into the long-form key it stands for.
fn long_form(tag: &str) -> Option<&'static str> {
    Some(match tag {
        "Ref" => "Ref",
        "Condition" => "Condition",
        "GetAtt" => "Fn::GetAtt",
        "Sub" => "Fn::Sub",
        "Join" => "Fn::Join",
        "Select" => "Fn::Select",
        "Split" => "Fn::Split",
        "GetAZs" => "Fn::GetAZs",
        "ImportValue" => "Fn::ImportValue",
        "Base64" => "Fn::Base64",
        "Cidr" => "Fn::Cidr",
        "FindInMap" => "Fn::FindInMap",
        "If" => "Fn::If",
        "Equals" => "Fn::Equals",
        "Not" => "Fn::Not",
        "And" => "Fn::And",
        "Or" => "Fn::Or",
        "Transform" => "Fn::Transform",
        "ToJsonString" => "Fn::ToJsonString",
        "Length" => "Fn::Length",
        "GetStackOutput" => "Fn::GetStackOutput",
        // The functions of the `Rules` section.
        "Contains" => "Fn::Contains",
        "EachMemberEquals" => "Fn::EachMemberEquals",
        "EachMemberIn" => "Fn::EachMemberIn",
        "RefAll" => "Fn::RefAll",
        "ValueOf" => "Fn::ValueOf",
        "ValueOfAll" => "Fn::ValueOfAll",
        _ => return None,
    })
}

/// The most values aliases may copy in one file: a guard against "billion
/// laughs" documents, far above any real template.
const ALIAS_BUDGET: usize = 1_000_000;

enum Frame {
    Seq(Vec<Value>, Option<&'static str>, usize),
    Map(
        Map<String, Value>,
        Option<String>,
        Option<&'static str>,
        usize,
    ),
}

/// Values in `v`, counting itself.
fn size(v: &Value) -> usize {
    match v {
        Value::Array(a) => 1 + a.iter().map(size).sum::<usize>(),
        Value::Object(m) => 1 + m.values().map(size).sum::<usize>(),
        _ => 1,
    }
}

/// The YAML reader's state between events.
#[derive(Default)]
struct Builder {
    stack: Vec<Frame>,
    anchors: Vec<(Value, usize)>,
    root: Option<Value>,
    documents: usize,
    aliased: usize,
}

type Tag<'a> = Option<std::borrow::Cow<'a, granit_parser::Tag>>;

impl Builder {
    /// The long-form function a `!Tag` stands for, if any.
    fn intrinsic(tag: &Tag<'_>) -> Result<Option<&'static str>, String> {
        match tag {
            Some(t) if t.handle() == "!" => long_form(t.suffix())
                .map(Some)
                .ok_or_else(|| format!("unknown tag !{}", t.suffix())),
            _ => Ok(None),
        }
    }

    /// Handles one event.
    fn event(&mut self, event: Event<'_>) -> Result<(), String> {
        let (value, anchor) = match event {
            Event::DocumentStart(..) => {
                self.documents += 1;
                if self.documents > 1 {
                    return Err("a second YAML document (---): a template file holds one document; split the file".into());
                }
                return Ok(());
            }
            Event::Scalar(text, style, anchor, tag) => {
                let function = Self::intrinsic(&tag)?;
                let core = tag.as_ref().map(|t| t.suffix().to_owned());
                let mut v = scalar(&text, style, core.as_deref());
                if let Some(name) = function {
                    // `!GetAtt A.B` is the string form of `["A", "B"]`.
                    if name == "Fn::GetAtt"
                        && let Value::String(s) = &v
                        && let Some((a, b)) = s.split_once('.')
                    {
                        v = Value::Array(vec![a.into(), b.into()]);
                    }
                    v = single(name, v);
                }
                (v, anchor)
            }
            Event::SequenceStart(_, anchor, tag) => {
                let f = Self::intrinsic(&tag)?;
                self.stack.push(Frame::Seq(Vec::new(), f, anchor));
                return Ok(());
            }
            Event::MappingStart(_, anchor, tag) => {
                let f = Self::intrinsic(&tag)?;
                self.stack.push(Frame::Map(Map::new(), None, f, anchor));
                return Ok(());
            }
            Event::SequenceEnd => match self.stack.pop() {
                Some(Frame::Seq(items, f, anchor)) => (wrap(f, Value::Array(items)), anchor),
                _ => return Err("unbalanced sequence".into()),
            },
            Event::MappingEnd => match self.stack.pop() {
                Some(Frame::Map(map, _, f, anchor)) => (wrap(f, Value::Object(map)), anchor),
                _ => return Err("unbalanced mapping".into()),
            },
            Event::Alias(id) => (self.alias(id)?, 0),
            _ => return Ok(()),
        };
        if anchor > 0 {
            if self.anchors.len() < anchor {
                self.anchors.resize(anchor, (Value::Null, 1));
            }
            let n = size(&value);
            self.anchors[anchor - 1] = (value.clone(), n);
        }
        self.place(value)
    }

    /// A copy of the anchored value, within the alias budget.
    fn alias(&mut self, id: usize) -> Result<Value, String> {
        let (value, n) = self
            .anchors
            .get(id.wrapping_sub(1))
            .ok_or("alias to an unknown anchor")?;
        self.aliased += n;
        if self.aliased > ALIAS_BUDGET {
            return Err(format!(
                "aliases expand to more than {ALIAS_BUDGET} values; refusing the file"
            ));
        }
        Ok(value.clone())
    }

    /// Puts a finished value into its parent (or makes it the root).
    fn place(&mut self, value: Value) -> Result<(), String> {
        match self.stack.last_mut() {
            None => self.root = Some(value),
            Some(Frame::Seq(items, ..)) => items.push(value),
            Some(Frame::Map(map, key, ..)) => match key.take() {
                None => {
                    let k = match value {
                        Value::String(s) => s,
                        other => other.to_string(),
                    };
                    *key = Some(k);
                }
                Some(k) => {
                    if map.contains_key(&k) {
                        return Err(format!("duplicate key {k:?}"));
                    }
                    map.insert(k, value);
                }
            },
        }
        Ok(())
    }
}

fn parse_yaml(file: &str, text: &str) -> Result<Value, ParseError> {
    let fail = |line: usize, col: usize, message: String| ParseError {
        file: file.to_owned(),
        line,
        column: col + 1,
        message,
    };
    let mut b = Builder::default();
    for item in Parser::new_from_str(text) {
        let (event, span) = item.map_err(|e| {
            let m = e.marker();
            fail(m.line(), m.col(), e.info().to_string())
        })?;
        let (line, col) = (span.start.line(), span.start.col());
        b.event(event).map_err(|m| fail(line, col, m))?;
    }
    Ok(b.root.unwrap_or(Value::Null))
}

fn single(name: &str, v: Value) -> Value {
    let mut m = Map::new();
    m.insert(name.to_owned(), v);
    Value::Object(m)
}

fn wrap(function: Option<&'static str>, v: Value) -> Value {
    match function {
        Some(name) => single(name, v),
        None => v,
    }
}

/// YAML 1.2 core schema resolution of a scalar.
fn scalar(text: &str, style: ScalarStyle, tag: Option<&str>) -> Value {
    if tag == Some("str") || !matches!(style, ScalarStyle::Plain) {
        return Value::String(text.to_owned());
    }
    match text {
        "" | "~" | "null" | "Null" | "NULL" => return Value::Null,
        "true" | "True" | "TRUE" => return Value::Bool(true),
        "false" | "False" | "FALSE" => return Value::Bool(false),
        _ => {}
    }
    if let Ok(i) = text.parse::<i64>() {
        return Value::Number(i.into());
    }
    if text.contains(['.', 'e', 'E'])
        && text
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_digit() || c == '-' || c == '.')
        && let Ok(f) = text.parse::<f64>()
        && let Some(n) = Number::from_f64(f)
    {
        return Value::Number(n);
    }
    Value::String(text.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn short_form_tags_become_long_form() {
        let yaml = "Resources:\n  A:\n    Type: X\n    Properties:\n      Name: !Ref B\n      Arn: !GetAtt B.Arn\n      List: !GetAtt [B, Arn]\n      S: !Sub '${B}-x'\n      J: !Join [',', [!Ref B, c]]\n      N: 5\n      F: 1.5\n      T: true\n      Q: '5'\n";
        let v = parse_template("t.yaml", yaml).unwrap();
        let p = &v["Resources"]["A"]["Properties"];
        assert_eq!(p["Name"], json!({"Ref": "B"}));
        assert_eq!(p["Arn"], json!({"Fn::GetAtt": ["B", "Arn"]}));
        assert_eq!(p["List"], json!({"Fn::GetAtt": ["B", "Arn"]}));
        assert_eq!(p["S"], json!({"Fn::Sub": "${B}-x"}));
        assert_eq!(p["J"], json!({"Fn::Join": [",", [{"Ref": "B"}, "c"]]}));
        assert_eq!(
            (
                p["N"].clone(),
                p["F"].clone(),
                p["T"].clone(),
                p["Q"].clone()
            ),
            (json!(5), json!(1.5), json!(true), json!("5"))
        );
    }

    #[test]
    fn errors_have_positions() {
        let e = parse_template("t.yaml", "a: [1, 2\nb: c\n").unwrap_err();
        assert_eq!(e.file, "t.yaml");
        assert!(e.line >= 1);
        let e = parse_template("t.json", "{\"a\": }").unwrap_err();
        assert_eq!((e.line, e.column), (1, 7));
        let e = parse_template("t.yaml", "a: !Bogus x\n").unwrap_err();
        assert!(e.message.contains("unknown tag !Bogus"));
        let e = parse_template("t.yaml", "a: 1\na: 2\n").unwrap_err();
        assert!(e.message.contains("duplicate key"));
    }
    fn refused(file: &str, text: &str) -> String {
        parse_template(file, text).unwrap_err().to_string()
    }

    #[test]
    fn what_is_not_a_template_is_refused() {
        for (text, want) in [
            ("", "found nothing"),
            ("# only a comment\n", "found nothing"),
            ("just words\n", "found a string"),
            ("- a\n- b\n", "found a list"),
            (
                "AWSTemplateFormatVersion: '2010-09-09'\n",
                "no Resources section",
            ),
            ("Resources: [a]\n", "Resources: expected a mapping"),
            (
                "Resources:\n  A:\n    Properties: {}\n",
                "Resources.A: the resource has no Type",
            ),
            (
                "Resources:\n  A:\n    Type: [x]\n",
                "Resources.A.Type: expected a string",
            ),
            (
                "Resources:\n  A: 5\n",
                "Resources.A: expected a mapping with a Type, found a number",
            ),
        ] {
            let e = refused("t.yaml", text);
            assert!(e.contains(want), "{text:?}: {e}");
            assert!(e.starts_with("t.yaml: "), "{e}");
        }
        assert!(refused("t.json", "{}").contains("no Resources section"));
        assert!(refused("t.json", "[1]").contains("found a list"));
    }

    #[test]
    fn duplicate_json_keys_are_refused_with_their_position() {
        let e = parse_template("t.json", "{\"Resources\": {},\n \"Resources\": {}}").unwrap_err();
        assert!(e.message.contains("duplicate key \"Resources\""), "{e}");
        assert_eq!(e.line, 2);
        let nested = "{\"Resources\": {\"A\": {\"Type\": \"X\", \"Type\": \"Y\"}}}";
        assert!(refused("t.json", nested).contains("duplicate key \"Type\""));
    }

    #[test]
    fn several_yaml_documents_are_refused() {
        let two = "Resources:\n  A: {Type: X}\n---\nResources:\n  B: {Type: Y}\n";
        let e = parse_template("t.yaml", two).unwrap_err();
        assert!(e.message.contains("second YAML document"), "{e}");
        assert_eq!(e.line, 3);
        // One explicit document is fine.
        assert!(parse_template("t.yaml", "---\nResources: {A: {Type: X}}\n").is_ok());
    }

    #[test]
    fn aliases_to_mappings_and_lists_resolve() {
        let yaml = "Resources:\n  A:\n    Type: X\n    Properties:\n      Tags: &tags\n        - {Key: k, Value: v}\n      Config: &config\n        Name: !Ref B\n  B:\n    Type: X\n    Properties:\n      Tags: *tags\n      Config: *config\n";
        let v = parse_template("t.yaml", yaml).unwrap();
        let b = &v["Resources"]["B"]["Properties"];
        assert_eq!(b["Tags"], json!([{"Key": "k", "Value": "v"}]));
        assert_eq!(b["Config"], json!({"Name": {"Ref": "B"}}));
    }

    #[test]
    fn alias_bombs_are_refused() {
        let mut yaml = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..9 {
            let p = i - 1;
            yaml.push_str(&format!("a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"));
        }
        assert!(refused("t.yaml", &yaml).contains("aliases expand to more than"));
    }

    #[test]
    fn rules_functions_are_read() {
        let yaml = "Rules:\n  R:\n    RuleCondition: !Equals [!Ref Env, prod]\n    Assertions:\n      - Assert: !Contains [[a, b], !Ref P]\n      - Assert: !EachMemberEquals [!ValueOfAll [AWS::EC2::Subnet::Id, VpcId], !Ref V]\n      - Assert: !EachMemberIn [!RefAll AWS::EC2::VPC::Id, [v]]\n      - Assert: !Not [!Equals [!ValueOf [S, VpcId], '']]\nResources: {A: {Type: X}}\n";
        let v = parse_template("t.yaml", yaml).unwrap();
        let a = &v["Rules"]["R"]["Assertions"];
        assert_eq!(
            a[0]["Assert"],
            json!({"Fn::Contains": [["a", "b"], {"Ref": "P"}]})
        );
        assert_eq!(
            a[2]["Assert"]["Fn::EachMemberIn"][0],
            json!({"Fn::RefAll": "AWS::EC2::VPC::Id"})
        );
        assert_eq!(
            a[3]["Assert"]["Fn::Not"][0]["Fn::Equals"][0],
            json!({"Fn::ValueOf": ["S", "VpcId"]})
        );
        assert_eq!(
            a[1]["Assert"]["Fn::EachMemberEquals"][0]["Fn::ValueOfAll"][1],
            json!("VpcId")
        );
    }
}
