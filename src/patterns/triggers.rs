//! Lambda triggers on streams and queues with the failure handling AWS
//! recommends: a failing record is isolated (partial batch responses, and
//! for streams bisection), retried a bounded number of times, and then
//! kept (a stream's on-failure destination, a queue's dead-letter queue)
//! instead of blocking its shard or being lost.

use crate::cfn::{Handle, Str, Template};
use crate::resources::lambda::{
    DestinationConfig, EventSourceMapping, FilterCriteria, Function, OnFailure, ScalingConfig,
};

/// How a function reads a Kinesis or DynamoDB stream.
#[derive(Debug, Clone)]
pub struct StreamTrigger {
    /// The stream's ARN (a Kinesis stream, or a table's `StreamArn`).
    pub source: Str,
    /// Where the metadata of records that failed every retry goes (an SQS
    /// queue or SNS topic ARN).
    pub on_failure: Str,
    /// Records per invocation.
    pub batch_size: i64,
    /// Seconds to gather a batch, if any.
    pub batching_window_seconds: Option<i64>,
    /// `LATEST` or `TRIM_HORIZON`.
    pub starting_position: &'static str,
    /// Retries of a failing batch before its records go to `on_failure`.
    pub max_retries: i64,
    /// Records older than this go to `on_failure` unprocessed.
    pub max_record_age_seconds: i64,
    /// Which records invoke the function; `None`: all.
    pub filters: Option<FilterCriteria>,
}

/// Adds a stream trigger `id` of `function`: failing batches are split in
/// two (`BisectBatchOnFunctionError`), the function may report single
/// failed records (`ReportBatchItemFailures`), and records that exhaust
/// the retries or the age limit go to the on-failure destination.
pub fn stream_trigger(
    t: &mut Template,
    id: &str,
    function: &Handle<Function>,
    spec: StreamTrigger,
) -> Handle<EventSourceMapping> {
    t.add(
        id,
        EventSourceMapping {
            starting_position: Some(spec.starting_position),
            filter_criteria: spec.filters,
            destination_config: Some(DestinationConfig {
                on_failure: OnFailure {
                    destination: spec.on_failure,
                },
            }),
            bisect_batch_on_function_error: Some(true.into()),
            maximum_retry_attempts: Some(spec.max_retries.into()),
            maximum_record_age_in_seconds: Some(spec.max_record_age_seconds.into()),
            ..mapping(
                function,
                spec.source,
                spec.batch_size,
                spec.batching_window_seconds,
            )
        },
    )
}

/// How a function reads an SQS queue. Failed messages return to the queue
/// and, after its `maxReceiveCount`, move to its dead-letter queue (see
/// `storage::queue_with_dlq`).
#[derive(Debug, Clone)]
pub struct QueueTrigger {
    /// The queue's ARN.
    pub source: Str,
    /// Messages per invocation.
    pub batch_size: i64,
    /// Seconds to gather a batch.
    pub batching_window_seconds: i64,
    /// Concurrent invocations the queue may drive at most.
    pub max_concurrency: i64,
}

/// Adds a queue trigger `id` of `function`; the function may report single
/// failed messages (`ReportBatchItemFailures`), so one bad message does not
/// return the whole batch to the queue.
pub fn queue_trigger(
    t: &mut Template,
    id: &str,
    function: &Handle<Function>,
    spec: QueueTrigger,
) -> Handle<EventSourceMapping> {
    t.add(
        id,
        EventSourceMapping {
            scaling_config: Some(ScalingConfig {
                maximum_concurrency: spec.max_concurrency.into(),
            }),
            ..mapping(
                function,
                spec.source,
                spec.batch_size,
                Some(spec.batching_window_seconds),
            )
        },
    )
}

/// What every trigger sets: the function, the source, the batch, and
/// `ReportBatchItemFailures` (the function may fail single records).
fn mapping(
    function: &Handle<Function>,
    source: Str,
    batch_size: i64,
    batching_window_seconds: Option<i64>,
) -> EventSourceMapping {
    EventSourceMapping {
        function_name: function.r#ref(),
        event_source_arn: source,
        batch_size: Some(batch_size.into()),
        maximum_batching_window_in_seconds: batching_window_seconds.map(Into::into),
        function_response_types: vec!["ReportBatchItemFailures"],
        ..Default::default()
    }
}
