//! What a change set will do, in words: add / modify / remove, replacement,
//! and loud warnings for resources that hold data.

use std::fmt::Write;

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

/// Resource types whose replacement or removal destroys data: tables,
/// buckets, databases, caches, queues, streams, file systems, keys, user
/// pools, log groups, secrets, volumes.
const DATA_BEARING: [&str; 24] = [
    "AWS::DynamoDB::Table",
    "AWS::DynamoDB::GlobalTable",
    "AWS::S3::Bucket",
    "AWS::RDS::DBInstance",
    "AWS::RDS::DBCluster",
    "AWS::DocDB::DBCluster",
    "AWS::Neptune::DBCluster",
    "AWS::Redshift::Cluster",
    "AWS::ElastiCache::ReplicationGroup",
    "AWS::ElastiCache::CacheCluster",
    "AWS::ElastiCache::ServerlessCache",
    "AWS::SQS::Queue",
    "AWS::Kinesis::Stream",
    "AWS::KinesisFirehose::DeliveryStream",
    "AWS::EFS::FileSystem",
    "AWS::FSx::FileSystem",
    "AWS::EC2::Volume",
    "AWS::KMS::Key",
    "AWS::Cognito::UserPool",
    "AWS::Logs::LogGroup",
    "AWS::SecretsManager::Secret",
    "AWS::OpenSearchService::Domain",
    "AWS::Timestream::Table",
    "AWS::Backup::BackupVault",
];

/// Whether losing a resource of this type loses data.
pub fn is_data_bearing(resource_type: &str) -> bool {
    DATA_BEARING.contains(&resource_type)
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
/// and a warning per data-bearing resource that the change destroys.
pub fn render(stack: &str, kind: &str, changes: &[Change]) -> String {
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
    for c in changes
        .iter()
        .filter(|c| c.destroys() && is_data_bearing(&c.resource_type))
    {
        let what = match (c.action.as_str(), c.replacement.as_deref()) {
            ("Remove", _) => "will be DELETED",
            (_, Some("Conditional")) => "MAY BE REPLACED",
            _ => "will be REPLACED",
        };
        let _ = writeln!(
            out,
            "  WARNING: {} ({}) holds data and {what}: its data is lost unless its DeletionPolicy retains it",
            c.logical_id, c.resource_type
        );
    }
    out
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

    #[test]
    fn counts_symbols_and_replacement_are_shown() {
        let text = render(
            "app",
            "UPDATE",
            &[
                change("Add", "Topic", "AWS::SNS::Topic", None),
                change("Modify", "Param", "AWS::SSM::Parameter", Some("False")),
                change("Modify", "Role", "AWS::IAM::Role", Some("True")),
            ],
        );
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
        let text = render(
            "app",
            "UPDATE",
            &[
                change("Modify", "Table", "AWS::DynamoDB::Table", Some("True")),
                change("Modify", "Queue", "AWS::SQS::Queue", Some("Conditional")),
                change("Remove", "Bucket", "AWS::S3::Bucket", None),
                change("Modify", "Stream", "AWS::Kinesis::Stream", Some("False")),
            ],
        );
        assert!(
            text.contains("WARNING: Table (AWS::DynamoDB::Table) holds data and will be REPLACED")
        );
        assert!(text.contains("WARNING: Queue (AWS::SQS::Queue) holds data and MAY BE REPLACED"));
        assert!(text.contains("WARNING: Bucket (AWS::S3::Bucket) holds data and will be DELETED"));
        assert!(!text.contains("WARNING: Stream"), "{text}");
    }
}
