//! Amazon ElastiCache (Redis OSS / Valkey).

use serde::Serialize;
use serde_with::skip_serializing_none;

use super::Tag;
use crate::cfn::{Bool, Int, List, Str};

/// `AWS::ElastiCache::SubnetGroup`.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct SubnetGroup {
    /// What it is.
    pub description: String,
    /// Private subnets.
    pub subnet_ids: List,
}
resource!(SubnetGroup, "AWS::ElastiCache::SubnetGroup");

/// `AWS::ElastiCache::ReplicationGroup`.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ReplicationGroup {
    /// What it caches.
    pub replication_group_description: String,
    /// `redis` or `valkey`.
    pub engine: Option<&'static str>,
    /// e.g. `cache.t4g.micro`.
    pub cache_node_type: Option<String>,
    /// Primary plus replicas.
    pub num_cache_clusters: Option<Int>,
    /// Promote a replica when the primary fails.
    pub automatic_failover_enabled: Option<Bool>,
    /// Spread nodes over zones.
    #[serde(rename = "MultiAZEnabled")]
    pub multi_az_enabled: Option<Bool>,
    /// Encrypt data on disk.
    pub at_rest_encryption_enabled: Option<Bool>,
    /// TLS between clients and nodes.
    pub transit_encryption_enabled: Option<Bool>,
    /// The subnet group.
    pub cache_subnet_group_name: Option<Str>,
    /// Security groups.
    pub security_group_ids: Option<Vec<Str>>,
    /// Days of snapshots.
    pub snapshot_retention_limit: Option<Int>,
    /// Minor upgrades in the maintenance window.
    pub auto_minor_version_upgrade: Option<Bool>,
    /// Tags.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<Tag>,
}
resource!(
    ReplicationGroup,
    "AWS::ElastiCache::ReplicationGroup",
    primary_endpoint_address => "PrimaryEndPoint.Address",
    primary_endpoint_port => "PrimaryEndPoint.Port",
    reader_endpoint_address => "ReaderEndPoint.Address",
);
