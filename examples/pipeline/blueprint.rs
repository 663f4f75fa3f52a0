//! `pipeline`: uploads to an S3 bucket notify an SQS queue, whose messages
//! invoke a Lambda function that processes each new object.
//!
//! Secure by default, like the built-in blueprints: the bucket is private,
//! encrypted, versioned and access-logged; the queue and its dead-letter
//! queue are encrypted; bucket and queues refuse requests without TLS; only
//! this bucket, in this account, may send to the queue; the function may
//! read only the objects under the prefix and consume only its queue.

use serde::Deserialize;
use serde_json::json;
use stackcraft::Blueprint;
use stackcraft::blueprints::{Artifact, Stack, SynthError};
use stackcraft::cfn::{Envelope, Output, Str, Template, sub_with};
use stackcraft::patterns::function::{FunctionParts, FunctionSpec, python_function};
use stackcraft::patterns::storage::QueueWithDlq;
use stackcraft::patterns::{grants, naming, storage};
use stackcraft::resources::iam::Statement;
use stackcraft::resources::lambda::{EventSourceMapping, ScalingConfig};
use stackcraft::resources::s3::{
    NotificationConfiguration, NotificationFilter, QueueConfiguration,
};
use stackcraft::settings::{Bounded, Layers, Name, RetentionDays};

/// Where the uploads bucket's server access logs go in the log bucket.
const LOG_PREFIX: &str = "uploads/";

/// The function's timeout, which also sizes the queue's visibility timeout.
const TIMEOUT_SECONDS: i64 = 30;

/// The blueprint.
pub struct Pipeline;

/// What a user may set (defaults in `pipeline.yaml`).
#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    /// Names the stack and the uploads bucket.
    pub name: Name,
    /// Only objects created under this key prefix are processed.
    pub prefix: String,
    /// Messages per invocation.
    pub batch_size: Bounded<1, 10>,
    /// Failed receives before a message moves to the dead-letter queue.
    pub max_receive_count: Bounded<1, 100>,
    /// Days to keep the function's logs and the bucket's access logs.
    pub log_retention_days: RetentionDays,
}

impl Blueprint for Pipeline {
    type Settings = Settings;

    fn name(&self) -> &str {
        "pipeline"
    }

    fn description(&self) -> &str {
        "example: S3 uploads -> SQS -> Lambda, with a dead-letter queue"
    }

    fn default_settings(&self) -> &str {
        include_str!("pipeline.yaml")
    }

    fn parse(&self, layers: &Layers) -> Result<Settings, stackcraft::settings::SettingsError> {
        let s: Settings = layers.parse()?;
        let plain = |c: char| c.is_ascii_alphanumeric() || "/-_.".contains(c);
        if s.prefix.is_empty() || !s.prefix.chars().all(plain) {
            return Err(layers.error_at(
                "prefix",
                format!(
                    "expected a key prefix of letters, digits, /, -, _ or ., found {:?}",
                    s.prefix
                ),
            ));
        }
        Ok(s)
    }

    fn build(&self, s: &Settings, _: &Layers) -> Result<Vec<Artifact>, SynthError> {
        let mut t = Template::new("Upload pipeline: S3 -> SQS -> Lambda (stackcraft example)");
        let bucket_arn = sub_with(
            "arn:${AWS::Partition}:s3:::${Name}",
            [("Name", uploads_bucket_name(s))],
        );
        let queue = add_queue_and_bucket(&mut t, s, &bucket_arn);
        let function = add_function(&mut t, s, &queue, &bucket_arn);
        let outputs = [
            (
                "UploadsBucketName",
                "Upload objects here, under the prefix",
                uploads_bucket_name(s),
            ),
            (
                "FunctionName",
                "The processing function (its logs show each object)",
                function.function.r#ref(),
            ),
            ("QueueUrl", "The work queue", queue.queue.queue_url()),
            (
                "DeadLetterQueueUrl",
                "Messages that failed max_receive_count times",
                queue.dead_letter.queue_url(),
            ),
        ];
        for (id, description, value) in outputs {
            t.output(id, Output::new(description, value));
        }
        Ok(vec![Artifact::template("pipeline.template.json", &t)])
    }

    fn stacks(&self, s: &Settings, _: &[Artifact]) -> Vec<Stack> {
        vec![Stack::new(
            "pipeline",
            s.name.as_str(),
            "pipeline.template.json",
        )]
    }
}

/// The bucket's name, built from the settings, the account and a piece of
/// the stack id rather than referenced, so the queue policy can name the
/// bucket without a cycle (bucket -> notification -> queue policy ->
/// bucket): at most 32 + 9 + 12 + 1 + 8 = 62 characters.
fn uploads_bucket_name(s: &Settings) -> Str {
    sub_with(
        &format!("{}-uploads-${{AWS::AccountId}}-${{StackSuffix}}", s.name),
        [("StackSuffix", naming::stack_suffix())],
    )
}

/// The queue with its dead-letter queue, and the bucket that notifies it.
fn add_queue_and_bucket(t: &mut Template, s: &Settings, bucket_arn: &Str) -> QueueWithDlq {
    let queue = storage::queue_with_dlq(
        t,
        "Uploads",
        TIMEOUT_SECONDS,
        s.max_receive_count.get(),
        |queue| {
            vec![
                Statement::allow(["sqs:SendMessage"], vec![queue.arn()])
                    .sid("UploadsBucketSends")
                    .principal(json!({"Service": "s3.amazonaws.com"}))
                    .condition(json!({
                        "ArnEquals": {"aws:SourceArn": bucket_arn.to_json()},
                        "StringEquals": {"aws:SourceAccount": {"Ref": "AWS::AccountId"}}
                    })),
            ]
        },
    );
    let logs = storage::access_log_bucket(t, "AccessLogsBucket", s.log_retention_days.get());
    let mut bucket = storage::private_bucket(30);
    bucket.bucket_name = Some(uploads_bucket_name(s));
    bucket.logging_configuration = Some(storage::log_to(&logs, LOG_PREFIX));
    bucket.notification_configuration = Some(NotificationConfiguration {
        queue_configurations: Some(vec![QueueConfiguration {
            event: "s3:ObjectCreated:*",
            queue: queue.queue.arn(),
            filter: Some(NotificationFilter::prefix(&s.prefix)),
        }]),
        ..Default::default()
    });
    // S3 checks that it may send to the queue when the notification is
    // set, so the bucket waits for the queue policy `queue_with_dlq` adds
    // (through its handle: a renamed policy cannot leave a dangling id).
    let uploads = t.add_with(
        "UploadsBucket",
        bucket,
        Envelope::new().retain().depends_on(&queue.policy),
    );
    storage::bucket_policy(t, "UploadsBucketPolicy", &uploads, vec![]);
    // Log delivery is allowed from this bucket only, now that it exists.
    storage::allow_access_logs(t, &logs, &[(&uploads, LOG_PREFIX)]);
    queue
}

/// The function and the event source mapping that feeds it: partial batch
/// responses, so one bad message is retried alone.
fn add_function(
    t: &mut Template,
    s: &Settings,
    queue: &QueueWithDlq,
    bucket_arn: &Str,
) -> FunctionParts {
    let mut spec = FunctionSpec::new(
        "Process",
        "Processes each object uploaded under the prefix",
        include_str!("handler.py").to_owned(),
    )
    .allow([
        grants::queue_consume(&queue.queue),
        Statement::allow(
            ["s3:GetObject"],
            vec![sub_with(
                &format!("${{Bucket}}/{}*", s.prefix),
                [("Bucket", bucket_arn.clone())],
            )],
        ),
    ]);
    spec.timeout_seconds = TIMEOUT_SECONDS;
    spec.log_retention_days = s.log_retention_days.get();
    let parts = python_function(t, spec);
    t.annotate(
        &parts.function,
        "checkov",
        json!({"skip": [
            {"id": "CKV_AWS_116", "comment": "Invoked by an SQS event source mapping; failed messages go to the queue's dead-letter queue"},
            {"id": "CKV_AWS_117", "comment": "Reaches only regional AWS APIs (S3, SQS); a VPC would add NAT cost and no protection"},
            {"id": "CKV_AWS_173", "comment": "No environment variables"}
        ]}),
    );
    t.annotate(
        &parts.role,
        "checkov",
        json!({"skip": [{"id": "CKV_AWS_111", "comment": "Every action is scoped to named resources except X-Ray, which accepts only Resource *"}]}),
    );
    t.annotate(
        &parts.log_group,
        "checkov",
        json!({"skip": [{"id": "CKV_AWS_158", "comment": "CloudWatch Logs encrypts every log group at rest with service-owned keys; a customer key (about $1 a month plus requests) buys key control this pipeline's logs (object keys and counts) do not need"}]}),
    );
    t.add(
        "ProcessTrigger",
        EventSourceMapping {
            function_name: parts.function.r#ref(),
            event_source_arn: queue.queue.arn(),
            batch_size: Some(s.batch_size.get().into()),
            function_response_types: vec!["ReportBatchItemFailures"],
            scaling_config: Some(ScalingConfig {
                maximum_concurrency: 10.into(),
            }),
            ..Default::default()
        },
    );
    parts
}
