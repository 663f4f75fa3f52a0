//! Amazon CloudWatch: metric alarms.

use serde::Serialize;
use serde_with::skip_serializing_none;

use crate::cfn::{Int, Str};

/// A metric dimension: `Name` and `Value`.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Dimension {
    /// The dimension's name (`QueueName`, `FunctionName`, ...).
    pub name: &'static str,
    /// Its value.
    pub value: Str,
}

/// `AWS::CloudWatch::Alarm` on one metric.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Alarm {
    /// What the alarm means and what to do about it.
    pub alarm_description: Option<String>,
    /// The metric's namespace (`AWS/SQS`, ...).
    pub namespace: &'static str,
    /// The metric.
    pub metric_name: &'static str,
    /// Which series of the metric.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub dimensions: Vec<Dimension>,
    /// `Maximum`, `Sum`, `Average`, ...
    pub statistic: &'static str,
    /// Seconds per evaluated data point.
    pub period: Int,
    /// Data points evaluated.
    pub evaluation_periods: Int,
    /// The threshold (a number; an integer is one).
    pub threshold: Int,
    /// `GreaterThanThreshold`, ...
    pub comparison_operator: &'static str,
    /// `missing`, `ignore`, `breaching` or `notBreaching`.
    pub treat_missing_data: Option<&'static str>,
    /// ARNs notified when the alarm enters `ALARM` (SNS topics, ...).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub alarm_actions: Vec<Str>,
    /// ARNs notified when it returns to `OK`.
    #[serde(rename = "OKActions", skip_serializing_if = "Vec::is_empty")]
    pub ok_actions: Vec<Str>,
}
resource!(Alarm, "AWS::CloudWatch::Alarm", arn => "Arn");
