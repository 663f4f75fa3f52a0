//! Changing a resource's JSON along a path.

use serde_json::{Map, Value};

use super::{OverrideError, Path, Step};
use crate::registry::is_intrinsic;

/// Sets `value` at `steps` inside `resource` (creating the mappings on the
/// way that do not exist yet), or deletes what is there when `value` is
/// `None`. Nothing changes when it fails.
pub(super) fn at(
    resource: &mut Value,
    steps: &[Step],
    value: Option<Value>,
) -> Result<(), OverrideError> {
    let Some(last) = steps.last() else {
        return Err(OverrideError::Path("an empty path".into()));
    };
    // Work on a copy, so a failure part-way leaves nothing half-made.
    let mut copy = resource.clone();
    let parent = walk(&mut copy, steps, value.is_some())?;
    let here = || Path::from_steps(steps.to_vec()).to_string();
    change(parent, last, value, &here)?;
    *resource = copy;
    Ok(())
}

/// Sets or deletes the last step's target in its parent.
fn change(
    parent: &mut Value,
    last: &Step,
    value: Option<Value>,
    here: &dyn Fn() -> String,
) -> Result<(), OverrideError> {
    match (parent, last, value) {
        (Value::Object(m), Step::Key(k), Some(v)) => {
            match m.get_mut(k) {
                Some(old) => merge(old, v),
                None => {
                    m.insert(k.clone(), without_nulls(v));
                }
            }
            Ok(())
        }
        (Value::Object(m), Step::Key(k), None) => match m.shift_remove(k) {
            Some(_) => Ok(()),
            None => Err(nothing_to_delete(&here())),
        },
        (Value::Array(items), Step::Index(i), Some(v)) => {
            if *i < items.len() {
                merge(&mut items[*i], v);
            } else if *i == items.len() {
                items.push(without_nulls(v));
            } else {
                return Err(past_end(&here(), *i, items.len(), true));
            }
            Ok(())
        }
        (Value::Array(items), Step::Index(i), None) => {
            if *i < items.len() {
                items.remove(*i);
                Ok(())
            } else {
                Err(past_end(&here(), *i, items.len(), false))
            }
        }
        (other, step, _) => Err(mismatch(&parent_of(&here()), other, step)),
    }
}

/// The path without its last step, for messages.
fn parent_of(path: &str) -> String {
    let cut = path.rfind(['.', '[']).unwrap_or(0);
    path[..cut].to_owned()
}

/// Follows every step but the last; when `create`, missing mappings on
/// the way are made.
fn walk<'v>(
    mut node: &'v mut Value,
    steps: &[Step],
    create: bool,
) -> Result<&'v mut Value, OverrideError> {
    let way = &steps[..steps.len().saturating_sub(1)];
    let node_ref = walk_way(node, way, create)?;
    node = node_ref;
    if is_intrinsic(node) {
        return Err(intrinsic_here(way, node));
    }
    Ok(node)
}

/// An error for a walk that meets an intrinsic function at `way`.
fn intrinsic_here(way: &[Step], node: &Value) -> OverrideError {
    OverrideError::Template(format!(
        "{} is an intrinsic function ({}) in the template: override it whole",
        Path::from_steps(way.to_vec()),
        node.as_object()
            .and_then(|m| m.keys().next())
            .map_or("", String::as_str)
    ))
}

/// Follows `way`; when `create`, missing mappings on the way are made.
fn walk_way<'v>(
    mut node: &'v mut Value,
    way: &[Step],
    create: bool,
) -> Result<&'v mut Value, OverrideError> {
    for (n, step) in way.iter().enumerate() {
        let so_far = || Path::from_steps(way[..=n].to_vec()).to_string();
        if is_intrinsic(node) {
            return Err(intrinsic_here(&way[..n], node));
        }
        node = match (node, step) {
            (Value::Object(m), Step::Key(k)) => {
                if !m.contains_key(k) {
                    let next_is_key = matches!(way.get(n + 1), None | Some(Step::Key(_)));
                    if !create {
                        return Err(nothing_to_delete(&so_far()));
                    }
                    if !next_is_key {
                        return Err(OverrideError::Template(format!(
                            "{} is not set in the template, so it has no items to index: set it whole",
                            so_far()
                        )));
                    }
                    m.insert(k.clone(), Value::Object(Map::new()));
                }
                m.get_mut(k).ok_or_else(|| nothing_to_delete(&so_far()))?
            }
            (Value::Array(items), Step::Index(i)) => {
                let len = items.len();
                items
                    .get_mut(*i)
                    .ok_or_else(|| past_end(&so_far(), *i, len, false))?
            }
            (other, step) => {
                return Err(mismatch(
                    &Path::from_steps(way[..n].to_vec()).to_string(),
                    other,
                    step,
                ));
            }
        };
    }
    Ok(node)
}

fn nothing_to_delete(path: &str) -> OverrideError {
    OverrideError::Template(format!(
        "{path} is not set in the template: nothing to delete"
    ))
}

fn past_end(path: &str, i: usize, len: usize, may_append: bool) -> OverrideError {
    let append = if may_append {
        format!(" ([{len}] appends)")
    } else {
        String::new()
    };
    OverrideError::Template(format!(
        "{path}: [{i}] is past the end of a list of {len}{append}"
    ))
}

fn mismatch(at: &str, found: &Value, step: &Step) -> OverrideError {
    let what = crate::check::schema::kind_of(found);
    let wanted = match step {
        Step::Key(k) => format!("a mapping to hold {k:?}"),
        Step::Index(i) => format!("a list to index with [{i}]"),
    };
    OverrideError::Template(format!("{at} is {what} in the template, not {wanted}"))
}

/// Merges `new` into `old` as the CDK merges overrides: mappings key by
/// key and deeply, a `null` deleting its key; anything else replaces.
fn merge(old: &mut Value, new: Value) {
    // A function is a value, not a mapping to merge into or from.
    if is_intrinsic(old) || is_intrinsic(&new) {
        *old = without_nulls(new);
        return;
    }
    match (old, new) {
        (Value::Object(old), Value::Object(new)) => {
            for (k, v) in new {
                if v.is_null() {
                    old.shift_remove(&k);
                } else if let Some(slot) = old.get_mut(&k) {
                    merge(slot, v);
                } else {
                    old.insert(k, without_nulls(v));
                }
            }
        }
        (old, new) => *old = without_nulls(new),
    }
}

/// A value with the `null`s inside mappings removed (`null` deletes).
fn without_nulls(v: Value) -> Value {
    match v {
        Value::Object(m) => Value::Object(
            m.into_iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k, without_nulls(v)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.into_iter().map(without_nulls).collect()),
        other => other,
    }
}

/// The value at `steps` inside `v`, if any.
pub(super) fn value_at<'v>(mut v: &'v Value, steps: &[Step]) -> Option<&'v Value> {
    for step in steps {
        v = match step {
            Step::Key(k) => v.get(k)?,
            Step::Index(i) => v.get(*i)?,
        };
    }
    Some(v)
}
