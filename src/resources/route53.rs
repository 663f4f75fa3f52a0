//! Amazon Route 53 records.

use serde::Serialize;
use serde_with::skip_serializing_none;

use crate::cfn::{Bool, Str};

/// An alias target (a load balancer, an API Gateway domain).
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct AliasTarget {
    /// The target's DNS name.
    #[serde(rename = "DNSName")]
    pub dns_name: Str,
    /// The target's hosted zone.
    pub hosted_zone_id: Str,
    /// Answer only while the target is healthy.
    pub evaluate_target_health: Bool,
}

/// `AWS::Route53::RecordSet`.
#[skip_serializing_none]
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct RecordSet {
    /// The hosted zone.
    pub hosted_zone_id: Str,
    /// The record's name.
    pub name: Str,
    /// `A`, `AAAA`, `CNAME`, ...
    #[serde(rename = "Type")]
    pub kind: &'static str,
    /// An alias instead of records.
    pub alias_target: Option<AliasTarget>,
}
resource!(RecordSet, "AWS::Route53::RecordSet");
