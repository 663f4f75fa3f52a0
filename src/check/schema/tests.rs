use crate::check::check_template;
use serde_json::{Value, json};

/// `(rule, path, message)` of the schema findings.
fn schema_findings(resources: Value) -> Vec<(String, String, String)> {
    check_template("t.json", 100, &json!({"Resources": resources}))
        .findings
        .into_iter()
        .filter(|f| f.rule.starts_with("SC-SCH"))
        .map(|f| (f.rule.to_owned(), f.path, f.message))
        .collect()
}

fn rules(resources: Value) -> Vec<String> {
    schema_findings(resources)
        .into_iter()
        .map(|(r, _, _)| r)
        .collect()
}

#[test]
fn unknown_aws_types_fail_and_others_are_not_judged() {
    let found = schema_findings(json!({
        "Bad": {"Type": "AWS::S3::Buckets"},
        "Custom": {"Type": "Custom::Thing", "Properties": {"ServiceToken": "arn:aws:lambda:x", "Any": 1}},
        "Third": {"Type": "MongoDB::Atlas::Cluster", "Properties": {"Anything": true}},
        "Sam": {"Type": "AWS::Serverless::Function", "Properties": {"Anything": true}},
        "Mod": {"Type": "My::Org::Thing::MODULE"},
        "Good": {"Type": "AWS::SQS::Queue"}
    }));
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].0, "SC-SCH-001");
    assert!(found[0].2.contains("\"AWS::S3::Buckets\""));
}

#[test]
fn unknown_properties_fail_at_every_level() {
    let found = schema_findings(json!({"B": {"Type": "AWS::S3::Bucket", "Properties": {
        "Bucketname": "x",
        "VersioningConfiguration": {"Status": "Enabled", "Mode": "x"}
    }}}));
    let got: Vec<(&str, &str)> = found
        .iter()
        .map(|(r, p, _)| (r.as_str(), p.as_str()))
        .collect();
    assert_eq!(
        got,
        [
            ("SC-SCH-002", "Properties.Bucketname"),
            ("SC-SCH-002", "Properties.VersioningConfiguration.Mode")
        ]
    );
    assert!(
        found[0].2.contains("did you mean \"BucketName\"?"),
        "{}",
        found[0].2
    );
}

#[test]
fn known_properties_pattern_properties_and_free_form_objects_pass() {
    assert_eq!(
        rules(json!({
            "B": {"Type": "AWS::S3::Bucket", "Properties": {
                "BucketName": "my-bucket", "VersioningConfiguration": {"Status": "Enabled"},
                "Tags": [{"Key": "a", "Value": "b"}]
            }},
            "P": {"Type": "AWS::SSM::Parameter", "Properties": {"Type": "String", "Value": "v", "Tags": {"team": "x"}}},
            "R": {"Type": "AWS::IAM::Role", "Properties": {"AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": []}}}
        })),
        Vec::<String>::new()
    );
}

#[test]
fn missing_required_properties_fail() {
    let found = schema_findings(json!({
        "P": {"Type": "AWS::SSM::Parameter", "Properties": {"Type": "String"}},
        "F": {"Type": "AWS::Lambda::Function"},
        "B": {"Type": "AWS::S3::Bucket", "Properties": {"VersioningConfiguration": {}}}
    }));
    let messages: Vec<&str> = found.iter().map(|(_, _, m)| m.as_str()).collect();
    assert_eq!(
        messages,
        [
            "AWS::SSM::Parameter requires \"Value\" here",
            "AWS::Lambda::Function requires \"Code\" here",
            "AWS::Lambda::Function requires \"Role\" here",
            "AWS::S3::Bucket requires \"Status\" here",
        ]
    );
    assert_eq!(found[3].1, "Properties.VersioningConfiguration");
}

#[test]
fn literal_values_out_of_limits_fail() {
    let found = schema_findings(json!({
        "F": {"Type": "AWS::Lambda::Function", "Properties": {
            "Code": {"ZipFile": "x"}, "Role": "arn:aws:iam::123456789012:role/r", "FunctionName": "a".repeat(65)
        }},
        "Q": {"Type": "AWS::SQS::Queue", "Properties": {"DelaySeconds": 901, "MessageRetentionPeriod": "59"}},
        "B": {"Type": "AWS::S3::Bucket", "Properties": {"BucketName": "Not_Valid", "VersioningConfiguration": {"Status": "On"}}},
        "L": {"Type": "AWS::Logs::LogGroup", "Properties": {"RetentionInDays": 31}}
    }));
    let got: Vec<(&str, &str)> = found
        .iter()
        .map(|(r, p, _)| (r.as_str(), p.as_str()))
        .collect();
    assert_eq!(
        got,
        [
            ("SC-SCH-004", "Properties.FunctionName"),
            ("SC-SCH-004", "Properties.DelaySeconds"),
            ("SC-SCH-004", "Properties.MessageRetentionPeriod"),
            ("SC-SCH-004", "Properties.BucketName"),
            ("SC-SCH-004", "Properties.VersioningConfiguration.Status"),
            ("SC-SCH-004", "Properties.RetentionInDays"),
        ],
        "{found:#?}"
    );
    assert!(found[0].2.contains("65 characters long, longer than 64"));
    assert!(found[3].2.contains("does not match the pattern"));
    assert!(found[4].2.contains("\"On\", not one of Enabled, Suspended"));
}

#[test]
fn values_within_limits_and_converted_scalars_pass() {
    assert_eq!(
        rules(json!({
            "Q": {"Type": "AWS::SQS::Queue", "Properties": {
                "QueueName": "orders", "DelaySeconds": "900", "FifoQueue": "false", "MessageRetentionPeriod": 60
            }},
            "L": {"Type": "AWS::Logs::LogGroup", "Properties": {"RetentionInDays": "30"}}
        })),
        Vec::<String>::new()
    );
}

#[test]
fn wrong_types_fail() {
    let found = schema_findings(json!({"Q": {"Type": "AWS::SQS::Queue", "Properties": {
        "QueueName": ["a"], "DelaySeconds": "soon", "Tags": {"Key": "k"}
    }}}));
    let messages: Vec<&str> = found.iter().map(|(_, _, m)| m.as_str()).collect();
    assert_eq!(
        messages,
        [
            "QueueName must be string, not a list",
            "DelaySeconds must be integer, not a string",
            "Tags must be array, not a mapping",
        ]
    );
}

#[test]
fn intrinsics_are_skipped_but_if_branches_are_judged() {
    let found = schema_findings(json!({"Q": {"Type": "AWS::SQS::Queue", "Properties": {
        "QueueName": {"Fn::GetAtt": ["X", "Y"]},
        "DelaySeconds": {"Ref": "Delay"},
        "Tags": {"Fn::If": ["C", [{"Key": "k", "Value": "v"}], {"Ref": "AWS::NoValue"}]},
        "MaximumMessageSize": {"Fn::If": ["C", 1, 262144]}
    }}}));
    let got: Vec<(&str, &str)> = found
        .iter()
        .map(|(r, p, _)| (r.as_str(), p.as_str()))
        .collect();
    assert_eq!(got, [("SC-SCH-004", "Properties.MaximumMessageSize")]);
}

#[test]
fn names_from_long_stack_names_warn_with_the_length() {
    let found = schema_findings(json!({
        "F": {"Type": "AWS::Lambda::Function", "Properties": {
            "Code": {"ZipFile": "x"}, "Role": "arn:aws:iam::123456789012:role/r",
            "FunctionName": {"Fn::Sub": "${AWS::StackName}-orders-handler"}
        }},
        "R": {"Type": "AWS::IAM::Role", "Properties": {
            "AssumeRolePolicyDocument": {},
            "RoleName": {"Fn::Join": ["-", [{"Ref": "AWS::StackName"}, "q"]]}
        }},
        "Q": {"Type": "AWS::SQS::Queue", "Properties": {"QueueName": {"Fn::Sub": "${AWS::StackName}-no-limit"}}},
        "G": {"Type": "AWS::Logs::LogGroup", "Properties": {"LogGroupName": {"Fn::Sub": "/app/${AWS::StackName}"}}}
    }));
    let got: Vec<(&str, &str)> = found
        .iter()
        .map(|(r, p, _)| (r.as_str(), p.as_str()))
        .collect();
    assert_eq!(
        got,
        [
            ("SC-SCH-006", "Properties.FunctionName"),
            ("SC-SCH-006", "Properties.RoleName")
        ]
    );
    assert!(
        found[0].2.contains("reaches 143 characters"),
        "{}",
        found[0].2
    );
    assert!(
        found[0].2.contains("longer than 49 characters"),
        "{}",
        found[0].2
    );
    assert!(
        found[1].2.contains("reaches 130 characters"),
        "{}",
        found[1].2
    );
}

#[test]
fn transform_keys_suspend_the_name_and_required_checks() {
    assert_eq!(
        rules(json!({"P": {"Type": "AWS::SSM::Parameter", "Properties": {
            "Fn::ForEach::X": ["x", ["a"], {"Value": "v"}], "Type": "String"
        }}})),
        Vec::<String>::new()
    );
}
