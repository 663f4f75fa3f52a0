//! The references inside a template value: `Ref`, `Fn::GetAtt` and the
//! `${Name}` / `${Name.Attr}` variables of `Fn::Sub`, with the key path
//! where each sits (so edges can tell an origin from a logging bucket).

use serde_json::Value;

/// A logical name referenced at a key path (keys joined by `.`, list
/// positions left out).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reference {
    /// The referenced resource or parameter.
    pub name: String,
    /// Where the reference sits, e.g. `Environment.Variables.TABLE`.
    pub path: String,
}

/// Every reference in `v`, in document order.
pub fn references(v: &Value) -> Vec<Reference> {
    let mut out = Vec::new();
    walk(v, "", &mut out);
    out
}

/// The referenced names only, in document order, without repeats.
pub fn names(v: &Value) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for r in references(v) {
        if !out.contains(&r.name) {
            out.push(r.name);
        }
    }
    out
}

fn push(out: &mut Vec<Reference>, name: &str, path: &str) {
    if !name.starts_with("AWS::") && !name.is_empty() {
        out.push(Reference {
            name: name.to_owned(),
            path: path.to_owned(),
        });
    }
}

fn walk(v: &Value, path: &str, out: &mut Vec<Reference>) {
    match v {
        Value::Array(items) => items.iter().for_each(|i| walk(i, path, out)),
        Value::Object(map) => {
            if map.len() == 1 {
                if let Some(Value::String(name)) = map.get("Ref") {
                    return push(out, name, path);
                }
                if let Some(att) = map.get("Fn::GetAtt") {
                    return get_att(att, path, out);
                }
                if let Some(sub) = map.get("Fn::Sub") {
                    return fn_sub(sub, path, out);
                }
            }
            for (k, item) in map {
                let inner = if path.is_empty() {
                    k.clone()
                } else {
                    format!("{path}.{k}")
                };
                walk(item, &inner, out);
            }
        }
        _ => {}
    }
}

fn get_att(att: &Value, path: &str, out: &mut Vec<Reference>) {
    match att {
        Value::Array(parts) => match parts.first() {
            Some(Value::String(name)) => push(out, name, path),
            _ => walk(att, path, out),
        },
        Value::String(s) => push(out, s.split('.').next().unwrap_or(s), path),
        other => walk(other, path, out),
    }
}

fn fn_sub(sub: &Value, path: &str, out: &mut Vec<Reference>) {
    let (text, vars) = match sub {
        Value::String(s) => (s.as_str(), None),
        Value::Array(parts) => match (parts.first(), parts.get(1)) {
            (Some(Value::String(s)), vars) => (s.as_str(), vars.and_then(Value::as_object)),
            _ => return walk(sub, path, out),
        },
        other => return walk(other, path, out),
    };
    if let Some(vars) = vars {
        for item in vars.values() {
            walk(item, path, out);
        }
    }
    for name in sub_variables(text) {
        let base = name.split('.').next().unwrap_or(&name);
        if !vars.is_some_and(|m| m.contains_key(base)) {
            push(out, base, path);
        }
    }
}

/// The `${...}` variables of a `Fn::Sub` string (`${!Literal}` skipped).
pub fn sub_variables(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("${") {
        let after = &rest[start + 2..];
        let Some(end) = after.find('}') else { break };
        let name = after[..end].trim();
        if !name.starts_with('!') {
            out.push(name.to_owned());
        }
        rest = &after[end + 1..];
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn finds_refs_getatts_and_sub_variables_with_paths() {
        let v = json!({
            "A": {"Ref": "Table"},
            "B": {"Fn::GetAtt": ["Fn", "Arn"]},
            "C": {"Fn::GetAtt": "Queue.Arn"},
            "D": {"Fn::Sub": "arn:${AWS::Partition}:s3:::${Bucket}/*"},
            "E": {"Fn::Sub": ["${X}.${Api}", {"X": {"Ref": "Api2"}}]},
            "F": {"Fn::Sub": "${!Literal}"},
            "G": [{"H": {"Ref": "AWS::Region"}}]
        });
        let got: Vec<(String, String)> = references(&v)
            .into_iter()
            .map(|r| (r.name, r.path))
            .collect();
        let want = [
            ("Table", "A"),
            ("Fn", "B"),
            ("Queue", "C"),
            ("Bucket", "D"),
            ("Api2", "E"),
            ("Api", "E"),
        ];
        let want: Vec<(String, String)> = want
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect();
        assert_eq!(got, want);
    }
}
