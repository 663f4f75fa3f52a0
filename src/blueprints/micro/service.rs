//! One service's stack: the same scaffolding for every service (network
//! inputs from SSM, tags, version, published endpoint), then its pattern,
//! datastore, owned queues and streams, and consumers.

use super::settings::pascal;
use std::collections::BTreeSet;

use indexmap::IndexMap;
use serde_json::{Value, json};

use super::openapi;
use super::settings::{Datastore, Pattern, Service, Settings, Source};
use super::ssm_parameter;
use crate::blueprints::SynthError;
use crate::cfn::{
    ConditionRef, Envelope, Handle, List, Output, Parameter, ParameterRef, Policy, Str, Template,
    Val, and, aws, base64, equals, if_, not, sub, sub_with,
};
use crate::patterns::function::{FunctionParts, FunctionSpec, python_function};
use crate::patterns::{grants, storage};
use crate::resources::Tag;
use crate::resources::apigateway::{
    AccessLogSetting, BasePathMapping, Deployment, DomainName, EndpointConfiguration,
    MethodSetting, RestApi, Stage,
};
use crate::resources::autoscaling::{AutoScalingGroup, LaunchTemplateSpecification, TagProperty};
use crate::resources::dynamodb::{
    AttributeDefinition, KeySchema, PointInTimeRecoverySpecification, SseSpecification, Table,
};
use crate::resources::ec2::{
    LaunchTemplate, SecurityGroup, SecurityGroupEgress, SecurityGroupIngress, SecurityGroupRule,
};
use crate::resources::ecs::{
    AwsVpcConfiguration, Cluster, ClusterSetting, ContainerDefinition, DeploymentCircuitBreaker,
    DeploymentConfiguration, KeyValue, LogConfiguration, MountPoint, NetworkConfiguration,
    PortMapping, Service as EcsService, ServiceLoadBalancer, TaskDefinition, Volume,
};
use crate::resources::elasticache::{ReplicationGroup, SubnetGroup as CacheSubnetGroup};
use crate::resources::elasticloadbalancingv2::{
    Action, Attribute, Certificate, Listener, LoadBalancer, Matcher, TargetGroup,
};
use crate::resources::iam::{InstanceProfile, Role, Statement};
use crate::resources::kinesis::{Stream, StreamEncryption, StreamModeDetails};
use crate::resources::lambda::{
    DestinationConfig, EventSourceMapping, OnFailure, ScalingConfig, VpcConfig,
};
use crate::resources::logs::LogGroup;
use crate::resources::rds::{DbInstance, DbSubnetGroup};
use crate::resources::route53::{AliasTarget, RecordSet};
use crate::templates;

/// A service's synthesized template and, for services with a REST API, its
/// OpenAPI document.
pub struct Built {
    /// The stack.
    pub template: Template,
    /// The API contract, clean of CloudFormation.
    pub openapi: Option<Value>,
}

/// Stack inputs read from SSM parameters, declared on first use so a stack
/// declares only what it reads.
struct Inputs {
    app: String,
    env: String,
    declared: IndexMap<String, ParameterRef>,
}

impl Inputs {
    fn get(
        &mut self,
        t: &mut Template,
        id: &str,
        value_type: &str,
        path: &str,
        description: &str,
    ) -> ParameterRef {
        if let Some(p) = self.declared.get(id) {
            return p.clone();
        }
        let full = format!("/{}/{}/{path}", self.app, self.env);
        let p = t.parameter(
            id,
            Parameter::of_type(
                &format!("AWS::SSM::Parameter::Value<{value_type}>"),
                description,
            )
            .default_value(full),
        );
        self.declared.insert(id.to_owned(), p.clone());
        p
    }
    fn vpc(&mut self, t: &mut Template) -> Str {
        self.get(
            t,
            "VpcId",
            "AWS::EC2::VPC::Id",
            "network/vpc-id",
            "VPC of the shared network (SSM parameter name)",
        )
        .r#ref()
    }
    fn vpc_cidr(&mut self, t: &mut Template) -> Str {
        self.get(
            t,
            "VpcCidr",
            "String",
            "network/vpc-cidr",
            "Address range of the shared VPC (SSM parameter name)",
        )
        .r#ref()
    }
    fn private_subnets(&mut self, t: &mut Template) -> List {
        self.get(
            t,
            "PrivateSubnets",
            "List<AWS::EC2::Subnet::Id>",
            "network/private-subnets",
            "Private subnets (SSM parameter name)",
        )
        .list()
    }
    fn public_subnets(&mut self, t: &mut Template) -> List {
        self.get(
            t,
            "PublicSubnets",
            "List<AWS::EC2::Subnet::Id>",
            "network/public-subnets",
            "Public subnets (SSM parameter name)",
        )
        .list()
    }
    fn logs_bucket(&mut self, t: &mut Template) -> Str {
        self.get(
            t,
            "LoadBalancerLogsBucket",
            "String",
            "network/load-balancer-logs-bucket",
            "Bucket for load balancer access logs (SSM parameter name)",
        )
        .r#ref()
    }
    fn data_key(&mut self, t: &mut Template) -> Str {
        self.get(
            t,
            "DataKeyArn",
            "String",
            "network/data-key-arn",
            "KMS key for data and logs (SSM parameter name)",
        )
        .r#ref()
    }
}

/// What the pattern hands to the rest of the stack.
struct Ctx<'a> {
    s: &'a Settings,
    svc: &'a Service,
    inputs: Inputs,
    env: IndexMap<String, Str>,
    statements: Vec<Statement>,
}

impl Ctx<'_> {
    fn tags(&self) -> Vec<Tag> {
        vec![
            Tag::new("app", self.s.app.as_str()),
            Tag::new("service", self.svc.name.as_str()),
            Tag::new("version", self.svc.version.as_str()),
        ]
    }
    fn path(&self, rest: &str) -> String {
        format!(
            "/{}/{}/{}/{rest}",
            self.s.app, self.s.environment, self.svc.name
        )
    }
}

/// Timeout of every service's `Consumer` function. Queues a service owns are
/// consumed only by such functions (`consumes: - queue: owner/name`), so the
/// owner sizes their visibility timeout from it.
const CONSUMER_TIMEOUT_SECONDS: i64 = 30;

fn checkov(items: &[(&str, &str)]) -> Value {
    json!({"skip": items.iter().map(|(id, c)| json!({"id": id, "comment": c})).collect::<Vec<_>>()})
}

fn env_name(name: &str) -> String {
    name.replace('-', "_").to_uppercase()
}

/// Builds one service's stack.
pub fn build(s: &Settings, svc: &Service) -> Result<Built, SynthError> {
    let mut t = Template::new(&format!(
        "{} {} service {} v{}: {}. Generated by stackcraft.",
        s.app,
        s.environment,
        svc.name,
        svc.version,
        if svc.description.is_empty() {
            "no description"
        } else {
            &svc.description
        }
    ));
    t.metadata("stackcraft", json!({"service": svc.name.as_str(), "version": svc.version.as_str(), "pattern": format!("{:?}", svc.pattern).to_lowercase()}));
    let mut c = Ctx {
        s,
        svc,
        inputs: Inputs {
            app: s.app.to_string(),
            env: s.environment.to_string(),
            declared: IndexMap::new(),
        },
        env: IndexMap::new(),
        statements: Vec::new(),
    };
    c.env
        .insert("SERVICE_NAME".into(), svc.name.as_str().into());
    c.env
        .insert("SERVICE_VERSION".into(), svc.version.as_str().into());

    // M4: endpoints of called services come from their SSM parameters.
    for callee in &svc.calls {
        let p = c.inputs.get(
            &mut t,
            &format!("{}Url", callee.pascal()),
            "String",
            &format!("{callee}/url"),
            &format!("Base URL of the {callee} service (SSM parameter name)"),
        );
        c.env.insert(format!("{}_URL", env_name(callee)), p.r#ref());
    }
    // M5: owned streams and queues, published for consumers.
    for stream in &svc.streams {
        let id = format!("{}Stream", pascal(stream));
        let key = c.inputs.data_key(&mut t);
        let h = t.add(
            &id,
            Stream {
                retention_period_hours: Some(24.into()),
                stream_mode_details: Some(StreamModeDetails {
                    stream_mode: "ON_DEMAND",
                }),
                stream_encryption: Some(StreamEncryption {
                    encryption_type: "KMS",
                    key_id: key.clone(),
                }),
                tags: c.tags(),
            },
        );
        ssm_parameter(
            &mut t,
            &format!("{id}ArnParameter"),
            &c.path(&format!("streams/{stream}/arn")),
            "String",
            h.arn(),
            &format!("ARN of the {stream} stream"),
        );
        c.env
            .insert(format!("{}_STREAM", env_name(stream)), h.r#ref());
        c.statements.push(Statement::allow(
            [
                "kinesis:PutRecord",
                "kinesis:PutRecords",
                "kinesis:DescribeStreamSummary",
            ],
            vec![h.arn()],
        ));
        c.statements
            .push(Statement::allow(["kms:GenerateDataKey"], vec![key]));
    }
    for queue in &svc.queues {
        let name = pascal(queue);
        let q = storage::queue_with_dlq(&mut t, &name, CONSUMER_TIMEOUT_SECONDS, 5, |_| vec![]);
        ssm_parameter(
            &mut t,
            &format!("{name}QueueUrlParameter"),
            &c.path(&format!("queues/{queue}/url")),
            "String",
            q.queue.queue_url(),
            &format!("URL of the {queue} queue"),
        );
        ssm_parameter(
            &mut t,
            &format!("{name}QueueArnParameter"),
            &c.path(&format!("queues/{queue}/arn")),
            "String",
            q.queue.arn(),
            &format!("ARN of the {queue} queue"),
        );
        c.env.insert(
            format!("{}_QUEUE_URL", env_name(queue)),
            q.queue.queue_url(),
        );
        c.statements.push(grants::queue_send(&q.queue));
    }
    // The datastore.
    match svc.datastore {
        Datastore::Dynamodb => {
            let table = add_table(&mut t, &mut c);
            c.env.insert("TABLE_NAME".into(), table.r#ref());
            c.statements.push(grants::table_read_write(&table, true));
        }
        Datastore::Elasticache | Datastore::Rds | Datastore::None => {}
    }

    let mut openapi_doc = None;
    let url: Option<Str> = match svc.pattern {
        Pattern::Ecs => Some(ecs(&mut t, &mut c)),
        Pattern::Ec2 => Some(ec2(&mut t, &mut c)?),
        Pattern::Lambda => {
            let doc = openapi::document(&s.app, svc)?;
            let url = lambda_api(&mut t, &mut c, &doc)?;
            openapi_doc = Some(doc);
            Some(url)
        }
        Pattern::Worker => None,
    };
    if let Some(url) = url {
        if openapi_doc.is_none() {
            openapi_doc = Some(openapi::document(&s.app, svc)?);
        }
        ssm_parameter(
            &mut t,
            "UrlParameter",
            &c.path("url"),
            "String",
            url.clone(),
            &format!("Base URL of the {} service", svc.name),
        );
        t.output(
            "Url",
            Output::new(&format!("Base URL of the {} service", svc.name), url),
        );
    }
    if !svc.consumes.is_empty() {
        consumers(&mut t, &mut c)?;
    }
    Ok(Built {
        template: t,
        openapi: openapi_doc,
    })
}

fn add_table(t: &mut Template, c: &mut Ctx<'_>) -> Handle<Table> {
    let key = c.inputs.data_key(t);
    let (hash, range) = if c.svc.pattern == Pattern::Worker {
        ("source", "id")
    } else {
        ("pk", "sk")
    };
    t.add_with(
        "Table",
        Table {
            attribute_definitions: vec![
                AttributeDefinition::string(hash),
                AttributeDefinition::string(range),
            ],
            key_schema: vec![KeySchema::hash(hash), KeySchema::range(range)],
            billing_mode: Some("PAY_PER_REQUEST"),
            sse_specification: Some(SseSpecification::customer_key(key)),
            point_in_time_recovery_specification: Some(PointInTimeRecoverySpecification {
                point_in_time_recovery_enabled: true.into(),
            }),
            deletion_protection_enabled: Some(true.into()),
            tags: c.tags(),
            ..Default::default()
        },
        Envelope::new().retain(),
    )
}

/// A log group encrypted with the shared key.
fn log_group(t: &mut Template, c: &mut Ctx<'_>, id: &str) -> Handle<LogGroup> {
    let key = c.inputs.data_key(t);
    t.add(
        id,
        LogGroup {
            retention_in_days: Some(c.s.log_retention_days.get().into()),
            kms_key_id: Some(key),
            ..Default::default()
        },
    )
}

/// HTTPS -> internet-facing ALB -> target group. No plain-HTTP listener:
/// clients of a service API speak HTTPS.
fn load_balancer(
    t: &mut Template,
    c: &mut Ctx<'_>,
    target_type: &'static str,
) -> (
    Handle<LoadBalancer>,
    Handle<TargetGroup>,
    Handle<SecurityGroup>,
    Handle<Listener>,
) {
    let certificate = t.parameter(
        "CertificateArn",
        Parameter::string("ACM certificate for the load balancer's HTTPS listener").pattern(
            "^arn:aws[a-z-]*:acm:[a-z0-9-]+:[0-9]{12}:certificate/.+$",
            "an ACM certificate ARN",
        ),
    );
    let port = c.svc.port.get();
    let vpc = c.inputs.vpc(t);
    let vpc_cidr = c.inputs.vpc_cidr(t);
    let alb_sg = t.add(
        "LoadBalancerSecurityGroup",
        SecurityGroup {
            group_description: format!("{} load balancer: HTTPS from anywhere", c.svc.name),
            vpc_id: vpc.clone(),
            security_group_ingress: Some(vec![SecurityGroupRule::tcp_cidr(
                443,
                "0.0.0.0/0",
                "HTTPS from clients",
            )]),
            security_group_egress: Some(vec![SecurityGroupRule::tcp_cidr(
                port,
                vpc_cidr,
                "To the targets",
            )]),
            tags: c.tags(),
        },
    );
    let subnets = c.inputs.public_subnets(t);
    let logs = c.inputs.logs_bucket(t);
    let lb = t.add_with("LoadBalancer", LoadBalancer {
        kind: Some("application"),
        scheme: Some("internet-facing"),
        subnets: Some(subnets),
        security_groups: Some(vec![alb_sg.group_id()]),
        load_balancer_attributes: vec![
            Attribute::new("routing.http.drop_invalid_header_fields.enabled", "true"),
            Attribute::new("deletion_protection.enabled", "true"),
            Attribute::new("access_logs.s3.enabled", "true"),
            Attribute::new("access_logs.s3.bucket", logs),
            Attribute::new("access_logs.s3.prefix", c.svc.name.as_str()),
        ],
        tags: c.tags(),
    }, Envelope::new().metadata("checkov", checkov(&[("CKV2_AWS_28", "Attach your organisation's WAF web ACL to the load balancer; it is account policy, not service scaffolding")])));
    let tg = t.add(
        "TargetGroup",
        TargetGroup {
            target_type: Some(target_type),
            protocol: Some("HTTP"),
            port: Some(port.into()),
            vpc_id: Some(vpc),
            health_check_path: Some("/health".into()),
            health_check_protocol: Some("HTTP"),
            matcher: Some(Matcher {
                http_code: "200".into(),
            }),
            target_group_attributes: vec![Attribute::new(
                "deregistration_delay.timeout_seconds",
                "30",
            )],
            tags: c.tags(),
        },
    );
    let https = t.add(
        "HttpsListener",
        Listener {
            load_balancer_arn: lb.r#ref(),
            protocol: "HTTPS",
            port: 443.into(),
            certificates: Some(vec![Certificate {
                certificate_arn: certificate.r#ref(),
            }]),
            ssl_policy: Some("ELBSecurityPolicy-TLS13-1-2-2021-06"),
            default_actions: vec![Action {
                kind: "forward",
                target_group_arn: Some(tg.r#ref()),
                redirect_config: None,
            }],
        },
    );
    (lb, tg, alb_sg, https)
}

/// M1: HTTPS -> ALB -> ECS Fargate.
fn ecs(t: &mut Template, c: &mut Ctx<'_>) -> Str {
    let image = t.parameter(
        "ContainerImage",
        Parameter::string("The service's container image; it listens on the service port, answers GET /health, and writes only to /tmp"),
    );
    let (lb, tg, alb_sg, https) = load_balancer(t, c, "ip");
    let port = c.svc.port.get();
    let vpc = c.inputs.vpc(t);
    let sg = t.add(
        "ServiceSecurityGroup",
        SecurityGroup {
            group_description: format!(
                "{} tasks: the service port from the load balancer",
                c.svc.name
            ),
            vpc_id: vpc,
            security_group_ingress: Some(vec![SecurityGroupRule::tcp_from_group(
                port,
                alb_sg.group_id(),
                "From the load balancer",
            )]),
            security_group_egress: Some(vec![SecurityGroupRule::tcp_cidr(
                443,
                "0.0.0.0/0",
                "HTTPS to AWS APIs and called services",
            )]),
            tags: c.tags(),
        },
    );
    let logs = log_group(t, c, "LogGroup");
    let cluster = t.add(
        "Cluster",
        Cluster {
            cluster_settings: Some(vec![ClusterSetting {
                name: "containerInsights",
                value: "enabled",
            }]),
            tags: c.tags(),
        },
    );
    let execution_role = t.add(
        "ExecutionRole",
        Role::for_service(
            "ecs-tasks.amazonaws.com",
            "Lets ECS pull the image and write the task's logs",
            "PullAndLog",
            vec![
                Statement::allow(["ecr:GetAuthorizationToken"], vec!["*".into()]),
                Statement::allow(
                    [
                        "ecr:BatchGetImage",
                        "ecr:GetDownloadUrlForLayer",
                        "ecr:BatchCheckLayerAvailability",
                    ],
                    vec![sub(
                        "arn:${AWS::Partition}:ecr:${AWS::Region}:${AWS::AccountId}:repository/*",
                    )],
                ),
                Statement::allow(
                    ["logs:CreateLogStream", "logs:PutLogEvents"],
                    vec![logs.arn()],
                ),
            ],
        ),
    );
    let task_role = t.add(
        "TaskRole",
        Role::for_service(
            "ecs-tasks.amazonaws.com",
            format!("What the {} service may do", c.svc.name),
            "ServiceAccess",
            c.statements.clone(),
        ),
    );
    let name = c.svc.name.to_string();
    let task = t.add(
        "TaskDefinition",
        TaskDefinition {
            family: Some(sub(&format!("${{AWS::StackName}}-{name}"))),
            requires_compatibilities: vec!["FARGATE"],
            network_mode: "awsvpc",
            cpu: "256".into(),
            memory: "512".into(),
            execution_role_arn: execution_role.arn(),
            task_role_arn: Some(task_role.arn()),
            container_definitions: vec![ContainerDefinition {
                name: name.clone(),
                image: image.r#ref(),
                essential: Some(true.into()),
                port_mappings: Some(vec![PortMapping {
                    container_port: port.into(),
                    protocol: "tcp",
                }]),
                environment: Some(
                    c.env
                        .iter()
                        .map(|(k, v)| KeyValue {
                            name: k.clone(),
                            value: v.clone(),
                        })
                        .collect(),
                ),
                log_configuration: Some(LogConfiguration {
                    log_driver: "awslogs",
                    options: IndexMap::from([
                        ("awslogs-group".to_owned(), logs.r#ref()),
                        ("awslogs-region".to_owned(), aws::region()),
                        ("awslogs-stream-prefix".to_owned(), name.as_str().into()),
                    ]),
                }),
                // The root file system is read-only; the image contract
                // says the service writes only to /tmp, so /tmp is a task
                // volume on the task's ephemeral storage.
                mount_points: Some(vec![MountPoint {
                    source_volume: "tmp".to_owned(),
                    container_path: "/tmp".to_owned(),
                    read_only: Some(false.into()),
                }]),
                readonly_root_filesystem: Some(true.into()),
                privileged: Some(false.into()),
            }],
            volumes: vec![Volume {
                name: "tmp".to_owned(),
            }],
            tags: c.tags(),
        },
    );
    let subnets = c.inputs.private_subnets(t);
    t.add_with(
        "Service",
        EcsService {
            cluster: cluster.r#ref(),
            task_definition: task.r#ref(),
            launch_type: Some("FARGATE"),
            desired_count: Some(c.svc.count.get().into()),
            network_configuration: Some(NetworkConfiguration {
                awsvpc_configuration: AwsVpcConfiguration {
                    assign_public_ip: "DISABLED",
                    security_groups: vec![sg.group_id()],
                    subnets,
                },
            }),
            load_balancers: Some(vec![ServiceLoadBalancer {
                container_name: name,
                container_port: port.into(),
                target_group_arn: tg.r#ref(),
            }]),
            health_check_grace_period_seconds: Some(60.into()),
            deployment_configuration: Some(DeploymentConfiguration {
                deployment_circuit_breaker: DeploymentCircuitBreaker {
                    enable: true.into(),
                    rollback: true.into(),
                },
                minimum_healthy_percent: 100.into(),
                maximum_percent: 200.into(),
            }),
            propagate_tags: Some("SERVICE"),
            tags: c.tags(),
        },
        Envelope::new().depends_on(&https),
    );
    alb_domain(t, &lb)
}

/// The ALB services' name: the HTTPS listener presents the user's
/// certificate, which cannot cover the load balancer's own
/// `*.elb.amazonaws.com` name, so callers that verify TLS need a name the
/// certificate covers. Adds the `DomainName` and `HostedZoneId` parameters and
/// a Route 53 alias record to the load balancer; returns `https://<domain>`.
fn alb_domain(t: &mut Template, lb: &Handle<LoadBalancer>) -> Str {
    let domain = t.parameter(
        "DomainName",
        Parameter::string(
            "The service's domain name, e.g. orders.example.com: CertificateArn must cover it",
        )
        .pattern(
            "^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)+$",
            "a domain name such as orders.example.com",
        ),
    );
    let zone = t.parameter(
        "HostedZoneId",
        Parameter::of_type(
            "AWS::Route53::HostedZone::Id",
            "Route 53 hosted zone of DomainName",
        ),
    );
    t.add(
        "LoadBalancerDnsRecord",
        RecordSet {
            hosted_zone_id: zone.r#ref(),
            name: domain.r#ref(),
            kind: "A",
            alias_target: Some(AliasTarget {
                dns_name: lb.dns_name(),
                hosted_zone_id: lb.canonical_hosted_zone_id(),
                evaluate_target_health: true.into(),
            }),
        },
    );
    sub_with("https://${Domain}", [("Domain", domain.r#ref())])
}

/// M3: HTTPS -> ALB -> EC2 Auto Scaling -> RDS.
fn ec2(t: &mut Template, c: &mut Ctx<'_>) -> Result<Str, SynthError> {
    let ami = t.parameter(
        "ImageId",
        Parameter::of_type(
            "AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>",
            "Amazon Linux 2023 image, from AWS's public SSM parameter",
        )
        .default_value("/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64"),
    );
    let (lb, tg, alb_sg, _https) = load_balancer(t, c, "instance");
    let port = c.svc.port.get();
    let vpc = c.inputs.vpc(t);
    let instance_sg = t.add(
        "InstanceSecurityGroup",
        SecurityGroup {
            group_description: format!(
                "{} instances: the service port from the load balancer",
                c.svc.name
            ),
            vpc_id: vpc.clone(),
            security_group_ingress: Some(vec![SecurityGroupRule::tcp_from_group(
                port,
                alb_sg.group_id(),
                "From the load balancer",
            )]),
            security_group_egress: Some(vec![SecurityGroupRule::tcp_cidr(
                443,
                "0.0.0.0/0",
                "HTTPS to AWS APIs (SSM, Secrets Manager) and packages",
            )]),
            tags: c.tags(),
        },
    );
    let (db_host, db_port) = if c.svc.datastore == Datastore::Rds {
        let db = rds(t, c, &instance_sg, &vpc);
        c.statements.push(Statement::allow(
            ["secretsmanager:GetSecretValue"],
            vec![db.master_user_secret_arn()],
        ));
        c.env
            .insert("DB_SECRET_ARN".into(), db.master_user_secret_arn());
        (db.endpoint_address(), db.endpoint_port())
    } else {
        (Str::from("localhost"), Str::from("5432"))
    };
    let role = t.add(
        "InstanceRole",
        Role {
            managed_policy_arns: vec![sub(
                "arn:${AWS::Partition}:iam::aws:policy/AmazonSSMManagedInstanceCore",
            )],
            ..Role::for_service(
                "ec2.amazonaws.com",
                format!(
                    "{} instances: Session Manager access and the service's own permissions",
                    c.svc.name
                ),
                "ServiceAccess",
                c.statements.clone(),
            )
        },
    );
    let profile = t.add(
        "InstanceProfile",
        InstanceProfile {
            roles: vec![role.r#ref()],
        },
    );
    // The service's settings reach the process as environment variables of
    // its systemd unit, filled in by Fn::Sub.
    let keys: Vec<&String> = c.env.keys().collect();
    let script = templates::render(
        "ec2/user_data.sh.j2",
        minijinja::context! { name => c.svc.name.as_str(), version => c.svc.version.as_str(), port => port, env => keys },
    )?;
    let mut vars: Vec<(&str, Str)> = vec![("DbHost", db_host), ("DbPort", db_port)];
    vars.extend(c.env.iter().map(|(k, v)| (k.as_str(), v.clone())));
    let user_data = base64(sub_with(&script, vars));
    let launch = t.add("LaunchTemplate", LaunchTemplate {
        launch_template_data: json!({
            "ImageId": ami.r#ref().to_json(),
            "InstanceType": "t3.small",
            "IamInstanceProfile": {"Arn": profile.arn().to_json()},
            "SecurityGroupIds": [instance_sg.group_id().to_json()],
            "MetadataOptions": {"HttpTokens": "required", "HttpEndpoint": "enabled", "HttpPutResponseHopLimit": 1},
            "BlockDeviceMappings": [{"DeviceName": "/dev/xvda", "Ebs": {"VolumeType": "gp3", "VolumeSize": 20, "Encrypted": true, "DeleteOnTermination": true}}],
            "Monitoring": {"Enabled": true},
            "UserData": user_data.to_json(),
            "TagSpecifications": [{"ResourceType": "volume", "Tags": crate::cfn::json(&c.tags())}]
        }),
        tag_specifications: None,
    });
    let subnets = c.inputs.private_subnets(t);
    let count = c.svc.count.get();
    t.add(
        "AutoScalingGroup",
        AutoScalingGroup {
            min_size: count.to_string(),
            max_size: (count * 3).to_string(),
            desired_capacity: Some(count.to_string()),
            launch_template: Some(LaunchTemplateSpecification {
                launch_template_id: launch.r#ref(),
                version: launch.latest_version_number(),
            }),
            vpc_zone_identifier: Some(subnets),
            target_group_arns: Some(vec![tg.r#ref()]),
            health_check_type: Some("ELB"),
            health_check_grace_period: Some(300.into()),
            tags: c
                .tags()
                .into_iter()
                .map(|tag| TagProperty {
                    key: tag.key,
                    value: tag.value,
                    propagate_at_launch: true,
                })
                .collect(),
        },
    );
    Ok(alb_domain(t, &lb))
}

fn rds(
    t: &mut Template,
    c: &mut Ctx<'_>,
    clients: &Handle<SecurityGroup>,
    vpc: &Str,
) -> Handle<DbInstance> {
    let db_sg = t.add(
        "DatabaseSecurityGroup",
        SecurityGroup {
            group_description: format!(
                "{} database: PostgreSQL from the service instances only",
                c.svc.name
            ),
            vpc_id: vpc.clone(),
            security_group_ingress: Some(vec![SecurityGroupRule::tcp_from_group(
                5432,
                clients.group_id(),
                "PostgreSQL from the service",
            )]),
            security_group_egress: Some(vec![SecurityGroupRule::no_egress()]),
            tags: c.tags(),
        },
    );
    t.add(
        "InstanceToDatabaseEgress",
        SecurityGroupEgress {
            group_id: clients.group_id(),
            ip_protocol: "tcp",
            from_port: Some(5432.into()),
            to_port: Some(5432.into()),
            destination_security_group_id: Some(db_sg.group_id()),
            description: Some("PostgreSQL".into()),
            ..Default::default()
        },
    );
    let subnets = c.inputs.private_subnets(t);
    let group = t.add(
        "DatabaseSubnetGroup",
        DbSubnetGroup {
            description: format!("Private subnets of the {} database", c.svc.name),
            subnet_ids: subnets,
        },
    );
    t.add_with("Database", DbInstance {
        engine: "postgres",
        engine_version: Some("17.6".into()),
        db_instance_class: "db.t4g.micro".into(),
        allocated_storage: "20".into(),
        storage_type: Some("gp3"),
        storage_encrypted: Some(true.into()),
        db_name: Some(c.svc.name.replace('-', "_")),
        master_username: Some("service".into()),
        manage_master_user_password: Some(true.into()),
        db_subnet_group_name: Some(group.r#ref()),
        vpc_security_groups: Some(vec![db_sg.group_id()]),
        multi_az: Some(true.into()),
        publicly_accessible: Some(false.into()),
        backup_retention_period: Some(7.into()),
        deletion_protection: Some(true.into()),
        auto_minor_version_upgrade: Some(true.into()),
        copy_tags_to_snapshot: Some(true.into()),
        enable_cloudwatch_logs_exports: Some(vec!["postgresql"]),
        enable_iam_database_authentication: Some(true.into()),
        enable_performance_insights: Some(true.into()),
        tags: c.tags(),
    }, Envelope::new().policy(Policy::Snapshot).metadata("checkov", checkov(&[("CKV_AWS_118", "Enhanced monitoring needs a monitoring role and costs per instance; Performance Insights and log exports are on")])))
}

/// M2: (Route 53 ->) API Gateway, defined by the OpenAPI document -> Lambda -> ElastiCache.
fn lambda_api(t: &mut Template, c: &mut Ctx<'_>, doc: &Value) -> Result<Str, SynthError> {
    let vpc = c.inputs.vpc(t);
    let mut vpc_config = None;
    if c.svc.datastore == Datastore::Elasticache {
        let function_sg = t.add(
            "FunctionSecurityGroup",
            SecurityGroup {
                group_description: format!("{} function: Redis over TLS, HTTPS out", c.svc.name),
                vpc_id: vpc.clone(),
                security_group_egress: Some(vec![SecurityGroupRule::tcp_cidr(
                    443,
                    "0.0.0.0/0",
                    "HTTPS to AWS APIs and called services",
                )]),
                tags: c.tags(),
                ..Default::default()
            },
        );
        let cache_sg = t.add(
            "CacheSecurityGroup",
            SecurityGroup {
                group_description: format!("{} cache: Redis from the function only", c.svc.name),
                vpc_id: vpc.clone(),
                security_group_egress: Some(vec![SecurityGroupRule::no_egress()]),
                tags: c.tags(),
                ..Default::default()
            },
        );
        t.add(
            "FunctionToCacheEgress",
            SecurityGroupEgress {
                group_id: function_sg.group_id(),
                ip_protocol: "tcp",
                from_port: Some(6379.into()),
                to_port: Some(6379.into()),
                destination_security_group_id: Some(cache_sg.group_id()),
                description: Some("Redis over TLS".into()),
                ..Default::default()
            },
        );
        t.add(
            "CacheFromFunctionIngress",
            SecurityGroupIngress {
                group_id: cache_sg.group_id(),
                ip_protocol: "tcp",
                from_port: Some(6379.into()),
                to_port: Some(6379.into()),
                source_security_group_id: Some(function_sg.group_id()),
                cidr_ip: None,
                description: Some("Redis from the function".into()),
            },
        );
        let subnets = c.inputs.private_subnets(t);
        let group = t.add(
            "CacheSubnetGroup",
            CacheSubnetGroup {
                description: format!("Private subnets of the {} cache", c.svc.name),
                subnet_ids: subnets.clone(),
            },
        );
        let cache = t.add_with("Cache", ReplicationGroup {
            replication_group_description: format!("{} cache", c.svc.name),
            engine: Some("redis"),
            cache_node_type: Some("cache.t4g.micro".into()),
            num_cache_clusters: Some(2.into()),
            automatic_failover_enabled: Some(true.into()),
            multi_az_enabled: Some(true.into()),
            at_rest_encryption_enabled: Some(true.into()),
            transit_encryption_enabled: Some(true.into()),
            cache_subnet_group_name: Some(group.r#ref()),
            security_group_ids: Some(vec![cache_sg.group_id()]),
            snapshot_retention_limit: Some(7.into()),
            auto_minor_version_upgrade: Some(true.into()),
            tags: c.tags(),
        }, Envelope::new().metadata("checkov", checkov(&[("CKV_AWS_31", "TLS in transit and a security group admitting only the function; Redis AUTH would need a rotated secret the function reads at start")])));
        c.env
            .insert("REDIS_HOST".into(), cache.primary_endpoint_address());
        c.env
            .insert("REDIS_PORT".into(), cache.primary_endpoint_port());
        vpc_config = Some(VpcConfig {
            security_group_ids: vec![function_sg.group_id()],
            subnet_ids: subnets,
        });
    }
    let layer = t.parameter(
        "RedisClientLayerArn",
        Parameter::string(
            "Lambda layer with the redis Python package (see README); empty runs without it",
        )
        .default_value(""),
    );
    let has_layer = t.condition("HasRedisClientLayer", not(equals(layer.r#ref(), "".into())));
    let code = templates::handler("lambda/micro_api.py.j2")?;
    let key = c.inputs.data_key(t);
    let mut spec = FunctionSpec::new("Api", &format!("{} REST API", c.svc.name), code);
    spec.environment = c.env.clone();
    spec.statements = c.statements.clone();
    spec.vpc = vpc_config;
    spec.layers = Some(if_(
        &has_layer,
        Val::Lit(vec![layer.r#ref()]),
        aws::no_value(),
    ));
    spec.log_retention_days = c.s.log_retention_days.get();
    spec.log_key = Some(key.clone());
    spec.reserved_concurrency = c.svc.reserved_concurrency.map(|n| n.get());
    let parts = python_function(t, spec);
    waive_function(
        t,
        &parts,
        "Invoked synchronously by API Gateway; errors return to the caller",
    );

    let body = openapi::with_lambda_integrations(doc, parts.function.arn());
    let api = t.add(
        "RestApi",
        RestApi {
            name: Some(sub(&format!("${{AWS::StackName}}-{}", c.svc.name))),
            description: Some(format!("{} v{}", c.svc.name, c.svc.version)),
            body: Some(body.clone()),
            endpoint_configuration: Some(EndpointConfiguration {
                types: vec!["REGIONAL"],
            }),
            ..Default::default()
        },
    );
    t.add(
        "ApiInvokePermission",
        crate::resources::lambda::Permission {
            action: "lambda:InvokeFunction",
            function_name: parts.function.r#ref(),
            principal: "apigateway.amazonaws.com".into(),
            source_arn: Some(sub_with(
                "arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:${Api}/*/*/*",
                [("Api", api.r#ref())],
            )),
            source_account: None,
        },
    );
    // A new deployment id whenever the API definition changes (see patterns::rest).
    let fingerprint = body
        .to_string()
        .bytes()
        .fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
        });
    let deployment = t.add(
        &format!("Deployment{:08X}", fingerprint >> 32),
        Deployment {
            rest_api_id: api.r#ref(),
            description: Some(format!("{} v{}", c.svc.name, c.svc.version)),
        },
    );
    let access = log_group(t, c, "ApiAccessLogs");
    let stage_name = "v1";
    let stage = t.add_with("Stage", Stage {
        rest_api_id: api.r#ref(),
        deployment_id: deployment.r#ref(),
        stage_name: stage_name.into(),
        method_settings: Some(vec![MethodSetting { resource_path: "/*".into(), http_method: "*".into(), throttling_rate_limit: Some(100.0), throttling_burst_limit: Some(200.into()), logging_level: Some("ERROR"), metrics_enabled: Some(true.into()), data_trace_enabled: Some(false.into()), ..Default::default() }]),
        access_log_setting: Some(AccessLogSetting { destination_arn: access.arn(), format: r#"{"requestId":"$context.requestId","ip":"$context.identity.sourceIp","method":"$context.httpMethod","path":"$context.resourcePath","status":"$context.status","latencyMs":"$context.responseLatency"}"#.into() }),
        tracing_enabled: Some(true.into()),
        tags: c.tags(),
        ..Default::default()
    }, Envelope::new().metadata("checkov", checkov(&[("CKV_AWS_120", "Reads are served from Redis; a stage cache would hold stale items after writes")])));

    // The custom domain (Route 53 alias -> API Gateway domain) when given.
    let domain = t.parameter(
        "DomainName",
        Parameter::string(
            "Custom domain of the API, e.g. catalog.example.com; empty uses the execute-api URL",
        )
        .default_value(""),
    );
    let cert = t.parameter(
        "CertificateArn",
        Parameter::string("Regional ACM certificate for DomainName").default_value(""),
    );
    let zone = t.parameter(
        "HostedZoneId",
        Parameter::string("Route 53 hosted zone of DomainName").default_value(""),
    );
    let custom: ConditionRef = t.condition(
        "HasCustomDomain",
        and([
            not(equals(domain.r#ref(), "".into())),
            not(equals(cert.r#ref(), "".into())),
            not(equals(zone.r#ref(), "".into())),
        ]),
    );
    let dn = t.add_with(
        "ApiDomainName",
        DomainName {
            domain_name: domain.r#ref(),
            regional_certificate_arn: cert.r#ref(),
            endpoint_configuration: EndpointConfiguration {
                types: vec!["REGIONAL"],
            },
            security_policy: "TLS_1_2",
        },
        Envelope::new().condition(&custom),
    );
    t.add_with(
        "ApiBasePathMapping",
        BasePathMapping {
            domain_name: dn.r#ref(),
            rest_api_id: api.r#ref(),
            stage: stage.r#ref(),
        },
        Envelope::new().condition(&custom),
    );
    t.add_with(
        "ApiDnsRecord",
        RecordSet {
            hosted_zone_id: zone.r#ref(),
            name: domain.r#ref(),
            kind: "A",
            alias_target: Some(AliasTarget {
                dns_name: dn.regional_domain_name(),
                hosted_zone_id: dn.regional_hosted_zone_id(),
                evaluate_target_health: false.into(),
            }),
        },
        Envelope::new().condition(&custom),
    );
    let default_url = sub_with(
        &format!("https://${{Api}}.execute-api.${{AWS::Region}}.${{AWS::URLSuffix}}/{stage_name}"),
        [("Api", api.r#ref())],
    );
    Ok(if_(
        &custom,
        sub_with("https://${Domain}", [("Domain", domain.r#ref())]),
        default_url,
    ))
}

fn waive_function(t: &mut Template, parts: &FunctionParts, dlq: &str) {
    t.annotate(
        &parts.function,
        "checkov",
        checkov(&[
            ("CKV_AWS_116", dlq),
            (
                "CKV_AWS_173",
                "Environment variables hold endpoints and names, no secrets",
            ),
        ]),
    );
    t.annotate(&parts.role, "checkov", checkov(&[("CKV_AWS_111", "Writes are scoped to named resources except X-Ray and VPC network-interface actions, which accept only Resource *")]));
}

/// M5: Lambda triggers on other services' streams and queues.
fn consumers(t: &mut Template, c: &mut Ctx<'_>) -> Result<(), SynthError> {
    let failures = storage::failure_queue(t, "ConsumerFailures");
    let mut statements = vec![Statement::allow(["sqs:SendMessage"], vec![failures.arn()])];
    if let Some(table) = c.env.get("TABLE_NAME").and_then(|v| match v.intrinsic() {
        Some(crate::cfn::Intrinsic::Ref(id)) => Some(id.clone()),
        _ => None,
    }) {
        statements.push(Statement::allow(
            ["dynamodb:PutItem"],
            vec![Handle::<Table>::declared(&table).arn()],
        ));
    }
    let mut sources: Vec<(String, &'static str, Str)> = Vec::new();
    let mut seen = BTreeSet::new();
    for source in &c.svc.consumes {
        let (kind, owner, name) = source.parts();
        let id = format!(
            "{}{}{}Arn",
            pascal(owner),
            pascal(name),
            if kind == "stream" { "Stream" } else { "Queue" }
        );
        // The same source declared twice is one source; distinct sources
        // with the same id are refused when the settings are parsed.
        if !seen.insert((kind, owner, name)) {
            continue;
        }
        let arn = c
            .inputs
            .get(
                t,
                &id,
                "String",
                &format!("{owner}/{kind}s/{name}/arn"),
                &format!("ARN of {owner}'s {name} {kind} (SSM parameter name)"),
            )
            .r#ref();
        match source {
            Source::Stream(_) => statements.push(Statement::allow(
                [
                    "kinesis:DescribeStream",
                    "kinesis:DescribeStreamSummary",
                    "kinesis:GetRecords",
                    "kinesis:GetShardIterator",
                    "kinesis:ListShards",
                    "kinesis:SubscribeToShard",
                ],
                vec![arn.clone()],
            )),
            Source::Queue(_) => statements.push(Statement::allow(
                [
                    "sqs:ReceiveMessage",
                    "sqs:DeleteMessage",
                    "sqs:GetQueueAttributes",
                    "sqs:ChangeMessageVisibility",
                ],
                vec![arn.clone()],
            )),
        }
        sources.push((id, kind, arn));
    }
    let key = c.inputs.data_key(t);
    statements.push(Statement::allow(["kms:Decrypt"], vec![key.clone()]));
    let code = templates::handler("lambda/micro_consumer.py.j2")?;
    let mut spec = FunctionSpec::new(
        "Consumer",
        &format!("{}: records events from other services", c.svc.name),
        code,
    );
    spec.environment = c.env.clone();
    spec.statements = statements;
    spec.timeout_seconds = CONSUMER_TIMEOUT_SECONDS;
    spec.log_retention_days = c.s.log_retention_days.get();
    spec.log_key = Some(key);
    spec.reserved_concurrency = c.svc.reserved_concurrency.map(|n| n.get());
    let parts = python_function(t, spec);
    waive_function(
        t,
        &parts,
        "Invoked by event source mappings: stream batches go to ConsumerFailures, queue messages to the owner's dead-letter queue",
    );
    t.annotate(&parts.function, "checkov", checkov(&[
        ("CKV_AWS_116", "Invoked by event source mappings: stream batches go to ConsumerFailures, queue messages to the owner's dead-letter queue"),
        ("CKV_AWS_117", "Reads streams and queues and writes DynamoDB through public AWS endpoints; no VPC resources to reach"),
        ("CKV_AWS_173", "Environment variables hold endpoints and names, no secrets"),
    ]));
    for (id, kind, arn) in sources {
        let mapping = if kind == "stream" {
            EventSourceMapping {
                function_name: parts.function.r#ref(),
                event_source_arn: arn,
                batch_size: Some(100.into()),
                maximum_batching_window_in_seconds: Some(5.into()),
                starting_position: Some("TRIM_HORIZON"),
                destination_config: Some(DestinationConfig {
                    on_failure: OnFailure {
                        destination: failures.arn(),
                    },
                }),
                bisect_batch_on_function_error: Some(true.into()),
                maximum_retry_attempts: Some(3.into()),
                maximum_record_age_in_seconds: Some(3600.into()),
                function_response_types: vec!["ReportBatchItemFailures"],
                ..Default::default()
            }
        } else {
            EventSourceMapping {
                function_name: parts.function.r#ref(),
                event_source_arn: arn,
                batch_size: Some(10.into()),
                maximum_batching_window_in_seconds: Some(1.into()),
                function_response_types: vec!["ReportBatchItemFailures"],
                scaling_config: Some(ScalingConfig {
                    maximum_concurrency: 5.into(),
                }),
                ..Default::default()
            }
        };
        t.add(&format!("{}Trigger", id.trim_end_matches("Arn")), mapping);
    }
    Ok(())
}
