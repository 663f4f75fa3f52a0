//! Speed of the checks: every blueprint's templates, and a 500-resource
//! template (CloudFormation's maximum) built in memory.

use criterion::{Criterion, criterion_group, criterion_main};
use serde_json::{Map, Value, json};
use stackcraft::blueprints::Blueprint;
use stackcraft::check::{check_template, check_text};

/// 500 resources that reference each other: queues, their policies and
/// functions' log groups, so every rule family has work to do.
fn large_template() -> Value {
    let mut resources = Map::new();
    for i in 0..125 {
        resources.insert(format!("Queue{i}"), json!({"Type": "AWS::SQS::Queue", "Properties": {
            "SqsManagedSseEnabled": true,
            "RedrivePolicy": {"deadLetterTargetArn": {"Fn::GetAtt": [format!("Dlq{i}"), "Arn"]}, "maxReceiveCount": 3}
        }}));
        resources.insert(
            format!("Dlq{i}"),
            json!({"Type": "AWS::SQS::Queue", "Properties": {"SqsManagedSseEnabled": true}}),
        );
        resources.insert(format!("Policy{i}"), json!({"Type": "AWS::SQS::QueuePolicy", "Properties": {
            "Queues": [{"Ref": format!("Queue{i}")}, {"Ref": format!("Dlq{i}")}],
            "PolicyDocument": {"Statement": [{"Effect": "Deny", "Principal": "*", "Action": "sqs:*", "Resource": "*",
                "Condition": {"Bool": {"aws:SecureTransport": "false"}}}]}
        }}));
        resources.insert(format!("Logs{i}"), json!({"Type": "AWS::Logs::LogGroup", "Properties": {
            "RetentionInDays": 30,
            "LogGroupName": {"Fn::Sub": format!("/app/${{Queue{i}.QueueName}}-${{AWS::Region}}")}
        }}));
    }
    json!({"Resources": resources})
}

fn checks(c: &mut Criterion) {
    let large = large_template();
    let len = large.to_string().len();
    c.bench_function("check 500 resources", |b| {
        b.iter(|| check_template("large.json", len, &large))
    });
    let artifacts: Vec<_> = Blueprint::ALL
        .into_iter()
        .flat_map(|b| b.synth_unchecked(None).unwrap())
        .filter(|a| a.path.to_string_lossy().ends_with(".template.json"))
        .collect();
    c.bench_function("check all blueprints (parse + check)", |b| {
        b.iter(|| {
            for a in &artifacts {
                check_text("t.json", &a.contents).unwrap();
            }
        })
    });
}

criterion_group!(benches, checks);
criterion_main!(benches);
