//! Amazon DynamoDB tables.

use serde::Serialize;
use serde_with::skip_serializing_none;

use super::Tag;
use crate::cfn::{Bool, Int, Str};

/// A key attribute's name and type.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct AttributeDefinition {
    /// The attribute's name.
    pub attribute_name: String,
    /// `S`, `N` or `B`.
    pub attribute_type: &'static str,
}

impl AttributeDefinition {
    /// A string attribute.
    pub fn string(name: &str) -> Self {
        AttributeDefinition {
            attribute_name: name.to_owned(),
            attribute_type: "S",
        }
    }
}

/// One element of a key schema.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct KeySchema {
    /// The attribute.
    pub attribute_name: String,
    /// `HASH` (partition) or `RANGE` (sort).
    pub key_type: &'static str,
}

impl KeySchema {
    /// A partition key.
    pub fn hash(name: &str) -> Self {
        KeySchema {
            attribute_name: name.to_owned(),
            key_type: "HASH",
        }
    }
    /// A sort key.
    pub fn range(name: &str) -> Self {
        KeySchema {
            attribute_name: name.to_owned(),
            key_type: "RANGE",
        }
    }
}

/// Provisioned read and write capacity.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ProvisionedThroughput {
    /// Read capacity units.
    pub read_capacity_units: Int,
    /// Write capacity units.
    pub write_capacity_units: Int,
}

/// Which attributes an index copies.
#[skip_serializing_none]
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Projection {
    /// `ALL`, `KEYS_ONLY` or `INCLUDE`.
    pub projection_type: &'static str,
    /// With `INCLUDE`, the attributes.
    pub non_key_attributes: Option<Vec<String>>,
}

/// A global secondary index.
#[skip_serializing_none]
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct GlobalSecondaryIndex {
    /// The index's name.
    pub index_name: String,
    /// Its key.
    pub key_schema: Vec<KeySchema>,
    /// What it copies.
    pub projection: Projection,
    /// Capacity, in provisioned mode.
    pub provisioned_throughput: Option<ProvisionedThroughput>,
}

/// Server-side encryption.
#[skip_serializing_none]
#[derive(Debug, Clone, Serialize)]
pub struct SseSpecification {
    /// `true` for a KMS key (AWS managed unless one is named).
    #[serde(rename = "SSEEnabled")]
    pub sse_enabled: Bool,
    /// `KMS`.
    #[serde(rename = "SSEType")]
    pub sse_type: Option<&'static str>,
    /// A customer managed key.
    #[serde(rename = "KMSMasterKeyId")]
    pub kms_master_key_id: Option<Str>,
}

impl SseSpecification {
    /// Encryption with the AWS managed KMS key.
    pub fn kms() -> Self {
        SseSpecification {
            sse_enabled: true.into(),
            sse_type: Some("KMS"),
            kms_master_key_id: None,
        }
    }

    /// Encryption with a customer managed key.
    pub fn customer_key(key_arn: Str) -> Self {
        SseSpecification {
            sse_enabled: true.into(),
            sse_type: Some("KMS"),
            kms_master_key_id: Some(key_arn),
        }
    }
}

/// Point-in-time recovery.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct PointInTimeRecoverySpecification {
    /// Whether continuous backups are on.
    pub point_in_time_recovery_enabled: Bool,
}

/// A table's change stream.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct StreamSpecification {
    /// `NEW_IMAGE`, `OLD_IMAGE`, `NEW_AND_OLD_IMAGES` or `KEYS_ONLY`.
    pub stream_view_type: &'static str,
}

/// Expiry of items by a timestamp attribute.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct TimeToLiveSpecification {
    /// The attribute holding the epoch-seconds expiry.
    pub attribute_name: String,
    /// Whether expiry is on.
    pub enabled: Bool,
}

/// `AWS::DynamoDB::Table`.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Table {
    /// An explicit name; unset lets CloudFormation choose.
    pub table_name: Option<Str>,
    /// Key (and index key) attributes.
    pub attribute_definitions: Vec<AttributeDefinition>,
    /// The primary key.
    pub key_schema: Vec<KeySchema>,
    /// `PROVISIONED` or `PAY_PER_REQUEST`.
    pub billing_mode: Option<&'static str>,
    /// Capacity, in provisioned mode.
    pub provisioned_throughput: Option<ProvisionedThroughput>,
    /// Global secondary indexes.
    pub global_secondary_indexes: Option<Vec<GlobalSecondaryIndex>>,
    /// Encryption at rest.
    #[serde(rename = "SSESpecification")]
    pub sse_specification: Option<SseSpecification>,
    /// Point-in-time recovery.
    pub point_in_time_recovery_specification: Option<PointInTimeRecoverySpecification>,
    /// The change stream.
    pub stream_specification: Option<StreamSpecification>,
    /// Item expiry.
    pub time_to_live_specification: Option<TimeToLiveSpecification>,
    /// Refuse deletion of the table.
    pub deletion_protection_enabled: Option<Bool>,
    /// Tags.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<Tag>,
}
resource!(Table, "AWS::DynamoDB::Table", arn => "Arn", stream_arn => "StreamArn");

/// One region's copy of a global table.
#[skip_serializing_none]
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Replica {
    /// The region.
    pub region: Str,
    /// Point-in-time recovery of this replica.
    pub point_in_time_recovery_specification: Option<PointInTimeRecoverySpecification>,
    /// Refuse deletion of this replica.
    pub deletion_protection_enabled: Option<Bool>,
    /// Tags.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<Tag>,
}

/// Encryption of a global table.
#[derive(Debug, Clone, Serialize)]
pub struct GlobalSseSpecification {
    /// Encrypt with KMS (the AWS managed key of each region).
    #[serde(rename = "SSEEnabled")]
    pub sse_enabled: Bool,
    /// `KMS`.
    #[serde(rename = "SSEType")]
    pub sse_type: &'static str,
}

/// A global secondary index of a global table (capacity is per replica).
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct GlobalTableIndex {
    /// The index's name.
    pub index_name: String,
    /// Its key.
    pub key_schema: Vec<KeySchema>,
    /// What it copies.
    pub projection: Projection,
}

/// `AWS::DynamoDB::GlobalTable`: a table replicated both ways across regions.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct GlobalTable {
    /// An explicit name.
    pub table_name: Option<Str>,
    /// Key (and index key) attributes.
    pub attribute_definitions: Vec<AttributeDefinition>,
    /// The primary key.
    pub key_schema: Vec<KeySchema>,
    /// `PAY_PER_REQUEST` or `PROVISIONED`.
    pub billing_mode: Option<&'static str>,
    /// Global secondary indexes.
    pub global_secondary_indexes: Option<Vec<GlobalTableIndex>>,
    /// The replicas, one per region (the stack's region among them).
    pub replicas: Vec<Replica>,
    /// Encryption.
    #[serde(rename = "SSESpecification")]
    pub sse_specification: Option<GlobalSseSpecification>,
    /// The change stream (required for replication).
    pub stream_specification: Option<StreamSpecification>,
}
resource!(
    GlobalTable,
    "AWS::DynamoDB::GlobalTable",
    arn => "Arn",
    stream_arn => "StreamArn",
    table_id => "TableId",
);
