//! Reading a template a user hands us: JSON, or YAML with the short-form
//! intrinsic tags (`!Ref`, `!GetAtt`, `!Sub`, ...) turned into long form.

use granit_parser::{Event, Parser, ScalarStyle};
use serde_json::{Map, Number, Value};

/// A template file that is not valid JSON or YAML.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}:{line}:{column}: {message}")]
pub struct ParseError {
    /// The file as named.
    pub file: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
    /// What was wrong.
    pub message: String,
}

/// Parses a template. Text starting with `{` is JSON; anything else YAML.
pub fn parse_template(file: &str, text: &str) -> Result<Value, ParseError> {
    if text.trim_start().starts_with('{') {
        return serde_json::from_str(text).map_err(|e| ParseError {
            file: file.to_owned(),
            line: e.line(),
            column: e.column(),
            message: e
                .to_string()
                .split(" at line")
                .next()
                .unwrap_or_default()
                .to_owned(),
        });
    }
    parse_yaml(file, text)
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
        _ => return None,
    })
}

enum Frame {
    Seq(Vec<Value>, Option<&'static str>),
    Map(Map<String, Value>, Option<String>, Option<&'static str>),
}

fn parse_yaml(file: &str, text: &str) -> Result<Value, ParseError> {
    let fail = |line: usize, col: usize, message: String| ParseError {
        file: file.to_owned(),
        line,
        column: col + 1,
        message,
    };
    let mut stack: Vec<Frame> = Vec::new();
    let mut anchors: Vec<Value> = Vec::new();
    let mut root: Option<Value> = None;
    for item in Parser::new_from_str(text) {
        let (event, span) = item.map_err(|e| {
            let m = e.marker();
            fail(m.line(), m.col(), e.info().to_string())
        })?;
        let (line, col) = (span.start.line(), span.start.col());
        let intrinsic = |tag: &Option<std::borrow::Cow<'_, granit_parser::Tag>>| -> Result<Option<&'static str>, ParseError> {
            match tag {
                Some(t) if t.handle() == "!" => long_form(t.suffix())
                    .map(Some)
                    .ok_or_else(|| fail(line, col, format!("unknown tag !{}", t.suffix()))),
                _ => Ok(None),
            }
        };
        let (value, anchor) = match event {
            Event::Scalar(text, style, anchor, tag) => {
                let function = intrinsic(&tag)?;
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
                stack.push(Frame::Seq(Vec::new(), intrinsic(&tag)?));
                let _ = anchor;
                continue;
            }
            Event::MappingStart(_, anchor, tag) => {
                stack.push(Frame::Map(Map::new(), None, intrinsic(&tag)?));
                let _ = anchor;
                continue;
            }
            Event::SequenceEnd => match stack.pop() {
                Some(Frame::Seq(items, f)) => (wrap(f, Value::Array(items)), 0),
                _ => return Err(fail(line, col, "unbalanced sequence".into())),
            },
            Event::MappingEnd => match stack.pop() {
                Some(Frame::Map(map, _, f)) => (wrap(f, Value::Object(map)), 0),
                _ => return Err(fail(line, col, "unbalanced mapping".into())),
            },
            Event::Alias(id) => (
                anchors
                    .get(id.wrapping_sub(1))
                    .cloned()
                    .ok_or_else(|| fail(line, col, "alias to an unknown anchor".into()))?,
                0,
            ),
            _ => continue,
        };
        if anchor > 0 {
            if anchors.len() < anchor {
                anchors.resize(anchor, Value::Null);
            }
            anchors[anchor - 1] = value.clone();
        }
        match stack.last_mut() {
            None => root = Some(value),
            Some(Frame::Seq(items, _)) => items.push(value),
            Some(Frame::Map(map, key, _)) => match key.take() {
                None => {
                    let k = match value {
                        Value::String(s) => s,
                        other => other.to_string(),
                    };
                    *key = Some(k);
                }
                Some(k) => {
                    if map.contains_key(&k) {
                        return Err(fail(line, col, format!("duplicate key {k:?}")));
                    }
                    map.insert(k, value);
                }
            },
        }
    }
    Ok(root.unwrap_or(Value::Null))
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
}
