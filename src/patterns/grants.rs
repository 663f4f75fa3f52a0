//! Least-privilege grants: each returns the one statement that allows what
//! its name says, on exactly the resources given.

use crate::cfn::{Handle, Str, sub_with};
use crate::resources::dynamodb::{GlobalTable, Table};
use crate::resources::iam::Statement;
use crate::resources::s3::Bucket;
use crate::resources::sqs::Queue;

const TABLE_READ: [&str; 4] = [
    "dynamodb:GetItem",
    "dynamodb:BatchGetItem",
    "dynamodb:Query",
    "dynamodb:ConditionCheckItem",
];
const TABLE_WRITE: [&str; 4] = [
    "dynamodb:PutItem",
    "dynamodb:UpdateItem",
    "dynamodb:DeleteItem",
    "dynamodb:BatchWriteItem",
];

/// A table or global table: what grants need of either.
pub trait TableArns {
    /// The table's ARN (in this region, for a global table).
    fn table_arn(&self) -> Str;
    /// The ARN of its stream.
    fn table_stream_arn(&self) -> Str;
}

impl TableArns for Handle<Table> {
    fn table_arn(&self) -> Str {
        self.arn()
    }
    fn table_stream_arn(&self) -> Str {
        self.stream_arn()
    }
}

impl TableArns for Handle<GlobalTable> {
    fn table_arn(&self) -> Str {
        self.arn()
    }
    fn table_stream_arn(&self) -> Str {
        self.stream_arn()
    }
}

/// The table's ARN and, when `with_indexes`, its indexes' ARNs.
fn table_resources(table: &impl TableArns, with_indexes: bool) -> Vec<Str> {
    let mut resources = vec![table.table_arn()];
    if with_indexes {
        resources.push(sub_with("${Table}/index/*", [("Table", table.table_arn())]));
    }
    resources
}

/// Exactly `actions` on a table (and its indexes).
pub fn table_actions<'a>(
    table: &impl TableArns,
    actions: impl IntoIterator<Item = &'a str>,
    with_indexes: bool,
) -> Statement {
    Statement::allow(actions, table_resources(table, with_indexes))
}

/// Read items (get, batch get, query) from a table and its indexes.
pub fn table_read(table: &impl TableArns, with_indexes: bool) -> Statement {
    Statement::allow(TABLE_READ, table_resources(table, with_indexes))
}

/// Read and write items of a table (no scans, no table management).
pub fn table_read_write(table: &impl TableArns, with_indexes: bool) -> Statement {
    Statement::allow(
        TABLE_READ.into_iter().chain(TABLE_WRITE),
        table_resources(table, with_indexes),
    )
}

/// Read a table's stream (for an event source mapping). `ListStreams`
/// has no resource type in the Service Authorization Reference, so it is
/// granted on `*` (as `AWSLambdaDynamoDBExecutionRole` does); scoped to a
/// stream ARN it would allow nothing.
pub fn table_stream_read(table: &impl TableArns) -> [Statement; 2] {
    [
        Statement::allow(
            [
                "dynamodb:DescribeStream",
                "dynamodb:GetRecords",
                "dynamodb:GetShardIterator",
            ],
            vec![table.table_stream_arn()],
        ),
        Statement::allow(["dynamodb:ListStreams"], vec!["*".into()]),
    ]
}

/// Read objects under `prefix` (e.g. `uploads/*`, or `*` for all).
pub fn bucket_read(bucket: &Handle<Bucket>, prefix: &str) -> Statement {
    Statement::allow(
        ["s3:GetObject"],
        vec![sub_with(
            &format!("${{Bucket}}/{prefix}"),
            [("Bucket", bucket.arn())],
        )],
    )
}

/// Write objects under `prefix`.
pub fn bucket_write(bucket: &Handle<Bucket>, prefix: &str) -> Statement {
    Statement::allow(
        ["s3:PutObject"],
        vec![sub_with(
            &format!("${{Bucket}}/{prefix}"),
            [("Bucket", bucket.arn())],
        )],
    )
}

/// What Lambda's SQS poller does with the function's role, and nothing
/// more: receive, delete, and read the queue's attributes (the execution
/// role permissions in "Using Lambda with Amazon SQS", as in the managed
/// policy `AWSLambdaSQSQueueExecutionRole`). Lambda never changes a
/// message's visibility; a failed message reappears when its visibility
/// timeout ends.
pub const QUEUE_CONSUME: [&str; 3] = [
    "sqs:ReceiveMessage",
    "sqs:DeleteMessage",
    "sqs:GetQueueAttributes",
];

/// Consume a queue through a Lambda event source mapping
/// ([`QUEUE_CONSUME`]). Code that polls the queue itself and extends a
/// message's visibility also needs `sqs:ChangeMessageVisibility` (CDK's
/// `grantConsumeMessages` grants it for that case): add it with
/// `Statement::allow`.
pub fn queue_consume(queue: &Handle<Queue>) -> Statement {
    Statement::allow(QUEUE_CONSUME, vec![queue.arn()])
}

/// Send messages to a queue.
pub fn queue_send(queue: &Handle<Queue>) -> Statement {
    Statement::allow(["sqs:SendMessage"], vec![queue.arn()])
}
