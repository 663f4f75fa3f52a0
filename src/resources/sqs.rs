//! Amazon SQS: queues and queue policies.

use serde::Serialize;
use serde_with::skip_serializing_none;

use super::Tag;
use super::iam::PolicyDocument;
use crate::cfn::{Bool, Int, Str};

/// Where messages go after too many receives.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RedrivePolicy {
    /// The dead-letter queue's ARN.
    pub dead_letter_target_arn: Str,
    /// Receives before a message moves there.
    pub max_receive_count: Int,
}

/// `AWS::SQS::Queue`.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Queue {
    /// An explicit name; unset lets CloudFormation choose.
    pub queue_name: Option<Str>,
    /// Seconds a received message stays hidden; at least the consumer's timeout.
    pub visibility_timeout: Option<Int>,
    /// Seconds a message is kept (60 to 1,209,600).
    pub message_retention_period: Option<Int>,
    /// Long polling wait.
    pub receive_message_wait_time_seconds: Option<Int>,
    /// Dead-letter queue.
    pub redrive_policy: Option<RedrivePolicy>,
    /// Encryption with SQS-owned keys.
    pub sqs_managed_sse_enabled: Option<Bool>,
    /// Encryption with a KMS key.
    pub kms_master_key_id: Option<Str>,
    /// Tags.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<Tag>,
}
resource!(
    Queue,
    "AWS::SQS::Queue",
    arn => "Arn",
    queue_name => "QueueName",
    queue_url => "QueueUrl",
);

/// `AWS::SQS::QueuePolicy`.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct QueuePolicy {
    /// Queue URLs.
    pub queues: Vec<Str>,
    /// The policy.
    pub policy_document: PolicyDocument,
}
resource!(QueuePolicy, "AWS::SQS::QueuePolicy");
