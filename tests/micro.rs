//! The `micro` blueprint: services as data, every flow wired, stacks
//! independent, discovery through SSM, errors for bad service graphs.

use serde_json::{Value, json};
use stackcraft::blueprints::BuiltIn;
use stackcraft::check::check_text;
use stackcraft::output::Artifact;

fn synth(text: Option<&str>) -> Vec<Artifact> {
    BuiltIn::Micro
        .synth(text.map(|t| ("micro.yaml", t)))
        .expect("synthesizes")
}

fn template(artifacts: &[Artifact], name: &str) -> Value {
    let a = artifacts
        .iter()
        .find(|a| a.path.to_str() == Some(&format!("micro/{name}")))
        .unwrap_or_else(|| panic!("no {name}"));
    serde_json::from_str(a.contents()).unwrap()
}

fn of_type<'a>(t: &'a Value, kind: &str) -> Vec<&'a Value> {
    t["Resources"]
        .as_object()
        .unwrap()
        .values()
        .filter(|r| r["Type"] == kind)
        .collect()
}

#[test]
fn writes_a_stack_per_service_plus_network_manifest_and_openapi() {
    let artifacts = synth(None);
    let names: Vec<&str> = artifacts.iter().map(|a| a.path.to_str().unwrap()).collect();
    assert_eq!(
        names,
        [
            "micro/network.template.json",
            "micro/accounts.template.json",
            "micro/accounts.openapi.json",
            "micro/catalog.template.json",
            "micro/catalog.openapi.json",
            "micro/orders.template.json",
            "micro/orders.openapi.json",
            "micro/notifications.template.json",
            "micro/manifest.json",
        ]
    );
}

#[test]
fn m1_orders_alb_to_fargate_to_dynamodb() {
    let t = template(&synth(None), "orders.template.json");
    let r = &t["Resources"];
    assert_eq!(r["LoadBalancer"]["Properties"]["Scheme"], "internet-facing");
    assert_eq!(r["HttpsListener"]["Properties"]["Protocol"], "HTTPS");
    assert_eq!(
        r["HttpsListener"]["Properties"]["DefaultActions"][0]["TargetGroupArn"],
        json!({"Ref": "TargetGroup"})
    );
    let service = &r["Service"]["Properties"];
    assert_eq!(service["LaunchType"], "FARGATE");
    assert_eq!(
        service["LoadBalancers"][0]["TargetGroupArn"],
        json!({"Ref": "TargetGroup"})
    );
    assert_eq!(
        service["NetworkConfiguration"]["AwsvpcConfiguration"]["AssignPublicIp"],
        "DISABLED"
    );
    let container = &r["TaskDefinition"]["Properties"]["ContainerDefinitions"][0];
    let env: Vec<&str> = container["Environment"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["Name"].as_str().unwrap())
        .collect();
    assert!(
        env.contains(&"TABLE_NAME")
            && env.contains(&"CATALOG_URL")
            && env.contains(&"ACCOUNTS_URL"),
        "{env:?}"
    );
    let policy = &r["TaskRole"]["Properties"]["Policies"][0]["PolicyDocument"]["Statement"];
    assert!(policy.to_string().contains("dynamodb:PutItem"));
    assert!(policy.to_string().contains("kinesis:PutRecord"));
}

/// A read-only root file system needs a writable /tmp (the image contract):
/// a bind-mount task volume, which Fargate keeps on the task's ephemeral
/// storage.
#[test]
fn fargate_tasks_get_a_writable_tmp_volume() {
    let t = template(&synth(None), "orders.template.json");
    let task = &t["Resources"]["TaskDefinition"]["Properties"];
    let container = &task["ContainerDefinitions"][0];
    assert_eq!(container["ReadonlyRootFilesystem"], true);
    let mount = container["MountPoints"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["ContainerPath"] == "/tmp")
        .expect("/tmp is mounted");
    assert_ne!(mount["ReadOnly"], true);
    let volume = &task["Volumes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["Name"] == mount["SourceVolume"])
        .expect("the mounted volume is declared");
    assert!(volume.get("Host").is_none() && volume.get("EFSVolumeConfiguration").is_none());
}

/// The API Gateway account role is account- and Region-wide: deleting the
/// network stack must leave it for every other stack (CDK retains it too).
#[test]
fn the_account_wide_api_gateway_role_is_retained() {
    let t = template(&synth(None), "network.template.json");
    for id in ["ApiGatewayCloudWatchRole", "ApiGatewayAccount"] {
        let r = &t["Resources"][id];
        assert_eq!(r["DeletionPolicy"], "Retain", "{id}");
        assert_eq!(r["UpdateReplacePolicy"], "Retain", "{id}");
    }
}

/// The ELB guide: Regions available before August 2022 deliver access logs
/// as the Region's ELB account, newer ones as the log delivery service; only
/// this account's `AWSLogs/` may be written.
#[test]
fn load_balancer_logs_admit_the_regions_elb_principal_for_this_account_only() {
    let t = template(&synth(None), "network.template.json");
    let accounts = &t["Mappings"]["ElbLogDeliveryAccounts"];
    assert_eq!(accounts["us-east-1"]["Account"], "127311923021");
    assert_eq!(accounts["eu-west-1"]["Account"], "156460612806");
    // Newer Regions have a row too, with no account: CloudFormation
    // evaluates Fn::FindInMap even in the Fn::If branch it does not take, so
    // a missing row would fail the stack there.
    assert_eq!(
        accounts["ca-west-1"]["Account"], "",
        "a 2023 Region uses the service principal"
    );
    assert_eq!(accounts["ap-south-2"]["Account"], "");
    let condition = &t["Conditions"]["ElbLogsFromRegionAccount"];
    assert_eq!(
        condition,
        &json!({"Fn::Not": [{"Fn::Equals": [
            {"Fn::FindInMap": ["ElbLogDeliveryAccounts", {"Ref": "AWS::Region"}, "Account"]}, ""]}]})
    );
    let statements = t["Resources"]["LoadBalancerLogsBucketPolicy"]["Properties"]["PolicyDocument"]
        ["Statement"]
        .as_array()
        .unwrap();
    let delivery = statements
        .iter()
        .find(|s| s["Sid"] == "ElbDeliversAccessLogs")
        .unwrap();
    let choice = &delivery["Principal"]["Fn::If"];
    assert_eq!(choice[0], "ElbLogsFromRegionAccount");
    assert_eq!(
        choice[1]["AWS"]["Fn::Sub"][1]["Account"]["Fn::FindInMap"],
        json!(["ElbLogDeliveryAccounts", {"Ref": "AWS::Region"}, "Account"])
    );
    assert_eq!(
        choice[2]["Service"],
        "logdelivery.elasticloadbalancing.amazonaws.com"
    );
    let resource = delivery["Resource"][0]["Fn::Sub"][0].as_str().unwrap();
    assert!(
        resource.contains("/AWSLogs/${AWS::AccountId}/"),
        "{resource}"
    );
}

#[test]
fn m2_catalog_api_gateway_from_openapi_to_lambda_to_redis() {
    let artifacts = synth(None);
    let t = template(&artifacts, "catalog.template.json");
    let r = &t["Resources"];
    let body = &r["RestApi"]["Properties"]["Body"];
    let integration = &body["paths"]["/items"]["get"]["x-amazon-apigateway-integration"];
    assert_eq!(integration["type"], "aws_proxy");
    assert_eq!(
        integration["uri"]["Fn::Sub"][1]["Function"],
        json!({"Fn::GetAtt": ["ApiFunction", "Arn"]})
    );
    let cache = &r["Cache"]["Properties"];
    assert_eq!(
        (
            cache["AtRestEncryptionEnabled"].clone(),
            cache["TransitEncryptionEnabled"].clone()
        ),
        (json!(true), json!(true))
    );
    let env = &r["ApiFunction"]["Properties"]["Environment"]["Variables"];
    assert_eq!(
        env["REDIS_HOST"],
        json!({"Fn::GetAtt": ["Cache", "PrimaryEndPoint.Address"]})
    );
    assert!(r["ApiFunction"]["Properties"]["VpcConfig"].is_object());
    assert_eq!(r["ApiDnsRecord"]["Condition"], "HasCustomDomain");
    assert_eq!(r["ApiDnsRecord"]["Type"], "AWS::Route53::RecordSet");
    // The published contract is the same document, without CloudFormation.
    let doc: Value = serde_json::from_str(
        artifacts
            .iter()
            .find(|a| a.path.ends_with("catalog.openapi.json"))
            .unwrap()
            .contents(),
    )
    .unwrap();
    assert_eq!(doc["info"]["version"], "2.1.0");
    assert!(!doc.to_string().contains("x-amazon-apigateway"));
    assert_eq!(doc["paths"], {
        let mut clean = body["paths"].clone();
        for item in clean.as_object_mut().unwrap().values_mut() {
            for op in item.as_object_mut().unwrap().values_mut() {
                if let Some(o) = op.as_object_mut() {
                    o.remove("x-amazon-apigateway-integration");
                }
            }
        }
        clean
    });
}

#[test]
fn m3_accounts_alb_to_auto_scaling_to_rds() {
    let t = template(&synth(None), "accounts.template.json");
    let r = &t["Resources"];
    let asg = &r["AutoScalingGroup"]["Properties"];
    assert_eq!(asg["TargetGroupARNs"], json!([{"Ref": "TargetGroup"}]));
    assert_eq!(
        asg["LaunchTemplate"]["Version"],
        json!({"Fn::GetAtt": ["LaunchTemplate", "LatestVersionNumber"]})
    );
    let data = &r["LaunchTemplate"]["Properties"]["LaunchTemplateData"];
    assert_eq!(data["MetadataOptions"]["HttpTokens"], "required");
    assert_eq!(data["BlockDeviceMappings"][0]["Ebs"]["Encrypted"], true);
    let db = &r["Database"];
    assert_eq!(db["Properties"]["StorageEncrypted"], true);
    assert_eq!(db["Properties"]["PubliclyAccessible"], false);
    assert_eq!(db["Properties"]["ManageMasterUserPassword"], true);
    assert!(db["Properties"].get("MasterUserPassword").is_none());
    assert_eq!(db["DeletionPolicy"], "Snapshot");
}

#[test]
fn m5_stream_and_queue_triggers_with_failure_handling() {
    let t = template(&synth(None), "notifications.template.json");
    let mappings = of_type(&t, "AWS::Lambda::EventSourceMapping");
    assert_eq!(mappings.len(), 2);
    let stream = mappings
        .iter()
        .find(|m| m["Properties"].get("StartingPosition").is_some())
        .unwrap();
    assert_eq!(stream["Properties"]["BisectBatchOnFunctionError"], true);
    assert!(stream["Properties"]["DestinationConfig"]["OnFailure"]["Destination"].is_object());
    assert_eq!(
        stream["Properties"]["EventSourceArn"],
        json!({"Ref": "OrdersOrderEventsStreamArn"})
    );
    let queue = mappings
        .iter()
        .find(|m| m["Properties"].get("StartingPosition").is_none())
        .unwrap();
    assert_eq!(
        queue["Properties"]["EventSourceArn"],
        json!({"Ref": "AccountsSignupsQueueArn"})
    );
    let accounts = template(&synth(None), "accounts.template.json");
    assert!(accounts["Resources"]["SignupsQueue"]["Properties"]["RedrivePolicy"].is_object());
}

/// "Using Lambda with Amazon SQS": a queue's visibility timeout is at least
/// six times the timeout of the function it feeds, across stacks.
#[test]
fn queues_outlast_six_consumer_timeouts() {
    let artifacts = synth(None);
    let consumer = template(&artifacts, "notifications.template.json");
    let timeout = consumer["Resources"]["ConsumerFunction"]["Properties"]["Timeout"]
        .as_i64()
        .unwrap();
    let accounts = template(&artifacts, "accounts.template.json");
    let visibility = accounts["Resources"]["SignupsQueue"]["Properties"]["VisibilityTimeout"]
        .as_i64()
        .unwrap();
    assert!(visibility >= 6 * timeout, "{visibility} < 6 x {timeout}");
}

#[test]
fn m4_m6_services_find_each_other_through_ssm_only() {
    let artifacts = synth(None);
    let mut published = Vec::new();
    let mut read = Vec::new();
    for a in artifacts
        .iter()
        .filter(|a| a.path.to_string_lossy().ends_with(".template.json"))
    {
        assert!(
            !a.contents().contains("Fn::ImportValue"),
            "{} imports",
            a.path.display()
        );
        assert!(
            !a.contents().contains("\"Export\""),
            "{} exports",
            a.path.display()
        );
        let t: Value = serde_json::from_str(a.contents()).unwrap();
        for p in of_type(&t, "AWS::SSM::Parameter") {
            published.push(p["Properties"]["Name"].as_str().unwrap().to_owned());
        }
        for (_, p) in t["Parameters"].as_object().into_iter().flatten() {
            if p["Type"]
                .as_str()
                .unwrap()
                .starts_with("AWS::SSM::Parameter::Value<")
                && p["Default"].as_str().unwrap().starts_with("/shop/")
            {
                read.push(p["Default"].as_str().unwrap().to_owned());
            }
        }
    }
    for name in &read {
        assert!(
            published.contains(name),
            "{name} is read but never published"
        );
    }
    assert!(read.contains(&"/shop/prod/catalog/url".to_owned()));
    assert!(read.contains(&"/shop/prod/orders/streams/order-events/arn".to_owned()));
}

#[test]
fn manifest_orders_producers_before_consumers() {
    let artifacts = synth(None);
    let m: Value = serde_json::from_str(artifacts.last().unwrap().contents()).unwrap();
    assert_eq!(
        m["deploy_order"],
        json!(["network", "accounts", "catalog", "orders", "notifications"])
    );
    let orders = m["stacks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == "orders")
        .unwrap();
    assert_eq!(
        orders["depends_on"],
        json!(["network", "accounts", "catalog"])
    );
    assert_eq!(orders["version"], "1.4.0");
    let t = template(&artifacts, "orders.template.json");
    assert!(t["Description"].as_str().unwrap().contains("orders v1.4.0"));
    let tags = &t["Resources"]["Cluster"]["Properties"]["Tags"];
    assert!(
        tags.as_array()
            .unwrap()
            .contains(&json!({"Key": "version", "Value": "1.4.0"}))
    );
}

fn fifty_services() -> String {
    let mut text = String::from(
        "app: big\nenvironment: test\nlog_retention_days: 30\nnetwork:\n  cidr: 10.0.0.0/16\n  az_count: 3\n  nat_gateways: 3\nservices:\n",
    );
    let patterns = ["ecs", "lambda", "ec2", "worker"];
    for i in 0..50 {
        let pattern = patterns[i % 4];
        let store = match pattern {
            "ecs" => "dynamodb",
            "lambda" => "elasticache",
            "ec2" => "rds",
            _ => "dynamodb",
        };
        text.push_str(&format!("  - name: svc{i}\n    version: 1.{i}.0\n    pattern: {pattern}\n    datastore: {store}\n"));
        if pattern == "ecs" {
            text.push_str("    streams: [events]\n");
        }
        if pattern == "ec2" {
            text.push_str("    queues: [jobs]\n");
        }
        if pattern == "worker" {
            text.push_str(&format!(
                "    consumes: [{{stream: svc{}/events}}, {{queue: svc{}/jobs}}]\n",
                i - 3,
                i - 1
            ));
        } else if i >= 4 {
            // A chain of calls to an earlier service with an API.
            let callee = (0..i).rev().find(|j| j % 4 != 3).unwrap();
            text.push_str(&format!("    calls: [svc{callee}]\n"));
        }
    }
    text
}

#[test]
fn fifty_services_synthesize_pass_the_checks_and_stay_deterministic() {
    let text = fifty_services();
    let first = synth(Some(&text));
    let second = synth(Some(&text));
    assert_eq!(first, second);
    let templates: Vec<&Artifact> = first
        .iter()
        .filter(|a| a.path.to_string_lossy().ends_with(".template.json"))
        .collect();
    assert_eq!(templates.len(), 51);
    for a in templates {
        let report = check_text(&a.path.display().to_string(), a.contents()).unwrap();
        assert!(
            report.findings.is_empty(),
            "{}: {:?}",
            a.path.display(),
            report.findings
        );
        let t: Value = serde_json::from_str(a.contents()).unwrap();
        assert!(t["Resources"].as_object().unwrap().len() < 500);
        assert!(a.contents().len() < 1_000_000);
    }
    let m: Value = serde_json::from_str(first.last().unwrap().contents()).unwrap();
    let order: Vec<&str> = m["deploy_order"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    for stack in m["stacks"].as_array().unwrap() {
        let at = order.iter().position(|n| *n == stack["name"]).unwrap();
        for dep in stack["depends_on"].as_array().unwrap() {
            assert!(
                order.iter().position(|n| *n == dep).unwrap() < at,
                "{} before {dep}",
                stack["name"]
            );
        }
    }
}

fn defaults_with(from: &str, to: &str) -> String {
    let text = BuiltIn::Micro.default_settings();
    assert!(text.contains(from), "{from}");
    text.replacen(from, to, 1)
}

#[test]
fn bad_service_graphs_are_named() {
    let unknown = defaults_with("calls: [catalog, accounts]", "calls: [catalog, billing]");
    let err = BuiltIn::Micro
        .synth(Some(("m.yaml", &unknown)))
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("services[0].calls[1]: expected a declared service, found \"billing\""),
        "{err}"
    );
    assert!(err.starts_with("m.yaml:"), "{err}");

    let cyclic = defaults_with(
        "    queues: [signups]        # SQS queues this service owns (M5)",
        "    queues: [signups]\n    calls: [orders]",
    );
    let err = BuiltIn::Micro
        .synth(Some(("m.yaml", &cyclic)))
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("services depend on each other in a cycle: orders -> accounts -> orders"),
        "{err}"
    );

    let missing = defaults_with(
        "      - queue: accounts/signups",
        "      - queue: accounts/refunds",
    );
    let err = BuiltIn::Micro
        .synth(Some(("m.yaml", &missing)))
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("services[3].consumes[1]: accounts declares no queue \"refunds\""),
        "{err}"
    );

    let store = defaults_with("    datastore: rds", "    datastore: elasticache");
    let err = BuiltIn::Micro
        .synth(Some(("m.yaml", &store)))
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("services[2].datastore: expected one of rds, none for pattern ec2"),
        "{err}"
    );

    let version = defaults_with("version: 2.1.0", "version: two");
    let err = BuiltIn::Micro
        .synth(Some(("m.yaml", &version)))
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("services[1].version: expected a version MAJOR.MINOR.PATCH"),
        "{err}"
    );
}

#[test]
fn a_cyclic_settings_file_exits_2_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("cyclic.yaml");
    std::fs::write(
        &config,
        defaults_with(
            "    queues: [signups]        # SQS queues this service owns (M5)",
            "    queues: [signups]\n    calls: [orders]",
        ),
    )
    .unwrap();
    let out = dir.path().join("out");
    let run = std::process::Command::new(env!("CARGO_BIN_EXE_stackcraft"))
        .env(
            "STACKCRAFT_CACHE_DIR",
            concat!(env!("CARGO_TARGET_TMPDIR"), "/gate-cache"),
        )
        .args([
            "synth",
            "micro",
            "--config",
            config.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&run.stderr).contains("cycle: orders -> accounts -> orders"));
    assert!(!out.exists());
}

#[test]
fn a_service_can_keep_existing_logical_ids() {
    let text = defaults_with(
        "    datastore: rds\n",
        "    datastore: rds\n    logical_ids: {Database: LegacyAccountsDb}\n",
    );
    let t = template(&synth(Some(&text)), "accounts.template.json");
    assert_eq!(
        t["Resources"]["LegacyAccountsDb"]["Type"],
        "AWS::RDS::DBInstance"
    );
    assert!(t["Resources"].get("Database").is_none());
    let bad = defaults_with(
        "    datastore: rds\n",
        "    datastore: rds\n    logical_ids: {Nope: X}\n",
    );
    let err = BuiltIn::Micro
        .synth(Some(("m.yaml", &bad)))
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("services[2].logical_ids: no resource \"Nope\""),
        "{err}"
    );
}

/// Reserved concurrency is off unless a service sets it; then it applies to
/// each of the service's functions.
#[test]
fn reserved_concurrency_is_a_per_service_setting_off_by_default() {
    let reserved = |artifacts: &[Artifact], name: &str| -> Vec<Value> {
        let t = template(artifacts, name);
        of_type(&t, "AWS::Lambda::Function")
            .iter()
            .filter_map(|f| f["Properties"].get("ReservedConcurrentExecutions").cloned())
            .collect()
    };
    let defaults = synth(None);
    for name in ["catalog.template.json", "notifications.template.json"] {
        assert!(reserved(&defaults, name).is_empty(), "{name}");
    }
    let set = synth(Some(&defaults_with(
        "    pattern: worker\n",
        "    pattern: worker\n    reserved_concurrency: 7\n",
    )));
    assert_eq!(reserved(&set, "notifications.template.json"), [json!(7)]);
    assert!(reserved(&set, "catalog.template.json").is_empty());
    let bad = defaults_with(
        "    pattern: worker\n",
        "    pattern: worker\n    reserved_concurrency: -1\n",
    );
    let err = BuiltIn::Micro
        .synth(Some(("m.yaml", &bad)))
        .unwrap_err()
        .to_string();
    assert!(
        err.contains(
            "services[3].reserved_concurrency: expected an integer from 1 to 1000, found -1"
        ),
        "{err}"
    );
}

/// The HTTPS listener presents the user's certificate, which cannot cover
/// `*.elb.amazonaws.com`: ALB services publish their own domain name, an
/// alias record to the load balancer, so verifying callers (orders ->
/// accounts) pass the TLS hostname check.
#[test]
fn alb_services_publish_a_domain_their_certificate_covers() {
    let artifacts = synth(None);
    for svc in ["orders", "accounts"] {
        let name = format!("{svc}.template.json");
        let t = template(&artifacts, &name);
        let record = &t["Resources"]["LoadBalancerDnsRecord"]["Properties"];
        assert_eq!(record["Name"], json!({"Ref": "DomainName"}), "{name}");
        assert_eq!(record["Type"], "A");
        assert_eq!(
            record["AliasTarget"]["DNSName"],
            json!({"Fn::GetAtt": ["LoadBalancer", "DNSName"]})
        );
        assert_eq!(
            record["AliasTarget"]["HostedZoneId"],
            json!({"Fn::GetAtt": ["LoadBalancer", "CanonicalHostedZoneID"]})
        );
        assert_eq!(
            t["Parameters"]["HostedZoneId"]["Type"],
            "AWS::Route53::HostedZone::Id"
        );
        let published = &t["Resources"]["UrlParameter"];
        assert_eq!(
            published["Properties"]["Name"],
            format!("/shop/prod/{svc}/url")
        );
        let url = serde_json::to_string(&published["Properties"]["Value"]).unwrap();
        assert!(
            url.contains("https://${Domain}") && url.contains("DomainName"),
            "{name}: {url}"
        );
        assert!(!url.contains("DNSName"), "{name}: {url}");
    }
}

/// A function runs in the VPC only to reach its cache: without one, the
/// stack neither declares nor reads `VpcId` (cfn-lint W2001, SC-INT-005),
/// and the manifest lists only what the stack declares.
#[test]
fn lambda_services_read_the_vpc_only_with_a_cache() {
    let text = defaults_with("datastore: elasticache", "datastore: dynamodb");
    let artifacts = synth(Some(&text));
    let t = template(&artifacts, "catalog.template.json");
    assert!(
        t["Parameters"].get("VpcId").is_none(),
        "{}",
        t["Parameters"]
    );
    assert!(
        t["Resources"]["ApiFunction"]["Properties"]
            .get("VpcConfig")
            .is_none()
    );
    let m = template(&artifacts, "manifest.json");
    let catalog = m["stacks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == "catalog")
        .unwrap();
    assert!(catalog["parameters"].get("VpcId").is_none());
    // With the cache, the function's and the cache's security groups use it.
    let t = template(&synth(None), "catalog.template.json");
    assert!(t["Parameters"].get("VpcId").is_some());
    let uses = t["Resources"]
        .to_string()
        .matches(r#"{"Ref":"VpcId"}"#)
        .count();
    assert_eq!(uses, 2);
}
