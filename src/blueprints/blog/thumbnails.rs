//! B5: thumbnails. Uploads -> SNS -> SQS -> Lambda -> the thumbnails
//! bucket, which the distribution serves under `/thumbnails/*`.

use serde_json::json;

use super::site::Site;
use super::{Settings, SynthError, tags, waive_function};
use crate::cfn::{Envelope, Handle, List, ParameterRef, Str, Template, Val, sub_with};
use crate::patterns::function::{FunctionSpec, python_function};
use crate::patterns::storage::{self, QueueWithDlq};
use crate::patterns::triggers::{self, QueueTrigger};
use crate::patterns::{grants, naming};
use crate::resources::iam::{PolicyDocument, Statement};
use crate::resources::kms::Key;
use crate::resources::s3::{
    Bucket, NotificationConfiguration, NotificationFilter, TopicConfiguration,
};
use crate::resources::sns::{Subscription, Topic, TopicPolicy};
use crate::templates;

/// Timeout of the thumbnail function, which also sizes its queue's
/// visibility timeout.
const THUMBNAIL_TIMEOUT_SECONDS: i64 = 60;

/// What the thumbnail flow exposes as outputs.
pub(super) struct Thumbnails {
    /// Where photos are uploaded (under `uploads/`).
    pub uploads: Handle<Bucket>,
    /// The uploads bucket's events.
    pub topic: Handle<Topic>,
    /// The queue feeding the function, and its dead-letter queue.
    pub queue: QueueWithDlq,
}

/// Adds the uploads bucket, its topic and queue, the thumbnail function and
/// its trigger.
pub(super) fn add(
    t: &mut Template,
    s: &Settings,
    key: &Handle<Key>,
    site: &Site,
    pillow: &ParameterRef,
) -> Result<Thumbnails, SynthError> {
    let (uploads, topic, queue) = add_uploads(t, s, key, &site.access_logs);
    let sizes: Vec<String> = s.thumbnails.sizes.iter().map(|b| b.to_string()).collect();
    let layers: List = Val::Lit(vec![pillow.r#ref()]);
    let mut spec = FunctionSpec::new(
        "Thumbnail",
        "Makes thumbnails of uploaded images",
        templates::handler("lambda/thumbnail.py.j2")?,
    )
    .env("THUMBNAIL_BUCKET", site.thumbs.r#ref())
    .env("THUMBNAIL_SIZES", sizes.join(","))
    .env(
        "MAX_BYTES",
        (s.thumbnails.max_upload_mb.get() * 1024 * 1024).to_string(),
    )
    .env("UPLOAD_PREFIX", "uploads/")
    .allow([
        grants::queue_consume(&queue.queue),
        grants::bucket_read(&uploads, "uploads/*"),
        grants::bucket_write(&site.thumbs, "thumbnails/*"),
    ]);
    spec.memory_mb = 1024;
    spec.timeout_seconds = THUMBNAIL_TIMEOUT_SECONDS;
    spec.layers = Some(layers);
    spec.log_retention_days = s.log_retention_days.get();
    spec.log_key = Some(key.arn());
    spec.reserved_concurrency = s.reserved_concurrency.thumbnails.map(|n| n.get());
    let thumb_fn = python_function(t, spec);
    waive_function(t, &thumb_fn, THUMBNAIL_FAILURES);
    triggers::queue_trigger(
        t,
        "ThumbnailTrigger",
        &thumb_fn.function,
        QueueTrigger {
            source: queue.queue.arn(),
            batch_size: 5,
            batching_window_seconds: 1,
            max_concurrency: 10,
        },
    );
    Ok(Thumbnails {
        uploads,
        topic,
        queue,
    })
}

/// `<name>-uploads-<account>-<stack suffix>`: unique per stack, at most 62
/// characters (a bucket name holds 63).
fn uploads_bucket_name(s: &Settings) -> Str {
    sub_with(
        &format!("{}-uploads-${{AWS::AccountId}}-${{StackSuffix}}", s.name),
        [("StackSuffix", naming::stack_suffix())],
    )
}

fn add_uploads(
    t: &mut Template,
    s: &Settings,
    key: &Handle<Key>,
    access_logs: &Handle<Bucket>,
) -> (Handle<Bucket>, Handle<Topic>, QueueWithDlq) {
    let topic = t.add(
        "UploadsTopic",
        Topic {
            display_name: Some(format!("{} uploads", s.name)),
            kms_master_key_id: Some(key.arn()),
            tags: tags(s),
        },
    );
    // The uploads bucket's name is built from the settings, the account and
    // a piece of the stack id, so the topic policy can name the bucket's ARN
    // without a reference to the bucket. A reference would close a cycle
    // (bucket -> notification -> topic policy -> bucket), which CDK breaks
    // with a Lambda-backed custom resource; here the bucket simply DependsOn
    // the policy, so S3 can publish by the time it validates the
    // notification. The stack id part makes the name differ between two
    // blogs in one account and Region (staging and prod) and after the
    // retained bucket's stack is re-created; the name is at most
    // 32 + 9 + 12 + 1 + 8 = 62 characters.
    let bucket_name = uploads_bucket_name(s);
    let bucket_arn = sub_with(
        "arn:${AWS::Partition}:s3:::${BucketName}",
        [("BucketName", bucket_name.clone())],
    );
    let topic_policy = uploads_topic_policy(t, &topic, bucket_arn);
    let mut bucket = storage::private_bucket(30);
    bucket.bucket_name = Some(bucket_name);
    bucket.logging_configuration = Some(storage::log_to(access_logs, super::site::UPLOAD_LOGS));
    bucket.notification_configuration = Some(NotificationConfiguration {
        topic_configurations: Some(vec![TopicConfiguration {
            event: "s3:ObjectCreated:*",
            topic: topic.r#ref(),
            filter: Some(NotificationFilter::prefix("uploads/")),
        }]),
        ..Default::default()
    });
    bucket.tags = tags(s);
    let uploads = t.add_with(
        "UploadsBucket",
        bucket,
        Envelope::new().retain().depends_on(&topic_policy),
    );
    storage::bucket_policy(t, "UploadsBucketPolicy", &uploads, vec![]);

    let queue = thumbnail_queue(t, &topic);
    (uploads, topic, queue)
}

/// The queue the topic feeds (raw messages) and its dead-letter queue.
fn thumbnail_queue(t: &mut Template, topic: &Handle<Topic>) -> QueueWithDlq {
    let queue = storage::queue_with_dlq(t, "Thumbnail", THUMBNAIL_TIMEOUT_SECONDS, 3, |queue| {
        vec![
            Statement::allow(["sqs:SendMessage"], vec![queue.arn()])
                .sid("UploadsTopicSends")
                .principal(json!({"Service": "sns.amazonaws.com"}))
                .condition(json!({"ArnEquals": {"aws:SourceArn": topic.r#ref().to_json()}})),
        ]
    });
    t.add(
        "ThumbnailSubscription",
        Subscription {
            topic_arn: topic.r#ref(),
            protocol: "sqs",
            endpoint: queue.queue.arn(),
            raw_message_delivery: Some(true.into()),
        },
    );
    queue
}

/// TLS only, and publishing by S3 for the uploads bucket of this account.
fn uploads_topic_policy(
    t: &mut Template,
    topic: &Handle<Topic>,
    bucket_arn: Str,
) -> Handle<TopicPolicy> {
    t.add(
        "UploadsTopicPolicy",
        TopicPolicy {
            topics: vec![topic.r#ref()],
            policy_document: PolicyDocument::new(vec![
                storage::deny_insecure_transport(storage::TLS_ONLY_SNS, vec![topic.r#ref()]),
                Statement::allow(["sns:Publish"], vec![topic.r#ref()])
                    .sid("UploadsBucketPublishes")
                    .principal(json!({"Service": "s3.amazonaws.com"}))
                    .condition(json!({
                        "ArnEquals": {"aws:SourceArn": bucket_arn.to_json()},
                        "StringEquals": {"aws:SourceAccount": {"Ref": "AWS::AccountId"}}
                    })),
            ]),
        },
    )
}

/// Where failed thumbnail messages go instead of a function dead-letter queue.
const THUMBNAIL_FAILURES: &str =
    "Invoked by an SQS event source mapping; failed messages go to the queue's dead-letter queue";
