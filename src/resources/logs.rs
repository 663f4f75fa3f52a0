//! Amazon CloudWatch Logs.

use serde::Serialize;
use serde_with::skip_serializing_none;

use crate::cfn::{Int, Str};

/// `AWS::Logs::LogGroup`.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct LogGroup {
    /// The group's name; for a Lambda function, `/aws/lambda/<function name>`.
    pub log_group_name: Option<Str>,
    /// Days to keep events.
    pub retention_in_days: Option<Int>,
    /// A KMS key that encrypts the events.
    pub kms_key_id: Option<Str>,
}
resource!(LogGroup, "AWS::Logs::LogGroup", arn => "Arn");
