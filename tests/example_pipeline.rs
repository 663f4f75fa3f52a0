//! The `examples/pipeline` blueprint, written against the public API as a
//! user would: it synthesizes through the same gate as ours, its settings
//! errors point at the user's line, and its template passes cfn-lint with
//! zero findings. (`scripts/test.sh` also runs it through the command line:
//! `cargo run --example pipeline -- synth pipeline` and `check pipeline`.)

#[path = "../examples/pipeline/blueprint.rs"]
mod blueprint;

mod common;

use blueprint::Pipeline;
use stackcraft::blueprints::{AnyBlueprint, Registry};

#[test]
fn the_example_registers_beside_the_built_in_blueprints() {
    let registry = Registry::builtin().with(Pipeline);
    assert_eq!(registry.names(), "todo, blog, micro, pipeline");
    let schema = registry.get("pipeline").unwrap().settings_schema();
    assert_eq!(schema["title"], "stackcraft pipeline settings");
}

#[test]
fn the_example_synthesizes_through_the_gate_with_secure_defaults() {
    let synthesis = stackcraft::synth::synthesize(&Pipeline, &Pipeline.defaults()).unwrap();
    assert_eq!(synthesis.stacks.len(), 1);
    assert_eq!(synthesis.stacks[0].stack_name, "uploads");
    let t: serde_json::Value = serde_json::from_str(synthesis.artifacts[0].contents()).unwrap();
    let r = &t["Resources"];
    // S3 may send to the queue only from this bucket in this account.
    let statements = r["UploadsQueuePolicy"]["Properties"]["PolicyDocument"]["Statement"]
        .as_array()
        .unwrap();
    let s3 = statements
        .iter()
        .find(|s| s["Principal"]["Service"] == "s3.amazonaws.com")
        .unwrap();
    assert!(s3["Condition"]["ArnEquals"]["aws:SourceArn"].is_object());
    assert!(s3["Condition"]["StringEquals"]["aws:SourceAccount"].is_object());
    // The bucket waits for that policy, and notifies only for the prefix.
    assert_eq!(r["UploadsBucket"]["DependsOn"], "UploadsQueuePolicy");
    let n =
        &r["UploadsBucket"]["Properties"]["NotificationConfiguration"]["QueueConfigurations"][0];
    assert_eq!(n["Filter"]["S3Key"]["Rules"][0]["Value"], "incoming/");
    assert_eq!(
        r["ProcessTrigger"]["Properties"]["FunctionResponseTypes"],
        serde_json::json!(["ReportBatchItemFailures"])
    );
    // The function's role consumes the queue as Lambda's poller does.
    let role = serde_json::to_string(&r["ProcessRole"]).unwrap();
    assert!(role.contains("sqs:ReceiveMessage"), "{role}");
    assert!(!role.contains("sqs:ChangeMessageVisibility"), "{role}");
    // A message in the dead-letter queue raises an alarm.
    assert_eq!(
        r["UploadsDeadLetterAlarm"]["Properties"]["Dimensions"][0]["Value"],
        serde_json::json!({"Fn::GetAtt": ["UploadsDeadLetterQueue", "QueueName"]})
    );
}

#[test]
fn bad_settings_point_at_the_key() {
    let layers = Pipeline.defaults().file("my.yaml", "prefix: 'a b'\n");
    let err = stackcraft::synth::synthesize(&Pipeline, &layers)
        .unwrap_err()
        .to_string();
    assert!(err.starts_with("my.yaml:1:"), "{err}");
    assert!(err.contains("prefix: expected a key prefix"), "{err}");
}

#[test]
fn the_example_template_passes_cfn_lint() {
    let synthesis = stackcraft::synth::synthesize(&Pipeline, &Pipeline.defaults()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    stackcraft::synth::write(dir.path(), &synthesis.artifacts).unwrap();
    let file = dir.path().join("pipeline.template.json");
    common::assert_cfn_lint_clean(&[file]);
}
