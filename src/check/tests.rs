//! Every security rule: a template that breaks it and one that passes.

use serde_json::{Value, json};

use super::check_template;

fn rules_of(t: &Value) -> Vec<&'static str> {
    check_template("t.json", 100, t)
        .findings
        .into_iter()
        .map(|f| f.rule)
        .collect()
}

fn one(kind: &str, props: Value) -> Value {
    json!({"Resources": {"R": {"Type": kind, "Properties": props}}})
}

fn assert_rule(rule: &str, bad: Value, good: Value) {
    assert!(
        rules_of(&bad).contains(&rule),
        "{rule} should fire: {:?}",
        rules_of(&bad)
    );
    assert!(
        !rules_of(&good).contains(&rule),
        "{rule} should not fire: {:?}",
        rules_of(&good)
    );
}

fn role(statement: Value) -> Value {
    one(
        "AWS::IAM::Role",
        json!({"AssumeRolePolicyDocument": {}, "Policies": [{"PolicyName": "p", "PolicyDocument": {"Statement": [statement]}}]}),
    )
}

#[test]
fn iam_wildcard_actions() {
    assert_rule(
        "SC-IAM-001",
        role(json!({"Effect": "Allow", "Action": ["s3:Get*"], "Resource": ["arn:aws:s3:::b/*"]})),
        role(
            json!({"Effect": "Allow", "Action": ["s3:GetObject"], "Resource": ["arn:aws:s3:::b/*"]}),
        ),
    );
    // Deny statements may be broad.
    assert!(
        !rules_of(&role(
            json!({"Effect": "Deny", "Action": "*", "Resource": "*"})
        ))
        .contains(&"SC-IAM-001")
    );
}

#[test]
fn iam_star_resources() {
    assert_rule(
        "SC-IAM-002",
        role(
            json!({"Effect": "Allow", "Action": ["dynamodb:GetItem", "xray:PutTraceSegments"], "Resource": "*"}),
        ),
        role(
            json!({"Effect": "Allow", "Action": ["xray:PutTraceSegments", "ec2:DescribeNetworkInterfaces"], "Resource": "*"}),
        ),
    );
    // The Service Authorization Reference says this one takes resources.
    assert!(
        rules_of(&role(
            json!({"Effect": "Allow", "Action": "ec2:CreateNetworkInterface", "Resource": "*"})
        ))
        .contains(&"SC-IAM-002")
    );
}

#[test]
fn resource_policies_may_say_resource_star() {
    let t = json!({"Resources": {"T": {"Type": "AWS::SNS::Topic"}, "P": {"Type": "AWS::SNS::TopicPolicy", "Properties": {
        "Topics": [{"Ref": "T"}],
        "PolicyDocument": {"Statement": [{"Effect": "Allow", "Principal": {"Service": "events.amazonaws.com"}, "Action": "sns:Publish", "Resource": "*"}]}
    }}}});
    assert!(!rules_of(&t).contains(&"SC-IAM-002"));
}

#[test]
fn not_action_and_not_resource_in_allow_statements() {
    let found = |s: Value| -> Vec<(String, &'static str)> {
        check_template("t.json", 100, &role(s))
            .findings
            .into_iter()
            .filter(|f| f.rule.starts_with("SC-IAM"))
            .map(|f| (f.path.rsplit('.').next().unwrap_or("").to_owned(), f.rule))
            .collect()
    };
    assert_eq!(
        found(json!({"Effect": "Allow", "NotAction": "iam:*", "Resource": "arn:aws:s3:::b/*"})),
        [("NotAction".to_owned(), "SC-IAM-001")]
    );
    assert_eq!(
        found(
            json!({"Effect": "Allow", "Action": "s3:GetObject", "NotResource": "arn:aws:s3:::secret/*"})
        ),
        [("NotResource".to_owned(), "SC-IAM-002")]
    );
    // Deny statements with NotAction are the usual guard rails.
    assert!(found(json!({"Effect": "Deny", "NotAction": "iam:*", "NotResource": "*"})).is_empty());
    // Actions that accept only "*" may have it through NotResource too.
    assert!(
        found(json!({"Effect": "Allow", "Action": "sts:GetCallerIdentity", "NotResource": "x"}))
            .is_empty()
    );
}

fn bucket(props: Value, policy: bool) -> Value {
    let mut t = one("AWS::S3::Bucket", props);
    if policy {
        t["Resources"]["P"] = json!({"Type": "AWS::S3::BucketPolicy", "Properties": {"Bucket": {"Ref": "R"}, "PolicyDocument": {"Statement": [
            {"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "*", "Condition": {"Bool": {"aws:SecureTransport": "false"}}}
        ]}}});
    }
    t
}

fn good_bucket() -> Value {
    json!({
        "PublicAccessBlockConfiguration": {"BlockPublicAcls": true, "BlockPublicPolicy": true, "IgnorePublicAcls": true, "RestrictPublicBuckets": true},
        "BucketEncryption": {"ServerSideEncryptionConfiguration": [{"ServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}]},
        "VersioningConfiguration": {"Status": "Enabled"}
    })
}

#[test]
fn s3_rules() {
    let mut open = good_bucket();
    open["PublicAccessBlockConfiguration"]["BlockPublicPolicy"] = json!(false);
    assert_rule("SC-S3-001", bucket(open, true), bucket(good_bucket(), true));
    // Left out, the flags are on (the default since April 2023); without
    // BucketEncryption objects are still encrypted (SSE-S3, since 2023).
    let mut defaults = good_bucket();
    defaults
        .as_object_mut()
        .unwrap()
        .remove("PublicAccessBlockConfiguration");
    defaults.as_object_mut().unwrap().remove("BucketEncryption");
    assert!(!rules_of(&bucket(defaults, true)).contains(&"SC-S3-001"));
    // A flag turned off through a parameter's default is found too.
    let mut t = bucket(good_bucket(), true);
    t["Parameters"] = json!({"Open": {"Type": "String", "Default": "false"}});
    t["Resources"]["R"]["Properties"]["PublicAccessBlockConfiguration"]["BlockPublicAcls"] =
        json!({"Ref": "Open"});
    assert!(rules_of(&t).contains(&"SC-S3-001"));
    assert_rule(
        "SC-S3-003",
        bucket(good_bucket(), false),
        bucket(good_bucket(), true),
    );
    let mut unversioned = good_bucket();
    unversioned
        .as_object_mut()
        .unwrap()
        .remove("VersioningConfiguration");
    assert_rule(
        "SC-S3-004",
        bucket(unversioned, true),
        bucket(good_bucket(), true),
    );
}

#[test]
fn dynamodb_rules() {
    let good = json!({"SSESpecification": {"SSEEnabled": true}, "PointInTimeRecoverySpecification": {"PointInTimeRecoveryEnabled": true}});
    assert_rule(
        "SC-DDB-001",
        one(
            "AWS::DynamoDB::Table",
            json!({"PointInTimeRecoverySpecification": {"PointInTimeRecoveryEnabled": true}}),
        ),
        one("AWS::DynamoDB::Table", good.clone()),
    );
    assert_rule(
        "SC-DDB-002",
        one(
            "AWS::DynamoDB::Table",
            json!({"SSESpecification": {"SSEEnabled": true}}),
        ),
        one("AWS::DynamoDB::Table", good),
    );
    let global = |pitr: bool| {
        one(
            "AWS::DynamoDB::GlobalTable",
            json!({
                "SSESpecification": {"SSEEnabled": true},
                "Replicas": [{"Region": "us-east-1", "PointInTimeRecoverySpecification": {"PointInTimeRecoveryEnabled": true}},
                             {"Region": "eu-west-1", "PointInTimeRecoverySpecification": {"PointInTimeRecoveryEnabled": pitr}}]
            }),
        )
    };
    assert_rule("SC-DDB-002", global(false), global(true));
}

fn with_policy(mut t: Value, kind: &str, field: &str, target: Value) -> Value {
    t["Resources"]["P"] = json!({"Type": kind, "Properties": {field: [target], "PolicyDocument": {"Statement": [
        {"Effect": "Deny", "Principal": "*", "Action": "sqs:*", "Resource": "*", "Condition": {"Bool": {"aws:SecureTransport": false}}}
    ]}}});
    t
}

#[test]
fn messaging_rules() {
    let queue = |props| {
        with_policy(
            one("AWS::SQS::Queue", props),
            "AWS::SQS::QueuePolicy",
            "Queues",
            json!({"Ref": "R"}),
        )
    };
    assert_rule(
        "SC-MSG-001",
        queue(json!({"SqsManagedSseEnabled": false})),
        queue(json!({"SqsManagedSseEnabled": true})),
    );
    // Left out, SSE-SQS applies (the default for new queues).
    assert!(!rules_of(&queue(json!({}))).contains(&"SC-MSG-001"));
    assert!(
        !rules_of(&queue(
            json!({"SqsManagedSseEnabled": false, "KmsMasterKeyId": "alias/aws/sqs"})
        ))
        .contains(&"SC-MSG-001")
    );
    assert_rule(
        "SC-MSG-003",
        one("AWS::SQS::Queue", json!({"SqsManagedSseEnabled": true})),
        queue(json!({"SqsManagedSseEnabled": true})),
    );
    let topic = |props| {
        with_policy(
            one("AWS::SNS::Topic", props),
            "AWS::SNS::TopicPolicy",
            "Topics",
            json!({"Ref": "R"}),
        )
    };
    assert_rule(
        "SC-MSG-002",
        topic(json!({})),
        topic(json!({"KmsMasterKeyId": "alias/aws/sns"})),
    );
    assert_rule(
        "SC-MSG-003",
        one("AWS::SNS::Topic", json!({"KmsMasterKeyId": "k"})),
        topic(json!({"KmsMasterKeyId": "k"})),
    );
}

#[test]
fn lambda_rules() {
    let function = |logs: bool| {
        let mut t = one(
            "AWS::Lambda::Function",
            json!({"LoggingConfig": {"LogGroup": {"Ref": "G"}}}),
        );
        let mut g = json!({"Type": "AWS::Logs::LogGroup", "Properties": {}});
        if logs {
            g["Properties"]["RetentionInDays"] = json!(30);
        }
        t["Resources"]["G"] = g;
        t
    };
    assert_rule("SC-FN-001", function(false), function(true));
    let mapping = |source: Value, props: Value| {
        let mut esm = json!({"EventSourceArn": {"Fn::GetAtt": ["S", "Arn"]}});
        for (k, v) in props.as_object().unwrap() {
            esm[k] = v.clone();
        }
        json!({"Resources": {"S": source, "M": {"Type": "AWS::Lambda::EventSourceMapping", "Properties": esm}}})
    };
    assert_rule(
        "SC-FN-002",
        mapping(json!({"Type": "AWS::SQS::Queue"}), json!({})),
        mapping(
            json!({"Type": "AWS::SQS::Queue", "Properties": {"RedrivePolicy": {}}}),
            json!({}),
        ),
    );
    assert_rule(
        "SC-FN-002",
        mapping(json!({"Type": "AWS::Kinesis::Stream"}), json!({})),
        mapping(
            json!({"Type": "AWS::Kinesis::Stream"}),
            json!({"DestinationConfig": {"OnFailure": {"Destination": "arn"}}}),
        ),
    );
}

#[test]
fn api_gateway_rules() {
    let good = json!({"AccessLogSetting": {"DestinationArn": "a"}, "MethodSettings": [{"ResourcePath": "/*", "HttpMethod": "*", "ThrottlingRateLimit": 10, "ThrottlingBurstLimit": 20}]});
    assert_rule(
        "SC-API-001",
        one(
            "AWS::ApiGateway::Stage",
            json!({"MethodSettings": good["MethodSettings"]}),
        ),
        one("AWS::ApiGateway::Stage", good.clone()),
    );
    assert_rule(
        "SC-API-002",
        one("AWS::ApiGateway::Stage", json!({"AccessLogSetting": {}})),
        one("AWS::ApiGateway::Stage", good),
    );
}

#[test]
fn cloudfront_rules() {
    let dist = |policy: &str, headers: bool| {
        let mut b = json!({"ViewerProtocolPolicy": policy});
        if headers {
            b["ResponseHeadersPolicyId"] = json!("id");
        }
        one(
            "AWS::CloudFront::Distribution",
            json!({"DistributionConfig": {"DefaultCacheBehavior": b.clone(), "CacheBehaviors": [b]}}),
        )
    };
    assert_rule(
        "SC-CDN-001",
        dist("allow-all", true),
        dist("redirect-to-https", true),
    );
    assert_rule(
        "SC-CDN-002",
        dist("https-only", false),
        dist("https-only", true),
    );
}

#[test]
fn database_rules() {
    assert_rule(
        "SC-DB-001",
        one("AWS::RDS::DBInstance", json!({})),
        one("AWS::RDS::DBInstance", json!({"StorageEncrypted": true})),
    );
    assert_rule(
        "SC-DB-001",
        one("AWS::RDS::DBCluster", json!({"StorageEncrypted": false})),
        one("AWS::RDS::DBCluster", json!({"StorageEncrypted": true})),
    );
    assert_rule(
        "SC-DB-002",
        one(
            "AWS::RDS::DBInstance",
            json!({"StorageEncrypted": true, "PubliclyAccessible": true}),
        ),
        one(
            "AWS::RDS::DBInstance",
            json!({"StorageEncrypted": true, "PubliclyAccessible": false}),
        ),
    );
    assert_rule(
        "SC-DB-003",
        one(
            "AWS::ElastiCache::ReplicationGroup",
            json!({"AtRestEncryptionEnabled": true}),
        ),
        one(
            "AWS::ElastiCache::ReplicationGroup",
            json!({"AtRestEncryptionEnabled": true, "TransitEncryptionEnabled": true}),
        ),
    );
}

#[test]
fn world_ingress_only_on_web_ports_of_public_load_balancers() {
    let sg = |port: i64, public_lb: bool| {
        let mut t = one(
            "AWS::EC2::SecurityGroup",
            json!({"SecurityGroupIngress": [{"IpProtocol": "tcp", "FromPort": port, "ToPort": port, "CidrIp": "0.0.0.0/0"}]}),
        );
        if public_lb {
            t["Resources"]["LB"] = json!({"Type": "AWS::ElasticLoadBalancingV2::LoadBalancer", "Properties": {"SecurityGroups": [{"Fn::GetAtt": ["R", "GroupId"]}]}});
        }
        t
    };
    assert_rule("SC-NET-001", sg(22, true), sg(443, true));
    assert_rule("SC-NET-001", sg(443, false), sg(80, true));
    // A classic load balancer, ports written as strings.
    let mut classic = one(
        "AWS::EC2::SecurityGroup",
        json!({"SecurityGroupIngress": [{"IpProtocol": "tcp", "FromPort": "80", "ToPort": "80", "CidrIp": "0.0.0.0/0"}]}),
    );
    classic["Resources"]["LB"] = json!({"Type": "AWS::ElasticLoadBalancing::LoadBalancer", "Properties": {"SecurityGroups": [{"Ref": "R"}]}});
    assert!(!rules_of(&classic).contains(&"SC-NET-001"));
}

#[test]
fn read_replicas_and_parameters() {
    // A read replica takes its encryption from its source.
    let replica = json!({"Resources": {
        "Source": {"Type": "AWS::RDS::DBInstance", "Properties": {"StorageEncrypted": true}},
        "Replica": {"Type": "AWS::RDS::DBInstance", "Properties": {"SourceDBInstanceIdentifier": {"Ref": "Source"}}}
    }});
    assert!(!rules_of(&replica).contains(&"SC-DB-001"));
    // Through a parameter: its default decides; without one, deployment does.
    let db = |default: Option<&str>| {
        let mut p = json!({"Type": "String"});
        if let Some(d) = default {
            p["Default"] = json!(d);
        }
        json!({"Parameters": {"Enc": p}, "Resources": {"D": {"Type": "AWS::RDS::DBInstance",
            "Properties": {"StorageEncrypted": {"Ref": "Enc"}}}}})
    };
    assert!(rules_of(&db(Some("false"))).contains(&"SC-DB-001"));
    assert!(!rules_of(&db(Some("true"))).contains(&"SC-DB-001"));
    assert!(!rules_of(&db(None)).contains(&"SC-DB-001"));
}

#[test]
fn bucket_policies_naming_the_bucket_by_name() {
    let by = |name: Value, policy_bucket: Value| {
        json!({"Resources": {
            "B": {"Type": "AWS::S3::Bucket", "Properties": {"BucketName": name}},
            "P": {"Type": "AWS::S3::BucketPolicy", "Properties": {"Bucket": policy_bucket, "PolicyDocument": {"Statement": [
                {"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "*", "Condition": {"Bool": {"aws:SecureTransport": false}}}
            ]}}}
        }})
    };
    let sub = json!({"Fn::Sub": "${AWS::StackName}-logs"});
    assert!(!rules_of(&by(sub.clone(), sub.clone())).contains(&"SC-S3-003"));
    assert!(!rules_of(&by(json!("my-logs"), json!("my-logs"))).contains(&"SC-S3-003"));
    assert!(rules_of(&by(json!("my-logs"), json!("other"))).contains(&"SC-S3-003"));
}

#[test]
fn language_extensions_are_expanded_and_other_transforms_named() {
    let t = json!({
        "Transform": "AWS::LanguageExtensions",
        "Resources": {"Fn::ForEach::Queues": ["Name", ["A", "B"], {
            "Queue${Name}": {"Type": "AWS::SQS::Queue", "Properties": {"QueueName": {"Ref": "Name"}, "SqsManagedSseEnabled": true}}
        }]},
        "Outputs": {"Url": {"Value": {"Ref": "QueueA"}}}
    });
    let found = rules_of(&t);
    assert!(
        !found
            .iter()
            .any(|r| r.starts_with("SC-INT") || r.starts_with("SC-LIM")),
        "{found:?}"
    );
    assert_eq!(
        found.iter().filter(|r| **r == "SC-MSG-003").count(),
        2,
        "{found:?}"
    );
    let sam = json!({
        "Transform": "AWS::Serverless-2016-10-31",
        "Resources": {"P": {"Type": "AWS::IAM::Policy", "Properties": {"Roles": [{"Ref": "FnRole"}], "PolicyName": "p",
            "PolicyDocument": {"Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}]}}}}
    });
    let report = check_template("t.yaml", 100, &sam);
    let rules: Vec<&str> = report.findings.iter().map(|f| f.rule).collect();
    assert_eq!(rules, ["SC-TFM-001"]);
    assert!(
        report.findings[0]
            .message
            .contains("AWS::Serverless-2016-10-31")
    );
    assert!(report.findings[0].message.contains("SC-INT-001"));
}

#[test]
fn waivers_need_a_known_rule_and_a_reason() {
    let mut t =
        role(json!({"Effect": "Allow", "Action": ["s3:*"], "Resource": ["arn:aws:s3:::b"]}));
    t["Resources"]["R"]["Metadata"] =
        json!({"stackcraft": {"waivers": [{"rule": "SC-IAM-001", "reason": "break-glass role"}]}});
    let report = check_template("t.json", 100, &t);
    assert!(report.findings.is_empty(), "{:?}", report.findings);
    assert_eq!(report.waived.len(), 1);
    assert_eq!(report.waived[0].reason, "break-glass role");

    t["Resources"]["R"]["Metadata"] = json!({"stackcraft": {"waivers": [{"rule": "SC-IAM-001", "reason": " "}, {"rule": "SC-NOPE-1", "reason": "x"}]}});
    let rules = rules_of(&t);
    assert_eq!(
        rules.iter().filter(|r| **r == "SC-WVR-001").count(),
        2,
        "{rules:?}"
    );
    assert!(
        rules.contains(&"SC-IAM-001"),
        "an empty reason waives nothing"
    );
}

#[test]
fn template_wide_waivers() {
    let t = json!({"Metadata": {"stackcraft": {"waivers": [{"rule": "SC-LIM-005", "reason": "deployed through S3"}]}}, "Resources": {}});
    let report = check_template("t.json", 60_000, &t);
    assert!(report.findings.is_empty());
    assert_eq!(report.waived[0].resource, "Template");
}

#[test]
fn packaging_inputs_are_not_judged_as_final_values() {
    let function = |code: Value| {
        json!({"Resources": {"F": {"Type": "AWS::Lambda::Function", "Properties": {
            "Role": "arn:aws:iam::123456789012:role/r", "Code": code}}}})
    };
    // `aws cloudformation package` uploads ./src; rain expands Rain::Embed.
    assert!(!rules_of(&function(json!("./src"))).contains(&"SC-SCH-005"));
    assert!(
        !rules_of(&function(json!({"ZipFile": {"Rain::Embed": "h.py"}}))).contains(&"SC-SCH-005")
    );
    // Anything else of the wrong type is still a finding.
    assert!(rules_of(&function(json!(5))).contains(&"SC-SCH-005"));
    assert!(rules_of(&function(json!({"ZipFile": {"Other": 1}}))).contains(&"SC-SCH-005"));
}
