//! M4 and M5 on the producing side: the services this one calls (their URLs
//! from SSM), and the Kinesis streams and SQS queues it owns, published as
//! SSM parameters for their consumers.

use super::{CONSUMER_TIMEOUT_SECONDS, Ctx, env_name};
use crate::blueprints::micro::ssm_parameter;
use crate::cfn::Template;
use crate::patterns::{grants, storage};
use crate::resources::iam::Statement;
use crate::resources::kinesis::{Stream, StreamEncryption, StreamModeDetails};

/// Each called service's base URL, read from the SSM parameter it publishes,
/// as `<CALLEE>_URL`.
pub(super) fn callees(t: &mut Template, c: &mut Ctx<'_>) {
    for callee in &c.svc.calls {
        let p = c.inputs.get(
            t,
            &format!("{}Url", callee.pascal()),
            "String",
            &format!("{callee}/url"),
            &format!("Base URL of the {callee} service (SSM parameter name)"),
        );
        c.env.insert(format!("{}_URL", env_name(callee)), p.r#ref());
    }
}

/// Encrypted on-demand streams the service writes to, as `<NAME>_STREAM`.
pub(super) fn streams(t: &mut Template, c: &mut Ctx<'_>) {
    for stream in &c.svc.streams {
        let id = format!("{}Stream", stream.pascal());
        let key = c.inputs.data_key(t);
        let h = t.add(
            &id,
            Stream {
                retention_period_hours: Some(24.into()),
                stream_mode_details: Some(StreamModeDetails {
                    stream_mode: "ON_DEMAND",
                }),
                stream_encryption: Some(StreamEncryption {
                    encryption_type: "KMS",
                    key_id: key.clone(),
                }),
                tags: c.tags(),
            },
        );
        ssm_parameter(
            t,
            &format!("{id}ArnParameter"),
            &c.path(&format!("streams/{stream}/arn")),
            "String",
            h.arn(),
            &format!("ARN of the {stream} stream"),
        );
        c.env
            .insert(format!("{}_STREAM", env_name(stream)), h.r#ref());
        c.statements.push(Statement::allow(
            [
                "kinesis:PutRecord",
                "kinesis:PutRecords",
                "kinesis:DescribeStreamSummary",
            ],
            vec![h.arn()],
        ));
        c.statements
            .push(Statement::allow(["kms:GenerateDataKey"], vec![key]));
    }
}

/// Queues with dead-letter queues the service sends to, as
/// `<NAME>_QUEUE_URL`; their visibility timeout fits the consumers'.
pub(super) fn queues(t: &mut Template, c: &mut Ctx<'_>) {
    for queue in &c.svc.queues {
        let name = queue.pascal();
        let q = storage::queue_with_dlq(t, &name, CONSUMER_TIMEOUT_SECONDS, 5, |_| vec![]);
        ssm_parameter(
            t,
            &format!("{name}QueueUrlParameter"),
            &c.path(&format!("queues/{queue}/url")),
            "String",
            q.queue.queue_url(),
            &format!("URL of the {queue} queue"),
        );
        ssm_parameter(
            t,
            &format!("{name}QueueArnParameter"),
            &c.path(&format!("queues/{queue}/arn")),
            "String",
            q.queue.arn(),
            &format!("ARN of the {queue} queue"),
        );
        c.env.insert(
            format!("{}_QUEUE_URL", env_name(queue)),
            q.queue.queue_url(),
        );
        c.statements.push(grants::queue_send(&q.queue));
    }
}
