//! Amazon ECS on Fargate: clusters, task definitions, services.

use serde::Serialize;
use serde_with::skip_serializing_none;

use super::Tag;
use crate::cfn::{Bool, Int, List, Str};

/// A cluster setting (`containerInsights`).
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ClusterSetting {
    /// The setting's name.
    pub name: &'static str,
    /// Its value.
    pub value: &'static str,
}

/// `AWS::ECS::Cluster`.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Cluster {
    /// Settings.
    pub cluster_settings: Option<Vec<ClusterSetting>>,
    /// Tags.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<Tag>,
}
resource!(Cluster, "AWS::ECS::Cluster", arn => "Arn");

/// A name/value pair (container environment).
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct KeyValue {
    /// The name.
    pub name: String,
    /// The value.
    pub value: Str,
}

/// A container port.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct PortMapping {
    /// The port.
    pub container_port: Int,
    /// `tcp`.
    pub protocol: &'static str,
}

/// A task volume mounted into a container.
#[skip_serializing_none]
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct MountPoint {
    /// The task volume's name.
    pub source_volume: String,
    /// Where it appears in the container.
    pub container_path: String,
    /// Mounted read-only.
    pub read_only: Option<Bool>,
}

/// A task volume. With only a name it is a bind mount on the task's
/// ephemeral storage (Fargate platform 1.4.0 and later): it lives as long as
/// the task.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Volume {
    /// The name containers mount it by.
    pub name: String,
}

/// Where container logs go.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct LogConfiguration {
    /// `awslogs`.
    pub log_driver: &'static str,
    /// `awslogs-group`, `awslogs-region`, `awslogs-stream-prefix`.
    pub options: indexmap::IndexMap<String, Str>,
}

/// One container of a task.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ContainerDefinition {
    /// The container's name.
    pub name: String,
    /// The image.
    pub image: Str,
    /// The task fails when this container stops.
    pub essential: Option<Bool>,
    /// Ports.
    pub port_mappings: Option<Vec<PortMapping>>,
    /// Environment variables.
    pub environment: Option<Vec<KeyValue>>,
    /// Logs.
    pub log_configuration: Option<LogConfiguration>,
    /// Task volumes mounted into the container.
    pub mount_points: Option<Vec<MountPoint>>,
    /// A read-only root file system.
    pub readonly_root_filesystem: Option<Bool>,
    /// Run without privileges.
    pub privileged: Option<Bool>,
}

/// `AWS::ECS::TaskDefinition`.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct TaskDefinition {
    /// The family.
    pub family: Option<Str>,
    /// `FARGATE`.
    pub requires_compatibilities: Vec<&'static str>,
    /// `awsvpc`.
    pub network_mode: &'static str,
    /// CPU units, as a string (`256`).
    pub cpu: String,
    /// Memory MB, as a string (`512`).
    pub memory: String,
    /// The role ECS uses to pull images and write logs.
    pub execution_role_arn: Str,
    /// The role the application runs as.
    pub task_role_arn: Option<Str>,
    /// Containers.
    pub container_definitions: Vec<ContainerDefinition>,
    /// Task volumes.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub volumes: Vec<Volume>,
    /// Tags.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<Tag>,
}
resource!(TaskDefinition, "AWS::ECS::TaskDefinition", task_definition_arn => "TaskDefinitionArn");

/// A service's awsvpc networking.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct AwsVpcConfiguration {
    /// `DISABLED`: tasks live in private subnets.
    pub assign_public_ip: &'static str,
    /// Security groups.
    pub security_groups: Vec<Str>,
    /// Subnets.
    pub subnets: List,
}

/// A service's network configuration.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct NetworkConfiguration {
    /// awsvpc settings.
    pub awsvpc_configuration: AwsVpcConfiguration,
}

/// A load balancer target of a service.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ServiceLoadBalancer {
    /// The container.
    pub container_name: String,
    /// Its port.
    pub container_port: Int,
    /// The target group.
    pub target_group_arn: Str,
}

/// Roll back a deployment whose tasks keep failing.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct DeploymentCircuitBreaker {
    /// Detect failing deployments.
    pub enable: Bool,
    /// Roll back when one fails.
    pub rollback: Bool,
}

/// Deployment settings.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct DeploymentConfiguration {
    /// The circuit breaker.
    pub deployment_circuit_breaker: DeploymentCircuitBreaker,
    /// Percent of desired tasks kept running during a deployment.
    pub minimum_healthy_percent: Int,
    /// Percent of desired tasks allowed during a deployment.
    pub maximum_percent: Int,
}

/// `AWS::ECS::Service`.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Service {
    /// The cluster.
    pub cluster: Str,
    /// The task definition.
    pub task_definition: Str,
    /// `FARGATE`.
    pub launch_type: Option<&'static str>,
    /// Tasks to keep running.
    pub desired_count: Option<Int>,
    /// Networking.
    pub network_configuration: Option<NetworkConfiguration>,
    /// Load balancer targets.
    pub load_balancers: Option<Vec<ServiceLoadBalancer>>,
    /// Seconds to ignore failing health checks after a task starts.
    pub health_check_grace_period_seconds: Option<Int>,
    /// Deployment settings.
    pub deployment_configuration: Option<DeploymentConfiguration>,
    /// Propagate the service's tags to tasks.
    pub propagate_tags: Option<&'static str>,
    /// Tags.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<Tag>,
}
resource!(Service, "AWS::ECS::Service", service_arn => "ServiceArn", name => "Name");
