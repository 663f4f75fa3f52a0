//! The escape hatch: set, replace or delete any part of a synthesized
//! resource that stackcraft does not model (or models differently), without
//! forking, in the spirit of the AWS CDK's `addOverride` /
//! `addPropertyOverride`: a raw patch applied after the template is built.
//!
//! Unlike a raw patch, every override is judged against the CloudFormation
//! registry schema of the resource's type (`crate::registry`) before it is
//! applied: the resource must exist, a property path must exist in the
//! type's schema, and the value must have the property's type and stay within
//! its limits where the schema states them. The template is then checked as
//! any synthesized template is (`crate::check`), so an override cannot make
//! `synth` write a template that fails the checks.
//!
//! A path starts at the resource: `Properties.A.B`, `Properties.Tags[0].Value`,
//! `DeletionPolicy`, `UpdateReplacePolicy`, `DependsOn`, `Condition`,
//! `Metadata.X`, `UpdatePolicy.X`, `CreationPolicy.X`. A value of `None`
//! (`null` in a settings file) deletes what the path names. As in the CDK, a
//! mapping given where a mapping is merges into it, key by key and deeply
//! (a `null` inside deletes that key); anything else replaces what is there.

use serde_json::{Map, Value};

use crate::cfn::{SNAPSHOT_TYPES, supports_snapshot};
use crate::registry::{Kind, Shape, TypeInfo, classify, is_intrinsic};

mod apply;
mod path;

pub use path::{Path, Step};

/// The resource attributes an override may set, besides `Properties`.
/// `Type` is not among them: a different type is a different resource.
pub const ATTRIBUTES: [&str; 8] = [
    "Properties",
    "DeletionPolicy",
    "UpdateReplacePolicy",
    "DependsOn",
    "Condition",
    "Metadata",
    "UpdatePolicy",
    "CreationPolicy",
];

/// An override that cannot be applied.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OverrideError {
    /// No template has that name.
    #[error("no template named {name:?}{hint}; the templates are: {}", known.join(", "))]
    UnknownTemplate {
        /// The name given.
        name: String,
        /// ` (did you mean "x"?)` or empty.
        hint: String,
        /// The names that exist.
        known: Vec<String>,
    },
    /// The template has no resource with that logical id.
    #[error("{template} has no resource {id:?}{hint}; its resources are: {}", known.join(", "))]
    UnknownResource {
        /// The template.
        template: String,
        /// The logical id given.
        id: String,
        /// ` (did you mean "x"?)` or empty.
        hint: String,
        /// The logical ids that exist.
        known: Vec<String>,
    },
    /// The path is malformed or names something that cannot be there.
    #[error("{0}")]
    Path(String),
    /// The path names a property the resource type does not have.
    #[error(
        "{type_name} has no property {name:?} at {at}{hint}; known there: {}",
        listing(known)
    )]
    UnknownProperty {
        /// The resource type.
        type_name: String,
        /// The unknown name.
        name: String,
        /// The path up to the unknown name.
        at: String,
        /// ` (did you mean "x"?)` or empty.
        hint: String,
        /// The names the schema has there.
        known: Vec<String>,
    },
    /// The value does not fit the schema or the attribute.
    #[error("{path}: {}", problems.join("; "))]
    Value {
        /// The path set.
        path: String,
        /// What is wrong with the value.
        problems: Vec<String>,
    },
    /// The template does not hold what the path walks through.
    #[error("{0}")]
    Template(String),
}

/// The names known at a place, cut short when there are many.
fn listing(names: &[String]) -> String {
    const SHOWN: usize = 20;
    let mut list: Vec<&str> = names.iter().take(SHOWN).map(String::as_str).collect();
    let more = names.len().saturating_sub(SHOWN);
    let tail = if more > 0 {
        format!(" and {more} more")
    } else {
        String::new()
    };
    if list.is_empty() {
        list.push("(none)");
    }
    format!("{}{tail}", list.join(", "))
}

/// ` (did you mean "x"?)` for the name nearest to `name` when it is near
/// enough to be a typo, else empty.
pub(crate) fn did_you_mean<'a>(name: &str, names: impl IntoIterator<Item = &'a str>) -> String {
    let lower = name.to_ascii_lowercase();
    names
        .into_iter()
        .map(|k| (strsim::levenshtein(&lower, &k.to_ascii_lowercase()), k))
        .filter(|(d, _)| *d <= (name.len() / 3).max(2))
        .min_by_key(|(d, _)| *d)
        .map(|(_, k)| format!(" (did you mean {k:?}?)"))
        .unwrap_or_default()
}

/// One override: at `path` of resource `logical_id`, set `value`, or delete
/// what is there when `value` is `None`.
#[derive(Debug, Clone, PartialEq)]
pub struct Override {
    /// The resource's logical id.
    pub logical_id: String,
    /// Where inside the resource.
    pub path: Path,
    /// The new value; `None` deletes.
    pub value: Option<Value>,
}

/// Applies `o` to a template (as JSON) named `template_name` in errors,
/// after judging it against the registry; on an error the template is
/// unchanged.
pub fn apply(template_name: &str, template: &mut Value, o: &Override) -> Result<(), OverrideError> {
    let resources = template
        .get("Resources")
        .and_then(Value::as_object)
        .ok_or_else(|| OverrideError::Template(format!("{template_name} has no Resources")))?;
    let Some(resource) = resources.get(&o.logical_id) else {
        let known: Vec<String> = resources.keys().cloned().collect();
        return Err(OverrideError::UnknownResource {
            template: template_name.to_owned(),
            id: o.logical_id.clone(),
            hint: did_you_mean(&o.logical_id, known.iter().map(String::as_str)),
            known,
        });
    };
    judge(template, resource, o)?;
    let mut changed = resource.clone();
    apply::at(&mut changed, o.path.steps(), o.value.clone())?;
    judge_result(&changed, o)?;
    if let Some(slot) = template
        .get_mut("Resources")
        .and_then(|r| r.get_mut(&o.logical_id))
    {
        *slot = changed;
    }
    Ok(())
}

/// Judges what a `Properties` override leaves at its path (the value given,
/// merged into a mapping that was there) against the type's schema.
fn judge_result(changed: &Value, o: &Override) -> Result<(), OverrideError> {
    let steps = o.path.steps();
    if o.value.is_none() || steps.first() != Some(&Step::Key("Properties".into())) {
        return Ok(());
    }
    let type_name = changed.get("Type").and_then(Value::as_str).unwrap_or("");
    let Kind::Known(info) = classify(type_name) else {
        return Ok(());
    };
    let Some(shape) = shape_at(info, &o.path)? else {
        return Ok(());
    };
    let Some(value) = apply::value_at(changed, steps) else {
        return Ok(());
    };
    let path = o.path.to_string();
    let problems = crate::check::schema::judge(info, &path, value, shape);
    if problems.is_empty() {
        Ok(())
    } else {
        Err(OverrideError::Value { path, problems })
    }
}

/// Judges an override against the resource's type and the template.
fn judge(template: &Value, resource: &Value, o: &Override) -> Result<(), OverrideError> {
    let steps = o.path.steps();
    let Some(Step::Key(first)) = steps.first() else {
        return Err(OverrideError::Path(format!(
            "{}: a path starts with one of {}",
            o.path,
            ATTRIBUTES.join(", ")
        )));
    };
    if !ATTRIBUTES.contains(&first.as_str()) {
        return Err(OverrideError::Path(format!(
            "{}: {first:?} is not a resource attribute an override may set{}; use one of {}",
            o.path,
            did_you_mean(first, ATTRIBUTES),
            ATTRIBUTES.join(", ")
        )));
    }
    match first.as_str() {
        "Properties" => properties(resource, o),
        "DeletionPolicy" | "UpdateReplacePolicy" | "DependsOn" | "Condition" => {
            if steps.len() > 1 {
                return Err(OverrideError::Path(format!(
                    "{}: {first} is a single value; set it whole",
                    o.path
                )));
            }
            o.value
                .as_ref()
                .map_or(Ok(()), |v| attribute(template, &o.logical_id, first, v))
        }
        _ => match (&o.value, steps.len()) {
            (Some(v), 1) if !v.is_object() => Err(OverrideError::Value {
                path: o.path.to_string(),
                problems: vec![format!("{first} must be a mapping")],
            }),
            _ => Ok(()),
        },
    }
}

/// Judges `DeletionPolicy`, `UpdateReplacePolicy`, `DependsOn` and
/// `Condition` values.
fn attribute(template: &Value, id: &str, name: &str, v: &Value) -> Result<(), OverrideError> {
    let fail = |problem: String| OverrideError::Value {
        path: name.to_owned(),
        problems: vec![problem],
    };
    let one_of = |allowed: &[&str]| -> Result<(), OverrideError> {
        match v.as_str() {
            Some(s) if allowed.contains(&s) => Ok(()),
            _ if is_intrinsic(v) => Ok(()),
            _ => Err(fail(format!(
                "expected one of {}, found {v}",
                allowed.join(", ")
            ))),
        }
    };
    let kind = template["Resources"][id]["Type"]
        .as_str()
        .unwrap_or_default();
    let policy = |base: &[&'static str]| -> Result<(), OverrideError> {
        let allowed = policies(kind, base);
        if v.as_str() == Some("Snapshot") && !supports_snapshot(kind) {
            return Err(fail(format!(
                "{kind} takes no final snapshot (Snapshot is valid only for {}): expected one of {}",
                SNAPSHOT_TYPES.join(", "),
                allowed.join(", ")
            )));
        }
        one_of(&allowed)
    };
    match name {
        // The values the CloudFormation docs list for each attribute;
        // `Snapshot` only for the types that take snapshots.
        "DeletionPolicy" => policy(&["Delete", "Retain", "RetainExceptOnCreate"]),
        "UpdateReplacePolicy" => policy(&["Delete", "Retain"]),
        "DependsOn" => depends_on(template, id, v).map_err(fail),
        _ => {
            let names = section_names(template, "Conditions");
            match v.as_str() {
                Some(c) if names.iter().any(|n| n == c) => Ok(()),
                Some(c) => Err(fail(format!(
                    "the template has no condition {c:?}{}; its conditions are: {}",
                    did_you_mean(c, names.iter().map(String::as_str)),
                    listing(&names)
                ))),
                None => Err(fail(format!("expected a condition's name, found {v}"))),
            }
        }
    }
}

/// `base`, plus `Snapshot` where the resource type takes one.
fn policies(resource_type: &str, base: &[&'static str]) -> Vec<&'static str> {
    let mut all = base.to_vec();
    if supports_snapshot(resource_type) {
        all.push("Snapshot");
    }
    all
}

/// `DependsOn`: a logical id or a list of them, each another resource of
/// the template.
fn depends_on(template: &Value, id: &str, v: &Value) -> Result<(), String> {
    let ids: Vec<&Value> = match v {
        Value::Array(items) => items.iter().collect(),
        one => vec![one],
    };
    let known = section_names(template, "Resources");
    for dep in ids {
        let Some(dep) = dep.as_str() else {
            return Err(format!(
                "expected a logical id or a list of them, found {dep}"
            ));
        };
        if dep == id {
            return Err(format!("{id} cannot depend on itself"));
        }
        if !known.iter().any(|k| k == dep) {
            return Err(format!(
                "the template has no resource {dep:?}{}",
                did_you_mean(dep, known.iter().map(String::as_str))
            ));
        }
    }
    Ok(())
}

/// The names in a top-level section of a template.
fn section_names(template: &Value, section: &str) -> Vec<String> {
    template
        .get(section)
        .and_then(Value::as_object)
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default()
}

/// Judges a `Properties...` override against the type's schema.
fn properties(resource: &Value, o: &Override) -> Result<(), OverrideError> {
    let type_name = resource.get("Type").and_then(Value::as_str).unwrap_or("");
    let info = match classify(type_name) {
        Kind::Known(info) => info,
        // A custom or third-party type: the registry cannot judge it.
        Kind::Unknowable => return Ok(()),
        Kind::Unknown => {
            return Err(OverrideError::Template(format!(
                "{}: {type_name:?} is not a CloudFormation resource type",
                o.logical_id
            )));
        }
    };
    shape_at(info, &o.path).map(|_| ())
}

/// The schema of what `path` (from `Properties`) names, following the
/// schema's properties, list items and definitions; `None` past a point the
/// schema leaves open (a free-form mapping, pattern properties), where
/// nothing more can be judged.
fn shape_at<'a>(info: &'a TypeInfo, path: &Path) -> Result<Option<&'a Shape>, OverrideError> {
    let mut shape = info.properties();
    let mut at = String::from("Properties");
    for step in &path.steps()[1..] {
        let s = info.resolve(shape);
        match step {
            Step::Index(i) => {
                let Some(items) = &s.items else {
                    if s.types.is_empty() || s.types.contains(&crate::registry::JsonType::Array) {
                        return Ok(None);
                    }
                    return Err(OverrideError::Path(format!(
                        "{at} is {}, not a list: [{i}] cannot index it",
                        s.type_names()
                    )));
                };
                shape = items;
                at.push_str(&format!("[{i}]"));
            }
            Step::Key(key) => {
                if s.items.is_some() && s.properties.is_empty() {
                    return Err(OverrideError::Path(format!(
                        "{at} is a list: address an item as {at}[0].{key}"
                    )));
                }
                match child(info, s, key) {
                    Child::Known(next) => shape = next,
                    Child::Open => return Ok(None),
                    Child::Unknown(known) => {
                        return Err(OverrideError::UnknownProperty {
                            type_name: info.name.clone(),
                            name: key.clone(),
                            hint: did_you_mean(key, known.iter().map(String::as_str)),
                            at,
                            known,
                        });
                    }
                }
                at.push('.');
                at.push_str(key);
            }
        }
    }
    Ok(Some(shape))
}

/// What a key names inside an object's shape.
enum Child<'a> {
    /// A property the schema describes.
    Known(&'a Shape),
    /// The schema allows names it does not list (or cannot tell).
    Open,
    /// No such property; the names that exist.
    Unknown(Vec<String>),
}

/// The property `key` of object shape `s`, looking into alternatives
/// (`anyRef`) as the schema rules do.
fn child<'a>(info: &'a TypeInfo, s: &'a Shape, key: &str) -> Child<'a> {
    if let Some(next) = s.properties.get(key) {
        return Child::Known(next);
    }
    let alternatives: Vec<&Shape> = s
        .any_ref
        .iter()
        .filter_map(|name| info.definition(name))
        .map(|a| info.resolve(a))
        .collect();
    if let Some(next) = alternatives.iter().find_map(|a| a.properties.get(key)) {
        return Child::Known(next);
    }
    let matches = |patterns: &[String]| {
        patterns
            .iter()
            .any(|p| crate::check::schema::pattern_matches(p, key) != Some(false))
    };
    let closed = s.names_are_closed() && alternatives.iter().all(|a| a.names_are_closed());
    if !closed
        || matches(&s.pattern_properties)
        || alternatives.iter().any(|a| matches(&a.pattern_properties))
    {
        return Child::Open;
    }
    let mut known: Vec<String> = s.properties.keys().map(str::to_owned).collect();
    for a in alternatives {
        known.extend(a.properties.keys().map(str::to_owned));
    }
    known.sort();
    known.dedup();
    Child::Unknown(known)
}

/// Applies overrides to a template given as JSON text (as synthesized),
/// returning the re-rendered text; the order of keys is kept, new keys go
/// last.
pub fn apply_to_text(
    template_name: &str,
    text: &str,
    overrides: &[Override],
) -> Result<String, OverrideError> {
    let mut json: Value = serde_json::from_str(text)
        .map_err(|e| OverrideError::Template(format!("{template_name} is not JSON: {e}")))?;
    for o in overrides {
        apply(template_name, &mut json, o)?;
    }
    Ok(crate::cfn::render::to_string(&json))
}

impl crate::cfn::Template {
    /// Sets the property at `path` (from inside `Properties`: `BucketName`,
    /// `VersioningConfiguration.Status`, `Tags[0].Value`) of resource `id`,
    /// after judging it against the type's registry schema (the property
    /// must exist there, the value must fit its type and limits). The
    /// escape hatch for what the typed builders do not model; like the AWS
    /// CDK's `addPropertyOverride`.
    pub fn set_property(
        &mut self,
        id: &str,
        path: &str,
        value: Value,
    ) -> Result<(), OverrideError> {
        self.override_property(id, path, Some(value))
    }

    /// Deletes the property at `path` (as in [`Self::set_property`]) of
    /// resource `id`; like the AWS CDK's `addPropertyDeletionOverride`.
    pub fn delete_property(&mut self, id: &str, path: &str) -> Result<(), OverrideError> {
        self.override_property(id, path, None)
    }

    fn override_property(
        &mut self,
        id: &str,
        path: &str,
        value: Option<Value>,
    ) -> Result<(), OverrideError> {
        let inner = Path::parse(path).map_err(OverrideError::Path)?;
        let mut steps = vec![Step::Key("Properties".into())];
        steps.extend(inner.steps().iter().cloned());
        let o = Override {
            logical_id: id.to_owned(),
            path: Path::from_steps(steps),
            value,
        };
        let known: Vec<String> = self.resource_ids().map(str::to_owned).collect();
        let Some((kind, properties)) = self.properties_mut(id) else {
            return Err(OverrideError::UnknownResource {
                template: "the template".into(),
                id: id.to_owned(),
                hint: did_you_mean(id, known.iter().map(String::as_str)),
                known,
            });
        };
        let mut resource = Value::Object(Map::from_iter([
            ("Type".to_owned(), Value::String(kind.to_owned())),
            ("Properties".to_owned(), std::mem::take(properties)),
        ]));
        let result = properties_override(&mut resource, &o);
        if let Some(p) = resource.get_mut("Properties") {
            *properties = std::mem::take(p);
        }
        result
    }
}

/// Judges and applies a `Properties` override to one resource as JSON;
/// on an error the resource is unchanged.
fn properties_override(resource: &mut Value, o: &Override) -> Result<(), OverrideError> {
    properties(resource, o)?;
    let mut changed = resource.clone();
    apply::at(&mut changed, o.path.steps(), o.value.clone())?;
    judge_result(&changed, o)?;
    *resource = changed;
    Ok(())
}

#[cfg(test)]
mod tests;
