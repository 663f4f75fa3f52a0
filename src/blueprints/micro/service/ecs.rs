//! M1: HTTPS -> ALB -> ECS Fargate tasks in the private subnets.

use indexmap::IndexMap;

use super::alb::{self, Alb, Targets};
use super::{Ctx, log_group};
use crate::cfn::{Envelope, Handle, Parameter, Str, Template, aws, sub};
use crate::resources::ec2::SecurityGroup;
use crate::resources::ecs::{
    AwsVpcConfiguration, Cluster, ClusterSetting, ContainerDefinition, DeploymentCircuitBreaker,
    DeploymentConfiguration, KeyValue, LogConfiguration, MountPoint, NetworkConfiguration,
    PortMapping, Service as EcsService, ServiceLoadBalancer, TaskDefinition, Volume,
};
use crate::resources::iam::{Role, Statement};
use crate::resources::logs::LogGroup;

const IMAGE_DESCRIPTION: &str = "The service's container image; it listens on the service \
     port, answers GET /health, and writes only to /tmp";

const ECR_REPOSITORIES: &str =
    "arn:${AWS::Partition}:ecr:${AWS::Region}:${AWS::AccountId}:repository/*";

/// Builds the Fargate service behind its load balancer; returns its URL.
pub(super) fn service(t: &mut Template, c: &mut Ctx<'_>) -> Str {
    let image = t.parameter("ContainerImage", Parameter::string(IMAGE_DESCRIPTION));
    let alb = alb::load_balancer(t, c, "ip");
    let sg = alb::targets_security_group(t, c, &alb, Targets::TASKS);
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
    let task = task_definition(t, c, image.r#ref(), &logs);
    fargate_service(t, c, &alb, &sg, &cluster, &task);
    alb::domain(t, &alb.lb)
}

/// The execution role (ECS pulls the image and writes logs) and the task
/// role (what the service itself may do).
fn roles(t: &mut Template, c: &Ctx<'_>, logs: &Handle<LogGroup>) -> (Handle<Role>, Handle<Role>) {
    let execution = t.add(
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
                    vec![sub(ECR_REPOSITORIES)],
                ),
                Statement::allow(
                    ["logs:CreateLogStream", "logs:PutLogEvents"],
                    vec![logs.arn()],
                ),
            ],
        ),
    );
    let task = t.add(
        "TaskRole",
        Role::for_service(
            "ecs-tasks.amazonaws.com",
            format!("What the {} service may do", c.svc.name),
            "ServiceAccess",
            c.statements.clone(),
        ),
    );
    (execution, task)
}

/// One container with the service's environment, a read-only root and a
/// writable /tmp, logging to `logs`.
fn task_definition(
    t: &mut Template,
    c: &Ctx<'_>,
    image: Str,
    logs: &Handle<LogGroup>,
) -> Handle<TaskDefinition> {
    let (execution_role, task_role) = roles(t, c, logs);
    let name = c.svc.name.to_string();
    t.add(
        "TaskDefinition",
        TaskDefinition {
            family: Some(sub(&format!("${{AWS::StackName}}-{name}"))),
            requires_compatibilities: vec!["FARGATE"],
            network_mode: "awsvpc",
            cpu: "256".into(),
            memory: "512".into(),
            execution_role_arn: execution_role.arn(),
            task_role_arn: Some(task_role.arn()),
            container_definitions: vec![container(c, image, logs)],
            volumes: vec![Volume {
                name: "tmp".to_owned(),
            }],
            tags: c.tags(),
        },
    )
}

fn container(c: &Ctx<'_>, image: Str, logs: &Handle<LogGroup>) -> ContainerDefinition {
    let name = c.svc.name.to_string();
    let environment = c.env.iter().map(|(k, v)| KeyValue {
        name: k.clone(),
        value: v.clone(),
    });
    ContainerDefinition {
        name: name.clone(),
        image,
        essential: Some(true.into()),
        port_mappings: Some(vec![PortMapping {
            container_port: c.svc.port.get().into(),
            protocol: "tcp",
        }]),
        environment: Some(environment.collect()),
        log_configuration: Some(LogConfiguration {
            log_driver: "awslogs",
            options: IndexMap::from([
                ("awslogs-group".to_owned(), logs.r#ref()),
                ("awslogs-region".to_owned(), aws::region()),
                ("awslogs-stream-prefix".to_owned(), name.as_str().into()),
            ]),
        }),
        // The root file system is read-only; the image contract says the
        // service writes only to /tmp, so /tmp is a task volume on the
        // task's ephemeral storage.
        mount_points: Some(vec![MountPoint {
            source_volume: "tmp".to_owned(),
            container_path: "/tmp".to_owned(),
            read_only: Some(false.into()),
        }]),
        readonly_root_filesystem: Some(true.into()),
        privileged: Some(false.into()),
    }
}

/// `count` tasks in the private subnets, registered with the target group,
/// rolled back when a deployment fails.
fn fargate_service(
    t: &mut Template,
    c: &mut Ctx<'_>,
    alb: &Alb,
    sg: &Handle<SecurityGroup>,
    cluster: &Handle<Cluster>,
    task: &Handle<TaskDefinition>,
) {
    let subnets = c.inputs.private_subnets(t);
    let service = EcsService {
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
            container_name: c.svc.name.to_string(),
            container_port: c.svc.port.get().into(),
            target_group_arn: alb.tg.r#ref(),
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
    };
    // The target group is attached to the load balancer through the
    // listener; ECS refuses a target group that is not attached yet.
    t.add_with("Service", service, Envelope::new().depends_on(&alb.https));
}
