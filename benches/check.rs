//! Speed of the checks: every blueprint's templates, a 500-resource
//! template (CloudFormation's maximum) and a 20,000-resource one built in
//! memory, to show the checks stay linear in template size.

use criterion::{Criterion, criterion_group, criterion_main};
use serde_json::{Map, Value, json};
use stackcraft::blueprints::BuiltIn;
use stackcraft::check::{check_template, check_text};

/// `4 * groups` resources that reference each other: queues, their
/// policies and log groups, plus buckets with policies naming them by
/// `BucketName`, so every lookup between resources has work to do.
fn large_template(groups: usize) -> Value {
    let mut resources = Map::new();
    let deny = |resource: Value| {
        json!({"Statement": [{"Effect": "Deny", "Principal": "*", "Action": "*", "Resource": resource,
            "Condition": {"Bool": {"aws:SecureTransport": "false"}}}]})
    };
    for i in 0..groups {
        if i % 2 == 1 {
            let name = format!("bucket-{i}");
            resources.insert(
                format!("Bucket{i}"),
                json!({"Type": "AWS::S3::Bucket", "Properties": {"BucketName": name}}),
            );
            resources.insert(format!("BucketPolicy{i}"), json!({"Type": "AWS::S3::BucketPolicy", "Properties": {
                "Bucket": name, "PolicyDocument": deny(json!(format!("arn:aws:s3:::bucket-{i}/*")))
            }}));
            resources.insert(format!("Topic{i}"), json!({"Type": "AWS::SNS::Topic", "Properties": {"KmsMasterKeyId": "alias/aws/sns"}}));
            resources.insert(format!("TopicPolicy{i}"), json!({"Type": "AWS::SNS::TopicPolicy", "Properties": {
                "Topics": [{"Ref": format!("Topic{i}")}], "PolicyDocument": deny(json!({"Ref": format!("Topic{i}")}))
            }}));
            continue;
        }
        resources.insert(format!("Queue{i}"), json!({"Type": "AWS::SQS::Queue", "Properties": {
            "SqsManagedSseEnabled": true,
            "RedrivePolicy": {"deadLetterTargetArn": {"Fn::GetAtt": [format!("Dlq{i}"), "Arn"]}, "maxReceiveCount": 3}
        }}));
        resources.insert(
            format!("Dlq{i}"),
            json!({"Type": "AWS::SQS::Queue", "Properties": {"SqsManagedSseEnabled": true}}),
        );
        resources.insert(
            format!("Policy{i}"),
            json!({"Type": "AWS::SQS::QueuePolicy", "Properties": {
                "Queues": [{"Ref": format!("Queue{i}")}, {"Ref": format!("Dlq{i}")}],
                "PolicyDocument": deny(json!("*"))
            }}),
        );
        resources.insert(format!("Logs{i}"), json!({"Type": "AWS::Logs::LogGroup", "Properties": {
            "RetentionInDays": 30,
            "LogGroupName": {"Fn::Sub": format!("/app/${{Queue{i}.QueueName}}-${{AWS::Region}}")}
        }}));
    }
    json!({"Resources": resources})
}

fn checks(c: &mut Criterion) {
    let large = large_template(125);
    let len = large.to_string().len();
    c.bench_function("check 500 resources", |b| {
        b.iter(|| check_template("large.json", len, &large))
    });
    let huge = large_template(5_000);
    let len = huge.to_string().len();
    c.bench_function("check 20000 resources", |b| {
        b.iter(|| check_template("huge.json", len, &huge))
    });
    let artifacts: Vec<_> = BuiltIn::ALL
        .into_iter()
        .flat_map(|b| b.synth_unchecked(None).unwrap())
        .filter(|a| a.path.to_string_lossy().ends_with(".template.json"))
        .collect();
    c.bench_function("check all blueprints (parse + check)", |b| {
        b.iter(|| {
            for a in &artifacts {
                check_text("t.json", a.contents()).unwrap();
            }
        })
    });
}

criterion_group!(benches, checks);
criterion_main!(benches);
