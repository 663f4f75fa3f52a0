//! Amazon RDS.

use serde::Serialize;
use serde_with::skip_serializing_none;

use super::Tag;
use crate::cfn::{Bool, Int, List, Str};

/// `AWS::RDS::DBSubnetGroup`.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct DbSubnetGroup {
    /// What it is.
    #[serde(rename = "DBSubnetGroupDescription")]
    pub description: String,
    /// Private subnets.
    pub subnet_ids: List,
}
resource!(DbSubnetGroup, "AWS::RDS::DBSubnetGroup");

/// `AWS::RDS::DBInstance`.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct DbInstance {
    /// `postgres`, `mysql`, ...
    pub engine: &'static str,
    /// e.g. `16`.
    pub engine_version: Option<String>,
    /// e.g. `db.t4g.micro`.
    #[serde(rename = "DBInstanceClass")]
    pub db_instance_class: String,
    /// GB, as a string.
    pub allocated_storage: String,
    /// `gp3`.
    pub storage_type: Option<&'static str>,
    /// Encrypt the storage.
    pub storage_encrypted: Option<Bool>,
    /// The first database.
    #[serde(rename = "DBName")]
    pub db_name: Option<String>,
    /// The master user's name.
    pub master_username: Option<String>,
    /// Keep the master password in Secrets Manager, never in the template.
    pub manage_master_user_password: Option<Bool>,
    /// The subnet group.
    #[serde(rename = "DBSubnetGroupName")]
    pub db_subnet_group_name: Option<Str>,
    /// Security groups.
    #[serde(rename = "VPCSecurityGroups")]
    pub vpc_security_groups: Option<Vec<Str>>,
    /// A standby in another zone.
    #[serde(rename = "MultiAZ")]
    pub multi_az: Option<Bool>,
    /// Reachable from the internet.
    pub publicly_accessible: Option<Bool>,
    /// Days of automated backups.
    pub backup_retention_period: Option<Int>,
    /// Refuse deletion.
    pub deletion_protection: Option<Bool>,
    /// Minor engine upgrades in the maintenance window.
    pub auto_minor_version_upgrade: Option<Bool>,
    /// Copy tags to snapshots.
    pub copy_tags_to_snapshot: Option<Bool>,
    /// Log exports, e.g. `postgresql`.
    pub enable_cloudwatch_logs_exports: Option<Vec<&'static str>>,
    /// IAM database authentication.
    #[serde(rename = "EnableIAMDatabaseAuthentication")]
    pub enable_iam_database_authentication: Option<Bool>,
    /// Performance Insights.
    pub enable_performance_insights: Option<Bool>,
    /// Tags.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<Tag>,
}
resource!(
    DbInstance,
    "AWS::RDS::DBInstance",
    endpoint_address => "Endpoint.Address",
    endpoint_port => "Endpoint.Port",
    master_user_secret_arn => "MasterUserSecret.SecretArn",
    db_instance_arn => "DBInstanceArn",
);
