//! The artifacts bucket: where templates over the 51,200-byte inline limit
//! go. Ours is created on first use (no bootstrap stack): private,
//! encrypted, TLS-only, objects expiring; or the user names one.

use aws_sdk_cloudformation::error::ProvideErrorMetadata;
use aws_sdk_s3::primitives::ByteStream;
use aws_sdk_s3::types::{
    AbortIncompleteMultipartUpload, BucketLifecycleConfiguration, BucketLocationConstraint,
    CreateBucketConfiguration, ExpirationStatus, LifecycleExpiration, LifecycleRule,
    LifecycleRuleFilter, PublicAccessBlockConfiguration, ServerSideEncryption,
    ServerSideEncryptionByDefault, ServerSideEncryptionConfiguration, ServerSideEncryptionRule,
};

use super::client::{Aws, TemplateSource};
use super::{DeployError, aws_error, build_error};

/// The largest template body `CreateChangeSet` takes inline, in bytes.
pub const INLINE_LIMIT: usize = 51_200;

/// Days an uploaded template is kept: a change set reads it when it is
/// created, so the object is only needed for that moment and for review.
pub const EXPIRY_DAYS: i32 = 30;

/// Our bucket's name for an account and Region (S3 names are global, so
/// both are part of it).
pub fn bucket_name(account: &str, region: &str) -> String {
    format!("stackcraft-artifacts-{account}-{region}")
}

/// The object key of a template: per stack, named by a hash of the body so
/// that the same template is uploaded once.
pub fn object_key(stack: &str, body: &str) -> String {
    format!("templates/{stack}/{:016x}.json", fnv1a(body.as_bytes()))
}

/// The URL CloudFormation reads the object from.
pub fn object_url(bucket: &str, region: &str, key: &str) -> String {
    format!("https://{bucket}.s3.{region}.amazonaws.com/{key}")
}

/// The bucket policy: every request without TLS is denied.
pub fn tls_only_policy(bucket: &str) -> String {
    serde_json::json!({
        "Version": "2012-10-17",
        "Statement": [{
            "Sid": "DenyInsecureTransport",
            "Effect": "Deny",
            "Principal": "*",
            "Action": "s3:*",
            "Resource": [format!("arn:aws:s3:::{bucket}"), format!("arn:aws:s3:::{bucket}/*")],
            "Condition": {"Bool": {"aws:SecureTransport": "false"}}
        }]
    })
    .to_string()
}

/// 64-bit FNV-1a: a stable content hash (std's hasher may change between
/// Rust releases).
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// Where a stack's template goes: inline when it fits, else uploaded to
/// `bucket` (ours, created when missing, when `bucket` is `None`).
pub async fn template_source(
    aws: &Aws,
    stack: &str,
    body: &str,
    bucket: Option<&str>,
) -> Result<TemplateSource, DeployError> {
    if body.len() <= INLINE_LIMIT {
        return Ok(TemplateSource::Body(body.to_owned()));
    }
    let bucket = match bucket {
        Some(b) => b.to_owned(),
        None => ensure_ours(aws).await?,
    };
    let key = object_key(stack, body);
    aws.s3
        .put_object()
        .bucket(&bucket)
        .key(&key)
        .content_type("application/json")
        .body(ByteStream::from(body.as_bytes().to_vec()))
        .send()
        .await
        .map_err(|e| aws_error("PutObject", e))?;
    eprintln!(
        "{stack}: template ({} bytes) uploaded to s3://{bucket}/{key}",
        body.len()
    );
    Ok(TemplateSource::Url(object_url(&bucket, &aws.region, &key)))
}

/// Our bucket, created and configured on first use.
async fn ensure_ours(aws: &Aws) -> Result<String, DeployError> {
    let account = aws.account_id().await?;
    let bucket = bucket_name(&account, &aws.region);
    // ExpectedBucketOwner: a bucket of that name in another account is not ours.
    match aws
        .s3
        .head_bucket()
        .bucket(&bucket)
        .expected_bucket_owner(&account)
        .send()
        .await
    {
        Ok(_) => return Ok(bucket),
        Err(e) if e.as_service_error().is_some_and(|s| s.is_not_found()) => {}
        Err(e) => return Err(aws_error("HeadBucket", e)),
    }
    let mut create = aws.s3.create_bucket().bucket(&bucket);
    if aws.region != "us-east-1" {
        create = create.create_bucket_configuration(
            CreateBucketConfiguration::builder()
                .location_constraint(BucketLocationConstraint::from(aws.region.as_str()))
                .build(),
        );
    }
    if let Err(e) = create.send().await
        && e.code() != Some("BucketAlreadyOwnedByYou")
    {
        return Err(aws_error("CreateBucket", e));
    }
    configure(aws, &bucket).await?;
    eprintln!(
        "created the artifacts bucket s3://{bucket} (private, encrypted, TLS only, objects expire after {EXPIRY_DAYS} days)"
    );
    Ok(bucket)
}

/// Blocks public access, turns on default encryption, denies plain HTTP and
/// expires objects.
async fn configure(aws: &Aws, bucket: &str) -> Result<(), DeployError> {
    let s3 = &aws.s3;
    let block = PublicAccessBlockConfiguration::builder()
        .block_public_acls(true)
        .ignore_public_acls(true)
        .block_public_policy(true)
        .restrict_public_buckets(true)
        .build();
    s3.put_public_access_block()
        .bucket(bucket)
        .public_access_block_configuration(block)
        .send()
        .await
        .map_err(|e| aws_error("PutPublicAccessBlock", e))?;
    let by_default = ServerSideEncryptionByDefault::builder()
        .sse_algorithm(ServerSideEncryption::Aes256)
        .build()
        .map_err(|e| build_error("PutBucketEncryption", e))?;
    let encryption = ServerSideEncryptionConfiguration::builder()
        .rules(
            ServerSideEncryptionRule::builder()
                .apply_server_side_encryption_by_default(by_default)
                .build(),
        )
        .build()
        .map_err(|e| build_error("PutBucketEncryption", e))?;
    s3.put_bucket_encryption()
        .bucket(bucket)
        .server_side_encryption_configuration(encryption)
        .send()
        .await
        .map_err(|e| aws_error("PutBucketEncryption", e))?;
    s3.put_bucket_policy()
        .bucket(bucket)
        .policy(tls_only_policy(bucket))
        .send()
        .await
        .map_err(|e| aws_error("PutBucketPolicy", e))?;
    let rule = LifecycleRule::builder()
        .id("expire-templates")
        .status(ExpirationStatus::Enabled)
        .filter(LifecycleRuleFilter::builder().prefix("").build())
        .expiration(LifecycleExpiration::builder().days(EXPIRY_DAYS).build())
        .abort_incomplete_multipart_upload(
            AbortIncompleteMultipartUpload::builder()
                .days_after_initiation(1)
                .build(),
        )
        .build()
        .map_err(|e| build_error("PutBucketLifecycleConfiguration", e))?;
    let lifecycle = BucketLifecycleConfiguration::builder()
        .rules(rule)
        .build()
        .map_err(|e| build_error("PutBucketLifecycleConfiguration", e))?;
    s3.put_bucket_lifecycle_configuration()
        .bucket(bucket)
        .lifecycle_configuration(lifecycle)
        .send()
        .await
        .map_err(|e| aws_error("PutBucketLifecycleConfiguration", e))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_keys_and_urls() {
        let b = bucket_name("123456789012", "eu-west-1");
        assert_eq!(b, "stackcraft-artifacts-123456789012-eu-west-1");
        assert!(b.len() <= 63);
        let k = object_key("globalblog", "{}");
        assert_eq!(k, object_key("globalblog", "{}"));
        assert_ne!(k, object_key("globalblog", "{ }"));
        assert!(k.starts_with("templates/globalblog/") && k.ends_with(".json"));
        assert_eq!(
            object_url(&b, "eu-west-1", "a/b.json"),
            "https://stackcraft-artifacts-123456789012-eu-west-1.s3.eu-west-1.amazonaws.com/a/b.json"
        );
    }

    #[test]
    fn the_policy_denies_requests_without_tls() {
        let p: serde_json::Value = serde_json::from_str(&tls_only_policy("b")).unwrap();
        let s = &p["Statement"][0];
        assert_eq!(s["Effect"], "Deny");
        assert_eq!(s["Condition"]["Bool"]["aws:SecureTransport"], "false");
        assert_eq!(s["Resource"][1], "arn:aws:s3:::b/*");
    }
}
