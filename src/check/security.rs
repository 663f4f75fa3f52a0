//! Security rules, in the spirit of cdk-nag and checkov: least privilege,
//! encryption at rest and in transit, no public access.

use serde_json::Value;

use super::{Ctx, target};

/// Actions that accept no resource-level constraint: `Resource: "*"` is
/// their only form.
const ONLY_STAR: &[&str] = &[
    "xray:PutTraceSegments",
    "xray:PutTelemetryRecords",
    "xray:GetSamplingRules",
    "xray:GetSamplingTargets",
    "xray:GetSamplingStatisticSummaries",
    "ec2:CreateNetworkInterface",
    "ec2:DescribeNetworkInterfaces",
    "ec2:DeleteNetworkInterface",
    "ec2:AssignPrivateIpAddresses",
    "ec2:UnassignPrivateIpAddresses",
    "ec2:DescribeInstances",
    "ec2:DescribeSubnets",
    "ec2:DescribeSecurityGroups",
    "ec2:DescribeVpcs",
    "cloudwatch:PutMetricData",
    "ecr:GetAuthorizationToken",
    "logs:DescribeLogGroups",
    "ssm:DescribeParameters",
    "sts:GetCallerIdentity",
    "secretsmanager:GetRandomPassword",
];

fn props(r: &Value) -> &Value {
    r.get("Properties").unwrap_or(&Value::Null)
}

fn truthy(v: &Value) -> bool {
    matches!(v, Value::Bool(true)) || v.as_str() == Some("true")
}

fn as_list(v: &Value) -> Vec<&Value> {
    match v {
        Value::Array(a) => a.iter().collect(),
        Value::Null => vec![],
        other => vec![other],
    }
}

fn statements(doc: &Value) -> Vec<&Value> {
    as_list(doc.get("Statement").unwrap_or(&Value::Null))
}

/// Whether a policy document denies requests without TLS.
fn denies_insecure_transport(doc: &Value) -> bool {
    statements(doc).iter().any(|s| {
        s.get("Effect").and_then(Value::as_str) == Some("Deny")
            && s.pointer("/Condition/Bool/aws:SecureTransport")
                .is_some_and(|v| v.as_str() == Some("false") || v == &Value::Bool(false))
    })
}

/// Whether a resource policy of `kind`, attaching through `field`, names
/// `id` and denies insecure transport.
fn tls_policy_for(ctx: &Ctx<'_>, kind: &str, field: &str, id: &str) -> bool {
    ctx.of_type(kind).any(|(_, p)| {
        let p = props(p);
        as_list(p.get(field).unwrap_or(&Value::Null))
            .iter()
            .any(|v| target(v) == Some(id))
            && denies_insecure_transport(p.get("PolicyDocument").unwrap_or(&Value::Null))
    })
}

pub(super) fn check(ctx: &mut Ctx<'_>) {
    iam(ctx);
    s3(ctx);
    dynamodb(ctx);
    messaging(ctx);
    lambda(ctx);
    api_gateway(ctx);
    cloudfront(ctx);
    databases(ctx);
    security_groups(ctx);
}

fn iam(ctx: &mut Ctx<'_>) {
    let mut found = Vec::new();
    for (id, r) in &ctx.resources {
        let kind = r.get("Type").and_then(Value::as_str).unwrap_or("");
        let p = props(r);
        let docs: Vec<(String, &Value)> = match kind {
            "AWS::IAM::Role" => as_list(p.get("Policies").unwrap_or(&Value::Null))
                .into_iter()
                .enumerate()
                .filter_map(|(i, pol)| {
                    pol.get("PolicyDocument")
                        .map(|d| (format!("Properties.Policies[{i}].PolicyDocument"), d))
                })
                .collect(),
            "AWS::IAM::Policy"
            | "AWS::IAM::ManagedPolicy"
            | "AWS::S3::BucketPolicy"
            | "AWS::SQS::QueuePolicy"
            | "AWS::SNS::TopicPolicy" => p
                .get("PolicyDocument")
                .map(|d| vec![("Properties.PolicyDocument".to_owned(), d)])
                .unwrap_or_default(),
            _ => vec![],
        };
        for (path, doc) in docs {
            let list = match doc.get("Statement") {
                Some(Value::Array(a)) => a.iter().collect(),
                Some(one) => vec![one],
                None => vec![],
            };
            for (i, s) in list.into_iter().enumerate() {
                if s.get("Effect").and_then(Value::as_str) != Some("Allow") {
                    continue;
                }
                let actions: Vec<&str> = as_list(s.get("Action").unwrap_or(&Value::Null))
                    .into_iter()
                    .filter_map(Value::as_str)
                    .collect();
                let here = format!("{path}.Statement[{i}]");
                if let Some(wild) = actions.iter().find(|a| a.contains('*')) {
                    found.push((
                        "SC-IAM-001",
                        id.clone(),
                        format!("{here}.Action"),
                        format!("action {wild:?} is a wildcard"),
                    ));
                }
                let star = as_list(s.get("Resource").unwrap_or(&Value::Null))
                    .iter()
                    .any(|r| r.as_str() == Some("*"));
                let all_star_only =
                    !actions.is_empty() && actions.iter().all(|a| ONLY_STAR.contains(a));
                if star && !all_star_only {
                    let scoped: Vec<&&str> =
                        actions.iter().filter(|a| !ONLY_STAR.contains(a)).collect();
                    found.push((
                        "SC-IAM-002",
                        id.clone(),
                        format!("{here}.Resource"),
                        format!("Resource \"*\" for actions that take resources: {scoped:?}"),
                    ));
                }
            }
        }
    }
    for (rule, id, path, message) in found {
        ctx.report(rule, &id, &path, message);
    }
}

fn s3(ctx: &mut Ctx<'_>) {
    let mut found = Vec::new();
    for (id, r) in ctx.of_type("AWS::S3::Bucket") {
        let p = props(r);
        let block = p
            .get("PublicAccessBlockConfiguration")
            .unwrap_or(&Value::Null);
        let flags = [
            "BlockPublicAcls",
            "BlockPublicPolicy",
            "IgnorePublicAcls",
            "RestrictPublicBuckets",
        ];
        let open: Vec<&str> = flags
            .into_iter()
            .filter(|f| !truthy(block.get(*f).unwrap_or(&Value::Null)))
            .collect();
        if !open.is_empty() {
            found.push((
                "SC-S3-001",
                id.clone(),
                "Properties.PublicAccessBlockConfiguration",
                format!("public access is not blocked: {}", open.join(", ")),
            ));
        }
        if p.get("BucketEncryption").is_none() {
            found.push((
                "SC-S3-002",
                id.clone(),
                "Properties.BucketEncryption",
                "no default encryption".into(),
            ));
        }
        if !tls_policy_for(ctx, "AWS::S3::BucketPolicy", "Bucket", id) {
            found.push((
                "SC-S3-003",
                id.clone(),
                "",
                "no bucket policy denies requests without TLS".into(),
            ));
        }
        if p.pointer("/VersioningConfiguration/Status")
            .and_then(Value::as_str)
            != Some("Enabled")
        {
            found.push((
                "SC-S3-004",
                id.clone(),
                "Properties.VersioningConfiguration",
                "versioning is not enabled".into(),
            ));
        }
    }
    for (rule, id, path, message) in found {
        ctx.report(rule, &id, path, message);
    }
}

fn dynamodb(ctx: &mut Ctx<'_>) {
    let mut found = Vec::new();
    for kind in ["AWS::DynamoDB::Table", "AWS::DynamoDB::GlobalTable"] {
        for (id, r) in ctx.of_type(kind) {
            let p = props(r);
            if !truthy(
                p.pointer("/SSESpecification/SSEEnabled")
                    .unwrap_or(&Value::Null),
            ) {
                found.push((
                    "SC-DDB-001",
                    id.clone(),
                    "Properties.SSESpecification".to_owned(),
                    "not encrypted with a KMS key".to_owned(),
                ));
            }
            let pitr = |v: &Value| {
                truthy(
                    v.pointer("/PointInTimeRecoverySpecification/PointInTimeRecoveryEnabled")
                        .unwrap_or(&Value::Null),
                )
            };
            if kind == "AWS::DynamoDB::Table" {
                if !pitr(p) {
                    found.push((
                        "SC-DDB-002",
                        id.clone(),
                        "Properties.PointInTimeRecoverySpecification".into(),
                        "point-in-time recovery is off".into(),
                    ));
                }
            } else {
                for (i, replica) in as_list(p.get("Replicas").unwrap_or(&Value::Null))
                    .into_iter()
                    .enumerate()
                {
                    if !pitr(replica) {
                        found.push((
                            "SC-DDB-002",
                            id.clone(),
                            format!("Properties.Replicas[{i}]"),
                            "point-in-time recovery is off on this replica".into(),
                        ));
                    }
                }
            }
        }
    }
    for (rule, id, path, message) in found {
        ctx.report(rule, &id, &path, message);
    }
}

fn messaging(ctx: &mut Ctx<'_>) {
    let mut found = Vec::new();
    for (id, r) in ctx.of_type("AWS::SQS::Queue") {
        let p = props(r);
        if !truthy(p.get("SqsManagedSseEnabled").unwrap_or(&Value::Null))
            && p.get("KmsMasterKeyId").is_none()
        {
            found.push((
                "SC-MSG-001",
                id.clone(),
                "Properties",
                "the queue is not encrypted".to_owned(),
            ));
        }
        if !tls_policy_for(ctx, "AWS::SQS::QueuePolicy", "Queues", id) {
            found.push((
                "SC-MSG-003",
                id.clone(),
                "",
                "no queue policy denies requests without TLS".into(),
            ));
        }
    }
    for (id, r) in ctx.of_type("AWS::SNS::Topic") {
        if props(r).get("KmsMasterKeyId").is_none() {
            found.push((
                "SC-MSG-002",
                id.clone(),
                "Properties.KmsMasterKeyId",
                "the topic is not encrypted".into(),
            ));
        }
        if !tls_policy_for(ctx, "AWS::SNS::TopicPolicy", "Topics", id) {
            found.push((
                "SC-MSG-003",
                id.clone(),
                "",
                "no topic policy denies requests without TLS".into(),
            ));
        }
    }
    for (rule, id, path, message) in found {
        ctx.report(rule, &id, path, message);
    }
}

fn lambda(ctx: &mut Ctx<'_>) {
    let mut found = Vec::new();
    let retained = |v: &Value| v.pointer("/Properties/RetentionInDays").is_some();
    for (id, r) in ctx.of_type("AWS::Lambda::Function") {
        let explicit = props(r)
            .pointer("/LoggingConfig/LogGroup")
            .and_then(target)
            .and_then(|g| ctx.resources.get(g))
            .is_some_and(&retained);
        let by_name = ctx.of_type("AWS::Logs::LogGroup").any(|(_, g)| {
            let name = g
                .pointer("/Properties/LogGroupName")
                .map(Value::to_string)
                .unwrap_or_default();
            retained(g) && name.contains("/aws/lambda/") && name.contains(id.as_str())
        });
        if !explicit && !by_name {
            found.push((
                "SC-FN-001",
                id.clone(),
                "Properties.LoggingConfig",
                "no log group with a retention period".to_owned(),
            ));
        }
    }
    for (id, r) in ctx.of_type("AWS::Lambda::EventSourceMapping") {
        let p = props(r);
        let arn = p.get("EventSourceArn");
        let local = arn
            .and_then(target)
            .and_then(|s| ctx.resources.get(s).map(|r| (s, r)));
        let Some((source, res)) = local else {
            // From another stack (a parameter, an import or a literal ARN):
            // the source is not here, but a stream mapping is known by its
            // StartingPosition (required for Kinesis and DynamoDB streams,
            // refused for SQS), and must still name an on-failure destination.
            // A queue's dead-letter queue is in its owner's stack.
            let name = arn.map(Value::to_string).unwrap_or_default();
            let stream_arn = name.contains(":kinesis:") || name.contains(":dynamodb:");
            if (p.get("StartingPosition").is_some() || stream_arn)
                && p.pointer("/DestinationConfig/OnFailure/Destination")
                    .is_none()
            {
                found.push((
                    "SC-FN-002",
                    id.clone(),
                    "Properties.DestinationConfig",
                    format!("records of stream {name} that keep failing are lost: no on-failure destination"),
                ));
            }
            continue;
        };
        let kind = res.get("Type").and_then(Value::as_str).unwrap_or("");
        let is_stream = matches!(
            kind,
            "AWS::Kinesis::Stream" | "AWS::DynamoDB::Table" | "AWS::DynamoDB::GlobalTable"
        );
        if kind == "AWS::SQS::Queue" && res.pointer("/Properties/RedrivePolicy").is_none() {
            found.push((
                "SC-FN-002",
                id.clone(),
                "Properties.EventSourceArn",
                format!("queue {source} has no dead-letter queue (RedrivePolicy)"),
            ));
        }
        if is_stream
            && p.pointer("/DestinationConfig/OnFailure/Destination")
                .is_none()
        {
            found.push((
                "SC-FN-002",
                id.clone(),
                "Properties.DestinationConfig",
                format!("records of stream {source} that keep failing are lost: no on-failure destination"),
            ));
        }
    }
    for (rule, id, path, message) in found {
        ctx.report(rule, &id, path, message);
    }
}

fn api_gateway(ctx: &mut Ctx<'_>) {
    let mut found = Vec::new();
    for (id, r) in ctx.of_type("AWS::ApiGateway::Stage") {
        let p = props(r);
        if p.get("AccessLogSetting").is_none() {
            found.push((
                "SC-API-001",
                id.clone(),
                "Properties.AccessLogSetting",
                "no access logs",
            ));
        }
        let throttled = as_list(p.get("MethodSettings").unwrap_or(&Value::Null))
            .iter()
            .any(|m| {
                m.get("ThrottlingRateLimit").is_some() && m.get("ThrottlingBurstLimit").is_some()
            });
        if !throttled {
            found.push((
                "SC-API-002",
                id.clone(),
                "Properties.MethodSettings",
                "no throttling",
            ));
        }
    }
    for (rule, id, path, message) in found {
        ctx.report(rule, &id, path, message.to_owned());
    }
}

fn cloudfront(ctx: &mut Ctx<'_>) {
    let mut found = Vec::new();
    for (id, r) in ctx.of_type("AWS::CloudFront::Distribution") {
        let config = props(r).get("DistributionConfig").unwrap_or(&Value::Null);
        let mut behaviors = vec![(
            "Properties.DistributionConfig.DefaultCacheBehavior".to_owned(),
            config.get("DefaultCacheBehavior").unwrap_or(&Value::Null),
        )];
        for (i, b) in as_list(config.get("CacheBehaviors").unwrap_or(&Value::Null))
            .into_iter()
            .enumerate()
        {
            behaviors.push((
                format!("Properties.DistributionConfig.CacheBehaviors[{i}]"),
                b,
            ));
        }
        for (path, b) in behaviors {
            let policy = b
                .get("ViewerProtocolPolicy")
                .and_then(Value::as_str)
                .unwrap_or("allow-all");
            if policy == "allow-all" {
                found.push((
                    "SC-CDN-001",
                    id.clone(),
                    format!("{path}.ViewerProtocolPolicy"),
                    "viewers may use plain HTTP".to_owned(),
                ));
            }
            if b.get("ResponseHeadersPolicyId").is_none() {
                found.push((
                    "SC-CDN-002",
                    id.clone(),
                    path,
                    "no response headers policy".to_owned(),
                ));
            }
        }
    }
    for (rule, id, path, message) in found {
        ctx.report(rule, &id, &path, message);
    }
}

fn databases(ctx: &mut Ctx<'_>) {
    let mut found = Vec::new();
    for (id, r) in ctx.of_type("AWS::RDS::DBInstance") {
        let p = props(r);
        let in_cluster = p.get("DBClusterIdentifier").is_some();
        if !in_cluster && !truthy(p.get("StorageEncrypted").unwrap_or(&Value::Null)) {
            found.push((
                "SC-DB-001",
                id.clone(),
                "Properties.StorageEncrypted",
                "storage is not encrypted",
            ));
        }
        if truthy(p.get("PubliclyAccessible").unwrap_or(&Value::Null)) {
            found.push((
                "SC-DB-002",
                id.clone(),
                "Properties.PubliclyAccessible",
                "the instance is publicly accessible",
            ));
        }
    }
    for (id, r) in ctx.of_type("AWS::RDS::DBCluster") {
        if !truthy(props(r).get("StorageEncrypted").unwrap_or(&Value::Null)) {
            found.push((
                "SC-DB-001",
                id.clone(),
                "Properties.StorageEncrypted",
                "storage is not encrypted",
            ));
        }
    }
    for (id, r) in ctx.of_type("AWS::ElastiCache::ReplicationGroup") {
        let p = props(r);
        for flag in ["AtRestEncryptionEnabled", "TransitEncryptionEnabled"] {
            if !truthy(p.get(flag).unwrap_or(&Value::Null)) {
                found.push((
                    "SC-DB-003",
                    id.clone(),
                    if flag.starts_with("At") {
                        "Properties.AtRestEncryptionEnabled"
                    } else {
                        "Properties.TransitEncryptionEnabled"
                    },
                    "not encrypted",
                ));
            }
        }
    }
    for (rule, id, path, message) in found {
        ctx.report(rule, &id, path, message.to_owned());
    }
}

fn security_groups(ctx: &mut Ctx<'_>) {
    // Groups attached to internet-facing load balancers may admit the world
    // on 80 and 443.
    let public_lb_groups: Vec<String> = ctx
        .of_type("AWS::ElasticLoadBalancingV2::LoadBalancer")
        .filter(|(_, lb)| props(lb).get("Scheme").and_then(Value::as_str) != Some("internal"))
        .flat_map(|(_, lb)| {
            as_list(props(lb).get("SecurityGroups").unwrap_or(&Value::Null))
                .into_iter()
                .filter_map(target)
                .map(str::to_owned)
                .collect::<Vec<_>>()
        })
        .collect();
    let mut found = Vec::new();
    let mut rules: Vec<(String, String, &Value)> = Vec::new();
    for (id, r) in ctx.of_type("AWS::EC2::SecurityGroup") {
        for (i, rule) in as_list(props(r).get("SecurityGroupIngress").unwrap_or(&Value::Null))
            .into_iter()
            .enumerate()
        {
            rules.push((
                id.clone(),
                format!("Properties.SecurityGroupIngress[{i}]"),
                rule,
            ));
        }
    }
    for (id, r) in ctx.of_type("AWS::EC2::SecurityGroupIngress") {
        let group = props(r)
            .get("GroupId")
            .and_then(target)
            .unwrap_or(id)
            .to_owned();
        rules.push((group, "Properties".into(), props(r)));
        let _ = id;
    }
    for (group, path, rule) in rules {
        let world = rule.get("CidrIp").and_then(Value::as_str) == Some("0.0.0.0/0")
            || rule.get("CidrIpv6").and_then(Value::as_str) == Some("::/0");
        if !world {
            continue;
        }
        let port = |k: &str| rule.get(k).and_then(Value::as_i64);
        let web = matches!((port("FromPort"), port("ToPort")), (Some(a), Some(b)) if a == b && (a == 80 || a == 443));
        if !(web && public_lb_groups.contains(&group)) {
            found.push((
                "SC-NET-001",
                group,
                path,
                "ingress from anywhere".to_owned(),
            ));
        }
    }
    for (rule, id, path, message) in found {
        ctx.report(rule, &id, &path, message);
    }
}
