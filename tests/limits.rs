//! Every limit rule at its boundary (passes) and one past it (fails), and
//! the cross-stack shape of SC-FN-002.

use serde_json::{Map, Value, json};
use stackcraft::blueprints::BuiltIn;
use stackcraft::check::check_template;

fn rules(t: &Value, len: usize) -> Vec<String> {
    check_template("t.json", len, t)
        .findings
        .into_iter()
        .map(|f| f.rule.to_owned())
        .collect()
}

fn many(n: usize, v: Value) -> Value {
    Value::Object(
        (0..n)
            .map(|i| (format!("X{i}"), v.clone()))
            .collect::<Map<_, _>>(),
    )
}

fn section(name: &str, n: usize) -> Value {
    let item = match name {
        "Resources" => {
            json!({"Type": "Custom::X", "Properties": {"ServiceToken": "arn:aws:sns:us-east-1:123456789012:t"}})
        }
        "Parameters" => json!({"Type": "String"}),
        "Outputs" => json!({"Value": "x"}),
        _ => json!({"K": {"V": "x"}}),
    };
    let mut t = json!({"Resources": {"R": {"Type": "Custom::X", "Properties": {"ServiceToken": "arn:aws:sns:us-east-1:123456789012:t"}}}});
    t[name] = many(n, item);
    t
}

#[test]
fn section_quotas_pass_at_the_limit_and_fail_one_past_it() {
    for (name, max, rule) in [
        ("Resources", 500, "SC-LIM-001"),
        ("Parameters", 200, "SC-LIM-002"),
        ("Outputs", 200, "SC-LIM-003"),
        ("Mappings", 200, "SC-LIM-004"),
    ] {
        let at = rules(&section(name, max), 100);
        assert!(!at.iter().any(|r| r == rule), "{name} at {max}: {at:?}");
        let past = rules(&section(name, max + 1), 100);
        assert!(
            past.iter().any(|r| r == rule),
            "{name} at {}: {past:?}",
            max + 1
        );
    }
}

#[test]
fn body_size_limits_at_and_past_their_boundaries() {
    let t = json!({"Resources": {"R": {"Type": "Custom::X", "Properties": {"ServiceToken": "arn:aws:sns:us-east-1:123456789012:t"}}}});
    assert!(!rules(&t, 51_200).iter().any(|r| r.starts_with("SC-LIM-00")));
    assert_eq!(rules(&t, 51_201), ["SC-LIM-005"]);
    assert_eq!(rules(&t, 1_000_000), ["SC-LIM-005"]);
    assert_eq!(rules(&t, 1_000_001), ["SC-LIM-006"]);
}

#[test]
fn logical_ids_of_255_characters_pass_and_256_fail() {
    let ok = "A".repeat(255);
    let long = "A".repeat(256);
    let t = json!({"Resources": {ok: {"Type": "Custom::X", "Properties": {"ServiceToken": "arn:aws:sns:us-east-1:123456789012:t"}}}});
    assert!(rules(&t, 100).is_empty());
    let t = json!({"Resources": {long: {"Type": "Custom::X", "Properties": {"ServiceToken": "arn:aws:sns:us-east-1:123456789012:t"}}}});
    assert_eq!(rules(&t, 100), ["SC-LIM-007"]);
    let t = json!({"Outputs": {"a-b": {"Value": "x"}}, "Resources": {"R": {"Type": "Custom::X", "Properties": {"ServiceToken": "arn:aws:sns:us-east-1:123456789012:t"}}}});
    assert_eq!(rules(&t, 100), ["SC-LIM-007"]);
}

/// micro's consumer reads a stream of another stack through a parameter.
fn consumer() -> Value {
    let artifacts = BuiltIn::Micro.synth(None).unwrap();
    let a = artifacts
        .iter()
        .find(|a| a.path.ends_with("notifications.template.json"))
        .unwrap();
    serde_json::from_str(a.contents()).unwrap()
}

#[test]
fn a_cross_stack_stream_mapping_needs_an_on_failure_destination() {
    let t = consumer();
    let len = t.to_string().len();
    assert!(!rules(&t, len).iter().any(|r| r == "SC-FN-002"));
    let mut broken = t.clone();
    let mapping = broken["Resources"]["OrdersOrderEventsStreamTrigger"]["Properties"]
        .as_object_mut()
        .unwrap();
    assert!(
        mapping["EventSourceArn"].get("Ref").is_some(),
        "a parameter"
    );
    mapping.remove("DestinationConfig");
    let found = check_template("t.json", len, &broken);
    let f = found
        .findings
        .iter()
        .find(|f| f.rule == "SC-FN-002")
        .expect("SC-FN-002 fires for a parameter-sourced stream");
    assert_eq!(f.resource, "OrdersOrderEventsStreamTrigger");
    // A literal stream ARN is a stream too.
    let t = json!({"Resources": {"M": {"Type": "AWS::Lambda::EventSourceMapping", "Properties": {
        "FunctionName": "f",
        "EventSourceArn": "arn:aws:kinesis:us-east-1:123456789012:stream/s"}}}});
    assert!(rules(&t, 100).iter().any(|r| r == "SC-FN-002"));
}
