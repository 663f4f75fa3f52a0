//! What a change set will do, in words: add / modify / remove, replacement,
//! and loud warnings for resources that hold data.

use std::fmt::Write;

use serde_json::Value;

use super::data::{self, Fate};

/// One resource change of a change set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// `Add`, `Modify`, `Remove`, `Import` or `Dynamic`.
    pub action: String,
    /// The logical id.
    pub logical_id: String,
    /// The resource type.
    pub resource_type: String,
    /// For a modification: `True`, `False` or `Conditional`.
    pub replacement: Option<String>,
}

impl Change {
    /// Whether this change deletes the resource as it is: a removal or a
    /// replacement that is certain or may happen.
    pub fn destroys(&self) -> bool {
        self.action == "Remove"
            || matches!(self.replacement.as_deref(), Some("True" | "Conditional"))
    }

    fn symbol(&self) -> &'static str {
        match self.action.as_str() {
            "Add" => "+",
            "Remove" => "-",
            "Modify" if self.destroys() => "±",
            "Modify" => "~",
            "Import" => "<",
            _ => "?",
        }
    }
}

/// The summary printed before confirmation: counts, one line per change,
/// and a warning per data-bearing resource that the change destroys, unless
/// its policy keeps it (`DeletionPolicy` of the `deployed` template for a
/// removal, `UpdateReplacePolicy` of the `new` one for a replacement).
pub fn render(
    stack: &str,
    kind: &str,
    changes: &[Change],
    deployed: Option<&Value>,
    new: &Value,
) -> String {
    let count = |a: &str| changes.iter().filter(|c| c.action == a).count();
    let mut out = format!(
        "{stack} ({kind}): {} to add, {} to modify, {} to remove\n",
        count("Add"),
        count("Modify"),
        count("Remove")
    );
    let width = changes
        .iter()
        .map(|c| c.logical_id.len())
        .max()
        .unwrap_or(0);
    for c in changes {
        let _ = write!(
            out,
            "  {} {:width$}  {}",
            c.symbol(),
            c.logical_id,
            c.resource_type
        );
        if let Some(r) = c.replacement.as_deref().filter(|_| c.action == "Modify") {
            let _ = write!(out, "  replacement: {r}");
        }
        out.push('\n');
    }
    for w in changes.iter().filter_map(|c| warning(c, deployed, new)) {
        let _ = writeln!(out, "  {w}");
    }
    out
}

/// The shared data-loss line (see [`data::warning`]) for one change.
fn warning(c: &Change, deployed: Option<&Value>, new: &Value) -> Option<String> {
    let (fate, template) = match (c.action.as_str(), c.replacement.as_deref()) {
        ("Remove", _) => (Fate::Deleted, deployed),
        ("Modify", Some("True")) => (Fate::Replaced, Some(new)),
        ("Modify", Some("Conditional")) => (Fate::MaybeReplaced, Some(new)),
        _ => return None,
    };
    let empty = Value::Null;
    let entry = template
        .and_then(|t| t.get("Resources")?.get(&c.logical_id))
        .unwrap_or(&empty);
    data::warning(&c.logical_id, &c.resource_type, fate, entry)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change(action: &str, id: &str, ty: &str, repl: Option<&str>) -> Change {
        Change {
            action: action.into(),
            logical_id: id.into(),
            resource_type: ty.into(),
            replacement: repl.map(Into::into),
        }
    }

    fn no_templates() -> Value {
        serde_json::json!({})
    }

    #[test]
    fn counts_symbols_and_replacement_are_shown() {
        let text = render_bare(&[
            change("Add", "Topic", "AWS::SNS::Topic", None),
            change("Modify", "Param", "AWS::SSM::Parameter", Some("False")),
            change("Modify", "Role", "AWS::IAM::Role", Some("True")),
        ]);
        assert!(
            text.starts_with("app (UPDATE): 1 to add, 2 to modify, 0 to remove\n"),
            "{text}"
        );
        assert!(text.contains("  + Topic  AWS::SNS::Topic\n"), "{text}");
        assert!(
            text.contains("  ~ Param  AWS::SSM::Parameter  replacement: False\n"),
            "{text}"
        );
        assert!(
            text.contains("  ± Role   AWS::IAM::Role  replacement: True\n"),
            "{text}"
        );
        assert!(!text.contains("WARNING"), "{text}");
    }

    #[test]
    fn destroying_data_bearing_resources_is_called_out() {
        let changes = [
            change("Modify", "Table", "AWS::DynamoDB::Table", Some("True")),
            change("Modify", "Queue", "AWS::SQS::Queue", Some("Conditional")),
            change("Remove", "Bucket", "AWS::S3::Bucket", None),
            change("Modify", "Stream", "AWS::Kinesis::Stream", Some("False")),
        ];
        let text = render_bare(&changes);
        assert!(
            text.contains("WARNING: Table (AWS::DynamoDB::Table) holds data and will be REPLACED")
        );
        assert!(text.contains("WARNING: Queue (AWS::SQS::Queue) holds data and MAY BE REPLACED"));
        assert!(text.contains("WARNING: Bucket (AWS::S3::Bucket) holds data and will be DELETED"));
        assert!(!text.contains("WARNING: Stream"), "{text}");

        // The deployed template's DeletionPolicy keeps the removed bucket;
        // the new template's UpdateReplacePolicy keeps the replaced table.
        let deployed = serde_json::json!({"Resources": {
            "Bucket": {"Type": "AWS::S3::Bucket", "DeletionPolicy": "Retain"}}});
        let new = serde_json::json!({"Resources": {
            "Table": {"Type": "AWS::DynamoDB::Table", "UpdateReplacePolicy": "Retain"}}});
        let text = render("app", "UPDATE", &changes, Some(&deployed), &new);
        assert!(text.contains("note: Bucket (AWS::S3::Bucket) holds data and will be DELETED; the old resource stays, outside the stack (DeletionPolicy Retain)"), "{text}");
        assert!(text.contains("note: Table (AWS::DynamoDB::Table) holds data and will be REPLACED; the old resource stays, outside the stack (UpdateReplacePolicy Retain)"), "{text}");
        // A table takes no snapshot: Snapshot keeps nothing there.
        let snapshot = serde_json::json!({"Resources": {
            "Table": {"Type": "AWS::DynamoDB::Table", "UpdateReplacePolicy": "Snapshot"}}});
        let text = render("app", "UPDATE", &changes, Some(&deployed), &snapshot);
        assert!(text.contains("WARNING: Table (AWS::DynamoDB::Table) holds data and will be REPLACED: its data is lost"), "{text}");
    }

    fn render_bare(changes: &[Change]) -> String {
        render("app", "UPDATE", changes, None, &no_templates())
    }
}
