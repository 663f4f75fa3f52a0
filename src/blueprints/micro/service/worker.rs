//! M5 on the consuming side: a `Consumer` function with a trigger on each
//! stream and queue of other services the service consumes. A `worker` is
//! only this; any other pattern may consume too.

use std::collections::BTreeSet;

use super::super::settings::Source;
use super::{CONSUMER_TIMEOUT_SECONDS, Ctx, waive_function};
use crate::blueprints::SynthError;
use crate::cfn::{Str, Template};
use crate::patterns::function::{FunctionParts, FunctionSpec, python_function};
use crate::patterns::triggers::{QueueTrigger, StreamTrigger, queue_trigger, stream_trigger};
use crate::patterns::waivers::waive;
use crate::patterns::{grants, storage};
use crate::resources::iam::Statement;
use crate::templates;

const FAILURES: &str = "Invoked by event source mappings: stream batches go to \
     ConsumerFailures, queue messages to the owner's dead-letter queue";

const NO_VPC: &str = "Reads streams and queues and writes DynamoDB through public AWS \
     endpoints; no VPC resources to reach";

const STREAM_READ: [&str; 6] = [
    "kinesis:DescribeStream",
    "kinesis:DescribeStreamSummary",
    "kinesis:GetRecords",
    "kinesis:GetShardIterator",
    "kinesis:ListShards",
    "kinesis:SubscribeToShard",
];

/// A consumed stream or queue: the stem of its logical ids and its ARN
/// (an input read from the owner's SSM parameter).
struct Consumed {
    id: String,
    is_stream: bool,
    arn: Str,
}

/// Builds the consumer function and its triggers.
pub(super) fn consumers(t: &mut Template, c: &mut Ctx<'_>) -> Result<(), SynthError> {
    let failures = storage::failure_queue(t, "ConsumerFailures");
    let mut statements = vec![Statement::allow(["sqs:SendMessage"], vec![failures.arn()])];
    // Events are recorded in the service's table, when it has one.
    if let Some(table) = &c.table {
        statements.push(Statement::allow(["dynamodb:PutItem"], vec![table.arn()]));
    }
    let sources = sources(t, c, &mut statements);
    let function = function(t, c, statements)?;
    for source in sources {
        let id = format!("{}Trigger", source.id);
        // Streams: batches from the oldest record; a failing batch is halved
        // until the failing record is found, retried three times, given up
        // after an hour, and then sent to `failures`.
        if source.is_stream {
            let spec = StreamTrigger {
                source: source.arn,
                on_failure: failures.arn(),
                batch_size: 100,
                batching_window_seconds: Some(5),
                starting_position: "TRIM_HORIZON",
                max_retries: 3,
                max_record_age_seconds: 3600,
                filters: None,
            };
            stream_trigger(t, &id, &function.function, spec);
        } else {
            // Queues: small batches, at most five concurrent invocations;
            // failed messages go to the owner's dead-letter queue.
            let spec = QueueTrigger {
                source: source.arn,
                batch_size: 10,
                batching_window_seconds: 1,
                max_concurrency: 5,
            };
            queue_trigger(t, &id, &function.function, spec);
        }
    }
    Ok(())
}

/// Each consumed source once, with the statements that read it.
fn sources(t: &mut Template, c: &mut Ctx<'_>, statements: &mut Vec<Statement>) -> Vec<Consumed> {
    let mut sources = Vec::new();
    let mut seen = BTreeSet::new();
    for source in &c.svc.consumes {
        let (kind, owner, name) = source.parts();
        // The same source declared twice is one source; distinct sources
        // with the same id are refused when the settings are parsed.
        if !seen.insert((kind, owner, name)) {
            continue;
        }
        let id = source.logical_id_part();
        let arn = c
            .inputs
            .get(
                t,
                &format!("{id}Arn"),
                "String",
                &format!("{owner}/{kind}s/{name}/arn"),
                &format!("ARN of {owner}'s {name} {kind} (SSM parameter name)"),
            )
            .r#ref();
        let is_stream = matches!(source, Source::Stream(_));
        // Queues are read by the Lambda event source mapping only (the consumer
        // code never calls SQS), so the poller's actions are all it needs.
        let actions: &[&str] = if is_stream {
            &STREAM_READ
        } else {
            &grants::QUEUE_CONSUME
        };
        statements.push(Statement::allow(actions.iter().copied(), vec![arn.clone()]));
        sources.push(Consumed { id, is_stream, arn });
    }
    sources
}

/// The `Consumer` function, allowed `statements` and to decrypt with the
/// data key.
fn function(
    t: &mut Template,
    c: &mut Ctx<'_>,
    mut statements: Vec<Statement>,
) -> Result<FunctionParts, SynthError> {
    let key = c.inputs.data_key(t);
    statements.push(Statement::allow(["kms:Decrypt"], vec![key.clone()]));
    let code = templates::handler("lambda/micro_consumer.py.j2")?;
    let description = format!("{}: records events from other services", c.svc.name);
    let mut spec = FunctionSpec::new("Consumer", &description, code);
    spec.environment = c.env.clone();
    spec.statements = statements;
    spec.timeout_seconds = CONSUMER_TIMEOUT_SECONDS;
    spec.log_retention_days = c.s.log_retention_days.get();
    spec.log_key = Some(key);
    spec.reserved_concurrency = c.svc.reserved_concurrency.map(|n| n.get());
    let parts = python_function(t, spec);
    waive_function(t, &parts, FAILURES);
    waive(t, &parts.function, &[("CKV_AWS_117", NO_VPC)]);
    Ok(parts)
}
