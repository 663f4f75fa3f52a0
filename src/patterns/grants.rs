//! Least-privilege grants: each returns the one statement that allows what
//! its name says, on exactly the resources given.

use crate::cfn::{Handle, Str, sub_with};
use crate::resources::dynamodb::Table;
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

/// The table's ARN and, when `with_indexes`, its indexes' ARNs.
fn table_resources(table: &Handle<Table>, with_indexes: bool) -> Vec<Str> {
    let mut resources = vec![table.arn()];
    if with_indexes {
        resources.push(sub_with("${Table}/index/*", [("Table", table.arn())]));
    }
    resources
}

/// Read items (get, batch get, query) from a table and its indexes.
pub fn table_read(table: &Handle<Table>, with_indexes: bool) -> Statement {
    Statement::allow(TABLE_READ, table_resources(table, with_indexes))
}

/// Read and write items of a table (no scans, no table management).
pub fn table_read_write(table: &Handle<Table>, with_indexes: bool) -> Statement {
    Statement::allow(
        TABLE_READ.into_iter().chain(TABLE_WRITE),
        table_resources(table, with_indexes),
    )
}

/// Read a table's stream (for an event source mapping).
pub fn table_stream_read(table: &Handle<Table>) -> Statement {
    Statement::allow(
        [
            "dynamodb:DescribeStream",
            "dynamodb:GetRecords",
            "dynamodb:GetShardIterator",
            "dynamodb:ListStreams",
        ],
        vec![table.stream_arn()],
    )
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

/// Consume a queue (for an event source mapping).
pub fn queue_consume(queue: &Handle<Queue>) -> Statement {
    Statement::allow(
        [
            "sqs:ReceiveMessage",
            "sqs:DeleteMessage",
            "sqs:GetQueueAttributes",
            "sqs:ChangeMessageVisibility",
        ],
        vec![queue.arn()],
    )
}

/// Send messages to a queue.
pub fn queue_send(queue: &Handle<Queue>) -> Statement {
    Statement::allow(["sqs:SendMessage"], vec![queue.arn()])
}
