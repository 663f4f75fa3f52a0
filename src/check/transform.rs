//! Transforms. `AWS::LanguageExtensions` is understood: its `Fn::ForEach`
//! loops are expanded before the checks run. Other transforms (SAM's
//! `AWS::Serverless-2016-10-31`, `AWS::Include`, macros) generate resources
//! stackcraft cannot see: the template is checked as written, before the
//! transform, and the checks that would misjudge it are skipped and named.

use serde_json::{Map, Value};

/// The transform stackcraft expands itself.
pub(crate) const LANGUAGE_EXTENSIONS: &str = "AWS::LanguageExtensions";

/// Rules skipped when a transform other than `AWS::LanguageExtensions` is
/// declared: references may name resources and attributes it generates.
pub(crate) const SKIPPED_UNDER_TRANSFORM: &[&str] = &["SC-INT-001", "SC-INT-002", "SC-INT-003"];

/// The transforms a template declares (`Transform`: a name or a list).
pub(crate) fn declared(template: &Value) -> Vec<String> {
    match template.get("Transform") {
        Some(Value::String(s)) => vec![s.clone()],
        Some(Value::Array(items)) => items
            .iter()
            .map(|t| match t {
                Value::String(s) => s.clone(),
                other => other
                    .get("Name")
                    .and_then(Value::as_str)
                    .unwrap_or("a macro")
                    .to_owned(),
            })
            .collect(),
        Some(other) => vec![
            other
                .get("Name")
                .and_then(Value::as_str)
                .unwrap_or("a macro")
                .to_owned(),
        ],
        None => vec![],
    }
}

/// The template with its `Fn::ForEach` loops expanded (in `Resources`,
/// `Outputs` and `Conditions`), and the loops that could not be expanded
/// because their collection is not known before deployment.
pub(crate) fn expand_for_each(template: &Value) -> (Value, Vec<String>) {
    let mut out = template.clone();
    let mut unexpanded = Vec::new();
    let params = template.get("Parameters").cloned().unwrap_or(Value::Null);
    for section in ["Resources", "Outputs", "Conditions"] {
        if let Some(Value::Object(m)) = template.get(section) {
            let expanded = expand_map(m, &params, section, &mut unexpanded);
            out[section] = Value::Object(expanded);
        }
    }
    (out, unexpanded)
}

fn expand_map(
    m: &Map<String, Value>,
    params: &Value,
    where_: &str,
    unexpanded: &mut Vec<String>,
) -> Map<String, Value> {
    let mut out = Map::new();
    for (k, v) in m {
        if !k.starts_with("Fn::ForEach::") {
            out.insert(k.clone(), v.clone());
            continue;
        }
        let parts = v.as_array().map(Vec::as_slice).unwrap_or_default();
        let (Some(Value::String(ident)), Some(collection), Some(Value::Object(body))) =
            (parts.first(), parts.get(1), parts.get(2))
        else {
            unexpanded.push(format!("{where_}.{k}"));
            continue;
        };
        let Some(items) = collection_items(collection, params) else {
            unexpanded.push(format!("{where_}.{k}"));
            continue;
        };
        for item in items {
            let mut one = Map::new();
            for (bk, bv) in body {
                one.insert(replace(bk, ident, &item), substitute(bv, ident, &item));
            }
            out.extend(expand_map(&one, params, where_, unexpanded));
        }
    }
    out
}

/// The values a loop runs over: a literal list, or a list parameter's
/// default (the value deployed when none is given).
fn collection_items(collection: &Value, params: &Value) -> Option<Vec<String>> {
    let from_list = |items: &Vec<Value>| -> Option<Vec<String>> {
        items
            .iter()
            .map(|i| i.as_str().map(str::to_owned))
            .collect()
    };
    match collection {
        Value::Array(items) => from_list(items),
        Value::Object(o) if o.len() == 1 => {
            let name = o.get("Ref")?.as_str()?;
            match params.get(name)?.get("Default")? {
                Value::String(s) => Some(s.split(',').map(|x| x.trim().to_owned()).collect()),
                Value::Array(items) => from_list(items),
                _ => None,
            }
        }
        _ => None,
    }
}

/// `${Ident}` becomes the item, `&{Ident}` the item without
/// non-alphanumeric characters.
fn replace(s: &str, ident: &str, item: &str) -> String {
    let plain: String = item.chars().filter(char::is_ascii_alphanumeric).collect();
    s.replace(&format!("${{{ident}}}"), item)
        .replace(&format!("&{{{ident}}}"), &plain)
}

/// The loop body for one item: `Ref: Ident` and `${Ident}` replaced.
fn substitute(v: &Value, ident: &str, item: &str) -> Value {
    match v {
        Value::String(s) => Value::String(replace(s, ident, item)),
        Value::Array(a) => Value::Array(a.iter().map(|x| substitute(x, ident, item)).collect()),
        Value::Object(o) => {
            if o.len() == 1 && o.get("Ref").and_then(Value::as_str) == Some(ident) {
                return Value::String(item.to_owned());
            }
            // `Fn::Sub: "Param${Ident}"` left without variables is the
            // literal it names (the extensions allow it inside Ref and GetAtt).
            if let (1, Some(Value::String(text))) = (o.len(), o.get("Fn::Sub")) {
                let text = replace(text, ident, item);
                if !text.contains("${") {
                    return Value::String(text);
                }
            }
            Value::Object(
                o.iter()
                    .map(|(k, x)| (replace(k, ident, item), substitute(x, ident, item)))
                    .collect(),
            )
        }
        other => other.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn for_each_loops_expand_with_nested_loops_and_parameter_defaults() {
        let t = json!({
            "Transform": "AWS::LanguageExtensions",
            "Parameters": {"Names": {"Type": "CommaDelimitedList", "Default": "a-1,b"}},
            "Resources": {
                "Fn::ForEach::Tables": ["Name", {"Ref": "Names"}, {
                    "Table&{Name}": {"Type": "AWS::DynamoDB::Table", "Properties": {"TableName": {"Ref": "Name"}}}
                }]
            },
            "Outputs": {
                "Fn::ForEach::Outer": ["Id", ["x", "y"], {"Fn::ForEach::Inner": ["Prop", ["Arn"], {
                    "Out${Id}${Prop}": {"Value": {"Fn::Sub": "${Id}-${Prop}"}}
                }]}]
            }
        });
        let (out, unexpanded) = expand_for_each(&t);
        assert!(unexpanded.is_empty());
        assert_eq!(
            out["Resources"]["Tablea1"]["Properties"]["TableName"],
            json!("a-1")
        );
        assert!(out["Resources"].get("Tableb").is_some());
        let outputs: Vec<&String> = out["Outputs"].as_object().unwrap().keys().collect();
        assert_eq!(outputs, ["OutxArn", "OutyArn"]);
        assert_eq!(out["Outputs"]["OutyArn"]["Value"], json!("y-Arn"));
    }

    #[test]
    fn loops_over_unknown_collections_are_named() {
        let t = json!({"Resources": {"Fn::ForEach::L": ["X", {"Fn::GetAZs": ""}, {"R${X}": {"Type": "T"}}]}});
        let (out, unexpanded) = expand_for_each(&t);
        assert_eq!(unexpanded, ["Resources.Fn::ForEach::L"]);
        assert_eq!(out["Resources"], json!({}));
    }

    #[test]
    fn transforms_are_listed() {
        assert_eq!(
            declared(&json!({"Transform": "AWS::Serverless-2016-10-31"})),
            ["AWS::Serverless-2016-10-31"]
        );
        assert_eq!(
            declared(&json!({"Transform": ["AWS::LanguageExtensions", {"Name": "AWS::Include"}]})),
            ["AWS::LanguageExtensions", "AWS::Include"]
        );
    }
}
