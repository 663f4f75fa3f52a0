//! The `todo` blueprint: every MISSION flow wired, settings validated, the
//! output stable.

use serde_json::{Value, json};
use stackcraft::blueprints::BuiltIn;

fn synth(text: Option<&str>) -> Value {
    let artifacts = BuiltIn::Todo
        .synth(text.map(|t| ("todo.yaml", t)))
        .expect("synthesizes");
    assert_eq!(artifacts.len(), 1);
    assert_eq!(artifacts[0].path.to_str(), Some("todo.template.json"));
    serde_json::from_str(artifacts[0].contents()).unwrap()
}

fn resources_of<'a>(t: &'a Value, kind: &str) -> Vec<(&'a String, &'a Value)> {
    t["Resources"]
        .as_object()
        .unwrap()
        .iter()
        .filter(|(_, r)| r["Type"] == kind)
        .collect()
}

fn defaults_with(from: &str, to: &str) -> String {
    let text = BuiltIn::Todo.default_settings();
    assert!(text.contains(from), "defaults contain {from:?}");
    text.replacen(from, to, 1)
}

#[test]
fn t1_api_methods_proxy_to_the_function() {
    let t = synth(None);
    let methods = resources_of(&t, "AWS::ApiGateway::Method");
    let proxied: Vec<_> = methods
        .iter()
        .filter(|(_, m)| m["Properties"]["Integration"]["Type"] == "AWS_PROXY")
        .collect();
    assert_eq!(proxied.len(), 5);
    for (_, m) in &proxied {
        let uri = &m["Properties"]["Integration"]["Uri"]["Fn::Sub"][1]["Function"];
        assert_eq!(uri, &json!({"Fn::GetAtt": ["TodoApiFunction", "Arn"]}));
    }
    let env = &t["Resources"]["TodoApiFunction"]["Properties"]["Environment"]["Variables"];
    assert_eq!(env["TABLE_NAME"], json!({"Ref": "TodoTable"}));
}

#[test]
fn t2_every_todo_method_requires_the_cognito_authorizer() {
    let t = synth(None);
    for (id, m) in resources_of(&t, "AWS::ApiGateway::Method") {
        let p = &m["Properties"];
        if p["HttpMethod"] == "OPTIONS" {
            continue;
        }
        assert_eq!(p["AuthorizationType"], "COGNITO_USER_POOLS", "{id}");
        assert_eq!(
            p["AuthorizerId"],
            json!({"Ref": "TodoApiAuthorizer"}),
            "{id}"
        );
    }
    let auth = &t["Resources"]["TodoApiAuthorizer"]["Properties"];
    assert_eq!(
        auth["ProviderARNs"],
        json!([{"Fn::GetAtt": ["UserPool", "Arn"]}])
    );
}

#[test]
fn t3_authenticated_users_reach_only_their_own_prefix() {
    let t = synth(None);
    let role = &t["Resources"]["AuthenticatedUserRole"]["Properties"];
    let trust = &role["AssumeRolePolicyDocument"]["Statement"][0];
    assert_eq!(trust["Action"], json!(["sts:AssumeRoleWithWebIdentity"]));
    assert_eq!(
        trust["Condition"]["StringEquals"]["cognito-identity.amazonaws.com:aud"],
        json!({"Ref": "IdentityPool"})
    );
    let objects =
        &role["Policies"][0]["PolicyDocument"]["Statement"][0]["Resource"][0]["Fn::Sub"][0];
    assert_eq!(
        objects,
        "${Bucket}/private/${!cognito-identity.amazonaws.com:sub}/*"
    );
    let attach = &t["Resources"]["IdentityPoolRoles"]["Properties"]["Roles"]["authenticated"];
    assert_eq!(
        attach,
        &json!({"Fn::GetAtt": ["AuthenticatedUserRole", "Arn"]})
    );
    assert_eq!(
        t["Resources"]["IdentityPool"]["Properties"]["AllowUnauthenticatedIdentities"],
        false
    );
}

#[test]
fn t4_function_reads_through_dax_from_the_vpc() {
    let t = synth(None);
    let f = &t["Resources"]["TodoApiFunction"]["Properties"];
    assert_eq!(
        f["Environment"]["Variables"]["DAX_ENDPOINT"],
        json!({"Fn::If": ["HasDaxClientLayer", {"Fn::GetAtt": ["DaxCluster", "ClusterDiscoveryEndpointURL"]}, ""]})
    );
    assert_eq!(
        f["VpcConfig"]["SubnetIds"],
        json!([{"Ref": "PrivateSubnet1"}, {"Ref": "PrivateSubnet2"}])
    );
    let dax = &t["Resources"]["DaxCluster"]["Properties"];
    assert_eq!(dax["ClusterEndpointEncryptionType"], "TLS");
    assert_eq!(dax["SSESpecification"]["SSEEnabled"], true);
    let ingress = &t["Resources"]["DaxSecurityGroup"]["Properties"]["SecurityGroupIngress"][0];
    assert_eq!(
        ingress["SourceSecurityGroupId"],
        json!({"Fn::GetAtt": ["FunctionSecurityGroup", "GroupId"]})
    );
    assert_eq!(
        t["Resources"]["DynamoDbEndpoint"]["Properties"]["VpcEndpointType"],
        "Gateway"
    );
}

#[test]
fn t5_gets_are_cached_per_user() {
    let t = synth(None);
    let stage = &t["Resources"]["TodoApiStage"]["Properties"];
    assert_eq!(stage["CacheClusterEnabled"], true);
    let cached: Vec<_> = stage["MethodSettings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["CachingEnabled"] == true)
        .map(|s| {
            (
                s["ResourcePath"].as_str().unwrap(),
                s["HttpMethod"].as_str().unwrap(),
            )
        })
        .collect();
    // GET /todos/{todoId} is not stage-cached: writes go through DAX and
    // update its item cache, so a client reads its own writes.
    assert_eq!(cached, [("/~1todos", "GET")]);
    let keys =
        &t["Resources"]["TodoApiTodosGet"]["Properties"]["Integration"]["CacheKeyParameters"];
    assert!(
        keys.as_array()
            .unwrap()
            .contains(&json!("method.request.header.Authorization")),
        "the list is cached without the caller's token in the key"
    );
}

#[test]
fn t6_read_capacity_scales_in_provisioned_mode_only() {
    let t = synth(None);
    let target = &t["Resources"]["TodoTableReadScalingTarget"]["Properties"];
    assert_eq!(
        target["ScalableDimension"],
        "dynamodb:table:ReadCapacityUnits"
    );
    assert_eq!(
        (
            target["MinCapacity"].as_i64(),
            target["MaxCapacity"].as_i64()
        ),
        (Some(5), Some(500))
    );
    assert_eq!(
        t["Resources"]["TodoTableReadScalingPolicy"]["Properties"]["ScalingTargetId"],
        json!({"Ref": "TodoTableReadScalingTarget"})
    );
    let on_demand = synth(Some(&defaults_with(
        "billing: provisioned",
        "billing: on_demand",
    )));
    assert!(
        on_demand["Resources"]
            .get("TodoTableReadScalingTarget")
            .is_none()
    );
    assert_eq!(
        on_demand["Resources"]["TodoTable"]["Properties"]["BillingMode"],
        "PAY_PER_REQUEST"
    );
}

#[test]
fn outputs_give_what_the_app_needs() {
    let t = synth(None);
    let names: Vec<&String> = t["Outputs"].as_object().unwrap().keys().collect();
    for want in [
        "ApiUrl",
        "UserPoolId",
        "UserPoolClientId",
        "IdentityPoolId",
        "UserFilesBucketName",
        "TodoTableName",
        "DaxEndpoint",
    ] {
        assert!(names.iter().any(|n| *n == want), "missing output {want}");
    }
}

#[test]
fn logical_ids_can_be_renamed_from_settings() {
    let t = synth(Some(&defaults_with(
        "logical_ids: {}",
        "logical_ids: {TodoTable: LegacyTodos}",
    )));
    assert!(t["Resources"].get("TodoTable").is_none());
    assert_eq!(
        t["Resources"]["LegacyTodos"]["Type"],
        "AWS::DynamoDB::Table"
    );
    assert_eq!(
        t["Resources"]["TodoApiFunction"]["Properties"]["Environment"]["Variables"]["TABLE_NAME"],
        json!({"Ref": "LegacyTodos"})
    );
    let err = BuiltIn::Todo
        .synth(Some((
            "todo.yaml",
            &defaults_with("logical_ids: {}", "logical_ids: {Nope: X}"),
        )))
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("logical_ids: no resource \"Nope\" to rename"),
        "{err}"
    );
}

#[test]
fn bad_settings_name_the_line_and_key() {
    let cases = [
        (
            "    min: 5",
            "    min: 0",
            "table.read_capacity.min: expected an integer from 1 to 40000, found 0",
        ),
        (
            "    max: 500",
            "    max: 2",
            "table.read_capacity.max: expected at least read_capacity.min (5), found 2",
        ),
        (
            "  az_count: 2",
            "  az_count: 7",
            "network.az_count: expected an integer from 2 to 3, found 7",
        ),
        (
            "  cidr: 10.20.0.0/16",
            "  cidr: 10.20.0/16",
            "network.cidr: expected an IPv4 CIDR block",
        ),
        (
            "  cache_size_gb: \"0.5\"",
            "  cache_size_gb: \"2\"",
            "api.cache_size_gb: expected one of 0.5, 1.6",
        ),
        (
            "  mfa: optional",
            "  mfa: sometimes",
            "auth.mfa: unknown variant `sometimes`",
        ),
        (
            "log_retention_days: 90",
            "log_retention_days: 42",
            "log_retention_days: expected one of 1, 3, 5",
        ),
        (
            "  billing: provisioned",
            "  billing: provisioned\n  billling: x",
            "table.billling: unknown field `billling`",
        ),
        (
            "  cors_origin: https://app.example.com",
            "  cors_origin: http://app.example.com",
            "api.cors_origin: expected an origin",
        ),
    ];
    for (from, to, want) in cases {
        let text = defaults_with(from, to);
        let err = BuiltIn::Todo
            .synth(Some(("my.yaml", &text)))
            .unwrap_err()
            .to_string();
        let line = text
            .lines()
            .position(|l| l == to.lines().last().unwrap())
            .unwrap()
            + 1;
        assert!(err.starts_with(&format!("my.yaml:{line}:")), "{to}: {err}");
        assert!(err.contains(want), "{to}: {err}");
    }
}

#[test]
fn synthesis_is_deterministic() {
    let a = BuiltIn::Todo.synth(None).unwrap();
    let b = BuiltIn::Todo.synth(None).unwrap();
    assert_eq!(a, b);
}

/// Reserved concurrency is off unless set: a new account's concurrency quota
/// may be 10, and Lambda keeps 100 unreserved.
#[test]
fn reserved_concurrency_is_a_setting_off_by_default() {
    let t = synth(None);
    for (id, f) in resources_of(&t, "AWS::Lambda::Function") {
        assert!(
            f["Properties"]
                .get("ReservedConcurrentExecutions")
                .is_none(),
            "{id}"
        );
    }
    let set = synth(Some(&defaults_with(
        "  reserved_concurrency: null",
        "  reserved_concurrency: 25",
    )));
    assert_eq!(
        set["Resources"]["TodoApiFunction"]["Properties"]["ReservedConcurrentExecutions"],
        25
    );
    let bad = defaults_with("  reserved_concurrency: null", "  reserved_concurrency: 0");
    let err = BuiltIn::Todo
        .synth(Some(("todo.yaml", &bad)))
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("function.reserved_concurrency: expected an integer from 1 to 1000, found 0"),
        "{err}"
    );
}

/// Writes go through DAX (write-through), and the function may use it; the
/// endpoint is set only when the DAX client layer is attached.
#[test]
fn writes_go_through_dax_and_the_endpoint_needs_the_client_layer() {
    let t = synth(None);
    let policy = serde_json::to_string(&t["Resources"]["TodoApiRole"]).unwrap();
    for action in [
        "dax:PutItem",
        "dax:UpdateItem",
        "dax:DeleteItem",
        "dax:GetItem",
        "dax:Query",
    ] {
        assert!(policy.contains(action), "{action}");
    }
    let env = &t["Resources"]["TodoApiFunction"]["Properties"]["Environment"]["Variables"];
    assert_eq!(env["DAX_ENDPOINT"]["Fn::If"][0], "HasDaxClientLayer");
    assert_eq!(env["DAX_ENDPOINT"]["Fn::If"][2], "");
    let dax_sg = &t["Resources"]["DaxSecurityGroup"]["Properties"];
    let egress = dax_sg["SecurityGroupEgress"][0]["Description"]
        .as_str()
        .unwrap();
    assert!(!egress.contains("gateway endpoint"), "{egress}");
}

/// Cognito's default email sender has a low daily quota: a setting sends the
/// pool's email through SES instead.
#[test]
fn the_user_pool_can_send_email_through_ses() {
    let t = synth(None);
    assert!(
        t["Resources"]["UserPool"]["Properties"]
            .get("EmailConfiguration")
            .is_none()
    );
    let t = synth(Some(&defaults_with(
        "  ses_sender: null",
        "  ses_sender: no-reply@example.com",
    )));
    let email = &t["Resources"]["UserPool"]["Properties"]["EmailConfiguration"];
    assert_eq!(email["EmailSendingAccount"], "DEVELOPER");
    assert_eq!(email["From"], "no-reply@example.com");
    assert_eq!(
        email["SourceArn"]["Fn::Sub"],
        "arn:${AWS::Partition}:ses:${AWS::Region}:${AWS::AccountId}:identity/no-reply@example.com"
    );
    let bad = defaults_with("  ses_sender: null", "  ses_sender: not-an-address");
    let err = BuiltIn::Todo
        .synth(Some(("todo.yaml", &bad)))
        .unwrap_err()
        .to_string();
    assert!(err.contains("auth.ses_sender"), "{err}");
}
