//! Security rules, in the spirit of cdk-nag and checkov: least privilege,
//! encryption at rest and in transit, no public access.

use std::collections::HashSet;

use serde_json::Value;

use super::iam_actions::accepts_only_star;
use super::integrity::sub_variables;
use super::{Ctx, target, walk};

fn props(r: &Value) -> &Value {
    r.get("Properties").unwrap_or(&Value::Null)
}

/// A boolean setting as it deploys.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Flag {
    On,
    /// Set false, or absent (the service default, off, applies).
    Off,
    /// Decided at deployment (`Fn::If`, a parameter without a default).
    Unknown,
}

/// The setting `v`: a literal, or a parameter's default (what deploys when
/// no value is given). Rules judge `On`/`Off` and stay silent on `Unknown`.
fn flag(ctx: &Ctx<'_>, v: Option<&Value>) -> Flag {
    match v {
        None | Some(Value::Null) => Flag::Off,
        Some(Value::Bool(b)) => {
            if *b {
                Flag::On
            } else {
                Flag::Off
            }
        }
        Some(Value::String(s)) if s.eq_ignore_ascii_case("true") => Flag::On,
        Some(Value::String(s)) if s.eq_ignore_ascii_case("false") => Flag::Off,
        Some(Value::Object(o)) if o.len() == 1 => {
            match o.get("Ref").and_then(Value::as_str).and_then(|name| {
                ctx.template
                    .get("Parameters")
                    .and_then(|p| p.get(name))
                    .and_then(|p| p.get("Default"))
            }) {
                Some(default @ (Value::Bool(_) | Value::String(_))) => flag(ctx, Some(default)),
                _ => Flag::Unknown,
            }
        }
        Some(_) => Flag::Unknown,
    }
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

/// Whether a value says `false`: `false`, `"false"` or a list of them.
fn is_false(v: &Value) -> bool {
    match v {
        Value::Bool(false) => true,
        Value::String(s) => s.eq_ignore_ascii_case("false"),
        Value::Array(items) => !items.is_empty() && items.iter().all(is_false),
        _ => false,
    }
}

/// Whether a policy document denies requests without TLS.
fn denies_insecure_transport(doc: &Value) -> bool {
    statements(doc).iter().any(|s| {
        s.get("Effect").and_then(Value::as_str) == Some("Deny")
            && [
                "/Condition/Bool/aws:SecureTransport",
                "/Condition/BoolIfExists/aws:SecureTransport",
            ]
            .iter()
            .any(|p| s.pointer(p).is_some_and(is_false))
    })
}

/// The resources that TLS-only resource policies of one kind protect,
/// gathered in one pass so that looking a resource up is constant time
/// (scanning every policy for every resource was quadratic).
pub(super) struct TlsPolicies {
    /// Logical ids named by `Ref` or `Fn::GetAtt`.
    ids: HashSet<String>,
    /// Other values naming the resource (a literal bucket name, a
    /// `Fn::Sub`, a `Ref` to a parameter), as canonical JSON.
    names: HashSet<String>,
}

impl TlsPolicies {
    /// Indexes the policies of `kind` that attach through `field`.
    pub(super) fn of(ctx: &Ctx<'_>, kind: &str, field: &str) -> Self {
        let mut index = TlsPolicies {
            ids: HashSet::new(),
            names: HashSet::new(),
        };
        for (_, policy) in ctx.of_type(kind) {
            let p = props(policy);
            if !denies_insecure_transport(p.get("PolicyDocument").unwrap_or(&Value::Null)) {
                continue;
            }
            for v in as_list(p.get(field).unwrap_or(&Value::Null)) {
                match target(v) {
                    Some(id) if ctx.resources.contains_key(id) => {
                        index.ids.insert(id.to_owned());
                    }
                    _ => {
                        index.names.insert(v.to_string());
                    }
                }
            }
        }
        index
    }

    /// Whether resource `id`, whose name property holds `name`, is covered.
    pub(super) fn covers(&self, id: &str, name: Option<&Value>) -> bool {
        self.ids.contains(id) || name.is_some_and(|n| self.names.contains(&n.to_string()))
    }
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
    for (id, r) in ctx.resources {
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
                let here = format!("{path}.Statement[{i}]");
                // A resource policy governs only the resources it is
                // attached to: `Resource: "*"` there means those.
                let resource_policy = matches!(
                    kind,
                    "AWS::S3::BucketPolicy" | "AWS::SQS::QueuePolicy" | "AWS::SNS::TopicPolicy"
                );
                for (rule, field, message) in judge_statement(s)
                    .into_iter()
                    .filter(|(rule, ..)| !(resource_policy && *rule == "SC-IAM-002"))
                {
                    found.push((rule, id.clone(), format!("{here}.{field}"), message));
                }
            }
        }
    }
    for (rule, id, path, message) in found {
        ctx.report(rule, &id, &path, message);
    }
}

/// The least-privilege findings of one policy statement: `(rule, field,
/// message)`. Only Allow statements are judged; `NotAction` and
/// `NotResource` in them allow everything but what they list.
fn judge_statement(s: &Value) -> Vec<(&'static str, &'static str, String)> {
    let mut found = Vec::new();
    if s.get("Effect").and_then(Value::as_str) != Some("Allow") {
        return found;
    }
    let strings = |k: &str| -> Vec<&str> {
        as_list(s.get(k).unwrap_or(&Value::Null))
            .into_iter()
            .filter_map(Value::as_str)
            .collect()
    };
    let actions = strings("Action");
    if let Some(wild) = actions.iter().find(|a| a.contains('*')) {
        found.push((
            "SC-IAM-001",
            "Action",
            format!("action {wild:?} is a wildcard"),
        ));
    }
    if s.get("NotAction").is_some() {
        found.push((
            "SC-IAM-001",
            "NotAction",
            format!(
                "NotAction in an Allow statement allows every action except {:?}",
                strings("NotAction")
            ),
        ));
    }
    let scoped: Vec<&&str> = actions.iter().filter(|a| !accepts_only_star(a)).collect();
    // NotAction already reported: its actions are unknown, so only the
    // actions listed are weighed against the resources.
    let takes_resources =
        !scoped.is_empty() || (actions.is_empty() && s.get("NotAction").is_none());
    if !takes_resources {
        return found;
    }
    if strings("Resource").contains(&"*") {
        found.push((
            "SC-IAM-002",
            "Resource",
            format!("Resource \"*\" for actions that take resources: {scoped:?}"),
        ));
    }
    if s.get("NotResource").is_some() {
        found.push((
            "SC-IAM-002",
            "NotResource",
            format!(
                "NotResource in an Allow statement grants {scoped:?} on every resource except {:?}",
                strings("NotResource")
            ),
        ));
    }
    found
}

fn s3(ctx: &mut Ctx<'_>) {
    let mut found = Vec::new();
    let tls = TlsPolicies::of(ctx, "AWS::S3::BucketPolicy", "Bucket");
    for (id, r) in ctx.of_type("AWS::S3::Bucket") {
        let p = props(r);
        // Since April 2023 new buckets block all public access unless the
        // template turns it off: only an explicit weakening is a finding.
        // Since January 2023 every object is encrypted (SSE-S3) by default,
        // so a missing BucketEncryption is no longer one (SC-S3-002 retired).
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
            .filter(|f| block.get(*f).is_some() && flag(ctx, block.get(*f)) == Flag::Off)
            .collect();
        if !open.is_empty() {
            found.push((
                "SC-S3-001",
                id.clone(),
                "Properties.PublicAccessBlockConfiguration",
                format!("public access block turned off: {}", open.join(", ")),
            ));
        }
        if !tls.covers(id, p.get("BucketName")) {
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
            if flag(ctx, p.pointer("/SSESpecification/SSEEnabled")) == Flag::Off {
                found.push((
                    "SC-DDB-001",
                    id.clone(),
                    "Properties.SSESpecification".to_owned(),
                    "not encrypted with a KMS key".to_owned(),
                ));
            }
            let pitr = |v: &Value| {
                flag(
                    ctx,
                    v.pointer("/PointInTimeRecoverySpecification/PointInTimeRecoveryEnabled"),
                ) != Flag::Off
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
    let queue_tls = TlsPolicies::of(ctx, "AWS::SQS::QueuePolicy", "Queues");
    let topic_tls = TlsPolicies::of(ctx, "AWS::SNS::TopicPolicy", "Topics");
    for (id, r) in ctx.of_type("AWS::SQS::Queue") {
        let p = props(r);
        // New queues are encrypted with SQS-managed keys unless the
        // template turns it off (the default since October 2022).
        if p.get("SqsManagedSseEnabled").is_some()
            && flag(ctx, p.get("SqsManagedSseEnabled")) == Flag::Off
            && p.get("KmsMasterKeyId").is_none()
        {
            found.push((
                "SC-MSG-001",
                id.clone(),
                "Properties",
                "the queue is not encrypted".to_owned(),
            ));
        }
        if !queue_tls.covers(id, None) {
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
        if !topic_tls.covers(id, None) {
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

/// What the `/aws/lambda/...` log groups with a retention period name:
/// logical ids (`${Fn}`, `Ref`) and literal function names, gathered once.
fn lambda_log_groups(ctx: &Ctx<'_>) -> HashSet<String> {
    let mut names = HashSet::new();
    for (_, g) in ctx.of_type("AWS::Logs::LogGroup") {
        if g.pointer("/Properties/RetentionInDays").is_none() {
            continue;
        }
        let Some(name) = g.pointer("/Properties/LogGroupName") else {
            continue;
        };
        if !name.to_string().contains("/aws/lambda/") {
            continue;
        }
        walk(name, &mut String::new(), &mut |v, _| match v {
            Value::String(s) => {
                if let Some(rest) = s.split("/aws/lambda/").nth(1) {
                    names.insert(rest.to_owned());
                }
                for var in sub_variables(s) {
                    names.insert(var.split('.').next().unwrap_or(var).to_owned());
                }
            }
            other => {
                if let Some(id) = target(other) {
                    names.insert(id.to_owned());
                }
            }
        });
    }
    names
}

fn lambda(ctx: &mut Ctx<'_>) {
    let mut found = Vec::new();
    let retained = |v: &Value| v.pointer("/Properties/RetentionInDays").is_some();
    let by_name = lambda_log_groups(ctx);
    for (id, r) in ctx.of_type("AWS::Lambda::Function") {
        let explicit = props(r)
            .pointer("/LoggingConfig/LogGroup")
            .and_then(target)
            .and_then(|g| ctx.resources.get(g))
            .is_some_and(&retained);
        let named = by_name.contains(id.as_str())
            || props(r)
                .get("FunctionName")
                .and_then(Value::as_str)
                .is_some_and(|n| by_name.contains(n));
        if !explicit && !named {
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
        // Cluster members, read replicas and instances restored from a
        // snapshot take their encryption from the cluster, source or
        // snapshot: StorageEncrypted does not apply to them.
        let inherits = [
            "DBClusterIdentifier",
            "SourceDBInstanceIdentifier",
            "SourceDBInstanceAutomatedBackupsArn",
            "SourceDbiResourceId",
            "DBSnapshotIdentifier",
            "DBClusterSnapshotIdentifier",
        ]
        .iter()
        .any(|k| p.get(*k).is_some());
        if !inherits && flag(ctx, p.get("StorageEncrypted")) == Flag::Off {
            found.push((
                "SC-DB-001",
                id.clone(),
                "Properties.StorageEncrypted",
                "storage is not encrypted",
            ));
        }
        if flag(ctx, p.get("PubliclyAccessible")) == Flag::On {
            found.push((
                "SC-DB-002",
                id.clone(),
                "Properties.PubliclyAccessible",
                "the instance is publicly accessible",
            ));
        }
    }
    for (id, r) in ctx.of_type("AWS::RDS::DBCluster") {
        let p = props(r);
        let inherits = [
            "SnapshotIdentifier",
            "SourceDBClusterIdentifier",
            "ReplicationSourceIdentifier",
        ]
        .iter()
        .any(|k| p.get(*k).is_some());
        if !inherits && flag(ctx, p.get("StorageEncrypted")) == Flag::Off {
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
            if self::flag(ctx, p.get(flag)) == Flag::Off {
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
    let public_lb_groups: HashSet<String> = ctx
        .of_type("AWS::ElasticLoadBalancingV2::LoadBalancer")
        .chain(ctx.of_type("AWS::ElasticLoadBalancing::LoadBalancer"))
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
        // Ports may be written as numbers or strings ("443").
        let port = |k: &str| match rule.get(k) {
            Some(Value::String(s)) => s.trim().parse::<i64>().ok(),
            Some(v) => v.as_i64(),
            None => None,
        };
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
