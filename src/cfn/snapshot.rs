//! Which resource types take a `Snapshot` deletion or update-replace policy.

/// The resource types for which CloudFormation takes a final snapshot
/// before deleting (`DeletionPolicy: Snapshot`) or replacing
/// (`UpdateReplacePolicy: Snapshot`) them: the list in the CloudFormation
/// Template Reference, "DeletionPolicy attribute", which cfn-lint holds as
/// `valid_snapshot_types` (rule E3035). The registry schemas do not say
/// which types take snapshots, so this is the one list, kept sorted.
pub const SNAPSHOT_TYPES: [&str; 8] = [
    "AWS::DocDB::DBCluster",
    "AWS::EC2::Volume",
    "AWS::ElastiCache::CacheCluster",
    "AWS::ElastiCache::ReplicationGroup",
    "AWS::Neptune::DBCluster",
    "AWS::RDS::DBCluster",
    "AWS::RDS::DBInstance",
    "AWS::Redshift::Cluster",
];

/// Whether `Snapshot` is a valid `DeletionPolicy` / `UpdateReplacePolicy`
/// for this resource type.
pub fn supports_snapshot(resource_type: &str) -> bool {
    SNAPSHOT_TYPES.binary_search(&resource_type).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_list_is_sorted_and_answers() {
        assert!(SNAPSHOT_TYPES.windows(2).all(|w| w[0] < w[1]));
        assert!(supports_snapshot("AWS::RDS::DBInstance"));
        assert!(supports_snapshot("AWS::EC2::Volume"));
        assert!(!supports_snapshot("AWS::DynamoDB::Table"));
        assert!(!supports_snapshot("AWS::DocDB::DBInstance"));
    }
}
