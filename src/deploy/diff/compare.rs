//! Walking two resources side by side down to the values that differ.

use std::fmt;

use serde_json::{Map, Value};

use super::{Action, Change, Replacement, ResourceDiff, keys, replace};
use crate::registry::is_intrinsic;

/// One step of a path into a resource.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment {
    /// A mapping's key.
    Key(String),
    /// A list's item.
    Index(usize),
}

/// Shows a path as `Properties.Tags[0].Value`.
pub struct PathDisplay<'a>(pub &'a [Segment]);

impl fmt::Display for PathDisplay<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, s) in self.0.iter().enumerate() {
            match s {
                Segment::Key(k) if i == 0 => write!(f, "{k}")?,
                Segment::Key(k) => write!(f, ".{k}")?,
                Segment::Index(n) => write!(f, "[{n}]")?,
            }
        }
        Ok(())
    }
}

/// The resources that differ, by logical id.
pub(super) fn resources(old: &Map<String, Value>, new: &Map<String, Value>) -> Vec<ResourceDiff> {
    keys(old, new)
        .into_iter()
        .filter_map(|id| resource(id, old.get(id), new.get(id)))
        .collect()
}

fn resource(id: &str, old: Option<&Value>, new: Option<&Value>) -> Option<ResourceDiff> {
    let type_of = |r: &Value| r["Type"].as_str().unwrap_or_default().to_owned();
    let diff = |action, resource_type| ResourceDiff {
        logical_id: id.to_owned(),
        resource_type,
        action,
        changes: Vec::new(),
        replacement: Replacement::No,
        reasons: Vec::new(),
        warning: None,
    };
    match (old, new) {
        (None, Some(n)) => Some(diff(Action::Add, type_of(n))),
        (Some(o), None) => Some(diff(Action::Remove, type_of(o))),
        (Some(o), Some(n)) if o != n => {
            let mut d = diff(Action::Modify, type_of(n));
            if type_of(o) != type_of(n) {
                d.replacement = Replacement::Yes;
                d.reasons
                    .push(format!("Type {} -> {}", type_of(o), type_of(n)));
            }
            let mut leaves = Vec::new();
            walk(&mut Vec::new(), Some(o), Some(n), &mut leaves);
            for (path, old, new) in leaves {
                let replacement = replace::of_change(&d.resource_type, &path, old, new);
                d.replacement = d.replacement.max(replacement);
                d.changes.push(Change {
                    path,
                    old: old.cloned(),
                    new: new.cloned(),
                    replacement,
                });
            }
            Some(d)
        }
        _ => None,
    }
}

/// A value that differs: its path, the deployed value and the new one.
type Leaf<'a> = (Vec<Segment>, Option<&'a Value>, Option<&'a Value>);

/// Collects the differing values below `path`: mappings are walked key by
/// key (sorted) and lists of equal length item by item; an intrinsic
/// function, a list that changed length or a change of kind is one value.
fn walk<'a>(
    path: &mut Vec<Segment>,
    old: Option<&'a Value>,
    new: Option<&'a Value>,
    out: &mut Vec<Leaf<'a>>,
) {
    if old == new {
        return;
    }
    // The resource's own type is reported as the resource's change.
    if path.as_slice() == [Segment::Key("Type".into())] {
        return;
    }
    match (old, new) {
        (Some(x @ Value::Object(a)), Some(y @ Value::Object(b)))
            if !is_intrinsic(x) && !is_intrinsic(y) =>
        {
            for key in keys(a, b) {
                path.push(Segment::Key(key.to_owned()));
                walk(path, a.get(key), b.get(key), out);
                path.pop();
            }
        }
        (Some(Value::Array(a)), Some(Value::Array(b))) if a.len() == b.len() => {
            for (i, (x, y)) in a.iter().zip(b).enumerate() {
                path.push(Segment::Index(i));
                walk(path, Some(x), Some(y), out);
                path.pop();
            }
        }
        _ => out.push((path.clone(), old, new)),
    }
}
