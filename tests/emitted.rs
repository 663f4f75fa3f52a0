//! Properties of every template the blueprints emit that AWS enforces at
//! deploy time but no linter sees: resource policies name only their own
//! service's actions, and generated names fit their property's length limit
//! for any valid stack name.

use serde_json::Value;
use stackcraft::blueprints::Blueprint;

/// Every emitted template of every blueprint with default settings, by path.
fn templates() -> Vec<(String, Value)> {
    Blueprint::ALL
        .into_iter()
        .flat_map(|b| b.synth(None).expect("synthesizes"))
        .filter(|a| a.path.to_string_lossy().ends_with(".template.json"))
        .map(|a| {
            let path = a.path.to_string_lossy().into_owned();
            (path, serde_json::from_str(&a.contents).expect("JSON"))
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
