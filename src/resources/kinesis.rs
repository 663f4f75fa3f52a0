//! Amazon Kinesis Data Streams.

use serde::Serialize;
use serde_with::skip_serializing_none;

use super::Tag;
use crate::cfn::{Int, Str};

/// Encryption of a stream.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct StreamEncryption {
    /// `KMS`.
    pub encryption_type: &'static str,
    /// The key, e.g. `alias/aws/kinesis`.
    pub key_id: Str,
}

/// Capacity mode.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct StreamModeDetails {
    /// `ON_DEMAND` or `PROVISIONED`.
    pub stream_mode: &'static str,
}

/// `AWS::Kinesis::Stream`.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Stream {
    /// Hours records are kept.
    pub retention_period_hours: Option<Int>,
    /// Capacity mode.
    pub stream_mode_details: Option<StreamModeDetails>,
    /// Encryption.
    pub stream_encryption: Option<StreamEncryption>,
    /// Tags.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<Tag>,
}
resource!(Stream, "AWS::Kinesis::Stream", arn => "Arn");
