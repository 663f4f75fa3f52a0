//! Renaming logical ids in a finished template.
//!
//! A logical id is a resource's identity: when a user adopts stackcraft over
//! an existing stack, or a blueprint's id changes, renaming in the template
//! keeps CloudFormation from replacing a live database. The rename reaches
//! every place an id can stand: the `Resources` key, `Ref`, `Fn::GetAtt`,
//! `DependsOn`, and `${Id}` / `${Id.Attribute}` inside `Fn::Sub`.

use indexmap::IndexMap;
use serde_json::{Map, Value};

use super::is_valid_logical_id;

/// A rename that cannot be applied.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RenameError {
    /// The template has no resource with the old id.
    #[error("no resource {from:?} to rename{}", match suggestion {
        Some(s) => format!("; did you mean {s:?}?"),
        None => " (`synth --stdout` shows the template's resource ids)".to_owned(),
    })]
    Unknown {
        /// The id asked for.
        from: String,
        /// The template's resource id closest to it, if any is close.
        suggestion: Option<String>,
    },
    /// The new id is not alphanumeric or is too long.
    #[error("cannot rename {from:?} to {to:?}: a logical id is 1 to 255 ASCII letters and digits")]
    Invalid {
        /// The old id.
        from: String,
        /// The new id.
        to: String,
    },
    /// The new id is already taken.
    #[error("cannot rename {from:?} to {to:?}: that id is already used")]
    Taken {
        /// The old id.
        from: String,
        /// The new id.
        to: String,
    },
}

/// The id in `ids` nearest to `id` by edit distance (ignoring case), when it
/// is near enough to be a typo: at most a third of the id's length.
fn closest<'a>(id: &str, ids: impl Iterator<Item = &'a String>) -> Option<String> {
    let lower = id.to_ascii_lowercase();
    ids.map(|k| (strsim::levenshtein(&lower, &k.to_ascii_lowercase()), k))
        .filter(|(d, _)| *d <= (id.len() / 3).max(1))
        .min_by_key(|(d, _)| *d)
        .map(|(_, k)| k.clone())
}

/// Renames resources of `template` (a template as JSON) by `renames`
/// (old id -> new id), rewriting every reference.
pub fn rename_logical_ids(
    template: &mut Value,
    renames: &IndexMap<String, String>,
) -> Result<(), RenameError> {
    if renames.is_empty() {
        return Ok(());
    }
    let Some(resources) = template.get("Resources").and_then(Value::as_object) else {
        return Ok(());
    };
    let params = template.get("Parameters").and_then(Value::as_object);
    for (from, to) in renames {
        if !resources.contains_key(from) {
            return Err(RenameError::Unknown {
                from: from.clone(),
                suggestion: closest(from, resources.keys()),
            });
        }
        if !is_valid_logical_id(to) {
            return Err(RenameError::Invalid {
                from: from.clone(),
                to: to.clone(),
            });
        }
        let taken_by_other = resources.contains_key(to) && !renames.contains_key(to);
        let taken_by_param = params.is_some_and(|p| p.contains_key(to));
        let twice = renames.values().filter(|v| *v == to).count() > 1;
        if taken_by_other || taken_by_param || twice {
            return Err(RenameError::Taken {
                from: from.clone(),
                to: to.clone(),
            });
        }
    }
    if let Some(Value::Object(resources)) = template.get_mut("Resources") {
        let old = std::mem::take(resources);
        *resources = old
            .into_iter()
            .map(|(k, v)| (renames.get(&k).cloned().unwrap_or(k), v))
            .collect();
    }
    rewrite(template, renames);
    Ok(())
}

fn rewrite(value: &mut Value, renames: &IndexMap<String, String>) {
    match value {
        Value::Object(map) => {
            rewrite_object(map, renames);
            for v in map.values_mut() {
                rewrite(v, renames);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|v| rewrite(v, renames)),
        _ => {}
    }
}

fn rewrite_object(map: &mut Map<String, Value>, renames: &IndexMap<String, String>) {
    let rename = |s: &mut String| {
        if let Some(new) = renames.get(s.as_str()) {
            *s = new.clone();
        }
    };
    if map.len() == 1 {
        if let Some(Value::String(id)) = map.get_mut("Ref") {
            rename(id);
        }
        if let Some(Value::Array(args)) = map.get_mut("Fn::GetAtt")
            && let Some(Value::String(id)) = args.first_mut()
        {
            rename(id);
        }
        match map.get_mut("Fn::Sub") {
            Some(Value::String(s)) => *s = rewrite_sub(s, renames, &[]),
            Some(Value::Array(args)) => {
                let vars: Vec<String> = args
                    .get(1)
                    .and_then(Value::as_object)
                    .map(|m| m.keys().cloned().collect())
                    .unwrap_or_default();
                if let Some(Value::String(s)) = args.first_mut() {
                    *s = rewrite_sub(s, renames, &vars);
                }
            }
            _ => {}
        }
    }
    match map.get_mut("DependsOn") {
        Some(Value::String(id)) => rename(id),
        Some(Value::Array(ids)) => ids.iter_mut().for_each(|v| {
            if let Value::String(id) = v {
                rename(id)
            }
        }),
        _ => {}
    }
}

/// Rewrites `${Id}` and `${Id.Attr}` in a `Fn::Sub` string, leaving `${!...}`
/// literals and the explicitly given variables alone.
fn rewrite_sub(s: &str, renames: &IndexMap<String, String>, own_vars: &[String]) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(start) = rest.find("${") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let Some(end) = after.find('}') else {
            out.push_str(&rest[start..]);
            return out;
        };
        let inner = &after[..end];
        let (id, attr) = match inner.split_once('.') {
            Some((id, attr)) => (id, Some(attr)),
            None => (inner, None),
        };
        let new_id = if inner.starts_with('!') || own_vars.iter().any(|v| v == inner) {
            id
        } else {
            renames.get(id).map(String::as_str).unwrap_or(id)
        };
        out.push_str("${");
        out.push_str(new_id);
        if let Some(attr) = attr {
            out.push('.');
            out.push_str(attr);
        }
        out.push('}');
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn renames(pairs: &[(&str, &str)]) -> IndexMap<String, String> {
        pairs
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    }

    #[test]
    fn renames_every_kind_of_reference() {
        let mut t = json!({
            "Resources": {
                "Table": {"Type": "AWS::DynamoDB::Table"},
                "Fn": {
                    "Type": "AWS::Lambda::Function",
                    "DependsOn": ["Table"],
                    "Properties": {
                        "A": {"Ref": "Table"},
                        "B": {"Fn::GetAtt": ["Table", "Arn"]},
                        "C": {"Fn::Sub": "${Table}/${Table.Arn}/${!Table}/${AWS::Region}"},
                        "D": {"Fn::Sub": ["${Table}-${X}", {"X": {"Ref": "Table"}}]}
                    }
                }
            },
            "Outputs": {"T": {"Value": {"Ref": "Table"}}}
        });
        rename_logical_ids(&mut t, &renames(&[("Table", "LegacyTodoTable")])).unwrap();
        let keys: Vec<&String> = t["Resources"].as_object().unwrap().keys().collect();
        assert_eq!(keys, ["LegacyTodoTable", "Fn"]);
        let p = &t["Resources"]["Fn"]["Properties"];
        assert_eq!(p["A"], json!({"Ref": "LegacyTodoTable"}));
        assert_eq!(p["B"], json!({"Fn::GetAtt": ["LegacyTodoTable", "Arn"]}));
        assert_eq!(
            p["C"],
            json!({"Fn::Sub": "${LegacyTodoTable}/${LegacyTodoTable.Arn}/${!Table}/${AWS::Region}"})
        );
        assert_eq!(
            p["D"],
            json!({"Fn::Sub": ["${LegacyTodoTable}-${X}", {"X": {"Ref": "LegacyTodoTable"}}]})
        );
        assert_eq!(
            t["Resources"]["Fn"]["DependsOn"],
            json!(["LegacyTodoTable"])
        );
        assert_eq!(
            t["Outputs"]["T"]["Value"],
            json!({"Ref": "LegacyTodoTable"})
        );
    }

    #[test]
    fn refuses_bad_renames() {
        let t = json!({"Parameters": {"P": {}}, "Resources": {"A": {}, "B": {}}});
        let err = |pairs| rename_logical_ids(&mut t.clone(), &renames(pairs)).unwrap_err();
        assert!(matches!(err(&[("Z", "Y")]), RenameError::Unknown { .. }));
        let mut big = json!({"Resources": {}});
        for id in [
            "OrdersTable",
            "OrdersQueue",
            "Consumer",
            "ConsumerRole",
            "Vpc",
        ] {
            big["Resources"][id] = json!({"Type": "AWS::SQS::Queue"});
        }
        let e = rename_logical_ids(&mut big, &renames(&[("OrderTable", "Old")]))
            .unwrap_err()
            .to_string();
        assert_eq!(
            e,
            "no resource \"OrderTable\" to rename; did you mean \"OrdersTable\"?"
        );
        let e = rename_logical_ids(&mut big, &renames(&[("Database", "Old")]))
            .unwrap_err()
            .to_string();
        assert!(
            e.ends_with("(`synth --stdout` shows the template's resource ids)"),
            "{e}"
        );
        assert!(!e.contains("ConsumerRole"), "{e}");
        assert!(matches!(err(&[("A", "a-b")]), RenameError::Invalid { .. }));
        assert!(matches!(err(&[("A", "B")]), RenameError::Taken { .. }));
        assert!(matches!(err(&[("A", "P")]), RenameError::Taken { .. }));
        // Swapping two ids is fine.
        let mut ok = t.clone();
        rename_logical_ids(&mut ok, &renames(&[("A", "B"), ("B", "A")])).unwrap();
    }
}
