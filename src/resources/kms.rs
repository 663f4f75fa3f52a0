//! AWS Key Management Service: customer managed keys.

use serde::Serialize;
use serde_with::skip_serializing_none;

use super::Tag;
use super::iam::PolicyDocument;
use crate::cfn::{Bool, Int, Str};

/// `AWS::KMS::Key`.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Key {
    /// What the key protects.
    pub description: Option<String>,
    /// Rotate the key material yearly.
    pub enable_key_rotation: Option<Bool>,
    /// Days before a scheduled deletion happens (7 to 30).
    pub pending_window_in_days: Option<Int>,
    /// Who may use and manage the key.
    pub key_policy: PolicyDocument,
    /// Tags.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<Tag>,
}
resource!(Key, "AWS::KMS::Key", arn => "Arn", key_id => "KeyId");

/// `AWS::KMS::Alias`.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Alias {
    /// `alias/<name>`.
    pub alias_name: Str,
    /// The key's id or ARN.
    pub target_key_id: Str,
}
resource!(Alias, "AWS::KMS::Alias");
