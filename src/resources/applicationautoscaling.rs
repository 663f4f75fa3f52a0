//! Application Auto Scaling: scaling DynamoDB capacity (and other services'
//! dimensions) by target tracking.

use serde::Serialize;
use serde_with::skip_serializing_none;

use crate::cfn::{Int, Str};

/// `AWS::ApplicationAutoScaling::ScalableTarget`.
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ScalableTarget {
    /// e.g. `dynamodb`.
    pub service_namespace: &'static str,
    /// e.g. `table/<name>`.
    pub resource_id: Str,
    /// e.g. `dynamodb:table:ReadCapacityUnits`.
    pub scalable_dimension: &'static str,
    /// The floor.
    pub min_capacity: Int,
    /// The ceiling.
    pub max_capacity: Int,
    /// The service-linked role.
    #[serde(rename = "RoleARN")]
    pub role_arn: Str,
}
resource!(
    ScalableTarget,
    "AWS::ApplicationAutoScaling::ScalableTarget"
);

/// The metric target tracking follows.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct PredefinedMetricSpecification {
    /// e.g. `DynamoDBReadCapacityUtilization`.
    pub predefined_metric_type: &'static str,
}

/// Target tracking settings.
#[skip_serializing_none]
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct TargetTrackingConfiguration {
    /// The utilization to hold, in percent.
    pub target_value: f64,
    /// The metric.
    pub predefined_metric_specification: PredefinedMetricSpecification,
    /// Seconds between scale-ins.
    pub scale_in_cooldown: Option<Int>,
    /// Seconds between scale-outs.
    pub scale_out_cooldown: Option<Int>,
}

/// `AWS::ApplicationAutoScaling::ScalingPolicy`.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ScalingPolicy {
    /// The policy's name.
    pub policy_name: Str,
    /// `TargetTrackingScaling` or `StepScaling`.
    pub policy_type: &'static str,
    /// The scalable target's id (its `Ref`).
    pub scaling_target_id: Option<Str>,
    /// Target tracking settings.
    pub target_tracking_scaling_policy_configuration: Option<TargetTrackingConfiguration>,
}
resource!(ScalingPolicy, "AWS::ApplicationAutoScaling::ScalingPolicy", arn => "Arn");
