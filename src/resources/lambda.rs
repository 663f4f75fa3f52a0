//! AWS Lambda: functions, permissions, event source mappings.

use indexmap::IndexMap;
use serde::Serialize;
use serde_json::Value as Json;
use serde_with::skip_serializing_none;

use crate::cfn::{Bool, Int, List, Str};

/// Where the function's code comes from.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Code {
    /// Inline source (Python and Node.js), stored as `index.<ext>`.
    pub zip_file: Option<String>,
    /// A bucket holding the deployment package.
    pub s3_bucket: Option<Str>,
    /// The package's key in that bucket.
    pub s3_key: Option<Str>,
}

/// Environment variables.
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Environment {
    /// Name to value.
    pub variables: IndexMap<String, Str>,
}

/// Network placement of a function inside a VPC.
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct VpcConfig {
    /// Security groups of the function's network interfaces.
    pub security_group_ids: Vec<Str>,
    /// Private subnets.
    pub subnet_ids: List,
}

/// X-Ray tracing.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct TracingConfig {
    /// `Active` or `PassThrough`.
    pub mode: &'static str,
}

/// Where asynchronous invocations that fail go.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct DeadLetterConfig {
    /// An SQS queue or SNS topic ARN.
    pub target_arn: Str,
}

/// Which log group the function writes to, and in what format.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct LoggingConfig {
    /// The log group's name.
    pub log_group: Option<Str>,
    /// `Text` or `JSON`.
    pub log_format: Option<&'static str>,
}

/// `AWS::Lambda::Function`.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Function {
    /// An explicit name; left unset so CloudFormation derives a unique one.
    pub function_name: Option<Str>,
    /// What the function does.
    pub description: Option<String>,
    /// `python3.12`, ...
    pub runtime: Option<Str>,
    /// `index.handler` for inline Python.
    pub handler: Option<Str>,
    /// The code.
    pub code: Code,
    /// The execution role's ARN.
    pub role: Str,
    /// Memory in MB.
    pub memory_size: Option<Int>,
    /// Timeout in seconds.
    pub timeout: Option<Int>,
    /// `arm64` or `x86_64`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub architectures: Vec<&'static str>,
    /// Environment variables.
    pub environment: Option<Environment>,
    /// Layer version ARNs.
    pub layers: Option<List>,
    /// VPC placement.
    pub vpc_config: Option<VpcConfig>,
    /// X-Ray tracing.
    pub tracing_config: Option<TracingConfig>,
    /// Dead-letter target for asynchronous invocations.
    pub dead_letter_config: Option<DeadLetterConfig>,
    /// Concurrency reserved for (and capped at) this function.
    pub reserved_concurrent_executions: Option<Int>,
    /// Log group and format.
    pub logging_config: Option<LoggingConfig>,
    /// A KMS key for environment variables.
    pub kms_key_arn: Option<Str>,
    /// Tags.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<super::Tag>,
}
resource!(Function, "AWS::Lambda::Function", arn => "Arn");

/// `AWS::Lambda::Permission`: lets a service invoke a function.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Permission {
    /// `lambda:InvokeFunction`.
    pub action: &'static str,
    /// The function's name or ARN.
    pub function_name: Str,
    /// The service principal, e.g. `apigateway.amazonaws.com`.
    pub principal: Str,
    /// The ARN of the resource allowed to invoke (always set: without it any
    /// account's resource of that service could).
    pub source_arn: Option<Str>,
    /// The account that owns the source.
    pub source_account: Option<Str>,
}
resource!(Permission, "AWS::Lambda::Permission");

/// A destination for records a stream or queue mapping gives up on.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct DestinationConfig {
    /// The on-failure destination.
    pub on_failure: OnFailure,
}

/// The on-failure destination of an event source mapping.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct OnFailure {
    /// An SQS queue or SNS topic ARN.
    pub destination: Str,
}

/// Event filtering of a mapping.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct FilterCriteria {
    /// The filters; a record passes when any matches.
    pub filters: Vec<Filter>,
}

/// One event filter.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Filter {
    /// The pattern, as a JSON string.
    pub pattern: String,
}

impl FilterCriteria {
    /// Criteria with one pattern.
    pub fn pattern(pattern: &Json) -> Self {
        FilterCriteria {
            filters: vec![Filter {
                pattern: pattern.to_string(),
            }],
        }
    }
}

/// How many concurrent invocations an SQS mapping may use.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ScalingConfig {
    /// 2 to 1000.
    pub maximum_concurrency: Int,
}

/// `AWS::Lambda::EventSourceMapping`: a stream or queue that invokes a function.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct EventSourceMapping {
    /// The function's name or ARN.
    pub function_name: Str,
    /// The stream or queue ARN.
    pub event_source_arn: Str,
    /// Records per invocation.
    pub batch_size: Option<Int>,
    /// Seconds to gather a batch.
    pub maximum_batching_window_in_seconds: Option<Int>,
    /// `LATEST` or `TRIM_HORIZON` (streams only).
    pub starting_position: Option<&'static str>,
    /// Which records invoke the function.
    pub filter_criteria: Option<FilterCriteria>,
    /// Where records go once retries are exhausted (streams).
    pub destination_config: Option<DestinationConfig>,
    /// Split a failing batch in two and retry (streams).
    pub bisect_batch_on_function_error: Option<Bool>,
    /// Retries of a failing batch (streams).
    pub maximum_retry_attempts: Option<Int>,
    /// Records older than this are sent to the destination (streams).
    pub maximum_record_age_in_seconds: Option<Int>,
    /// `ReportBatchItemFailures` lets the function fail single records.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub function_response_types: Vec<&'static str>,
    /// Concurrency cap for SQS sources.
    pub scaling_config: Option<ScalingConfig>,
    /// Parallel batches per shard (streams).
    pub parallelization_factor: Option<Int>,
}
resource!(EventSourceMapping, "AWS::Lambda::EventSourceMapping", mapping_id => "Id");
