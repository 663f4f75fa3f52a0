//! The rules for classes of deployment and runtime defects (service.rs,
//! elb_logs.rs, lifecycle.rs, runtime.rs): a template that breaks each and
//! one that passes, with values written the ways other people write them.

use serde_json::{Value, json};

use super::parse::parse_template;
use super::{Finding, check_template};

fn findings(t: &Value, rule: &str) -> Vec<Finding> {
    check_template("t.json", 100, t)
        .findings
        .into_iter()
        .filter(|f| f.rule == rule)
        .collect()
}

fn assert_rule(rule: &str, bad: Value, good: Value) {
    assert!(
        !findings(&bad, rule).is_empty(),
        "{rule} should fire on {bad:#}"
    );
    assert!(
        findings(&good, rule).is_empty(),
        "{rule} should not fire: {:?}",
        findings(&good, rule)
    );
}

fn yaml(text: &str) -> Value {
    parse_template("t.yaml", text).unwrap()
}

fn topic_policy(kind: &str, actions: Value) -> Value {
    json!({"Resources": {
        "T": {"Type": "AWS::SNS::Topic"},
        "P": {"Type": kind, "Properties": {"Topics": [{"Ref": "T"}], "TopicArn": {"Ref": "T"}, "PolicyDocument": {"Statement": [
            {"Effect": "Deny", "Principal": {"AWS": "*"}, "Action": actions, "Resource": {"Ref": "T"},
             "Condition": {"Bool": {"aws:SecureTransport": "false"}}}
        ]}}}
    }})
}

#[test]
fn topic_policies_name_only_sns_actions() {
    for kind in ["AWS::SNS::TopicPolicy", "AWS::SNS::TopicInlinePolicy"] {
        assert_rule(
            "SC-POL-001",
            topic_policy(kind, json!(["*"])),
            topic_policy(kind, json!("sns:Publish")),
        );
        assert_rule(
            "SC-POL-001",
            topic_policy(kind, json!(["sns:Publish", "sqs:SendMessage"])),
            topic_policy(kind, json!(["SNS:Publish", "sns:*", "SNS:Receive"])),
        );
    }
    assert_rule(
        "SC-POL-002",
        topic_policy("AWS::SNS::TopicPolicy", json!("sns:CreateTopic")),
        topic_policy(
            "AWS::SNS::TopicPolicy",
            json!(["sns:Subscribe", "sns:Get*"]),
        ),
    );
    let bad = findings(
        &topic_policy("AWS::SNS::TopicPolicy", json!("*")),
        "SC-POL-001",
    );
    assert_eq!(bad[0].path, "Properties.PolicyDocument.Statement[0].Action");
    assert_eq!(bad[0].severity, super::Severity::Error);
}

#[test]
fn queue_policies_name_only_sqs_actions() {
    let queue = |action: &str| {
        yaml(&format!(
            "Resources:\n  Q:\n    Type: AWS::SQS::Queue\n  P:\n    Type: AWS::SQS::QueuePolicy\n    Properties:\n      Queues: [!Ref Q]\n      PolicyDocument:\n        Statement:\n          - Effect: Allow\n            Principal: {{Service: sns.amazonaws.com}}\n            Action: {action}\n            Resource: !GetAtt Q.Arn\n"
        ))
    };
    assert_rule("SC-POL-003", queue("sns:Publish"), queue("sqs:SendMessage"));
    // SQS accepts "*": no finding.
    assert!(findings(&queue("'*'"), "SC-POL-003").is_empty());
}

/// An ALB logging to a bucket whose policy has `statement`.
fn alb_bucket(statement: Value) -> Value {
    json!({
        "Mappings": {"ElbAccount": {"us-east-1": {"Id": "127311923021"}}},
        "Resources": {
            "Logs": {"Type": "AWS::S3::Bucket"},
            "Policy": {"Type": "AWS::S3::BucketPolicy", "Properties": {"Bucket": {"Ref": "Logs"}, "PolicyDocument": {"Statement": [statement]}}},
            "Lb": {"Type": "AWS::ElasticLoadBalancingV2::LoadBalancer", "Properties": {"LoadBalancerAttributes": [
                {"Key": "access_logs.s3.enabled", "Value": "true"},
                {"Key": "access_logs.s3.bucket", "Value": {"Ref": "Logs"}}
            ]}}
        }
    })
}

fn scoped() -> Value {
    json!({"Fn::Sub": "${Logs.Arn}/alb/AWSLogs/${AWS::AccountId}/*"})
}

#[test]
fn elb_log_buckets_allow_the_principal_of_every_region() {
    let service = json!({"Effect": "Allow", "Principal": {"Service": "logdelivery.elasticloadbalancing.amazonaws.com"}, "Action": "s3:PutObject", "Resource": scoped()});
    let mapped = json!({"Effect": "Allow", "Principal": {"AWS": {"Fn::Sub": ["arn:${AWS::Partition}:iam::${Id}:root", {"Id": {"Fn::FindInMap": ["ElbAccount", {"Ref": "AWS::Region"}, "Id"]}}]}}, "Action": "s3:PutObject", "Resource": scoped()});
    let literal = json!({"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::127311923021:root"}, "Action": ["s3:PutObject"], "Resource": scoped()});
    assert_rule(
        "SC-ELB-001",
        alb_bucket(service.clone()),
        alb_bucket(mapped),
    );
    let only_us_east_1 = findings(&alb_bucket(literal), "SC-ELB-001");
    assert!(only_us_east_1[0].message.contains("us-east-1"));
    let mut both = alb_bucket(service.clone());
    both["Resources"]["Policy"]["Properties"]["PolicyDocument"]["Statement"]
        .as_array_mut()
        .unwrap()
        .push(json!({"Effect": "Allow", "Principal": {"AWS": "127311923021"}, "Action": "s3:PutObject", "Resource": scoped()}));
    assert!(findings(&both, "SC-ELB-001").is_empty());
    // No grant at all while a load balancer logs to the bucket.
    let none =
        alb_bucket(json!({"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "*"}));
    assert!(
        findings(&none, "SC-ELB-001")[0]
            .message
            .contains("no bucket policy")
    );
    // A policy with the grant is checked even when the load balancers are
    // in other stacks; a bucket without grant or logging is none of its business.
    let mut elsewhere = alb_bucket(service);
    elsewhere["Resources"].as_object_mut().unwrap().remove("Lb");
    assert_eq!(findings(&elsewhere, "SC-ELB-001").len(), 1);
    let mut unrelated =
        alb_bucket(json!({"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "*"}));
    unrelated["Resources"].as_object_mut().unwrap().remove("Lb");
    assert!(findings(&unrelated, "SC-ELB-001").is_empty());
}

#[test]
fn elb_log_grants_are_scoped_to_this_account() {
    let grant = |resource: Value, condition: Option<Value>| {
        let mut s = json!({"Effect": "Allow", "Principal": {"Service": "logdelivery.elasticloadbalancing.amazonaws.com"}, "Action": "s3:PutObject", "Resource": resource});
        if let Some(c) = condition {
            s["Condition"] = c;
        }
        alb_bucket(s)
    };
    let anywhere = json!({"Fn::Join": ["", [{"Fn::GetAtt": ["Logs", "Arn"]}, "/*"]]});
    assert_rule(
        "SC-ELB-002",
        grant(anywhere.clone(), None),
        grant(scoped(), None),
    );
    let joined = json!({"Fn::Join": ["", [{"Fn::GetAtt": ["Logs", "Arn"]}, "/AWSLogs/", {"Ref": "AWS::AccountId"}, "/*"]]});
    assert!(findings(&grant(joined, None), "SC-ELB-002").is_empty());
    let literal = json!("arn:aws:s3:::logs/AWSLogs/111122223333/*");
    assert!(findings(&grant(literal, None), "SC-ELB-002").is_empty());
    let conditioned = grant(
        anywhere,
        Some(json!({"StringEquals": {"aws:SourceAccount": {"Ref": "AWS::AccountId"}}})),
    );
    assert!(findings(&conditioned, "SC-ELB-002").is_empty());
}

fn retained(kind: &str, field: &str, name: Value, policy: &str) -> Value {
    json!({
        "Parameters": {"Env": {"Type": "String"}},
        "Resources": {"R": {"Type": kind, "DeletionPolicy": policy, "Properties": {field: name}}}
    })
}

#[test]
fn retained_resources_with_fixed_names() {
    let fixed = json!({"Fn::Sub": "uploads-${AWS::AccountId}-${AWS::Region}"});
    let per_stack = json!({"Fn::Sub": "${AWS::StackName}-uploads-${AWS::AccountId}"});
    assert_rule(
        "SC-RET-001",
        retained("AWS::S3::Bucket", "BucketName", fixed.clone(), "Retain"),
        retained("AWS::S3::Bucket", "BucketName", per_stack, "Retain"),
    );
    assert_rule(
        "SC-RET-001",
        retained(
            "AWS::DynamoDB::Table",
            "TableName",
            json!("orders"),
            "RetainExceptOnCreate",
        ),
        retained(
            "AWS::DynamoDB::Table",
            "TableName",
            json!("orders"),
            "Delete",
        ),
    );
    assert_rule(
        "SC-RET-001",
        retained(
            "AWS::SQS::Queue",
            "QueueName",
            json!({"Fn::Join": ["-", ["jobs", {"Ref": "AWS::Region"}]]}),
            "Retain",
        ),
        retained(
            "AWS::SQS::Queue",
            "QueueName",
            json!({"Fn::Join": ["-", ["jobs", {"Ref": "Env"}]]}),
            "Retain",
        ),
    );
    // Snapshot deletes the resource after the snapshot: the name is free again.
    assert!(
        findings(
            &retained(
                "AWS::RDS::DBInstance",
                "DBInstanceIdentifier",
                json!("db"),
                "Snapshot"
            ),
            "SC-RET-001"
        )
        .is_empty()
    );
    // A name CloudFormation cannot read (a condition) is not judged.
    assert!(
        findings(
            &retained(
                "AWS::S3::Bucket",
                "BucketName",
                json!({"Fn::If": ["C", "a", "b"]}),
                "Retain"
            ),
            "SC-RET-001"
        )
        .is_empty()
    );
}

#[test]
fn api_gateway_account_role_outlives_the_stack() {
    let account = |policy: Option<&str>| {
        let mut t = yaml(
            "Resources:\n  Role:\n    Type: AWS::IAM::Role\n    Properties: {AssumeRolePolicyDocument: {}}\n  Account:\n    Type: AWS::ApiGateway::Account\n    Properties:\n      CloudWatchRoleArn: !GetAtt Role.Arn\n",
        );
        if let Some(p) = policy {
            t["Resources"]["Role"]["DeletionPolicy"] = json!(p);
        }
        t
    };
    assert_rule("SC-RET-002", account(None), account(Some("Retain")));
    assert_eq!(
        findings(&account(Some("Delete")), "SC-RET-002")[0].resource,
        "Role"
    );
}

#[test]
fn ses_identities_are_retained() {
    let identity = |policy: Option<&str>| {
        let mut t = json!({"Parameters": {"Sender": {"Type": "String"}}, "Resources": {"Id": {"Type": "AWS::SES::EmailIdentity", "Properties": {"EmailIdentity": {"Ref": "Sender"}}}}});
        if let Some(p) = policy {
            t["Resources"]["Id"]["DeletionPolicy"] = json!(p);
        }
        t
    };
    assert_rule("SC-RET-003", identity(None), identity(Some("Retain")));
}

#[test]
fn snapshot_only_on_types_that_take_one() {
    let with = |kind: &str, attribute: &str, policy: &str| {
        let mut t = json!({"Resources": {"R": {"Type": kind}}});
        t["Resources"]["R"][attribute] = json!(policy);
        t
    };
    for attribute in ["DeletionPolicy", "UpdateReplacePolicy"] {
        let bad = with("AWS::SQS::Queue", attribute, "Snapshot");
        assert_rule(
            "SC-RET-004",
            bad.clone(),
            with("AWS::SQS::Queue", attribute, "Retain"),
        );
        let found = findings(&bad, "SC-RET-004");
        assert_eq!(found[0].path, attribute);
        assert!(
            found[0].message.contains("AWS::RDS::DBInstance"),
            "{}",
            found[0].message
        );
        assert!(
            findings(
                &with("AWS::RDS::DBCluster", attribute, "Snapshot"),
                "SC-RET-004"
            )
            .is_empty()
        );
        assert!(
            findings(
                &with("AWS::EC2::Volume", attribute, "Snapshot"),
                "SC-RET-004"
            )
            .is_empty()
        );
    }
}

fn distribution(api_origin: Value, errors: Value) -> Value {
    json!({"Resources": {
        "Site": {"Type": "AWS::S3::Bucket"},
        "Api": {"Type": "AWS::ApiGateway::RestApi"},
        "Cdn": {"Type": "AWS::CloudFront::Distribution", "Properties": {"DistributionConfig": {
            "Origins": [
                {"Id": "S3", "DomainName": {"Fn::GetAtt": ["Site", "RegionalDomainName"]}, "S3OriginConfig": {}},
                api_origin
            ],
            "DefaultCacheBehavior": {"TargetOriginId": "S3"},
            "CacheBehaviors": [{"PathPattern": "/api/*", "TargetOriginId": "Backend"}],
            "CustomErrorResponses": errors
        }}}
    }})
}

#[test]
fn error_pages_do_not_cover_api_behaviors() {
    let api = json!({"Id": "Backend", "DomainName": {"Fn::Sub": "${Api}.execute-api.${AWS::Region}.amazonaws.com"}, "CustomOriginConfig": {"OriginProtocolPolicy": "https-only"}});
    let website = json!({"Id": "Backend", "DomainName": "assets.s3-website-us-east-1.amazonaws.com", "CustomOriginConfig": {"OriginProtocolPolicy": "http-only"}});
    let pages = json!([{"ErrorCode": 404, "ResponseCode": 404, "ResponsePagePath": "/404.html"}]);
    assert_rule(
        "SC-CDN-003",
        distribution(api.clone(), pages.clone()),
        distribution(website, pages),
    );
    // Caching errors for a while rewrites nothing.
    let ttl_only = json!([{"ErrorCode": 503, "ErrorCachingMinTTL": 5}]);
    assert!(findings(&distribution(api.clone(), ttl_only), "SC-CDN-003").is_empty());
    let f = &findings(
        &distribution(
            api,
            json!([{"ErrorCode": 403, "ResponsePagePath": "/x.html", "ResponseCode": 200}]),
        ),
        "SC-CDN-003",
    )[0];
    assert!(f.message.contains("/api/* -> Backend"), "{}", f.message);
}

fn consumer(visibility: Option<Value>, timeout: Option<Value>) -> Value {
    let mut t = yaml(
        "Parameters:\n  Timeout: {Type: Number, Default: 20}\nResources:\n  Q:\n    Type: AWS::SQS::Queue\n    Properties: {}\n  F:\n    Type: AWS::Lambda::Function\n    Properties: {}\n  M:\n    Type: AWS::Lambda::EventSourceMapping\n    Properties:\n      EventSourceArn: !GetAtt Q.Arn\n      FunctionName: !Ref F\n",
    );
    if let Some(v) = visibility {
        t["Resources"]["Q"]["Properties"]["VisibilityTimeout"] = v;
    }
    if let Some(v) = timeout {
        t["Resources"]["F"]["Properties"]["Timeout"] = v;
    }
    t
}

#[test]
fn queue_visibility_covers_the_consumer() {
    assert_rule(
        "SC-MSG-004",
        consumer(Some(json!(30)), Some(json!(60))),
        consumer(Some(json!(60)), Some(json!(60))),
    );
    // Defaults: queue 30 s, function 3 s; a parameter's default counts.
    assert_rule(
        "SC-MSG-004",
        consumer(None, Some(json!(31))),
        consumer(None, None),
    );
    assert_rule(
        "SC-MSG-005",
        consumer(Some(json!(60)), Some(json!({"Ref": "Timeout"}))),
        consumer(Some(json!("120")), Some(json!({"Ref": "Timeout"}))),
    );
    assert!(findings(&consumer(Some(json!(30)), Some(json!(60))), "SC-MSG-005").is_empty());
    assert_eq!(
        findings(&consumer(Some(json!(30)), Some(json!(60))), "SC-MSG-004")[0].severity,
        super::Severity::Error
    );
}

#[test]
fn read_only_containers_have_a_writable_mount() {
    let task = |extra: Value| {
        let mut c = json!({"Name": "web", "Image": "x", "ReadonlyRootFilesystem": true});
        for (k, v) in extra.as_object().unwrap() {
            c[k] = v.clone();
        }
        json!({"Resources": {"Task": {"Type": "AWS::ECS::TaskDefinition", "Properties": {"ContainerDefinitions": [c]}}}})
    };
    assert_rule(
        "SC-ECS-001",
        task(json!({})),
        task(json!({"MountPoints": [{"SourceVolume": "tmp", "ContainerPath": "/tmp"}]})),
    );
    assert!(
        findings(
            &task(json!({"ReadonlyRootFilesystem": false})),
            "SC-ECS-001"
        )
        .is_empty()
    );
    assert!(
        findings(&task(json!({})), "SC-ECS-001")[0]
            .message
            .contains("\"web\"")
    );
}

#[test]
fn reserved_concurrency_depends_on_the_account_quota() {
    let function = |reserved: Value| {
        json!({"Parameters": {"Reserved": {"Type": "Number", "Default": 0}},
               "Resources": {"F": {"Type": "AWS::Lambda::Function", "Properties": {"ReservedConcurrentExecutions": reserved}}}})
    };
    assert_rule(
        "SC-FN-003",
        function(json!(5)),
        function(json!({"Ref": "Reserved"})),
    );
    assert!(
        findings(&function(json!(5)), "SC-FN-003")[0]
            .message
            .contains("at least 105")
    );
    let optional = function(json!({"Fn::If": ["Reserve", 5, {"Ref": "AWS::NoValue"}]}));
    assert!(findings(&optional, "SC-FN-003").is_empty());
}

#[test]
fn names_from_the_stack_name_fit_their_limit() {
    let oac = |name: Value| {
        json!({"Parameters": {"Env": {"Type": "String", "AllowedValues": ["dev", "production"]}, "Free": {"Type": "String"}},
               "Resources": {"Oac": {"Type": "AWS::CloudFront::OriginAccessControl", "Properties": {"OriginAccessControlConfig": {"Name": name}}}}})
    };
    // 128 + "-oac" = 132 > 64.
    assert_rule(
        "SC-NAME-001",
        oac(json!({"Fn::Sub": "${AWS::StackName}-oac"})),
        oac(json!({"Fn::Sub": "oac-${Env}-${AWS::Region}"})),
    );
    let f = &findings(
        &oac(json!({"Fn::Join": ["-", [{"Ref": "AWS::StackName"}, "site", "oac"]]})),
        "SC-NAME-001",
    )[0];
    assert_eq!(f.path, "Properties.OriginAccessControlConfig.Name");
    assert!(
        f.message.contains("longer than 55 characters"),
        "{}",
        f.message
    );
    // Bounded parameters count at their longest; unbounded ones at nothing.
    let with_params = |name: &str| {
        let mut t = oac(json!({"Fn::Sub": name}));
        t["Parameters"] =
            json!({"Env": {"Type": "String", "MaxLength": 10}, "Free": {"Type": "String"}});
        t
    };
    assert!(
        findings(&with_params("${AWS::StackName}-${Env}"), "SC-NAME-001")[0]
            .message
            .contains("longer than 53")
    );
    assert!(findings(&with_params("${Free}-${Env}"), "SC-NAME-001").is_empty());
    // Where the resource schemas give a maxLength (a bucket name's 63), the
    // registry rule SC-SCH-006 judges the name and this one stays silent.
    let bucket = |name: &str| json!({"Resources": {"B": {"Type": "AWS::S3::Bucket", "Properties": {"BucketName": {"Fn::Sub": name}}}}});
    assert!(findings(&bucket("${AWS::StackName}-logs"), "SC-NAME-001").is_empty());
    assert!(!findings(&bucket("${AWS::StackName}-logs"), "SC-SCH-006").is_empty());
    // Names without the stack name are not this rule's business.
    assert!(
        findings(
            &bucket("logs-${AWS::AccountId}-${AWS::Region}"),
            "SC-NAME-001"
        )
        .is_empty()
    );
}

#[test]
fn https_urls_do_not_use_generated_load_balancer_names() {
    let published = |url: Value| {
        json!({"Resources": {
            "Lb": {"Type": "AWS::ElasticLoadBalancingV2::LoadBalancer"},
            "Url": {"Type": "AWS::SSM::Parameter", "Properties": {"Type": "String", "Value": url}}
        }, "Outputs": {"Url": {"Value": {"Fn::GetAtt": ["Url", "Value"]}}}})
    };
    assert_rule(
        "SC-ELB-003",
        published(
            json!({"Fn::Sub": ["https://${Host}/v1", {"Host": {"Fn::GetAtt": ["Lb", "DNSName"]}}]}),
        ),
        published(json!({"Fn::Sub": "https://orders.${Domain}"})),
    );
    let joined =
        published(json!({"Fn::Join": ["", ["https://", {"Fn::GetAtt": ["Lb", "DNSName"]}]]}));
    assert_eq!(findings(&joined, "SC-ELB-003")[0].path, "Properties.Value");
    // Plain http promises no certificate.
    let http = published(json!({"Fn::Sub": "http://${Lb.DNSName}"}));
    assert!(findings(&http, "SC-ELB-003").is_empty());
}
