//! Amazon S3: buckets and bucket policies.

use serde::Serialize;
use serde_with::skip_serializing_none;

use super::Tag;
use super::iam::PolicyDocument;
use crate::cfn::{Bool, Int, Str};

/// Default encryption of new objects.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct BucketEncryption {
    /// The rules (one is enough).
    pub server_side_encryption_configuration: Vec<EncryptionRule>,
}

impl BucketEncryption {
    /// SSE-S3 (AES-256, keys managed by S3).
    pub fn s3_managed() -> Self {
        BucketEncryption {
            server_side_encryption_configuration: vec![EncryptionRule {
                server_side_encryption_by_default: EncryptionByDefault {
                    sse_algorithm: "AES256",
                    kms_master_key_id: None,
                },
                bucket_key_enabled: None,
            }],
        }
    }
}

/// One default-encryption rule.
#[skip_serializing_none]
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct EncryptionRule {
    /// The algorithm and key.
    pub server_side_encryption_by_default: EncryptionByDefault,
    /// Use an S3 bucket key to cut KMS requests.
    pub bucket_key_enabled: Option<Bool>,
}

/// Algorithm and key of default encryption.
#[skip_serializing_none]
#[derive(Debug, Clone, Serialize)]
pub struct EncryptionByDefault {
    /// `AES256` or `aws:kms`.
    #[serde(rename = "SSEAlgorithm")]
    pub sse_algorithm: &'static str,
    /// A KMS key for `aws:kms`.
    #[serde(rename = "KMSMasterKeyID")]
    pub kms_master_key_id: Option<Str>,
}

/// The four public-access switches.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct PublicAccessBlock {
    /// Refuse public ACLs.
    pub block_public_acls: bool,
    /// Refuse public bucket policies.
    pub block_public_policy: bool,
    /// Ignore public ACLs already present.
    pub ignore_public_acls: bool,
    /// Restrict access to buckets with public policies.
    pub restrict_public_buckets: bool,
}

impl PublicAccessBlock {
    /// Everything blocked.
    pub fn all() -> Self {
        PublicAccessBlock {
            block_public_acls: true,
            block_public_policy: true,
            ignore_public_acls: true,
            restrict_public_buckets: true,
        }
    }
}

/// Versioning of objects.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct VersioningConfiguration {
    /// `Enabled` or `Suspended`.
    pub status: &'static str,
}

/// Who owns uploaded objects.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct OwnershipControls {
    /// The rules.
    pub rules: Vec<OwnershipRule>,
}

impl OwnershipControls {
    /// The bucket owner owns every object and ACLs are disabled.
    pub fn bucket_owner_enforced() -> Self {
        OwnershipControls {
            rules: vec![OwnershipRule {
                object_ownership: "BucketOwnerEnforced",
            }],
        }
    }
}

/// One ownership rule.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct OwnershipRule {
    /// `BucketOwnerEnforced`, `BucketOwnerPreferred` or `ObjectWriter`.
    pub object_ownership: &'static str,
}

/// Lifecycle rules.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct LifecycleConfiguration {
    /// The rules.
    pub rules: Vec<LifecycleRule>,
}

/// One lifecycle rule.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct LifecycleRule {
    /// The rule's id.
    pub id: Option<String>,
    /// `Enabled` or `Disabled`.
    pub status: &'static str,
    /// Objects under this prefix only.
    pub prefix: Option<String>,
    /// Delete current objects after this many days.
    pub expiration_in_days: Option<Int>,
    /// Delete noncurrent versions after this many days.
    pub noncurrent_version_expiration: Option<NoncurrentVersionExpiration>,
    /// Abort incomplete multipart uploads.
    pub abort_incomplete_multipart_upload: Option<AbortIncompleteMultipartUpload>,
}

/// Expiry of noncurrent versions.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct NoncurrentVersionExpiration {
    /// Days after becoming noncurrent.
    pub noncurrent_days: Int,
}

/// Clean-up of abandoned multipart uploads.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct AbortIncompleteMultipartUpload {
    /// Days after initiation.
    pub days_after_initiation: Int,
}

/// CORS rules (browsers and mobile web views uploading directly).
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct CorsConfiguration {
    /// The rules.
    pub cors_rules: Vec<CorsRule>,
}

/// One CORS rule.
#[skip_serializing_none]
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct CorsRule {
    /// Allowed request headers.
    pub allowed_headers: Vec<String>,
    /// Allowed methods.
    pub allowed_methods: Vec<String>,
    /// Allowed origins.
    pub allowed_origins: Vec<String>,
    /// Response headers the browser may read.
    pub exposed_headers: Option<Vec<String>>,
    /// Preflight cache time.
    pub max_age: Option<Int>,
}

/// Server access logging.
#[skip_serializing_none]
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct LoggingConfiguration {
    /// The bucket receiving the logs.
    pub destination_bucket_name: Str,
    /// Key prefix of the log objects.
    pub log_file_prefix: Option<String>,
}

/// Event notifications.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct NotificationConfiguration {
    /// To SNS topics.
    pub topic_configurations: Option<Vec<TopicConfiguration>>,
    /// To SQS queues.
    pub queue_configurations: Option<Vec<QueueConfiguration>>,
    /// To Lambda functions.
    pub lambda_configurations: Option<Vec<LambdaConfiguration>>,
}

/// Notifications to an SNS topic.
#[skip_serializing_none]
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct TopicConfiguration {
    /// e.g. `s3:ObjectCreated:*`.
    pub event: &'static str,
    /// The topic ARN.
    pub topic: Str,
    /// Which keys.
    pub filter: Option<NotificationFilter>,
}

/// Notifications to an SQS queue.
#[skip_serializing_none]
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct QueueConfiguration {
    /// e.g. `s3:ObjectCreated:*`.
    pub event: &'static str,
    /// The queue ARN.
    pub queue: Str,
    /// Which keys.
    pub filter: Option<NotificationFilter>,
}

/// Notifications to a Lambda function.
#[skip_serializing_none]
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct LambdaConfiguration {
    /// e.g. `s3:ObjectCreated:*`.
    pub event: &'static str,
    /// The function ARN.
    pub function: Str,
    /// Which keys.
    pub filter: Option<NotificationFilter>,
}

/// A key filter of a notification.
#[derive(Debug, Clone, Serialize)]
pub struct NotificationFilter {
    /// The key rules.
    #[serde(rename = "S3Key")]
    pub s3_key: S3KeyFilter,
}

/// Prefix and suffix rules.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct S3KeyFilter {
    /// The rules.
    pub rules: Vec<FilterRule>,
}

/// One key rule.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct FilterRule {
    /// `prefix` or `suffix`.
    pub name: &'static str,
    /// The value.
    pub value: String,
}

impl NotificationFilter {
    /// Keys starting with `prefix`.
    pub fn prefix(prefix: &str) -> Self {
        NotificationFilter {
            s3_key: S3KeyFilter {
                rules: vec![FilterRule {
                    name: "prefix",
                    value: prefix.to_owned(),
                }],
            },
        }
    }
}

/// `AWS::S3::Bucket`.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Bucket {
    /// An explicit name; unset lets CloudFormation choose a unique one.
    pub bucket_name: Option<Str>,
    /// Default encryption.
    pub bucket_encryption: Option<BucketEncryption>,
    /// Public access block.
    pub public_access_block_configuration: Option<PublicAccessBlock>,
    /// Versioning.
    pub versioning_configuration: Option<VersioningConfiguration>,
    /// Object ownership.
    pub ownership_controls: Option<OwnershipControls>,
    /// Lifecycle rules.
    pub lifecycle_configuration: Option<LifecycleConfiguration>,
    /// CORS.
    pub cors_configuration: Option<CorsConfiguration>,
    /// Access logging.
    pub logging_configuration: Option<LoggingConfiguration>,
    /// Event notifications.
    pub notification_configuration: Option<NotificationConfiguration>,
    /// Tags.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<Tag>,
}
resource!(
    Bucket,
    "AWS::S3::Bucket",
    arn => "Arn",
    domain_name => "DomainName",
    regional_domain_name => "RegionalDomainName",
    dual_stack_domain_name => "DualStackDomainName",
    website_url => "WebsiteURL",
);

/// `AWS::S3::BucketPolicy`.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct BucketPolicy {
    /// The bucket's name.
    pub bucket: Str,
    /// The policy.
    pub policy_document: PolicyDocument,
}
resource!(BucketPolicy, "AWS::S3::BucketPolicy");
