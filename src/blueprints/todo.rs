//! `todo`: MyTodoList, a mobile app's backend (MISSION.md flows T1-T6).
//!
//! T1 API Gateway -> Lambda -> DynamoDB; T2 a Cognito authorizer on every
//! todo method; T3 an identity pool handing out credentials for the user's
//! own S3 prefix; T4 reads through DAX (so the function lives in the VPC);
//! T5 stage caching of GETs keyed per user; T6 read auto scaling.

use indexmap::IndexMap;
use serde::Deserialize;

use super::Artifact;
use super::SynthError;
use crate::cfn::{
    Envelope, Handle, List, Output, Parameter, Str, Template, Val, aws, equals, if_, json, not,
    sub, sub_with,
};
use crate::patterns::encryption::{KeyUser, data_key};
use crate::patterns::function::{FunctionSpec, python_function};
use crate::patterns::rest::{Auth, RestApiBuilder, Route, StageSpec, account_logging_role};
use crate::patterns::{grants, naming, network, storage};
use crate::resources::Tag;
use crate::resources::apigateway::Authorizer;
use crate::resources::applicationautoscaling::{
    PredefinedMetricSpecification, ScalableTarget, ScalingPolicy, TargetTrackingConfiguration,
};
use crate::resources::cognito::{
    AccountRecoverySetting, AdminCreateUserConfig, CognitoIdentityProvider, EmailConfiguration,
    IdentityPool, IdentityPoolRoleAttachment, PasswordPolicy, RecoveryOption, TokenValidityUnits,
    UserPool, UserPoolClient, UserPoolPolicies,
};
use crate::resources::dax::{Cluster, DaxSse, ParameterGroup, SubnetGroup};
use crate::resources::dynamodb::{
    AttributeDefinition, KeySchema, PointInTimeRecoverySpecification, ProvisionedThroughput,
    SseSpecification, Table,
};
use crate::resources::ec2::{
    RouteTable, SecurityGroup, SecurityGroupEgress, SecurityGroupRule, Subnet,
    SubnetRouteTableAssociation, Vpc, VpcEndpoint,
};
use crate::resources::iam::{InlinePolicy, PolicyDocument, Role, Statement};
use crate::resources::kms::Key;
use crate::resources::lambda::VpcConfig;
use crate::resources::s3::{Bucket, CorsConfiguration, CorsRule};
use crate::settings::{self, Bounded, Cidr, Name, Origin, RetentionDays, SettingsError};
use crate::templates;

/// The default settings, embedded from `blueprints/todo.yaml`.
pub const DEFAULTS: &str = include_str!("../../blueprints/todo.yaml");

/// Settings of the `todo` blueprint.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    /// Prefix of resource names.
    pub name: Name,
    /// API Gateway stage name.
    pub stage: Name,
    /// Days to keep logs.
    pub log_retention_days: RetentionDays,
    /// The todo table.
    pub table: TableSettings,
    /// The DAX cluster.
    pub dax: DaxSettings,
    /// The REST API.
    pub api: ApiSettings,
    /// The Lambda function.
    pub function: FunctionSettings,
    /// Sign-in.
    pub auth: AuthSettings,
    /// The VPC.
    pub network: NetworkSettings,
    /// Logical id renames (generated -> existing).
    pub logical_ids: IndexMap<String, String>,
}

/// How the table is billed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Billing {
    /// Provisioned capacity with read auto scaling.
    Provisioned,
    /// Pay per request.
    OnDemand,
}

/// Table settings.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TableSettings {
    /// Billing mode.
    pub billing: Billing,
    /// Read capacity bounds and target.
    pub read_capacity: ReadCapacity,
    /// Write capacity units (provisioned mode).
    pub write_capacity: Bounded<1, 40000>,
    /// Refuse deletion of the table.
    pub deletion_protection: bool,
}

/// Read auto scaling.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ReadCapacity {
    /// The floor.
    pub min: Bounded<1, 40000>,
    /// The ceiling.
    pub max: Bounded<1, 40000>,
    /// Percent utilization to hold.
    pub target_utilization: Bounded<20, 90>,
}

/// DAX settings.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DaxSettings {
    /// Node type, `dax.<family>.<size>`.
    pub node_type: String,
    /// Nodes in the cluster.
    pub nodes: Bounded<1, 10>,
    /// Item cache TTL.
    pub item_ttl_ms: Bounded<0, 86_400_000>,
    /// Query cache TTL.
    pub query_ttl_ms: Bounded<0, 86_400_000>,
}

/// API settings.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ApiSettings {
    /// CORS origin.
    pub cors_origin: Origin,
    /// Stage-wide steady rate.
    pub throttle_rate: Bounded<1, 10000>,
    /// Stage-wide burst.
    pub throttle_burst: Bounded<1, 5000>,
    /// Cache cluster size.
    pub cache_size_gb: String,
    /// Seconds a GET response is cached.
    pub cache_ttl_seconds: Bounded<0, 3600>,
    /// Whether this stack sets the account's API Gateway logging role.
    pub manage_account_logging_role: bool,
}

/// Function settings.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FunctionSettings {
    /// Memory in MB.
    pub memory_mb: Bounded<128, 10240>,
    /// Timeout in seconds (API Gateway waits 29 at most).
    pub timeout_seconds: Bounded<1, 29>,
    /// Concurrency reserved for (and capping) the function; absent or null
    /// reserves none. Lambda refuses a reservation that leaves the account
    /// less than 100 unreserved, and new accounts may have a quota of 10.
    #[serde(default)]
    pub reserved_concurrency: Option<Bounded<1, 1000>>,
}

/// Multi-factor authentication.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Mfa {
    /// No second factor.
    Off,
    /// Users may add an authenticator app.
    Optional,
    /// Every user must.
    On,
}

/// Sign-in settings.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AuthSettings {
    /// Minimum password length.
    pub password_min_length: Bounded<8, 99>,
    /// Require a symbol in passwords.
    pub require_symbols: bool,
    /// Second factor.
    pub mfa: Mfa,
    /// Access and ID token lifetime.
    pub access_token_minutes: Bounded<5, 1440>,
    /// Refresh token lifetime.
    pub refresh_token_days: Bounded<1, 3650>,
    /// An email address verified in Amazon SES in the stack's Region: the
    /// pool then sends through SES. Absent or null uses Cognito's default
    /// sender, whose daily quota is low (see README).
    #[serde(default)]
    pub ses_sender: Option<settings::Email>,
}

/// VPC settings.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NetworkSettings {
    /// The VPC's range, /16 to /24.
    pub cidr: Cidr,
    /// Availability zones.
    pub az_count: Bounded<2, 3>,
}

const CACHE_SIZES: [&str; 8] = ["0.5", "1.6", "6.1", "13.5", "28.4", "58.2", "118", "237"];

impl Settings {
    /// Parses and validates settings; errors name the file, line and key.
    pub fn parse(src: &settings::Layers) -> Result<Self, SettingsError> {
        let s: Settings = src.parse()?;
        let at = |key: &str, msg: String| Err(src.error_at(key, msg));
        let read = &s.table.read_capacity;
        if read.min > read.max {
            return at(
                "table.read_capacity.max",
                format!(
                    "expected at least read_capacity.min ({}), found {}",
                    read.min, read.max
                ),
            );
        }
        if !CACHE_SIZES.contains(&s.api.cache_size_gb.as_str()) {
            return at(
                "api.cache_size_gb",
                format!(
                    "expected one of {}, found {:?}",
                    CACHE_SIZES.join(", "),
                    s.api.cache_size_gb
                ),
            );
        }
        let node = s.dax.node_type.split('.').collect::<Vec<_>>();
        if node.len() != 3 || node[0] != "dax" || node.iter().any(|p| p.is_empty()) {
            return at(
                "dax.node_type",
                format!(
                    "expected a DAX node type such as dax.r5.large, found {:?}",
                    s.dax.node_type
                ),
            );
        }
        if network::subnet_cidrs(&s.network.cidr, s.network.az_count.get() as u32, 2).is_none() {
            return at(
                "network.cidr",
                format!(
                    "expected a block of /16 to /24 to split into subnets, found {}",
                    s.network.cidr
                ),
            );
        }
        Ok(s)
    }
}

/// Synthesizes `todo.template.json` from a settings file's text.
pub fn synth(s: &Settings, src: &crate::settings::Layers) -> Result<Vec<Artifact>, SynthError> {
    let template = build(s)?;
    let rendered = template
        .render_json_renamed(&s.logical_ids)
        .map_err(|e| src.error_at("logical_ids", e.to_string()))?;
    Ok(vec![Artifact::new("todo.template.json", rendered)])
}

/// Network resources the function and DAX share.
struct Net {
    subnets: Vec<Handle<Subnet>>,
    function_sg: Handle<SecurityGroup>,
    dax_sg: Handle<SecurityGroup>,
}

fn tags(s: &Settings) -> Vec<Tag> {
    vec![Tag::new("app", s.name.as_str())]
}

/// Builds the template from validated settings.
pub fn build(s: &Settings) -> Result<Template, SynthError> {
    let mut t = Template::new(&format!(
        "MyTodoList mobile backend ({}): REST API with Cognito sign-in, Lambda, DAX and DynamoDB, per-user S3 files. Generated by stackcraft.",
        s.name
    ));
    let layer = t.parameter(
        "DaxClientLayerArn",
        Parameter::string(
            "ARN of a Lambda layer with the amazon-dax-client Python package; empty reads DynamoDB directly",
        )
        .default_value("")
        .pattern(
            "^$|^arn:aws[a-z-]*:lambda:[a-z0-9-]+:[0-9]{12}:layer:[A-Za-z0-9_-]+:[0-9]+$",
            "a Lambda layer version ARN, or empty",
        ),
    );
    let has_layer = t.condition("HasDaxClientLayer", not(equals(layer.r#ref(), "".into())));

    let key = data_key(
        &mut t,
        "DataKey",
        &s.name,
        &[KeyUser::Logs, KeyUser::DynamoDb],
    );
    let table = add_table(&mut t, s, &key);
    let net = add_network(&mut t, s);
    let dax = add_dax(&mut t, s, &table, &net);

    // T1 + T4: the function reads through DAX from inside the VPC.
    let code = templates::handler("lambda/todo_api.py.j2")?;
    let layers: List = if_(&has_layer, Val::Lit(vec![layer.r#ref()]), aws::no_value());
    let mut spec = FunctionSpec::new(
        "TodoApi",
        "MyTodoList REST API: todos of the signed-in user",
        code,
    )
    .env("TABLE_NAME", table.r#ref())
    // Without the client layer the handler could not use DAX: it gets no
    // endpoint and reads DynamoDB, instead of failing an import per cold start.
    .env(
        "DAX_ENDPOINT",
        if_(&has_layer, dax.cluster_discovery_endpoint_url(), "".into()),
    )
    .env("CORS_ORIGIN", s.api.cors_origin.as_str())
    .allow([
        grants::table_read_write(&table, false),
        // Reads and writes go through DAX (write-through keeps its item
        // cache current).
        Statement::allow(
            [
                "dax:GetItem",
                "dax:BatchGetItem",
                "dax:Query",
                "dax:PutItem",
                "dax:UpdateItem",
                "dax:DeleteItem",
            ],
            vec![dax.arn()],
        ),
    ]);
    spec.memory_mb = s.function.memory_mb.get();
    spec.timeout_seconds = s.function.timeout_seconds.get();
    spec.log_retention_days = s.log_retention_days.get();
    spec.reserved_concurrency = s.function.reserved_concurrency.map(|c| c.get());
    spec.layers = Some(layers);
    spec.log_key = Some(key.arn());
    spec.vpc = Some(VpcConfig {
        security_group_ids: vec![net.function_sg.group_id()],
        subnet_ids: Val::Lit(net.subnets.iter().map(|h| h.r#ref()).collect()),
    });
    let parts = python_function(&mut t, spec);
    t.annotate(
        &parts.function,
        "checkov",
        json(&serde_json::json!({"skip": [
            {"id": "CKV_AWS_116", "comment": "Invoked synchronously by API Gateway, which returns errors to the caller; a DLQ only serves asynchronous invocations"},
            {"id": "CKV_AWS_173", "comment": "Environment variables hold only resource names and the DAX endpoint, no secrets"}
        ]})),
    );

    t.annotate(
        &parts.role,
        "checkov",
        json(&serde_json::json!({"skip": [
            {"id": "CKV_AWS_111", "comment": "Every write is scoped to named resources except X-Ray and VPC network-interface actions, which accept only Resource *"}
        ]})),
    );

    // T2: sign-in, and T3: credentials for the user's own S3 prefix.
    let (pool, client) = add_user_pool(&mut t, s);
    let bucket = add_user_files(&mut t, s, &pool, &client);

    // T1 + T2 + T5: the REST API.
    let mut api = RestApiBuilder::new(
        &mut t,
        "TodoApi",
        sub(&format!("{}-api-${{AWS::StackName}}", s.name)),
        "MyTodoList REST API",
    );
    let authorizer = t.add(
        "TodoApiAuthorizer",
        Authorizer {
            rest_api_id: api.api().r#ref(),
            name: "CognitoUserPool".into(),
            kind: "COGNITO_USER_POOLS",
            provider_arns: Some(vec![pool.arn()]),
            identity_source: Some("method.request.header.Authorization".into()),
            authorizer_result_ttl_in_seconds: Some(300.into()),
        },
    );
    // The list is cached per caller (keyed on the token and the paging), so
    // one user's todos are never served to another. A single todo is not
    // stage-cached: writes go through DAX, whose item cache they update, so
    // GET /todos/{todoId} reads the user's own writes; a stage cache would
    // serve the old version for its whole TTL.
    let routes = [
        (
            "/todos",
            "GET",
            vec![
                "method.request.header.Authorization".to_owned(),
                "method.request.querystring.limit".into(),
                "method.request.querystring.next".into(),
            ],
        ),
        ("/todos", "POST", vec![]),
        ("/todos/{todoId}", "GET", vec![]),
        ("/todos/{todoId}", "PUT", vec![]),
        ("/todos/{todoId}", "DELETE", vec![]),
    ];
    for (path, method, cache_keys) in routes {
        api.lambda_route(
            &mut t,
            Route {
                path,
                method,
                auth: Auth::Cognito(authorizer.clone()),
                cache_keys,
            },
            &parts.function,
        );
    }
    let origin = s.api.cors_origin.as_str();
    api.cors_preflight(&mut t, "/todos", origin, "GET,POST");
    api.cors_preflight(&mut t, "/todos/{todoId}", origin, "GET,PUT,DELETE");
    api.allow_invoke(&mut t, "TodoApiInvokePermission", &parts.function);
    let ttl = s.api.cache_ttl_seconds.get();
    let (rest_api, stage) = api.deploy(
        &mut t,
        StageSpec {
            name: s.stage.to_string(),
            rate_limit: s.api.throttle_rate.get() as f64,
            burst_limit: s.api.throttle_burst.get(),
            cache_size: Some(s.api.cache_size_gb.clone()),
            cached: vec![("/todos".into(), "GET", ttl)],
            throttled: vec![],
            log_retention_days: s.log_retention_days.get(),
            log_key: Some(key.arn()),
        },
    );
    if s.api.manage_account_logging_role {
        let account = account_logging_role(&mut t, "ApiGateway");
        t.add_dependency(&stage, &account);
    }

    outputs(&mut t, s, &rest_api, &pool, &client, &bucket, &table, &dax);
    Ok(t)
}

fn add_table(t: &mut Template, s: &Settings, key: &Handle<Key>) -> Handle<Table> {
    let provisioned = s.table.billing == Billing::Provisioned;
    let table = t.add_with(
        "TodoTable",
        Table {
            attribute_definitions: vec![
                AttributeDefinition::string("userId"),
                AttributeDefinition::string("todoId"),
            ],
            key_schema: vec![KeySchema::hash("userId"), KeySchema::range("todoId")],
            billing_mode: Some(if provisioned {
                "PROVISIONED"
            } else {
                "PAY_PER_REQUEST"
            }),
            provisioned_throughput: provisioned.then(|| ProvisionedThroughput {
                read_capacity_units: s.table.read_capacity.min.get().into(),
                write_capacity_units: s.table.write_capacity.get().into(),
            }),
            sse_specification: Some(SseSpecification::customer_key(key.arn())),
            point_in_time_recovery_specification: Some(PointInTimeRecoverySpecification {
                point_in_time_recovery_enabled: true.into(),
            }),
            deletion_protection_enabled: Some(s.table.deletion_protection.into()),
            tags: tags(s),
            ..Default::default()
        },
        Envelope::new().retain(),
    );
    if provisioned {
        // T6: target tracking on read capacity through the service-linked role.
        let read = &s.table.read_capacity;
        let target = t.add(
            "TodoTableReadScalingTarget",
            ScalableTarget {
                service_namespace: "dynamodb",
                resource_id: sub_with("table/${Table}", [("Table", table.r#ref())]),
                scalable_dimension: "dynamodb:table:ReadCapacityUnits",
                min_capacity: read.min.get().into(),
                max_capacity: read.max.get().into(),
                role_arn: sub(
                    "arn:${AWS::Partition}:iam::${AWS::AccountId}:role/aws-service-role/dynamodb.application-autoscaling.amazonaws.com/AWSServiceRoleForApplicationAutoScaling_DynamoDBTable",
                ),
            },
        );
        t.add(
            "TodoTableReadScalingPolicy",
            ScalingPolicy {
                policy_name: sub("${AWS::StackName}-todo-read-scaling"),
                policy_type: "TargetTrackingScaling",
                scaling_target_id: Some(target.r#ref()),
                target_tracking_scaling_policy_configuration: Some(TargetTrackingConfiguration {
                    target_value: read.target_utilization.get() as f64,
                    predefined_metric_specification: PredefinedMetricSpecification {
                        predefined_metric_type: "DynamoDBReadCapacityUtilization",
                    },
                    scale_in_cooldown: Some(60.into()),
                    scale_out_cooldown: Some(60.into()),
                }),
            },
        );
    }
    table
}

fn add_network(t: &mut Template, s: &Settings) -> Net {
    let az_count = s.network.az_count.get() as u32;
    let vpc = t.add(
        "Vpc",
        Vpc {
            cidr_block: s.network.cidr.as_str().into(),
            enable_dns_hostnames: Some(true.into()),
            enable_dns_support: Some(true.into()),
            tags: vec![Tag::new(
                "Name",
                sub(&format!("{}-${{AWS::StackName}}", s.name)),
            )],
        },
    );
    // The function and DAX need no internet: private subnets only, with a
    // gateway endpoint to DynamoDB and an interface endpoint for X-Ray.
    let cidrs = network::subnet_cidrs(&s.network.cidr, az_count, 2)
        .expect("validated when settings were parsed");
    let route_table = t.add(
        "PrivateRouteTable",
        RouteTable {
            vpc_id: vpc.r#ref(),
            tags: tags(s),
        },
    );
    let mut subnets = Vec::new();
    for (i, cidr) in cidrs.iter().enumerate() {
        let n = i + 1;
        let subnet = t.add(
            &format!("PrivateSubnet{n}"),
            Subnet {
                vpc_id: vpc.r#ref(),
                cidr_block: cidr.as_str().into(),
                availability_zone: Some(crate::cfn::select(i as u32, crate::cfn::get_azs())),
                map_public_ip_on_launch: Some(false.into()),
                tags: vec![Tag::new("Name", format!("{}-private-{n}", s.name))],
            },
        );
        t.add(
            &format!("PrivateSubnet{n}RouteTableAssociation"),
            SubnetRouteTableAssociation {
                subnet_id: subnet.r#ref(),
                route_table_id: route_table.r#ref(),
            },
        );
        subnets.push(subnet);
    }
    let function_sg = t.add(
        "FunctionSecurityGroup",
        SecurityGroup {
            group_description: "TodoApi function: HTTPS to AWS endpoints, TLS to DAX".into(),
            vpc_id: vpc.r#ref(),
            security_group_egress: Some(vec![SecurityGroupRule::tcp_cidr(
                443,
                "0.0.0.0/0",
                "HTTPS to the DynamoDB and X-Ray endpoints (the subnets have no internet route)",
            )]),
            tags: tags(s),
            ..Default::default()
        },
    );
    let dax_sg = t.add(
        "DaxSecurityGroup",
        SecurityGroup {
            group_description: "DAX cluster: TLS from the TodoApi function only".into(),
            vpc_id: vpc.r#ref(),
            security_group_ingress: Some(vec![SecurityGroupRule::tcp_from_group(
                9111,
                function_sg.group_id(),
                "DAX over TLS from the TodoApi function",
            )]),
            security_group_egress: Some(vec![SecurityGroupRule::tcp_cidr(
                443,
                s.network.cidr.as_str(),
                "Narrows the default allow-all egress to the VPC: the cluster only answers clients, and DAX reaches DynamoDB through the service with DaxRole, not through this VPC",
            )]),
            tags: tags(s),
        },
    );
    // A separate egress rule: inline, the two groups would refer to each other.
    t.add(
        "FunctionToDaxEgress",
        SecurityGroupEgress {
            group_id: function_sg.group_id(),
            ip_protocol: "tcp",
            from_port: Some(9111.into()),
            to_port: Some(9111.into()),
            destination_security_group_id: Some(dax_sg.group_id()),
            description: Some("DAX over TLS".into()),
            ..Default::default()
        },
    );
    let endpoint_sg = t.add(
        "EndpointSecurityGroup",
        SecurityGroup {
            group_description: "Interface endpoints: HTTPS from the TodoApi function".into(),
            vpc_id: vpc.r#ref(),
            security_group_ingress: Some(vec![SecurityGroupRule::tcp_from_group(
                443,
                function_sg.group_id(),
                "HTTPS from the TodoApi function",
            )]),
            security_group_egress: Some(vec![SecurityGroupRule::tcp_cidr(
                443,
                s.network.cidr.as_str(),
                "Responses stay in the VPC",
            )]),
            tags: tags(s),
        },
    );
    network::dynamodb_gateway_endpoint(t, vpc.r#ref(), vec![route_table.r#ref()]);
    t.add(
        "XRayEndpoint",
        VpcEndpoint {
            vpc_id: vpc.r#ref(),
            service_name: sub("com.amazonaws.${AWS::Region}.xray"),
            vpc_endpoint_type: Some("Interface"),
            subnet_ids: Some(Val::Lit(subnets.iter().map(|h| h.r#ref()).collect())),
            security_group_ids: Some(vec![endpoint_sg.group_id()]),
            private_dns_enabled: Some(true.into()),
            ..Default::default()
        },
    );
    Net {
        subnets,
        function_sg,
        dax_sg,
    }
}

fn add_dax(t: &mut Template, s: &Settings, table: &Handle<Table>, net: &Net) -> Handle<Cluster> {
    let role = t.add(
        "DaxRole",
        Role::for_service(
            "dax.amazonaws.com",
            "Lets the DAX cluster read and write the todo table",
            "TodoTableThroughDax",
            vec![
                grants::table_read_write(table, false).sid("TodoTableItems"),
                Statement::allow(["dynamodb:DescribeTable"], vec![table.arn()]),
            ],
        ),
    );
    let subnet_group = t.add(
        "DaxSubnetGroup",
        SubnetGroup {
            description: Some("Private subnets of the todo DAX cluster".into()),
            subnet_ids: net.subnets.iter().map(|h| h.r#ref()).collect(),
        },
    );
    let parameters = t.add(
        "DaxParameterGroup",
        ParameterGroup {
            description: Some("Cache lifetimes of the todo DAX cluster".into()),
            parameter_name_values: IndexMap::from([
                (
                    "record-ttl-millis".to_owned(),
                    s.dax.item_ttl_ms.to_string(),
                ),
                (
                    "query-ttl-millis".to_owned(),
                    s.dax.query_ttl_ms.to_string(),
                ),
            ]),
        },
    );
    t.add(
        "DaxCluster",
        Cluster {
            description: Some("Read-through cache in front of the todo table".into()),
            node_type: s.dax.node_type.as_str().into(),
            replication_factor: s.dax.nodes.get().into(),
            iam_role_arn: role.arn(),
            subnet_group_name: Some(subnet_group.r#ref()),
            parameter_group_name: Some(parameters.r#ref()),
            security_group_ids: Some(vec![net.dax_sg.group_id()]),
            sse_specification: Some(DaxSse {
                sse_enabled: true.into(),
            }),
            cluster_endpoint_encryption_type: Some("TLS"),
        },
    )
}

fn add_user_pool(t: &mut Template, s: &Settings) -> (Handle<UserPool>, Handle<UserPoolClient>) {
    let (mfa, factors) = match s.auth.mfa {
        Mfa::Off => ("OFF", None),
        Mfa::Optional => ("OPTIONAL", Some(vec!["SOFTWARE_TOKEN_MFA"])),
        Mfa::On => ("ON", Some(vec!["SOFTWARE_TOKEN_MFA"])),
    };
    let pool = t.add_with(
        "UserPool",
        UserPool {
            user_pool_name: Some(naming::unique(&format!("{}-users", s.name))),
            username_attributes: Some(vec!["email"]),
            auto_verified_attributes: Some(vec!["email"]),
            policies: Some(UserPoolPolicies {
                password_policy: PasswordPolicy {
                    minimum_length: s.auth.password_min_length.get().into(),
                    require_lowercase: true.into(),
                    require_uppercase: true.into(),
                    require_numbers: true.into(),
                    require_symbols: s.auth.require_symbols.into(),
                    temporary_password_validity_days: 3.into(),
                },
            }),
            mfa_configuration: Some(mfa),
            enabled_mfas: factors,
            account_recovery_setting: Some(AccountRecoverySetting {
                recovery_mechanisms: vec![RecoveryOption {
                    name: "verified_email",
                    priority: 1.into(),
                }],
            }),
            admin_create_user_config: Some(AdminCreateUserConfig {
                allow_admin_create_user_only: false.into(),
            }),
            // Cognito's default sender allows few emails a day; with
            // `auth.ses_sender` the pool sends through the account's SES.
            email_configuration: s.auth.ses_sender.as_ref().map(|from| EmailConfiguration {
                email_sending_account: "DEVELOPER",
                source_arn: Some(sub(&format!(
                    "arn:${{AWS::Partition}}:ses:${{AWS::Region}}:${{AWS::AccountId}}:identity/{}",
                    from.as_str()
                ))),
                from: Some(from.as_str().into()),
            }),
            deletion_protection: Some("ACTIVE"),
            user_pool_tags: Some(IndexMap::from([("app".to_owned(), s.name.as_str().into())])),
        },
        Envelope::new().retain(),
    );
    let client = t.add(
        "UserPoolClient",
        UserPoolClient {
            user_pool_id: pool.r#ref(),
            client_name: Some(format!("{}-mobile", s.name).into()),
            generate_secret: Some(false.into()),
            explicit_auth_flows: Some(vec!["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]),
            prevent_user_existence_errors: Some("ENABLED"),
            enable_token_revocation: Some(true.into()),
            access_token_validity: Some(s.auth.access_token_minutes.get().into()),
            id_token_validity: Some(s.auth.access_token_minutes.get().into()),
            refresh_token_validity: Some(s.auth.refresh_token_days.get().into()),
            token_validity_units: Some(TokenValidityUnits {
                access_token: "minutes",
                id_token: "minutes",
                refresh_token: "days",
            }),
        },
    );
    (pool, client)
}

fn add_user_files(
    t: &mut Template,
    s: &Settings,
    pool: &Handle<UserPool>,
    client: &Handle<UserPoolClient>,
) -> Handle<Bucket> {
    let logs = storage::access_log_bucket(t, "UserFilesAccessLogs", s.log_retention_days.get());
    let mut bucket = storage::private_bucket(30);
    bucket.cors_configuration = Some(CorsConfiguration {
        cors_rules: vec![CorsRule {
            allowed_headers: vec!["*".into()],
            allowed_methods: vec!["GET".into(), "PUT".into(), "HEAD".into(), "DELETE".into()],
            allowed_origins: vec![s.api.cors_origin.to_string()],
            exposed_headers: Some(vec!["ETag".into()]),
            max_age: Some(3000.into()),
        }],
    });
    bucket.logging_configuration = Some(storage::log_to(&logs, "user-files/"));
    bucket.tags = tags(s);
    let bucket = t.add_with("UserFilesBucket", bucket, Envelope::new().retain());
    storage::bucket_policy(t, "UserFilesBucketPolicy", &bucket, vec![]);

    let identity_pool = t.add(
        "IdentityPool",
        IdentityPool {
            identity_pool_name: Some(naming::unique(&format!(
                "{}_files",
                s.name.replace('-', "_")
            ))),
            allow_unauthenticated_identities: false.into(),
            allow_classic_flow: Some(false.into()),
            cognito_identity_providers: Some(vec![CognitoIdentityProvider {
                client_id: client.r#ref(),
                provider_name: pool.provider_name(),
                server_side_token_check: Some(true.into()),
            }]),
        },
    );
    // The role a signed-in user's identity assumes (STS
    // AssumeRoleWithWebIdentity, through the identity pool): only this pool's
    // authenticated identities, only their own prefix.
    let own_prefix = "private/${cognito-identity.amazonaws.com:sub}";
    let role = t.add(
        "AuthenticatedUserRole",
        Role {
            assume_role_policy_document: PolicyDocument::new(vec![
                Statement::allow(["sts:AssumeRoleWithWebIdentity"], vec![])
                    .principal(serde_json::json!({"Federated": "cognito-identity.amazonaws.com"}))
                    .condition(serde_json::json!({
                        "StringEquals": {"cognito-identity.amazonaws.com:aud": identity_pool.r#ref().to_json()},
                        "ForAnyValue:StringLike": {"cognito-identity.amazonaws.com:amr": "authenticated"}
                    })),
            ]),
            description: Some("Signed-in users: read and write their own prefix of the user files bucket".into()),
            policies: vec![InlinePolicy {
                policy_name: "OwnFilesOnly".into(),
                policy_document: PolicyDocument::new(vec![
                    Statement::allow(
                        ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
                        vec![sub_with(
                            "${Bucket}/private/${!cognito-identity.amazonaws.com:sub}/*",
                            [("Bucket", bucket.arn())],
                        )],
                    )
                    .sid("OwnObjects"),
                    Statement::allow(["s3:ListBucket"], vec![bucket.arn()])
                        .sid("ListOwnPrefix")
                        .condition(serde_json::json!({
                            "StringLike": {"s3:prefix": [own_prefix, format!("{own_prefix}/*")]}
                        })),
                ]),
            }],
            ..Default::default()
        },
    );
    t.add(
        "IdentityPoolRoles",
        IdentityPoolRoleAttachment {
            identity_pool_id: identity_pool.r#ref(),
            roles: IndexMap::from([("authenticated".to_owned(), role.arn())]),
        },
    );
    t.output(
        "IdentityPoolId",
        Output::new(
            "Identity pool that exchanges a sign-in for temporary AWS credentials",
            identity_pool.r#ref(),
        ),
    );
    bucket
}

#[allow(clippy::too_many_arguments)]
fn outputs(
    t: &mut Template,
    s: &Settings,
    api: &Handle<crate::resources::apigateway::RestApi>,
    pool: &Handle<UserPool>,
    client: &Handle<UserPoolClient>,
    bucket: &Handle<Bucket>,
    table: &Handle<Table>,
    dax: &Handle<Cluster>,
) {
    let url: Str = sub_with(
        &format!(
            "https://${{Api}}.execute-api.${{AWS::Region}}.${{AWS::URLSuffix}}/{}/",
            s.stage
        ),
        [("Api", api.r#ref())],
    );
    t.output("ApiUrl", Output::new("Base URL of the todo REST API", url));
    t.output(
        "UserPoolId",
        Output::new("Cognito user pool id", pool.r#ref()),
    );
    t.output(
        "UserPoolClientId",
        Output::new("App client id for the mobile app's sign-in", client.r#ref()),
    );
    t.output(
        "UserFilesBucketName",
        Output::new(
            "Bucket for users' files, under private/<identity id>/",
            bucket.r#ref(),
        ),
    );
    t.output(
        "TodoTableName",
        Output::new("DynamoDB table of todos", table.r#ref()),
    );
    t.output(
        "DaxEndpoint",
        Output::new(
            "DAX cluster discovery endpoint (TLS)",
            dax.cluster_discovery_endpoint_url(),
        ),
    );
    t.output(
        "Region",
        Output::new("Region to configure in the app", aws::region()),
    );
}
