//! `diff`: a fresh template against the deployed one, resource by resource
//! and property by property, with the replacements the change will cause.
//!
//! Pure functions over two parsed templates; fetching the deployed
//! template is [`super::client::Aws::deployed_template`]'s job.
//!
//! Replacement is predicted from the registry's create-only properties (a
//! change to one replaces the resource), a changed `Type`, and references:
//! a create-only property that refers to a replaced resource changes with
//! it. A change whose value CloudFormation resolves only at deploy time (an
//! intrinsic function) is reported as "may replace", as CloudFormation's own
//! change sets say `Conditional`.

mod compare;
mod fetch;
mod render;
mod replace;
#[cfg(test)]
mod tests;

use std::collections::BTreeSet;

use serde_json::{Map, Value};

pub use compare::{PathDisplay, Segment};
pub use fetch::diff_stacks;
pub use render::{Style, render};

/// Whether a change replaces the resource, ordered by severity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Replacement {
    /// Updated in place.
    No,
    /// Replaced if a value known only at deploy time differs.
    Maybe,
    /// Replaced.
    Yes,
}

/// What happens to a resource.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Only in the new template.
    Add,
    /// Only in the deployed template.
    Remove,
    /// In both, different (or replaced through a reference).
    Modify,
}

/// One changed value of a resource, at a path from the resource's entry
/// (`Properties.CidrBlock`, `Properties.Tags[0].Value`, `DeletionPolicy`).
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    /// Where, as segments.
    pub path: Vec<Segment>,
    /// The deployed value; `None` when the new template adds it.
    pub old: Option<Value>,
    /// The new value; `None` when the new template drops it.
    pub new: Option<Value>,
    /// What this change alone does to the resource.
    pub replacement: Replacement,
}

/// One resource that differs.
#[derive(Debug, Clone, PartialEq)]
pub struct ResourceDiff {
    /// The logical id.
    pub logical_id: String,
    /// The resource type (the new one when it changed).
    pub resource_type: String,
    /// Added, removed or modified.
    pub action: Action,
    /// For a modification, the changed values in path order.
    pub changes: Vec<Change>,
    /// The strongest replacement of the changes and references.
    pub replacement: Replacement,
    /// Why the resource is replaced beyond its own create-only changes
    /// (`Type changed`, `Vpc is replaced`).
    pub reasons: Vec<String>,
    /// The loud line when data is lost (or a note when a policy keeps it).
    pub warning: Option<String>,
}

/// An entry of another section (`Parameters`, `Outputs`, `Conditions`,
/// `Mappings`, `Rules`) or a top-level key (`Description`, `Transform`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntryDiff {
    /// The section; `Template` for a top-level key.
    pub section: String,
    /// The entry's name.
    pub name: String,
    /// Added, removed or modified.
    pub action: Action,
}

/// Everything that differs between two templates, in a fixed order:
/// resources by logical id, then sections and their entries by name.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TemplateDiff {
    /// Resources that differ.
    pub resources: Vec<ResourceDiff>,
    /// Entries of the other sections that differ.
    pub entries: Vec<EntryDiff>,
}

impl TemplateDiff {
    /// Whether nothing differs.
    pub fn is_empty(&self) -> bool {
        self.resources.is_empty() && self.entries.is_empty()
    }

    /// Resources with this action.
    pub fn count(&self, action: Action) -> usize {
        self.resources.iter().filter(|r| r.action == action).count()
    }

    /// Modified resources with this replacement.
    pub fn replaced(&self, replacement: Replacement) -> usize {
        self.resources
            .iter()
            .filter(|r| r.action == Action::Modify && r.replacement == replacement)
            .count()
    }
}

/// One stack's comparison.
#[derive(Debug, Clone, PartialEq)]
pub struct StackDiff {
    /// The CloudFormation stack name.
    pub stack_name: String,
    /// The stack does not exist yet: every resource is an addition.
    pub new: bool,
    /// What differs.
    pub diff: TemplateDiff,
}

impl StackDiff {
    /// Compares `new` with the deployed template, `None` when the stack
    /// does not exist.
    pub fn of(stack_name: &str, deployed: Option<&Value>, new: &Value) -> StackDiff {
        let empty = Value::Object(Map::new());
        StackDiff {
            stack_name: stack_name.to_owned(),
            new: deployed.is_none(),
            diff: diff_templates(deployed.unwrap_or(&empty), new),
        }
    }

    /// Whether the stack would change (a new stack always does).
    pub fn differs(&self) -> bool {
        self.new || !self.diff.is_empty()
    }
}

/// The sections compared entry by entry, in the order they are shown.
const SECTIONS: [&str; 5] = ["Parameters", "Mappings", "Conditions", "Rules", "Outputs"];

/// Compares two templates (the deployed one first).
pub fn diff_templates(old: &Value, new: &Value) -> TemplateDiff {
    let mut resources = compare::resources(section(old, "Resources"), section(new, "Resources"));
    replace::propagate(&mut resources, section(new, "Resources"));
    for r in &mut resources {
        r.warning = replace::warning(r, section(old, "Resources"), section(new, "Resources"));
    }
    TemplateDiff {
        resources,
        entries: entries(old, new),
    }
}

/// A template's section as a map (empty when absent or not a mapping).
fn section<'a>(template: &'a Value, name: &str) -> &'a Map<String, Value> {
    static EMPTY: std::sync::LazyLock<Map<String, Value>> = std::sync::LazyLock::new(Map::new);
    template
        .get(name)
        .and_then(Value::as_object)
        .unwrap_or(&EMPTY)
}

/// Added, removed and modified entries of the non-resource sections, then
/// the other top-level keys.
fn entries(old: &Value, new: &Value) -> Vec<EntryDiff> {
    let mut out = Vec::new();
    for name in SECTIONS {
        let (a, b) = (section(old, name), section(new, name));
        for key in keys(a, b) {
            if let Some(action) = action(a.get(key), b.get(key)) {
                out.push(EntryDiff {
                    section: name.to_owned(),
                    name: key.to_owned(),
                    action,
                });
            }
        }
    }
    let empty = Map::new();
    let (a, b) = (
        old.as_object().unwrap_or(&empty),
        new.as_object().unwrap_or(&empty),
    );
    for key in keys(a, b) {
        if key == "Resources" || SECTIONS.contains(&key) {
            continue;
        }
        if let Some(action) = action(a.get(key), b.get(key)) {
            out.push(EntryDiff {
                section: "Template".to_owned(),
                name: key.to_owned(),
                action,
            });
        }
    }
    out
}

/// The keys of two maps, sorted, once each.
pub(crate) fn keys<'a>(a: &'a Map<String, Value>, b: &'a Map<String, Value>) -> BTreeSet<&'a str> {
    a.keys().chain(b.keys()).map(String::as_str).collect()
}

fn action(old: Option<&Value>, new: Option<&Value>) -> Option<Action> {
    match (old, new) {
        (None, Some(_)) => Some(Action::Add),
        (Some(_), None) => Some(Action::Remove),
        (Some(a), Some(b)) if a != b => Some(Action::Modify),
        _ => None,
    }
}
