//! Properties of every template the blueprints emit that AWS enforces at
//! deploy time but no linter sees: resource policies name only their own
//! service's actions, and generated names fit their property's length limit
//! for any valid stack name.

use serde_json::Value;
use stackcraft::blueprints::BuiltIn;

/// Every emitted template of every blueprint with default settings, by path.
fn templates() -> Vec<(String, Value)> {
    BuiltIn::ALL
        .into_iter()
        .flat_map(|b| b.synth(None).expect("synthesizes"))
        .filter(|a| a.path.to_string_lossy().ends_with(".template.json"))
        .map(|a| {
            let path = a.path.to_string_lossy().into_owned();
            (path, serde_json::from_str(a.contents()).expect("JSON"))
        })
        .collect()
}

fn as_list(v: &Value) -> Vec<Value> {
    match v {
        Value::Array(items) => items.clone(),
        Value::Null => vec![],
        other => vec![other.clone()],
    }
}

/// SNS refuses a topic policy whose actions are outside SNS ("Policy
/// statement action out of service scope"); SQS and S3 policies follow the
/// same rule here, as CDK's `enforceSSL` does.
#[test]
fn resource_policies_name_only_their_own_service_actions() {
    let services = [
        ("AWS::SNS::TopicPolicy", "sns:"),
        ("AWS::SQS::QueuePolicy", "sqs:"),
        ("AWS::S3::BucketPolicy", "s3:"),
    ];
    let mut seen = 0;
    for (path, t) in templates() {
        for (id, r) in t["Resources"].as_object().unwrap() {
            let Some((_, prefix)) = services.iter().find(|(ty, _)| r["Type"] == *ty) else {
                continue;
            };
            for s in as_list(&r["Properties"]["PolicyDocument"]["Statement"]) {
                for action in as_list(&s["Action"]) {
                    let action = action.as_str().unwrap_or_default().to_lowercase();
                    assert!(
                        action.starts_with(prefix),
                        "{path}:{id}: statement {} names {action:?}, outside {prefix}*",
                        s["Sid"]
                    );
                    seen += 1;
                }
            }
        }
    }
    assert!(seen > 10, "found the policies ({seen} actions)");
}

/// `dynamodb:ListStreams` has no resource type in the Service Authorization
/// Reference: granted on a stream ARN it allows nothing.
#[test]
fn list_streams_is_granted_on_every_resource() {
    let mut seen = 0;
    for (path, t) in templates() {
        for (id, r) in t["Resources"].as_object().unwrap() {
            for p in as_list(&r["Properties"]["Policies"]) {
                for s in as_list(&p["PolicyDocument"]["Statement"]) {
                    if as_list(&s["Action"]).contains(&Value::from("dynamodb:ListStreams")) {
                        assert_eq!(s["Resource"], serde_json::json!(["*"]), "{path}:{id}");
                        assert_eq!(as_list(&s["Action"]).len(), 1, "{path}:{id}: alone");
                        seen += 1;
                    }
                }
            }
        }
    }
    assert!(seen > 0, "the blog's welcome email reads a stream");
}

/// The longest stack name CloudFormation accepts, and a stack id for it
/// (`arn:...:stack/<name>/<uuid>`).
const STACK_NAME_MAX: usize = 128;

/// The worst case of a pseudo parameter: the longest value it can take.
fn pseudo(name: &str) -> Option<String> {
    let stack = "s".repeat(STACK_NAME_MAX);
    Some(match name {
        "AWS::StackName" => stack,
        "AWS::StackId" => format!(
            "arn:aws-iso-b:cloudformation:ap-southeast-5:123456789012:stack/{stack}/1c2fa620-982a-11e3-aff7-50e2416294e0"
        ),
        "AWS::AccountId" => "123456789012".into(),
        // Longer than any Region name.
        "AWS::Region" => "xx-xxxxxxxxxxxxxxx-9".into(),
        "AWS::Partition" => "aws-iso-b".into(),
        "AWS::URLSuffix" => "amazonaws.com.cn".into(),
        _ => return None,
    })
}

/// The longest value `v` can evaluate to, for the functions names are built
/// with; `None` when it depends on something unbounded (a resource or a
/// parameter).
fn longest(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Object(o) if o.len() == 1 => {
            let (f, arg) = o.iter().next()?;
            match f.as_str() {
                "Ref" => pseudo(arg.as_str()?),
                "Fn::Sub" => {
                    let (text, vars) = match arg {
                        Value::String(s) => (s.clone(), serde_json::Map::new()),
                        Value::Array(a) => (a[0].as_str()?.to_owned(), a[1].as_object()?.clone()),
                        _ => return None,
                    };
                    let mut out = String::new();
                    let mut rest = text.as_str();
                    while let Some(start) = rest.find("${") {
                        out.push_str(&rest[..start]);
                        let end = rest[start..].find('}')? + start;
                        let var = &rest[start + 2..end];
                        out.push_str(&match vars.get(var) {
                            Some(value) => longest(value)?,
                            None => pseudo(var)?,
                        });
                        rest = &rest[end + 1..];
                    }
                    out.push_str(rest);
                    Some(out)
                }
                "Fn::Join" => {
                    let parts = arg[1].as_array()?;
                    let parts: Option<Vec<String>> = parts.iter().map(longest).collect();
                    Some(parts?.join(arg[0].as_str()?))
                }
                "Fn::Select" => {
                    let index = arg[0].as_u64()? as usize;
                    let list = &arg[1]["Fn::Split"];
                    let whole = longest(&list[1])?;
                    whole.split(list[0].as_str()?).nth(index).map(str::to_owned)
                }
                _ => None,
            }
        }
        _ => None,
    }
}

/// Name properties and their limits (service API references; the
/// CloudFormation schemas where they state a `maxLength`).
const NAME_LIMITS: &[(&str, &[&str], usize)] = &[
    (
        "AWS::CloudFront::OriginAccessControl",
        &["OriginAccessControlConfig", "Name"],
        64,
    ),
    (
        "AWS::CloudFront::CachePolicy",
        &["CachePolicyConfig", "Name"],
        128,
    ),
    (
        "AWS::CloudFront::ResponseHeadersPolicy",
        &["ResponseHeadersPolicyConfig", "Name"],
        128,
    ),
    ("AWS::SES::Template", &["Template", "TemplateName"], 64),
    ("AWS::SES::ConfigurationSet", &["Name"], 64),
    ("AWS::S3::Bucket", &["BucketName"], 63),
    ("AWS::KMS::Alias", &["AliasName"], 256),
    ("AWS::Cognito::UserPool", &["UserPoolName"], 128),
    ("AWS::Cognito::IdentityPool", &["IdentityPoolName"], 128),
    ("AWS::ECS::TaskDefinition", &["Family"], 255),
    (
        "AWS::ApplicationAutoScaling::ScalingPolicy",
        &["PolicyName"],
        256,
    ),
    ("AWS::CloudFront::Function", &["Name"], 64),
    ("AWS::SSM::Parameter", &["Name"], 1011),
    ("AWS::Logs::LogGroup", &["LogGroupName"], 512),
    ("AWS::Lambda::Function", &["FunctionName"], 64),
    ("AWS::IAM::Role", &["RoleName"], 64),
    ("AWS::SQS::Queue", &["QueueName"], 80),
    ("AWS::SNS::Topic", &["TopicName"], 256),
    ("AWS::ElasticLoadBalancingV2::LoadBalancer", &["Name"], 32),
    ("AWS::ElasticLoadBalancingV2::TargetGroup", &["Name"], 32),
];

fn at<'a>(v: &'a Value, path: &[&str]) -> &'a Value {
    path.iter().fold(v, |v, k| &v[*k])
}

/// Every generated name fits its property's limit for the longest stack
/// name (128 characters), Region and partition; and every name built from
/// the stack name is one whose limit is known here.
#[test]
fn generated_names_fit_their_limits_for_any_stack_name() {
    let mut checked = Vec::new();
    for (path, t) in templates() {
        for (id, r) in t["Resources"].as_object().unwrap() {
            for (ty, prop, limit) in NAME_LIMITS {
                if r["Type"] != *ty || at(&r["Properties"], prop).is_null() {
                    continue;
                }
                let value = at(&r["Properties"], prop);
                let worst =
                    longest(value).unwrap_or_else(|| panic!("{path}:{id}: cannot bound {value}"));
                assert!(
                    worst.len() <= *limit,
                    "{path}:{id}.{}: up to {} characters, the limit is {limit}: {worst}",
                    prop.join("."),
                    worst.len()
                );
                checked.push(format!("{path}:{id}={}", worst.len()));
            }
        }
    }
    for expected in [
        "SiteOriginAccessControl",
        "WelcomeEmailTemplate",
        "UploadsBucket",
        "UserPool",
        "IdentityPool",
    ] {
        assert!(
            checked.iter().any(|c| c.contains(&format!(":{expected}="))),
            "{expected} checked: {checked:?}"
        );
    }
}

#[test]
fn the_worst_case_evaluator_sees_the_stack_name() {
    let name = serde_json::json!({"Fn::Sub": "blog-oac-${AWS::StackName}"});
    assert_eq!(longest(&name).unwrap().len(), 9 + STACK_NAME_MAX);
    let short = serde_json::json!({"Fn::Select": [0, {"Fn::Split": ["-",
        {"Fn::Select": [2, {"Fn::Split": ["/", {"Ref": "AWS::StackId"}]}]}]}]});
    assert_eq!(longest(&short).unwrap(), "1c2fa620");
}

/// A dead-letter queue nobody watches is silent: every queue some
/// `RedrivePolicy` names has an alarm on its visible messages, above zero,
/// over the five minutes SQS publishes its metrics in.
#[test]
fn every_dead_letter_queue_has_an_alarm() {
    let mut seen = 0;
    for (path, t) in templates() {
        let resources = t["Resources"].as_object().unwrap();
        let targets = resources.values().filter_map(|r| {
            let arn = &r["Properties"]["RedrivePolicy"]["deadLetterTargetArn"];
            arn["Fn::GetAtt"][0].as_str()
        });
        for dlq in targets {
            let watched = resources.values().any(|r| {
                let p = &r["Properties"];
                r["Type"] == "AWS::CloudWatch::Alarm"
                    && p["Namespace"] == "AWS/SQS"
                    && p["MetricName"] == "ApproximateNumberOfMessagesVisible"
                    && p["Dimensions"][0]["Name"] == "QueueName"
                    && p["Dimensions"][0]["Value"]["Fn::GetAtt"]
                        == serde_json::json!([dlq, "QueueName"])
                    && p["Threshold"] == 0
                    && p["ComparisonOperator"] == "GreaterThanThreshold"
                    && p["Period"] == 300
            });
            assert!(watched, "{path}: dead-letter queue {dlq} has no alarm");
            seen += 1;
        }
    }
    assert!(seen >= 2, "found the dead-letter queues ({seen})");
}

/// Every queue consumer is a Lambda event source mapping, whose poller
/// needs exactly `ReceiveMessage`, `DeleteMessage` and
/// `GetQueueAttributes` ("Using Lambda with Amazon SQS";
/// `AWSLambdaSQSQueueExecutionRole`): no role may change a message's
/// visibility, which only a consumer polling SQS itself would need.
#[test]
fn queue_consumers_get_only_what_the_lambda_poller_uses() {
    let mut consumers = 0;
    for (path, t) in templates() {
        for (id, r) in t["Resources"].as_object().unwrap() {
            for policy in as_list(&r["Properties"]["Policies"]) {
                for s in as_list(&policy["PolicyDocument"]["Statement"]) {
                    let actions: Vec<String> = as_list(&s["Action"])
                        .iter()
                        .filter_map(|a| a.as_str().map(str::to_owned))
                        .collect();
                    assert!(
                        !actions.iter().any(|a| a == "sqs:ChangeMessageVisibility"),
                        "{path}:{id} grants sqs:ChangeMessageVisibility"
                    );
                    if actions.iter().any(|a| a == "sqs:ReceiveMessage") {
                        assert_eq!(
                            actions,
                            [
                                "sqs:ReceiveMessage",
                                "sqs:DeleteMessage",
                                "sqs:GetQueueAttributes"
                            ],
                            "{path}:{id}"
                        );
                        consumers += 1;
                    }
                }
            }
        }
    }
    assert!(consumers >= 2, "found the queue consumers ({consumers})");
}

/// Server access logs: the log bucket's policy lets the S3 logging service
/// write only for the buckets that log into it (`aws:SourceArn`, each its
/// own statement under its own prefix) in this account
/// (`aws:SourceAccount`), as "Enabling Amazon S3 server access logging"
/// recommends; every bucket with a `LoggingConfiguration` is named there.
#[test]
fn access_log_delivery_names_each_source_bucket_and_the_account() {
    let mut sources = 0;
    for (path, t) in templates() {
        let resources = t["Resources"].as_object().unwrap();
        for (id, r) in resources {
            let logging = &r["Properties"]["LoggingConfiguration"];
            let Some(logs) = logging["DestinationBucketName"]["Ref"].as_str() else {
                continue;
            };
            let prefix = logging["LogFilePrefix"].as_str().unwrap();
            let policy = resources
                .values()
                .find(|p| {
                    p["Type"] == "AWS::S3::BucketPolicy" && p["Properties"]["Bucket"]["Ref"] == logs
                })
                .unwrap_or_else(|| panic!("{path}: {logs} has no bucket policy"));
            let statements = as_list(&policy["Properties"]["PolicyDocument"]["Statement"]);
            let s = statements
                .iter()
                .find(|s| {
                    s["Principal"]["Service"] == "logging.s3.amazonaws.com"
                        && s["Condition"]["ArnLike"]["aws:SourceArn"]
                            == serde_json::json!({"Fn::GetAtt": [id, "Arn"]})
                })
                .unwrap_or_else(|| panic!("{path}: {logs}'s policy does not name {id}"));
            assert_eq!(
                s["Condition"]["StringEquals"]["aws:SourceAccount"],
                serde_json::json!({"Ref": "AWS::AccountId"}),
                "{path}:{id}"
            );
            assert_eq!(
                s["Resource"][0]["Fn::Sub"][0],
                format!("${{Bucket}}/{prefix}*"),
                "{path}:{id}"
            );
            sources += 1;
        }
        // No delivery statement without a source.
        for r in resources.values() {
            for s in as_list(&r["Properties"]["PolicyDocument"]["Statement"]) {
                if s["Principal"]["Service"] == "logging.s3.amazonaws.com" {
                    assert!(
                        s["Condition"]["ArnLike"]["aws:SourceArn"].is_object(),
                        "{path}"
                    );
                }
            }
        }
    }
    assert!(sources >= 4, "found the logged buckets ({sources})");
}
