//! Which resource types are components a person draws, and which are
//! plumbing folded into the component they serve.

/// What a person calls a component of this type; `None` for plumbing
/// (roles, policies, permissions, log groups, security groups, route
/// tables, versions, aliases, deployments, stages, methods, ...).
pub fn component(resource_type: &str) -> Option<&'static str> {
    Some(match resource_type {
        "AWS::ApiGateway::RestApi" | "AWS::Serverless::Api" => "API Gateway REST API",
        "AWS::ApiGatewayV2::Api" | "AWS::Serverless::HttpApi" => "API Gateway HTTP API",
        "AWS::AppSync::GraphQLApi" | "AWS::Serverless::GraphQLApi" => "AppSync API",
        "AWS::Lambda::Function" | "AWS::Serverless::Function" => "Lambda function",
        "AWS::DynamoDB::Table" | "AWS::Serverless::SimpleTable" => "DynamoDB table",
        "AWS::DynamoDB::GlobalTable" => "DynamoDB global table",
        "AWS::DAX::Cluster" => "DAX cluster",
        "AWS::SQS::Queue" => "SQS queue",
        "AWS::SNS::Topic" => "SNS topic",
        "AWS::S3::Bucket" => "S3 bucket",
        "AWS::CloudFront::Distribution" => "CloudFront distribution",
        "AWS::Cognito::UserPool" => "Cognito user pool",
        "AWS::Cognito::IdentityPool" => "Cognito identity pool",
        "AWS::ElasticLoadBalancingV2::LoadBalancer" => "Load balancer",
        "AWS::ElasticLoadBalancing::LoadBalancer" => "Classic load balancer",
        "AWS::ECS::Service" => "ECS service",
        "AWS::AutoScaling::AutoScalingGroup" => "EC2 Auto Scaling group",
        "AWS::EC2::Instance" => "EC2 instance",
        "AWS::RDS::DBInstance" => "RDS database",
        "AWS::RDS::DBCluster" => "Aurora cluster",
        "AWS::ElastiCache::ReplicationGroup"
        | "AWS::ElastiCache::CacheCluster"
        | "AWS::ElastiCache::ServerlessCache" => "ElastiCache",
        "AWS::Kinesis::Stream" => "Kinesis stream",
        "AWS::KinesisFirehose::DeliveryStream" => "Firehose stream",
        // The identity is set up once; the template is what a function sends.
        "AWS::SES::Template" => "SES email template",
        "AWS::StepFunctions::StateMachine" | "AWS::Serverless::StateMachine" => "Step Functions",
        "AWS::Events::Rule" => "EventBridge rule",
        "AWS::Events::EventBus" => "EventBridge bus",
        "AWS::OpenSearchService::Domain" | "AWS::Elasticsearch::Domain" => "OpenSearch domain",
        "AWS::EFS::FileSystem" => "EFS file system",
        "AWS::AppRunner::Service" => "App Runner service",
        "AWS::EKS::Cluster" => "EKS cluster",
        "AWS::Neptune::DBCluster" => "Neptune cluster",
        "AWS::DocDB::DBCluster" => "DocumentDB cluster",
        "AWS::Redshift::Cluster" => "Redshift cluster",
        "AWS::IoT::TopicRule" => "IoT rule",
        _ => return None,
    })
}

/// Whether a component stores data (drawn as a cylinder).
pub fn is_store(resource_type: &str) -> bool {
    matches!(
        resource_type,
        "AWS::DynamoDB::Table"
            | "AWS::Serverless::SimpleTable"
            | "AWS::DynamoDB::GlobalTable"
            | "AWS::S3::Bucket"
            | "AWS::RDS::DBInstance"
            | "AWS::RDS::DBCluster"
            | "AWS::ElastiCache::ReplicationGroup"
            | "AWS::ElastiCache::CacheCluster"
            | "AWS::ElastiCache::ServerlessCache"
            | "AWS::DAX::Cluster"
            | "AWS::EFS::FileSystem"
            | "AWS::OpenSearchService::Domain"
            | "AWS::Elasticsearch::Domain"
            | "AWS::Neptune::DBCluster"
            | "AWS::DocDB::DBCluster"
            | "AWS::Redshift::Cluster"
    )
}

/// Whether a component carries messages (drawn with a queue shape).
pub fn is_channel(resource_type: &str) -> bool {
    matches!(
        resource_type,
        "AWS::SQS::Queue"
            | "AWS::SNS::Topic"
            | "AWS::Kinesis::Stream"
            | "AWS::KinesisFirehose::DeliveryStream"
            | "AWS::Events::EventBus"
            | "AWS::Events::Rule"
    )
}

/// Service principals that deliver logs: a bucket whose policy lets one of
/// them write is a log bucket, plumbing rather than a component.
pub const LOG_DELIVERY_PRINCIPALS: [&str; 4] = [
    "logging.s3.amazonaws.com",
    "delivery.logs.amazonaws.com",
    "logdelivery.elasticloadbalancing.amazonaws.com",
    "cloudtrail.amazonaws.com",
];

/// What a set of IAM actions does, in a word or two ("read/write",
/// "send", "publish").
pub fn grant_label(actions: &[String]) -> String {
    const ORDER: [&str; 9] = [
        "read",
        "write",
        "send",
        "consume",
        "publish",
        "put records",
        "send email",
        "invoke",
        "all",
    ];
    let mut found: Vec<&str> = Vec::new();
    for a in actions {
        for v in action_verbs(a) {
            if !found.contains(v) {
                found.push(v);
            }
        }
    }
    found.sort_by_key(|v| ORDER.iter().position(|o| o == v));
    if found.contains(&"read") && found.contains(&"write") {
        found.retain(|v| *v != "read" && *v != "write");
        found.insert(0, "read/write");
    }
    found.join(", ")
}

/// Two grant labels of one principal and resource as one.
pub fn join_grant_labels(a: &str, b: &str) -> String {
    let mut verbs: Vec<String> = Vec::new();
    for v in a.split(", ").chain(b.split(", ")) {
        match v {
            "read/write" => verbs.extend(["read".to_owned(), "write".to_owned()]),
            "" => {}
            other => verbs.push(other.to_owned()),
        }
    }
    let actions: Vec<String> = verbs.iter().map(|v| verb_action(v)).collect();
    grant_label(&actions)
}

/// An action standing for a verb, so labels can be joined through
/// [`grant_label`].
fn verb_action(verb: &str) -> String {
    match verb {
        "read" => "x:Get",
        "write" => "x:Put",
        "send" => "sqs:SendMessage",
        "consume" => "sqs:ReceiveMessage",
        "publish" => "sns:Publish",
        "put records" => "kinesis:PutRecord",
        "send email" => "ses:SendEmail",
        "invoke" => "lambda:InvokeFunction",
        _ => "*",
    }
    .to_owned()
}

/// The categories of one action; none for actions that move no data.
fn action_verbs(action: &str) -> &'static [&'static str] {
    let (service, name) = action.split_once(':').unwrap_or(("", action));
    let service = service.to_ascii_lowercase();
    if action == "*" {
        return &["all"];
    }
    // Keys, logs, traces, metrics and credentials serve a flow; they are
    // not one (a database's secret is how its client connects).
    let plumbing = ["kms", "logs", "xray", "cloudwatch", "secretsmanager", "ssm"];
    if plumbing.contains(&service.as_str()) {
        return &[];
    }
    if name == "*" {
        return &["read", "write"];
    }
    match action_verb(&service, name) {
        Some("read") => &["read"],
        Some("write") => &["write"],
        Some("send") => &["send"],
        Some("consume") => &["consume"],
        Some("publish") => &["publish"],
        Some("put records") => &["put records"],
        Some("send email") => &["send email"],
        Some("invoke") => &["invoke"],
        _ => &[],
    }
}

fn action_verb(service: &str, name: &str) -> Option<&'static str> {
    let verb = match service {
        "sqs" if name.starts_with("SendMessage") => "send",
        "sqs" if name.starts_with("ReceiveMessage") || name.starts_with("DeleteMessage") => {
            "consume"
        }
        "sns" if name == "Publish" => "publish",
        "kinesis" | "firehose" if name.starts_with("PutRecord") => "put records",
        "kinesis" if name.starts_with("GetRecords") => "consume",
        "ses" if name.starts_with("Send") => "send email",
        "lambda" if name == "InvokeFunction" => "invoke",
        "states" if name.starts_with("Start") => "invoke",
        _ => return rw(name),
    };
    Some(verb)
}

fn rw(name: &str) -> Option<&'static str> {
    const READ: [&str; 9] = [
        "Get", "BatchGet", "Query", "Scan", "List", "Describe", "Receive", "Select", "Head",
    ];
    const WRITE: [&str; 8] = [
        "Put",
        "Update",
        "Delete",
        "BatchWrite",
        "Create",
        "Restore",
        "Abort",
        "Transact",
    ];
    if READ.iter().any(|p| name.starts_with(p)) || name == "ConditionCheckItem" {
        Some("read")
    } else if WRITE.iter().any(|p| name.starts_with(p)) {
        Some("write")
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn label(actions: &[&str]) -> String {
        grant_label(&actions.iter().map(|a| a.to_string()).collect::<Vec<_>>())
    }

    #[test]
    fn grant_labels_say_what_flows() {
        assert_eq!(
            label(&["dynamodb:GetItem", "dynamodb:PutItem"]),
            "read/write"
        );
        assert_eq!(label(&["s3:GetObject"]), "read");
        assert_eq!(label(&["sqs:SendMessage", "kms:GenerateDataKey"]), "send");
        assert_eq!(label(&["kinesis:PutRecords"]), "put records");
        assert_eq!(label(&["kms:Decrypt"]), "");
        assert_eq!(label(&["secretsmanager:GetSecretValue"]), "");
        assert_eq!(label(&["dax:*"]), "read/write");
        assert_eq!(label(&["*"]), "all");
        assert_eq!(join_grant_labels("read/write", "read"), "read/write");
        assert_eq!(join_grant_labels("read", "send"), "read, send");
    }
}
