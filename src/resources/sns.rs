//! Amazon SNS: topics, subscriptions and topic policies.

use serde::Serialize;
use serde_with::skip_serializing_none;

use super::Tag;
use super::iam::PolicyDocument;
use crate::cfn::{Bool, Str};

/// `AWS::SNS::Topic`.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Topic {
    /// Shown in email and SMS deliveries.
    pub display_name: Option<String>,
    /// A KMS key that encrypts messages at rest.
    pub kms_master_key_id: Option<Str>,
    /// Tags.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<Tag>,
}
resource!(Topic, "AWS::SNS::Topic", topic_arn => "TopicArn", topic_name => "TopicName");

/// `AWS::SNS::Subscription`.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Subscription {
    /// The topic.
    pub topic_arn: Str,
    /// `sqs`, `lambda`, `email`, ...
    pub protocol: &'static str,
    /// The queue ARN, function ARN, address...
    pub endpoint: Str,
    /// Deliver the message itself rather than SNS's JSON envelope.
    pub raw_message_delivery: Option<Bool>,
}
resource!(Subscription, "AWS::SNS::Subscription", arn => "Arn");

/// `AWS::SNS::TopicPolicy`.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct TopicPolicy {
    /// Topic ARNs.
    pub topics: Vec<Str>,
    /// The policy.
    pub policy_document: PolicyDocument,
}
resource!(TopicPolicy, "AWS::SNS::TopicPolicy");
