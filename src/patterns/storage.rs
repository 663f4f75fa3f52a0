//! Private, encrypted buckets and queues with their TLS-only policies.

use super::alarms;
use crate::cfn::{Handle, Template, json, sub_with};
use crate::resources::cloudwatch::Alarm;
use crate::resources::iam::{PolicyDocument, Statement};
use crate::resources::s3::{
    AbortIncompleteMultipartUpload, Bucket, BucketEncryption, BucketPolicy, LifecycleConfiguration,
    LifecycleRule, NoncurrentVersionExpiration, OwnershipControls, PublicAccessBlock,
    VersioningConfiguration,
};
use crate::resources::sqs::{Queue, QueuePolicy, RedrivePolicy};

/// A bucket with public access blocked, SSE-S3 encryption, ACLs disabled,
/// versioning on, and noncurrent versions and abandoned uploads expired.
/// Customize the returned struct before adding it.
pub fn private_bucket(noncurrent_days: i64) -> Bucket {
    Bucket {
        bucket_encryption: Some(BucketEncryption::s3_managed()),
        public_access_block_configuration: Some(PublicAccessBlock::all()),
        ownership_controls: Some(OwnershipControls::bucket_owner_enforced()),
        versioning_configuration: Some(VersioningConfiguration { status: "Enabled" }),
        lifecycle_configuration: Some(LifecycleConfiguration {
            rules: vec![LifecycleRule {
                id: Some("ExpireOldVersionsAndUploads".into()),
                status: "Enabled",
                noncurrent_version_expiration: Some(NoncurrentVersionExpiration {
                    noncurrent_days: noncurrent_days.into(),
                }),
                abort_incomplete_multipart_upload: Some(AbortIncompleteMultipartUpload {
                    days_after_initiation: 7.into(),
                }),
                ..Default::default()
            }],
        }),
        ..Default::default()
    }
}

/// Every S3 action: what a bucket's TLS-only statement denies.
pub const TLS_ONLY_S3: &[&str] = &["s3:*"];
/// Every SQS action: what a queue's TLS-only statement denies.
pub const TLS_ONLY_SQS: &[&str] = &["sqs:*"];
/// What SNS's own TLS example (and CDK's `enforceSSL`) denies on a topic.
pub const TLS_ONLY_SNS: &[&str] = &["sns:Publish"];

/// The statement that refuses `actions` on `resources` when a request is
/// not made over TLS. The actions must be the service's own: SNS refuses a
/// topic policy naming actions outside SNS ("Policy statement action out of
/// service scope"), so pass [`TLS_ONLY_S3`], [`TLS_ONLY_SQS`] or
/// [`TLS_ONLY_SNS`], as CDK's `enforceSSL` does.
pub fn deny_insecure_transport(
    actions: &[&'static str],
    resources: Vec<crate::cfn::Str>,
) -> Statement {
    Statement::deny(actions.iter().copied(), resources)
        .sid("DenyInsecureTransport")
        .principal(json(&serde_json::json!({"AWS": "*"})))
        .condition(serde_json::json!({"Bool": {"aws:SecureTransport": "false"}}))
}

/// The bucket's one policy: TLS only, plus `extra` statements (a CloudFront
/// distribution's read access, say). A bucket has a single policy, so every
/// statement for it goes here.
pub fn bucket_policy(
    t: &mut Template,
    id: &str,
    bucket: &Handle<Bucket>,
    extra: Vec<Statement>,
) -> Handle<BucketPolicy> {
    let mut statements = vec![deny_insecure_transport(
        TLS_ONLY_S3,
        vec![
            bucket.arn(),
            sub_with("${Bucket}/*", [("Bucket", bucket.arn())]),
        ],
    )];
    statements.extend(extra);
    t.add(
        id,
        BucketPolicy {
            bucket: bucket.r#ref(),
            policy_document: PolicyDocument::new(statements),
        },
    )
}

const SSE_SQS_WAIVER: &str = "Encrypted at rest with SQS-managed keys (SqsManagedSseEnabled), \
     which checkov does not recognise";

/// checkov's CKV_AWS_27 only recognises KMS keys; SSE-SQS is encryption at
/// rest all the same, and the one SNS and S3 can deliver to without grants.
fn sse_sqs_waiver() -> crate::cfn::Envelope {
    super::waivers::waived(
        crate::cfn::Envelope::new(),
        &[("CKV_AWS_27", SSE_SQS_WAIVER)],
    )
}

/// A queue and its dead-letter queue, both encrypted, both TLS only, and
/// the alarm that says when the dead-letter queue holds a message.
#[derive(Debug, Clone)]
pub struct QueueWithDlq {
    /// The work queue.
    pub queue: Handle<Queue>,
    /// Where messages land after `max_receive_count` failed receives.
    pub dead_letter: Handle<Queue>,
    /// In `ALARM` while a message waits in `dead_letter`
    /// ([`alarms::dead_letter_alarm`]); no action of its own.
    pub alarm: Handle<Alarm>,
    /// The queues' policy (TLS only, plus who may send). A bucket whose
    /// notification targets the queue must be created after it, since S3
    /// checks that it may send when the notification is set: give the
    /// bucket `Envelope::depends_on(&policy)`.
    pub policy: Handle<QueuePolicy>,
}

/// The visibility timeout a queue needs when a Lambda function consumes it:
/// six times the function's timeout, as "Using Lambda with Amazon SQS" asks,
/// so a batch whose invocation is throttled and retried is not made visible
/// (and counted towards the dead-letter queue) while Lambda still holds it.
pub fn visibility_timeout_for(consumer_timeout_seconds: i64) -> i64 {
    6 * consumer_timeout_seconds
}

/// Adds `{name}Queue` and `{name}DeadLetterQueue` (14 days' retention),
/// both encrypted with SQS-managed keys (which SNS and S3 can deliver to
/// without key policy grants), the redrive between them and a TLS-only
/// policy on both (`{name}QueuePolicy`), plus the statements `allow` returns
/// for the work queue (who may send to it), and `{name}DeadLetterAlarm`
/// ([`alarms::dead_letter_alarm`]). The visibility timeout follows from the
/// consuming function's timeout ([`visibility_timeout_for`]).
pub fn queue_with_dlq(
    t: &mut Template,
    name: &str,
    consumer_timeout_seconds: i64,
    max_receive_count: i64,
    allow: impl FnOnce(&Handle<Queue>) -> Vec<Statement>,
) -> QueueWithDlq {
    let dead_letter = t.add_with(
        &format!("{name}DeadLetterQueue"),
        Queue {
            message_retention_period: Some(1_209_600.into()),
            sqs_managed_sse_enabled: Some(true.into()),
            ..Default::default()
        },
        sse_sqs_waiver(),
    );
    let queue = t.add_with(
        &format!("{name}Queue"),
        Queue {
            visibility_timeout: Some(visibility_timeout_for(consumer_timeout_seconds).into()),
            receive_message_wait_time_seconds: Some(20.into()),
            sqs_managed_sse_enabled: Some(true.into()),
            redrive_policy: Some(RedrivePolicy {
                dead_letter_target_arn: dead_letter.arn(),
                max_receive_count: max_receive_count.into(),
            }),
            ..Default::default()
        },
        sse_sqs_waiver(),
    );
    let mut statements = vec![deny_insecure_transport(
        TLS_ONLY_SQS,
        vec![queue.arn(), dead_letter.arn()],
    )];
    statements.extend(allow(&queue));
    let policy = t.add(
        &format!("{name}QueuePolicy"),
        QueuePolicy {
            queues: vec![queue.queue_url(), dead_letter.queue_url()],
            policy_document: PolicyDocument::new(statements),
        },
    );
    let alarm = alarms::dead_letter_alarm(
        t,
        &format!("{name}DeadLetterAlarm"),
        &dead_letter,
        &format!("{name}Queue"),
    );
    QueueWithDlq {
        queue,
        dead_letter,
        alarm,
        policy,
    }
}

/// A single encrypted queue with a TLS-only policy: a destination for
/// records a stream consumer gives up on.
pub fn failure_queue(t: &mut Template, id: &str) -> Handle<Queue> {
    let queue = t.add_with(
        id,
        Queue {
            message_retention_period: Some(1_209_600.into()),
            sqs_managed_sse_enabled: Some(true.into()),
            ..Default::default()
        },
        sse_sqs_waiver(),
    );
    t.add(
        &format!("{id}Policy"),
        QueuePolicy {
            queues: vec![queue.queue_url()],
            policy_document: PolicyDocument::new(vec![deny_insecure_transport(
                TLS_ONLY_SQS,
                vec![queue.arn()],
            )]),
        },
    );
    queue
}

/// A bucket that receives S3 server access logs: private, SSE-S3 (the only
/// encryption log delivery supports), logs expired after `retention_days`.
/// Its policy, which lets the S3 logging service write, names the buckets
/// it logs, so add it with [`allow_access_logs`] once they exist.
pub fn access_log_bucket(t: &mut Template, id: &str, retention_days: i64) -> Handle<Bucket> {
    let mut bucket = private_bucket(retention_days);
    if let Some(lifecycle) = &mut bucket.lifecycle_configuration {
        lifecycle.rules[0].expiration_in_days = Some(retention_days.into());
    }
    t.add_with(
        id,
        bucket,
        // Retained like the buckets it logs: a log bucket holds objects
        // (versioned), and CloudFormation cannot delete a non-empty bucket,
        // so `destroy` would stop in DELETE_FAILED; its lifecycle rule
        // expires what stays behind.
        super::waivers::waived(
            crate::cfn::Envelope::new().retain(),
            &[(
                "CKV_AWS_18",
                "This is the access log destination; logging it to itself would loop",
            )],
        ),
    )
}

/// `{logs}Policy`: TLS only, and for each `(source, prefix)` one statement
/// letting the S3 logging service write under that prefix for that bucket
/// only (`aws:SourceArn`) in this account (`aws:SourceAccount`), as the
/// bucket policy in "Enabling Amazon S3 server access logging" and CDK's
/// `serverAccessLogsBucket` do. Pass the prefixes given to [`log_to`].
///
/// The policy references the sources, which reference `logs` (their
/// `LoggingConfiguration`): log bucket <- source <- policy, no cycle,
/// as long as no source waits for this policy.
pub fn allow_access_logs(
    t: &mut Template,
    logs: &Handle<Bucket>,
    sources: &[(&Handle<Bucket>, &str)],
) -> Handle<BucketPolicy> {
    let statements = sources
        .iter()
        .map(|(source, prefix)| {
            Statement::allow(
                ["s3:PutObject"],
                vec![sub_with(
                    &format!("${{Bucket}}/{prefix}*"),
                    [("Bucket", logs.arn())],
                )],
            )
            .sid(&format!("S3ServerAccessLogsFrom{}", source.id()))
            .principal(serde_json::json!({"Service": "logging.s3.amazonaws.com"}))
            .condition(serde_json::json!({
                "ArnLike": {"aws:SourceArn": source.arn().to_json()},
                "StringEquals": {"aws:SourceAccount": {"Ref": "AWS::AccountId"}}
            }))
        })
        .collect();
    bucket_policy(t, &format!("{}Policy", logs.id()), logs, statements)
}

/// Server access logging of a bucket into `logs` under `prefix`.
pub fn log_to(logs: &Handle<Bucket>, prefix: &str) -> crate::resources::s3::LoggingConfiguration {
    crate::resources::s3::LoggingConfiguration {
        destination_bucket_name: logs.r#ref(),
        log_file_prefix: Some(prefix.to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The handles name what was added, so a `DependsOn` written through
    /// them follows a renamed queue.
    #[test]
    fn queue_with_dlq_returns_handles_to_what_it_adds() {
        let mut t = Template::new("t");
        let q = queue_with_dlq(&mut t, "Jobs", 30, 3, |_| vec![]);
        let ids: Vec<&str> = t.resource_ids().collect();
        for handle in [
            q.queue.id(),
            q.dead_letter.id(),
            q.alarm.id(),
            q.policy.id(),
        ] {
            assert!(ids.contains(&handle), "{handle} not in {ids:?}");
        }
        assert_eq!(q.policy.id(), "JobsQueuePolicy");
        let json = t.to_json();
        assert_eq!(
            json["Resources"]["JobsQueuePolicy"]["Type"],
            "AWS::SQS::QueuePolicy"
        );
    }
}
