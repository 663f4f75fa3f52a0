//! Amazon DynamoDB Accelerator (DAX): an in-memory read-through cache in a VPC.

use indexmap::IndexMap;
use serde::Serialize;
use serde_with::skip_serializing_none;

use crate::cfn::{Bool, Int, Str};

/// Encryption at rest of the cluster's nodes.
#[derive(Debug, Clone, Serialize)]
pub struct DaxSse {
    /// Whether the nodes' storage is encrypted.
    #[serde(rename = "SSEEnabled")]
    pub sse_enabled: Bool,
}

/// `AWS::DAX::Cluster`.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Cluster {
    /// What it caches.
    pub description: Option<String>,
    /// e.g. `dax.t3.small`.
    pub node_type: Str,
    /// Nodes (1 primary + replicas); 3 or more for production.
    pub replication_factor: Int,
    /// The role DAX assumes to read and write the table.
    #[serde(rename = "IAMRoleARN")]
    pub iam_role_arn: Str,
    /// The subnet group's name.
    pub subnet_group_name: Option<Str>,
    /// The parameter group's name.
    pub parameter_group_name: Option<Str>,
    /// Security groups.
    pub security_group_ids: Option<Vec<Str>>,
    /// Encryption at rest.
    #[serde(rename = "SSESpecification")]
    pub sse_specification: Option<DaxSse>,
    /// `TLS` encrypts client traffic (port 9111).
    pub cluster_endpoint_encryption_type: Option<&'static str>,
}
resource!(
    Cluster,
    "AWS::DAX::Cluster",
    arn => "Arn",
    cluster_discovery_endpoint => "ClusterDiscoveryEndpoint",
    cluster_discovery_endpoint_url => "ClusterDiscoveryEndpointURL",
);

/// `AWS::DAX::SubnetGroup`.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct SubnetGroup {
    /// What it is.
    pub description: Option<String>,
    /// Private subnets for the nodes.
    pub subnet_ids: Vec<Str>,
}
resource!(SubnetGroup, "AWS::DAX::SubnetGroup");

/// `AWS::DAX::ParameterGroup`: cache time-to-live settings.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ParameterGroup {
    /// What it is.
    pub description: Option<String>,
    /// `record-ttl-millis` and `query-ttl-millis`.
    pub parameter_name_values: IndexMap<String, String>,
}
resource!(ParameterGroup, "AWS::DAX::ParameterGroup");
