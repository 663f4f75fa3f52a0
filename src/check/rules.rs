//! The rule catalogue: id, severity, what it checks and how to fix it.

use serde::Serialize;

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Fails `check` (exit 1) and stops `synth`.
    Error,
    /// Reported; does not fail.
    Warning,
}

impl std::fmt::Display for Severity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        })
    }
}

/// A rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Rule {
    /// Stable id, e.g. `SC-IAM-001`.
    pub id: &'static str,
    /// Severity of its findings.
    pub severity: Severity,
    /// One line: what it checks.
    pub description: &'static str,
    /// How to fix a finding.
    pub fix: &'static str,
}

const fn r(
    id: &'static str,
    severity: Severity,
    description: &'static str,
    fix: &'static str,
) -> Rule {
    Rule {
        id,
        severity,
        description,
        fix,
    }
}

use Severity::{Error, Warning};

/// Every rule, by id.
pub const RULES: &[Rule] = &[
    r(
        "SC-INT-001",
        Error,
        "Ref, Fn::GetAtt, Fn::Sub variables and DependsOn name a parameter, resource or pseudo parameter",
        "Declare the target or fix the name",
    ),
    r(
        "SC-INT-002",
        Error,
        "Fn::GetAtt reads an attribute the resource type has",
        "Use one of the type's attributes",
    ),
    r(
        "SC-INT-003",
        Error,
        "Resources do not depend on each other in a cycle",
        "Break the cycle: a separate policy or rule resource, or an ARN built from a name",
    ),
    r(
        "SC-INT-004",
        Error,
        "Conditions named by resources, outputs and Fn::If exist",
        "Declare the condition or fix the name",
    ),
    r(
        "SC-INT-005",
        Warning,
        "Every parameter is used",
        "Remove the parameter or use it",
    ),
    r(
        "SC-LIM-001",
        Error,
        "At most 500 resources",
        "Split the stack (nested stacks or one stack per service)",
    ),
    r(
        "SC-LIM-002",
        Error,
        "At most 200 parameters",
        "Fold parameters into mappings or SSM parameters",
    ),
    r(
        "SC-LIM-003",
        Error,
        "At most 200 outputs",
        "Publish values as SSM parameters instead",
    ),
    r(
        "SC-LIM-004",
        Error,
        "At most 200 mappings",
        "Merge mappings",
    ),
    r(
        "SC-LIM-005",
        Warning,
        "Template body at most 51,200 bytes, the limit for inline upload",
        "Deploy through S3 (aws cloudformation deploy --s3-bucket)",
    ),
    r(
        "SC-LIM-006",
        Error,
        "Template body at most 1,000,000 bytes, the limit through S3",
        "Split the stack",
    ),
    r(
        "SC-LIM-007",
        Error,
        "Logical ids are 1 to 255 ASCII letters and digits",
        "Rename the logical id",
    ),
    r(
        "SC-IAM-001",
        Error,
        "Allow statements name actions without wildcards",
        "List the exact actions the principal needs",
    ),
    r(
        "SC-IAM-002",
        Error,
        "Allow statements name resources; Resource \"*\" only for actions that accept nothing else",
        "Name the resources (ARNs) the actions apply to",
    ),
    r(
        "SC-S3-001",
        Error,
        "S3 buckets block all public access",
        "Set all four PublicAccessBlockConfiguration flags to true",
    ),
    r(
        "SC-S3-002",
        Error,
        "S3 buckets encrypt objects by default",
        "Add BucketEncryption (SSE-S3 or SSE-KMS)",
    ),
    r(
        "SC-S3-003",
        Error,
        "S3 buckets refuse requests without TLS",
        "Add a bucket policy denying aws:SecureTransport false",
    ),
    r(
        "SC-S3-004",
        Warning,
        "S3 buckets keep versions of objects",
        "Set VersioningConfiguration Status Enabled",
    ),
    r(
        "SC-DDB-001",
        Error,
        "DynamoDB tables are encrypted with a KMS key",
        "Set SSESpecification SSEEnabled true",
    ),
    r(
        "SC-DDB-002",
        Error,
        "DynamoDB tables have point-in-time recovery",
        "Enable PointInTimeRecoverySpecification (on every replica of a global table)",
    ),
    r(
        "SC-MSG-001",
        Error,
        "SQS queues are encrypted",
        "Set SqsManagedSseEnabled true or a KmsMasterKeyId",
    ),
    r(
        "SC-MSG-002",
        Error,
        "SNS topics are encrypted",
        "Set KmsMasterKeyId",
    ),
    r(
        "SC-MSG-003",
        Error,
        "SQS queues and SNS topics refuse requests without TLS",
        "Add a queue or topic policy denying aws:SecureTransport false",
    ),
    r(
        "SC-FN-001",
        Error,
        "Lambda functions log to a log group with a retention period",
        "Add a log group with RetentionInDays and point LoggingConfig.LogGroup at it",
    ),
    r(
        "SC-FN-002",
        Error,
        "Queue and stream event sources keep records that keep failing",
        "Give the queue a RedrivePolicy, or the stream mapping a DestinationConfig.OnFailure",
    ),
    r(
        "SC-API-001",
        Error,
        "API Gateway stages write access logs",
        "Set AccessLogSetting",
    ),
    r(
        "SC-API-002",
        Error,
        "API Gateway stages throttle requests",
        "Set ThrottlingRateLimit and ThrottlingBurstLimit in MethodSettings",
    ),
    r(
        "SC-CDN-001",
        Error,
        "CloudFront serves viewers over HTTPS only",
        "Set ViewerProtocolPolicy to redirect-to-https or https-only",
    ),
    r(
        "SC-CDN-002",
        Error,
        "CloudFront behaviors add security headers",
        "Set a ResponseHeadersPolicyId",
    ),
    r(
        "SC-DB-001",
        Error,
        "RDS instances and clusters are encrypted at rest",
        "Set StorageEncrypted true",
    ),
    r(
        "SC-DB-002",
        Error,
        "RDS instances are not publicly accessible",
        "Set PubliclyAccessible false",
    ),
    r(
        "SC-DB-003",
        Error,
        "ElastiCache replication groups encrypt at rest and in transit",
        "Set AtRestEncryptionEnabled and TransitEncryptionEnabled true",
    ),
    r(
        "SC-NET-001",
        Error,
        "Security groups admit 0.0.0.0/0 or ::/0 only on 80/443 of an internet-facing load balancer",
        "Admit a security group or a narrower range",
    ),
    r(
        "SC-SCH-001",
        Error,
        "AWS:: resource types exist in the CloudFormation registry (custom, third-party, module and AWS::Serverless types are not judged)",
        "Fix the type name",
    ),
    r(
        "SC-SCH-002",
        Error,
        "Properties, at every level, are ones the type's schema defines",
        "Fix the property name (or remove it)",
    ),
    r(
        "SC-SCH-003",
        Error,
        "Properties the type's schema requires are present",
        "Set the required property",
    ),
    r(
        "SC-SCH-004",
        Error,
        "Literal values stay within the property's limits: allowed values, length, pattern, range, item count",
        "Use a value the property accepts",
    ),
    r(
        "SC-SCH-005",
        Error,
        "Literal values have the property's type (lists, mappings, strings, numbers, booleans)",
        "Give the property a value of its type",
    ),
    r(
        "SC-SCH-006",
        Warning,
        "Names built from AWS::StackName (Ref, Fn::Sub, Fn::Join) fit the property's maximum length for any stack name (up to 128 characters)",
        "Shorten the fixed part, or keep stack names short enough (the message says how short)",
    ),
    r(
        "SC-WVR-001",
        Error,
        "Every waiver names a known rule and gives a reason",
        "Write the reason in the waiver, or remove it",
    ),
];

/// The rule with this id.
pub fn rule(id: &str) -> Option<&'static Rule> {
    RULES.iter().find(|r| r.id == id)
}
