//! Predicting replacement: create-only properties from the registry, and
//! create-only properties that refer to a replaced resource.

use std::collections::BTreeSet;

use serde_json::{Map, Value};

use super::{Action, Replacement, ResourceDiff, Segment};
use crate::deploy::data::{self, Fate};
use crate::registry::{Kind, classify, is_intrinsic};

/// What one changed value does to a resource of `resource_type`: `Yes`
/// when it touches a create-only property with literal values on both
/// sides, `Maybe` when a side is an intrinsic function (resolved only at
/// deploy time) or the type has no schema, `No` otherwise.
pub(super) fn of_change(
    resource_type: &str,
    path: &[Segment],
    old: Option<&Value>,
    new: Option<&Value>,
) -> Replacement {
    let Some((Segment::Key(first), rel)) = path.split_first() else {
        return Replacement::No;
    };
    if first != "Properties" {
        return Replacement::No;
    }
    let Kind::Known(info) = classify(resource_type) else {
        // A type without a schema (a module, a third-party type): any
        // property may be create-only.
        return Replacement::Maybe;
    };
    let touched = info
        .create_only()
        .iter()
        .any(|c| touches(&pattern(c), rel, old, new));
    if !touched {
        Replacement::No
    } else if old.is_some_and(has_intrinsic) || new.is_some_and(has_intrinsic) {
        Replacement::Maybe
    } else {
        Replacement::Yes
    }
}

/// A create-only path (`Tags.*.Key`) split into its parts.
fn pattern(create_only: &str) -> Vec<&str> {
    create_only.split('.').collect()
}

/// Whether a change at `rel` (below `Properties`) changes the create-only
/// property `pattern`: the change is inside it, or it replaced a mapping or
/// list that holds it and the values at the pattern differ.
pub(super) fn touches(
    pattern: &[&str],
    rel: &[Segment],
    old: Option<&Value>,
    new: Option<&Value>,
) -> bool {
    let n = pattern.len().min(rel.len());
    if !pattern[..n]
        .iter()
        .zip(&rel[..n])
        .all(|(p, s)| matches(p, s))
    {
        return false;
    }
    if pattern.len() <= rel.len() {
        return true;
    }
    let rest = &pattern[rel.len()..];
    select(old, rest) != select(new, rest)
}

fn matches(part: &str, segment: &Segment) -> bool {
    match segment {
        Segment::Key(k) => k == part,
        Segment::Index(_) => part == "*",
    }
}

/// The values at `path` below `value` (`*` takes every list item). An
/// intrinsic function met on the way stands for what it resolves to.
fn select<'a>(value: Option<&'a Value>, path: &[&str]) -> Vec<&'a Value> {
    let mut found: Vec<&Value> = value.into_iter().collect();
    for part in path {
        found = found
            .into_iter()
            .flat_map(|v| -> Vec<&Value> {
                match v {
                    v if is_intrinsic(v) => vec![v],
                    Value::Array(items) if *part == "*" => items.iter().collect(),
                    Value::Object(m) => m.get(*part).into_iter().collect(),
                    _ => Vec::new(),
                }
            })
            .collect();
    }
    found
}

/// Whether a value is or holds an intrinsic function.
fn has_intrinsic(v: &Value) -> bool {
    is_intrinsic(v)
        || match v {
            Value::Array(items) => items.iter().any(has_intrinsic),
            Value::Object(m) => m.values().any(has_intrinsic),
            _ => false,
        }
}

/// Marks what a replacement drags along: a resource whose create-only
/// property refers (`Ref`, `Fn::GetAtt`, `Fn::Sub`) to a replaced resource
/// gets a new value there and may be replaced too, transitively.
pub(super) fn propagate(resources: &mut Vec<ResourceDiff>, new: &Map<String, Value>) {
    loop {
        let replaced: BTreeSet<String> = resources
            .iter()
            .filter(|r| r.action == Action::Modify && r.replacement > Replacement::No)
            .map(|r| r.logical_id.clone())
            .collect();
        let mut grew = false;
        for (id, resource) in new {
            let at = resources.binary_search_by(|r| r.logical_id.as_str().cmp(id));
            let current = at.ok().map(|i| &resources[i]);
            if current.is_some_and(|r| r.action == Action::Add || r.replacement > Replacement::No) {
                continue;
            }
            let reasons = dragged(id, resource, &replaced);
            if reasons.is_empty() {
                continue;
            }
            grew = true;
            let i = match at {
                Ok(i) => i,
                Err(i) => {
                    resources.insert(i, unchanged(id, resource));
                    i
                }
            };
            resources[i].replacement = Replacement::Maybe;
            resources[i].reasons.extend(reasons);
        }
        if !grew {
            return;
        }
    }
}

/// A resource with no change of its own, about to be marked.
fn unchanged(id: &str, resource: &Value) -> ResourceDiff {
    ResourceDiff {
        logical_id: id.to_owned(),
        resource_type: resource["Type"].as_str().unwrap_or_default().to_owned(),
        action: Action::Modify,
        changes: Vec::new(),
        replacement: Replacement::No,
        reasons: Vec::new(),
        warning: None,
    }
}

/// Why `resource` is replaced along with others: one reason per
/// create-only property that refers to a replaced resource.
fn dragged(id: &str, resource: &Value, replaced: &BTreeSet<String>) -> Vec<String> {
    let Some(Kind::Known(info)) = resource["Type"].as_str().map(classify) else {
        return Vec::new();
    };
    let mut reasons = Vec::new();
    for c in info.create_only() {
        let mut names = BTreeSet::new();
        for v in select(resource.get("Properties"), &pattern(c)) {
            references(v, &mut names);
        }
        for name in names.iter().filter(|n| *n != id && replaced.contains(*n)) {
            reasons.push(format!("{c} refers to {name}, which is replaced"));
        }
    }
    reasons
}

/// The logical ids a value refers to through `Ref`, `Fn::GetAtt` and
/// `Fn::Sub` (pseudo parameters left out).
fn references(v: &Value, out: &mut BTreeSet<String>) {
    let mut add = |name: &str| {
        let name = name.split('.').next().unwrap_or(name).trim();
        if !name.starts_with("AWS::") && !name.is_empty() {
            out.insert(name.to_owned());
        }
    };
    match v {
        Value::Object(m) if is_intrinsic(v) => match m.iter().next() {
            Some((k, Value::String(s))) if k == "Ref" || k == "Fn::GetAtt" || k == "Fn::Sub" => {
                if k == "Fn::Sub" {
                    sub_names(s).into_iter().for_each(add);
                } else {
                    add(s);
                }
            }
            Some((k, Value::Array(a))) if k == "Fn::GetAtt" => {
                a.first().and_then(Value::as_str).into_iter().for_each(add);
            }
            Some((k, Value::Array(a))) if k == "Fn::Sub" => {
                let local = a.get(1).and_then(Value::as_object);
                let text = a.first().and_then(Value::as_str).unwrap_or_default();
                sub_names(text)
                    .into_iter()
                    .filter(|n| local.is_none_or(|l| !l.contains_key(*n)))
                    .for_each(add);
                local
                    .into_iter()
                    .flat_map(|l| l.values())
                    .for_each(|x| references(x, out));
            }
            Some((_, inner)) => references(inner, out),
            None => {}
        },
        Value::Object(m) => m.values().for_each(|x| references(x, out)),
        Value::Array(a) => a.iter().for_each(|x| references(x, out)),
        _ => {}
    }
}

/// The names in a `Fn::Sub` string's `${Name}` / `${Name.Attr}`, without
/// `${!Literal}` escapes.
fn sub_names(s: &str) -> Vec<&str> {
    let mut names = Vec::new();
    let mut rest = s;
    while let Some(start) = rest.find("${") {
        let after = &rest[start + 2..];
        let Some(end) = after.find('}') else { break };
        if !after.starts_with('!') {
            names.push(&after[..end]);
        }
        rest = &after[end + 1..];
    }
    names
}

/// The loud line for a data-bearing resource this diff deletes or
/// replaces; the policy is read from the template it applies from.
pub(super) fn warning(
    r: &ResourceDiff,
    old: &Map<String, Value>,
    new: &Map<String, Value>,
) -> Option<String> {
    let (fate, entry) = match (r.action, r.replacement) {
        (Action::Remove, _) => (Fate::Deleted, old.get(&r.logical_id)?),
        (Action::Modify, Replacement::Yes) => (Fate::Replaced, new.get(&r.logical_id)?),
        (Action::Modify, Replacement::Maybe) => (Fate::MaybeReplaced, new.get(&r.logical_id)?),
        _ => return None,
    };
    data::warning(&r.logical_id, &r.resource_type, fate, entry)
}
