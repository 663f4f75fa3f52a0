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
        "S3 buckets do not turn off Block Public Access (on by default for new buckets since April 2023)",
        "Set all four PublicAccessBlockConfiguration flags to true, or leave them out",
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
        "SQS queues do not turn off encryption (SSE-SQS is the default for new queues)",
        "Remove SqsManagedSseEnabled false, or set a KmsMasterKeyId",
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
        "SC-TFM-001",
        Warning,
        "Templates with transforms other than AWS::LanguageExtensions are checked as written, before the transform",
        "Check the processed template too (aws cloudformation get-template --template-stage Processed, or sam build output)",
    ),
    r(
        "SC-POL-001",
        Error,
        "SNS topic policies name only SNS actions (SNS refuses \"*\" and other services' actions: \"Policy statement action out of service scope\")",
        "Name SNS actions; a TLS-only deny uses sns:Publish",
    ),
    r(
        "SC-POL-002",
        Warning,
        "SNS topic policies name only actions SNS documents for topic policies",
        "Use topic actions (sns:Publish, sns:Subscribe, ...); grant account-level actions in IAM policies",
    ),
    r(
        "SC-POL-003",
        Warning,
        "SQS queue policies name only SQS actions (or \"*\")",
        "Name sqs: actions",
    ),
    r(
        "SC-ELB-001",
        Warning,
        "Load balancer access-log buckets let Elastic Load Balancing write in every Region: the Region's ELB account before August 2022, the logdelivery service principal after",
        "Allow both: the ELB account mapped by AWS::Region and logdelivery.elasticloadbalancing.amazonaws.com",
    ),
    r(
        "SC-ELB-002",
        Warning,
        "Load balancer access-log grants are limited to this account's AWSLogs/ prefix",
        "Scope the Resource to <bucket>[/prefix]/AWSLogs/${AWS::AccountId}/* or add an aws:SourceAccount condition",
    ),
    r(
        "SC-ELB-003",
        Warning,
        "https URLs do not use a load balancer's generated DNS name, which no certificate covers",
        "Give the load balancer a domain name (Route 53 alias) its certificate covers, and publish that URL",
    ),
    r(
        "SC-RET-001",
        Warning,
        "Retained resources have names unique to the stack, so the stack can be created again",
        "Put ${AWS::StackName} or a parameter in the name, or let CloudFormation name the resource",
    ),
    r(
        "SC-RET-002",
        Warning,
        "The API Gateway account's CloudWatch role outlives the stack",
        "Give the role DeletionPolicy Retain, or own the account setting in one stack",
    ),
    r(
        "SC-RET-003",
        Warning,
        "SES identities are retained when the stack is deleted",
        "Set DeletionPolicy Retain and create the identity in one stack, or pass a verified identity as a parameter",
    ),
    r(
        "SC-RET-004",
        Error,
        "Snapshot policy on a type that takes no snapshot",
        "Use DeletionPolicy/UpdateReplacePolicy Retain to keep the resource (or Delete); Snapshot works only on the types CloudFormation snapshots (RDS, Neptune, DocumentDB clusters, ElastiCache, Redshift, EBS volumes)",
    ),
    r(
        "SC-CDN-003",
        Warning,
        "CloudFront error pages do not rewrite the responses of API (non-S3) origins",
        "Serve the error page for S3 misses another way (a CloudFront function, the bucket's error document)",
    ),
    r(
        "SC-MSG-004",
        Error,
        "An SQS queue's visibility timeout is at least its Lambda consumer's timeout (Lambda refuses the mapping otherwise)",
        "Raise the queue's VisibilityTimeout to at least 6 x the function's Timeout",
    ),
    r(
        "SC-MSG-005",
        Warning,
        "An SQS queue's visibility timeout is at least 6 x its Lambda consumer's timeout",
        "Raise the queue's VisibilityTimeout to at least 6 x the function's Timeout",
    ),
    r(
        "SC-ECS-001",
        Warning,
        "Containers with a read-only root file system have a writable mount",
        "Mount a task volume (MountPoints) where the container writes, at least /tmp",
    ),
    r(
        "SC-FN-003",
        Warning,
        "Lambda functions do not reserve concurrency, which needs an account quota of at least the total reserved + 100",
        "Make reserved concurrency a setting, off by default",
    ),
    r(
        "SC-NAME-001",
        Warning,
        "Names built from AWS::StackName fit their property's length limit for any stack name (up to 128 characters)",
        "Shorten the fixed part of the name, or let CloudFormation generate it",
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
        "SC-QUO-001",
        Warning,
        "All templates of one run together stay within the account's quota: Application Load Balancers per Region (default 50)",
        "Request an increase in Service Quotas and declare it (`quotas:` in the settings file, `check --quota`), or spread the stacks over accounts or Regions",
    ),
    r(
        "SC-QUO-002",
        Warning,
        "All templates of one run together stay within the account's quota: RDS DB instances per Region (default 40)",
        "Request an increase in Service Quotas and declare it (`quotas:` in the settings file, `check --quota`), or spread the stacks over accounts or Regions",
    ),
    r(
        "SC-QUO-003",
        Warning,
        "All templates of one run together stay within the account's quota: RDS DB clusters per Region (default 40)",
        "Request an increase in Service Quotas and declare it (`quotas:` in the settings file, `check --quota`), or spread the stacks over accounts or Regions",
    ),
    r(
        "SC-QUO-004",
        Warning,
        "All templates of one run together stay within the account's quota: RDS DB subnet groups per Region (default 50)",
        "Request an increase in Service Quotas and declare it (`quotas:` in the settings file, `check --quota`), or spread the stacks over accounts or Regions",
    ),
    r(
        "SC-QUO-005",
        Warning,
        "All templates of one run together stay within the account's quota: VPCs per Region (default 5)",
        "Request an increase in Service Quotas and declare it (`quotas:` in the settings file, `check --quota`), or spread the stacks over accounts or Regions",
    ),
    r(
        "SC-QUO-006",
        Warning,
        "All templates of one run together stay within the account's quota: Elastic IP addresses per Region (default 5)",
        "Request an increase in Service Quotas and declare it (`quotas:` in the settings file, `check --quota`), or spread the stacks over accounts or Regions",
    ),
    r(
        "SC-QUO-007",
        Warning,
        "All templates of one run together stay within the account's quota: NAT gateways per Availability Zone (default 5)",
        "Request an increase in Service Quotas and declare it (`quotas:` in the settings file, `check --quota`), or spread the stacks over accounts or Regions",
    ),
    r(
        "SC-QUO-008",
        Warning,
        "All templates of one run together stay within the account's quota: VPC security groups per Region (default 2,500)",
        "Request an increase in Service Quotas and declare it (`quotas:` in the settings file, `check --quota`), or spread the stacks over accounts or Regions",
    ),
    r(
        "SC-QUO-009",
        Warning,
        "All templates of one run together stay within the account's quota: Lambda concurrent executions (default 1,000): reserved concurrency leaves 100 unreserved",
        "Request an increase in Service Quotas and declare it (`quotas:` in the settings file, `check --quota`), or spread the stacks over accounts or Regions",
    ),
    r(
        "SC-QUO-010",
        Warning,
        "All templates of one run together stay within the account's quota: API Gateway Regional REST APIs per Region (default 600, not adjustable)",
        "Request an increase in Service Quotas and declare it (`quotas:` in the settings file, `check --quota`), or spread the stacks over accounts or Regions",
    ),
    r(
        "SC-QUO-011",
        Warning,
        "All templates of one run together stay within the account's quota: API Gateway edge-optimized REST APIs per Region (default 120, not adjustable)",
        "Request an increase in Service Quotas and declare it (`quotas:` in the settings file, `check --quota`), or spread the stacks over accounts or Regions",
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
