//! Which resources hold data, and what keeps that data when CloudFormation
//! deletes or replaces one: the rule that `deploy`'s change-set summary and
//! `diff` share.

use serde_json::Value;

/// Resource types whose deletion loses stored data: stores of records
/// (tables, databases, ledgers), objects and files (buckets, file systems,
/// volumes, repositories), messages and records in flight (queues,
/// streams), identities (user pools), keys and secrets (what they encrypt
/// or unlock is lost with them), logs and backups. The registry's schemas
/// do not say which types hold data, so this is the one list, kept sorted.
const DATA_BEARING: [&str; 36] = [
    "AWS::Backup::BackupVault",
    "AWS::Cassandra::Table",
    "AWS::CodeCommit::Repository",
    "AWS::Cognito::IdentityPool",
    "AWS::Cognito::UserPool",
    "AWS::DocDB::DBCluster",
    "AWS::DocDBElastic::Cluster",
    "AWS::DynamoDB::GlobalTable",
    "AWS::DynamoDB::Table",
    "AWS::EC2::Volume",
    "AWS::ECR::Repository",
    "AWS::EFS::FileSystem",
    "AWS::ElastiCache::CacheCluster",
    "AWS::ElastiCache::ReplicationGroup",
    "AWS::ElastiCache::ServerlessCache",
    "AWS::Elasticsearch::Domain",
    "AWS::Events::Archive",
    "AWS::FSx::FileSystem",
    "AWS::KMS::Key",
    "AWS::Kinesis::Stream",
    "AWS::KinesisFirehose::DeliveryStream",
    "AWS::Logs::LogGroup",
    "AWS::MSK::Cluster",
    "AWS::MemoryDB::Cluster",
    "AWS::Neptune::DBCluster",
    "AWS::OpenSearchService::Domain",
    "AWS::QLDB::Ledger",
    "AWS::RDS::DBCluster",
    "AWS::RDS::DBInstance",
    "AWS::Redshift::Cluster",
    "AWS::S3::Bucket",
    "AWS::S3Express::DirectoryBucket",
    "AWS::SQS::Queue",
    "AWS::SecretsManager::Secret",
    "AWS::Timestream::Database",
    "AWS::Timestream::Table",
];

/// Whether losing a resource of this type loses data.
pub fn is_data_bearing(resource_type: &str) -> bool {
    DATA_BEARING.contains(&resource_type)
}

/// How a resource is about to be lost.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Loss {
    /// Removed from the template: its `DeletionPolicy` decides.
    Removal,
    /// Replaced by a new physical resource: its `UpdateReplacePolicy`
    /// decides (not `DeletionPolicy`).
    Replacement,
}

impl Loss {
    /// The attribute that decides what happens to the old resource.
    pub fn attribute(self) -> &'static str {
        match self {
            Loss::Removal => "DeletionPolicy",
            Loss::Replacement => "UpdateReplacePolicy",
        }
    }
}

/// The policy that keeps the resource (`Retain`, `RetainExceptOnCreate`) or
/// a final snapshot of it (`Snapshot`) when it is lost that way, as
/// `DeletionPolicy Retain`; `None` when it is deleted with its data.
/// `resource` is the template's entry (`{"Type": …, "DeletionPolicy": …}`).
/// `Snapshot` counts only on the types that take one
/// ([`crate::cfn::supports_snapshot`]).
pub fn protection(resource: &Value, loss: Loss) -> Option<String> {
    let attribute = loss.attribute();
    let (policy, default) = match resource.get(attribute) {
        Some(p) => (p.as_str()?, ""),
        None if loss == Loss::Removal => (default_deletion_policy(resource)?, DEFAULT),
        None => return None,
    };
    let keeps = match policy {
        "Retain" | "RetainExceptOnCreate" => true,
        "Snapshot" => crate::cfn::supports_snapshot(resource["Type"].as_str().unwrap_or_default()),
        _ => false,
    };
    keeps.then(|| format!("{attribute} {policy}{default}"))
}

/// How [`protection`] marks a policy CloudFormation applies by default.
pub const DEFAULT: &str = " (CloudFormation's default for this type)";

/// The `DeletionPolicy` CloudFormation applies when a template sets none,
/// when it is not `Delete`: `Snapshot` for `AWS::RDS::DBCluster` and for an
/// `AWS::RDS::DBInstance` without `DBClusterIdentifier` (CloudFormation User
/// Guide, "DeletionPolicy attribute"). `UpdateReplacePolicy` has no such
/// default: a replaced database without one is deleted with its data.
pub fn default_deletion_policy(resource: &Value) -> Option<&'static str> {
    let in_cluster = resource
        .get("Properties")
        .and_then(|p| p.get("DBClusterIdentifier"))
        .is_some();
    match resource["Type"].as_str()? {
        "AWS::RDS::DBCluster" => Some("Snapshot"),
        "AWS::RDS::DBInstance" if !in_cluster => Some("Snapshot"),
        _ => None,
    }
}

/// What a change does to a resource that holds data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fate {
    /// Removed from the stack.
    Deleted,
    /// Replaced for certain.
    Replaced,
    /// Replaced depending on values known only at deploy time.
    MaybeReplaced,
}

impl Fate {
    fn loss(self) -> Loss {
        match self {
            Fate::Deleted => Loss::Removal,
            Fate::Replaced | Fate::MaybeReplaced => Loss::Replacement,
        }
    }
}

/// The loud line for a data-bearing resource that a change deletes or
/// replaces: a `WARNING` when its data goes, a `note` naming the policy
/// that keeps it. `None` for a type that holds no data. `resource` is the
/// template entry whose policy applies: the deployed one for a removal,
/// the new one for a replacement.
pub fn warning(
    logical_id: &str,
    resource_type: &str,
    fate: Fate,
    resource: &Value,
) -> Option<String> {
    if !is_data_bearing(resource_type) {
        return None;
    }
    let what = match fate {
        Fate::Deleted => "will be DELETED",
        Fate::Replaced => "will be REPLACED",
        Fate::MaybeReplaced => "MAY BE REPLACED",
    };
    let loss = fate.loss();
    Some(match protection(resource, loss) {
        None => format!(
            "WARNING: {logical_id} ({resource_type}) holds data and {what}: its data is lost (no {} Retain or Snapshot)",
            loss.attribute()
        ),
        Some(p) if p.contains(" Snapshot") => format!(
            "note: {logical_id} ({resource_type}) holds data and {what}; a final snapshot is kept ({p})"
        ),
        Some(p) => format!(
            "note: {logical_id} ({resource_type}) holds data and {what}; the old resource stays, outside the stack ({p})"
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_list_is_sorted_and_has_no_duplicates() {
        assert!(DATA_BEARING.is_sorted_by(|a, b| a < b));
        assert!(is_data_bearing("AWS::DynamoDB::Table"));
        assert!(!is_data_bearing("AWS::SNS::Topic"));
    }

    #[test]
    fn removal_reads_deletion_policy_and_replacement_update_replace_policy() {
        let r = json!({"Type": "AWS::S3::Bucket", "DeletionPolicy": "Retain", "UpdateReplacePolicy": "Delete"});
        assert_eq!(
            protection(&r, Loss::Removal).as_deref(),
            Some("DeletionPolicy Retain")
        );
        assert_eq!(protection(&r, Loss::Replacement), None);
        let s = json!({"Type": "AWS::RDS::DBInstance", "UpdateReplacePolicy": "Snapshot"});
        assert_eq!(
            protection(&s, Loss::Replacement).as_deref(),
            Some("UpdateReplacePolicy Snapshot")
        );
    }

    #[test]
    fn databases_without_a_deletion_policy_get_cloudformations_snapshot() {
        let db = json!({"Type": "AWS::RDS::DBInstance", "Properties": {"Engine": "postgres"}});
        assert_eq!(
            protection(&db, Loss::Removal).as_deref(),
            Some("DeletionPolicy Snapshot (CloudFormation's default for this type)")
        );
        // No default on replacement, nor for an Aurora cluster's member.
        assert_eq!(protection(&db, Loss::Replacement), None);
        let member =
            json!({"Type": "AWS::RDS::DBInstance", "Properties": {"DBClusterIdentifier": "c"}});
        assert_eq!(protection(&member, Loss::Removal), None);
        let cluster = json!({"Type": "AWS::RDS::DBCluster"});
        assert!(warning("C", "AWS::RDS::DBCluster", Fate::Deleted, &cluster)
            .unwrap()
            .starts_with("note: C (AWS::RDS::DBCluster) holds data and will be DELETED; a final snapshot is kept"));
    }

    #[test]
    fn warnings_are_loud_unless_a_policy_keeps_the_data() {
        let bare = json!({"Type": "AWS::DynamoDB::Table"});
        let w = warning("T", "AWS::DynamoDB::Table", Fate::Replaced, &bare).unwrap();
        assert_eq!(
            w,
            "WARNING: T (AWS::DynamoDB::Table) holds data and will be REPLACED: its data is lost (no UpdateReplacePolicy Retain or Snapshot)"
        );
        let kept = json!({"Type": "AWS::S3::Bucket", "DeletionPolicy": "Retain"});
        let n = warning("B", "AWS::S3::Bucket", Fate::Deleted, &kept).unwrap();
        assert!(
            n.starts_with(
                "note: B (AWS::S3::Bucket) holds data and will be DELETED; the old resource stays"
            ),
            "{n}"
        );
        assert_eq!(warning("Q", "AWS::SNS::Topic", Fate::Deleted, &bare), None);
    }
}
