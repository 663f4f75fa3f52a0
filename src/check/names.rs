//! Names built from `AWS::StackName` that outgrow their property's length
//! limit for a long stack name. A stack name may be 128 characters, so a
//! 64-character name with a 20-character suffix fails for every stack name
//! over 44 characters, at create time, not at lint time.

use serde_json::Value;

use super::Ctx;
use super::values::{props, render, variables};

/// The longest stack name CloudFormation accepts.
const STACK_NAME_MAX: usize = 128;

/// `(type, JSON pointer under Properties, limit)` for names with a limit a
/// stack name can exceed: the CloudFormation resource schemas' maxLength
/// where they have one, otherwise the service's API reference (SQS queue
/// names 80, origin access control names 64, ElastiCache replication group
/// ids 40, load balancer and target group names 32, DAX cluster names 20).
const LIMITS: &[(&str, &str, usize)] = &[
    ("AWS::S3::Bucket", "/BucketName", 63),
    ("AWS::SQS::Queue", "/QueueName", 80),
    ("AWS::Lambda::Function", "/FunctionName", 64),
    ("AWS::Lambda::LayerVersion", "/LayerName", 140),
    ("AWS::IAM::Role", "/RoleName", 64),
    ("AWS::IAM::User", "/UserName", 64),
    ("AWS::IAM::ManagedPolicy", "/ManagedPolicyName", 128),
    ("AWS::IAM::InstanceProfile", "/InstanceProfileName", 128),
    (
        "AWS::CloudFront::OriginAccessControl",
        "/OriginAccessControlConfig/Name",
        64,
    ),
    ("AWS::SES::Template", "/Template/TemplateName", 64),
    ("AWS::SES::ConfigurationSet", "/Name", 64),
    (
        "AWS::ElastiCache::ReplicationGroup",
        "/ReplicationGroupId",
        40,
    ),
    ("AWS::RDS::DBInstance", "/DBInstanceIdentifier", 63),
    ("AWS::RDS::DBCluster", "/DBClusterIdentifier", 63),
    ("AWS::ElasticLoadBalancingV2::LoadBalancer", "/Name", 32),
    ("AWS::ElasticLoadBalancingV2::TargetGroup", "/Name", 32),
    ("AWS::DAX::Cluster", "/ClusterName", 20),
    ("AWS::Events::Rule", "/Name", 64),
    ("AWS::StepFunctions::StateMachine", "/StateMachineName", 80),
    ("AWS::Kinesis::Stream", "/Name", 128),
    ("AWS::Cognito::UserPoolDomain", "/Domain", 63),
];

/// The longest value of a pseudo parameter (partition `aws-us-gov`, Region
/// `ap-southeast-2`, URL suffix `amazonaws.com.cn`).
fn pseudo_max(name: &str) -> Option<usize> {
    Some(match name {
        "AWS::StackName" => STACK_NAME_MAX,
        "AWS::AccountId" => 12,
        "AWS::Region" => 14,
        "AWS::Partition" => 10,
        "AWS::URLSuffix" => 16,
        _ => return None,
    })
}

/// The longest a parameter's value can be: its `MaxLength`, or its longest
/// `AllowedValues` entry. `None` when unbounded.
fn parameter_max(template: &Value, name: &str) -> Option<usize> {
    let p = template.get("Parameters")?.get(name)?;
    if let Some(n) = p.get("MaxLength").and_then(|v| render(v).parse().ok()) {
        return Some(n);
    }
    p.get("AllowedValues")?
        .as_array()?
        .iter()
        .map(|v| render(v).len())
        .max()
}

/// For a rendered name: how many times it holds the stack name, and the
/// least length of everything else (unbounded parts count as nothing).
fn measure(template: &Value, rendered: &str) -> (usize, usize) {
    let vars = variables(rendered);
    let mut rest = rendered.len();
    let mut stack_names = 0;
    for v in &vars {
        rest = rest.saturating_sub(v.len() + 3);
        if *v == "AWS::StackName" {
            stack_names += 1;
        } else {
            rest += pseudo_max(v)
                .or_else(|| parameter_max(template, v))
                .unwrap_or(0);
        }
    }
    (stack_names, rest)
}

/// Whether the resource schemas give the property a maxLength: then the
/// registry rule SC-SCH-006 judges the name, and this table only fills the
/// limits the schemas lack (from the services' API references).
fn schema_has_limit(kind: &str, pointer: &str) -> bool {
    let path = pointer.trim_start_matches('/').replace('/', ".");
    crate::registry::resource_type(kind)
        .and_then(|t| t.property(&path))
        .is_some_and(|shape| shape.max_length.is_some())
}

pub(super) fn check(ctx: &mut Ctx<'_>) {
    let mut found = Vec::new();
    for (id, r) in ctx.resources {
        let kind = r.get("Type").and_then(Value::as_str).unwrap_or("");
        for (_, pointer, limit) in LIMITS.iter().filter(|(k, _, _)| *k == kind) {
            if schema_has_limit(kind, pointer) {
                // SC-SCH-006 measures it from the registry's maxLength.
                continue;
            }
            let Some(name) = props(r).pointer(pointer) else {
                continue;
            };
            let text = render(name);
            let (stack_names, rest) = measure(ctx.template, &text);
            let longest = rest + stack_names * STACK_NAME_MAX;
            if stack_names == 0 || longest <= *limit {
                continue;
            }
            let fits = limit.saturating_sub(rest) / stack_names;
            found.push((
                id.clone(),
                format!("Properties{}", pointer.replace('/', ".")),
                format!(
                    "{text:?} is up to {longest} characters for a 128-character stack name, over the limit of {limit}: creating the stack fails for stack names longer than {fits} characters; shorten the fixed part, or let CloudFormation generate the name"
                ),
            ));
        }
    }
    for (id, path, message) in found {
        ctx.report("SC-NAME-001", &id, &path, message);
    }
}
