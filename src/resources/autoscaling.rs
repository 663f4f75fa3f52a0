//! Amazon EC2 Auto Scaling.

use serde::Serialize;
use serde_with::skip_serializing_none;

use crate::cfn::{Int, List, Str};

/// Which launch template version instances start from.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct LaunchTemplateSpecification {
    /// The launch template.
    pub launch_template_id: Str,
    /// The version (its `LatestVersionNumber`, so updates roll).
    pub version: Str,
}

/// A tag of the group, optionally copied to instances.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct TagProperty {
    /// The key.
    pub key: String,
    /// The value.
    pub value: Str,
    /// Copy to instances.
    pub propagate_at_launch: bool,
}

/// `AWS::AutoScaling::AutoScalingGroup`.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct AutoScalingGroup {
    /// Fewest instances.
    pub min_size: String,
    /// Most instances.
    pub max_size: String,
    /// Instances to run.
    pub desired_capacity: Option<String>,
    /// The launch template.
    pub launch_template: Option<LaunchTemplateSpecification>,
    /// Subnets.
    #[serde(rename = "VPCZoneIdentifier")]
    pub vpc_zone_identifier: Option<List>,
    /// Target groups instances register with.
    #[serde(rename = "TargetGroupARNs")]
    pub target_group_arns: Option<Vec<Str>>,
    /// `ELB` replaces instances the load balancer finds unhealthy.
    pub health_check_type: Option<&'static str>,
    /// Seconds before health checks count.
    pub health_check_grace_period: Option<Int>,
    /// Tags.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<TagProperty>,
}
resource!(AutoScalingGroup, "AWS::AutoScaling::AutoScalingGroup");
