//! What happens to resources when a stack is deleted or created again:
//! retained resources whose fixed names stay taken, account-wide settings
//! that one stack should not own, and snapshots asked of types that take
//! none.

use serde_json::Value;

use super::values::{fixed_per_account, props, render, retained};
use super::{Ctx, target};

/// Types whose physical name is unique in an account and Region (IAM and
/// Cognito domains: account-wide or global), with the property naming it.
const NAMED: &[(&str, &str)] = &[
    ("AWS::S3::Bucket", "BucketName"),
    ("AWS::DynamoDB::Table", "TableName"),
    ("AWS::DynamoDB::GlobalTable", "TableName"),
    ("AWS::SQS::Queue", "QueueName"),
    ("AWS::SNS::Topic", "TopicName"),
    ("AWS::Logs::LogGroup", "LogGroupName"),
    ("AWS::Kinesis::Stream", "Name"),
    ("AWS::KinesisFirehose::DeliveryStream", "DeliveryStreamName"),
    ("AWS::KMS::Alias", "AliasName"),
    ("AWS::RDS::DBInstance", "DBInstanceIdentifier"),
    ("AWS::RDS::DBCluster", "DBClusterIdentifier"),
    ("AWS::ElastiCache::ReplicationGroup", "ReplicationGroupId"),
    ("AWS::ECR::Repository", "RepositoryName"),
    ("AWS::SecretsManager::Secret", "Name"),
    ("AWS::SSM::Parameter", "Name"),
    ("AWS::IAM::Role", "RoleName"),
    ("AWS::IAM::User", "UserName"),
    ("AWS::IAM::ManagedPolicy", "ManagedPolicyName"),
    ("AWS::Lambda::Function", "FunctionName"),
    ("AWS::StepFunctions::StateMachine", "StateMachineName"),
    ("AWS::Events::EventBus", "Name"),
    ("AWS::OpenSearchService::Domain", "DomainName"),
    ("AWS::Cognito::UserPoolDomain", "Domain"),
    ("AWS::SES::EmailIdentity", "EmailIdentity"),
    ("AWS::SES::ConfigurationSet", "Name"),
];

pub(super) fn check(ctx: &mut Ctx<'_>) {
    let mut found = fixed_names(ctx);
    found.extend(api_gateway_account(ctx));
    found.extend(email_identities(ctx));
    found.extend(snapshot_policies(ctx));
    for (rule, id, path, message) in found {
        ctx.report(rule, &id, &path, message);
    }
}

type Found = Vec<(&'static str, String, String, String)>;

fn fixed_names(ctx: &Ctx<'_>) -> Found {
    let mut found = Vec::new();
    for (id, r) in ctx.resources {
        let kind = r.get("Type").and_then(Value::as_str).unwrap_or("");
        let Some((_, field)) = NAMED.iter().find(|(k, _)| *k == kind) else {
            continue;
        };
        let Some(name) = props(r).get(*field) else {
            continue;
        };
        let text = render(name);
        if !retained(r) || !fixed_per_account(&text) {
            continue;
        }
        let policy = r
            .get("DeletionPolicy")
            .and_then(Value::as_str)
            .unwrap_or("");
        found.push((
            "SC-RET-001",
            id.clone(),
            format!("Properties.{field}"),
            format!(
                "{field} {text:?} is the same for every stack in the account and Region, and DeletionPolicy {policy} keeps the resource after the stack is deleted: re-creating the stack, or deploying it twice in one account and Region (staging and prod), fails with \"already exists\"; put ${{AWS::StackName}} or a parameter in the name, or let CloudFormation name it"
            ),
        ));
    }
    found
}

/// The API Gateway CloudWatch role is one setting per account and Region.
/// Deleting the `Account` resource leaves the setting in place (CloudFormation
/// docs), but deleting the role it names breaks logging for every REST API
/// in the account and Region; CDK retains it by default.
fn api_gateway_account(ctx: &Ctx<'_>) -> Found {
    let mut found = Vec::new();
    for (id, r) in ctx.of_type("AWS::ApiGateway::Account") {
        let Some(role_id) = props(r).get("CloudWatchRoleArn").and_then(target) else {
            continue;
        };
        let Some(role) = ctx.resources.get(role_id) else {
            continue;
        };
        if role.get("Type").and_then(Value::as_str) == Some("AWS::IAM::Role") && !retained(role) {
            found.push((
                "SC-RET-002",
                role_id.to_owned(),
                "DeletionPolicy".to_owned(),
                format!(
                    "{id} makes this role API Gateway's CloudWatch role for the whole account and Region; deleting this stack deletes the role, and every REST API in the account and Region stops logging to CloudWatch (and stage updates that enable logging fail) until the setting is fixed; give the role DeletionPolicy Retain, or own the setting in one stack"
                ),
            ));
        }
    }
    found
}

/// An SES identity is shared by everything that sends from it in the
/// account and Region.
fn email_identities(ctx: &Ctx<'_>) -> Found {
    ctx.of_type("AWS::SES::EmailIdentity")
        .filter(|(_, r)| !retained(r))
        .map(|(id, r)| {
            let name = props(r).get("EmailIdentity").map(render).unwrap_or_default();
            (
                "SC-RET-003",
                id.clone(),
                "DeletionPolicy".to_owned(),
                format!(
                    "this stack creates and owns the SES identity {name:?}: creation fails with AlreadyExists if the identity is already set up in the account and Region, and deleting the stack deletes it for every sender that uses it; give it DeletionPolicy Retain and one owning stack, or take the verified identity as a parameter"
                ),
            )
        })
        .collect()
}

/// `Snapshot` as a `DeletionPolicy` or `UpdateReplacePolicy` of a type that
/// takes no snapshot: the author meant to keep the data, and CloudFormation
/// has no snapshot to take (the "DeletionPolicy attribute" page lists the
/// types that take one; cfn-lint E3035/E3036 are errors too).
fn snapshot_policies(ctx: &Ctx<'_>) -> Found {
    let mut found = Vec::new();
    for (id, r) in ctx.resources {
        let kind = r.get("Type").and_then(Value::as_str).unwrap_or("");
        if kind.is_empty() || crate::cfn::supports_snapshot(kind) {
            continue;
        }
        for attribute in ["DeletionPolicy", "UpdateReplacePolicy"] {
            if r.get(attribute).and_then(Value::as_str) != Some("Snapshot") {
                continue;
            }
            found.push((
                "SC-RET-004",
                id.clone(),
                attribute.to_owned(),
                format!(
                    "{attribute} Snapshot on {kind}, which takes no snapshot: CloudFormation takes final snapshots only of {}, so this does not keep the data; use Retain to keep the resource, or Delete",
                    crate::cfn::SNAPSHOT_TYPES.join(", ")
                ),
            ));
        }
    }
    found
}
