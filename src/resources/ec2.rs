//! Amazon EC2 networking: VPCs, subnets, routing, security groups, endpoints.

use serde::Serialize;
use serde_json::Value as Json;
use serde_with::skip_serializing_none;

use super::Tag;
use crate::cfn::{Bool, Int, List, Str};

/// `AWS::EC2::VPC`.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Vpc {
    /// The address range.
    pub cidr_block: Str,
    /// Give instances DNS names (needed by interface endpoints and DAX).
    pub enable_dns_hostnames: Option<Bool>,
    /// Resolve DNS through the VPC resolver.
    pub enable_dns_support: Option<Bool>,
    /// Tags.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<Tag>,
}
resource!(
    Vpc,
    "AWS::EC2::VPC",
    cidr_block => "CidrBlock",
    default_security_group => "DefaultSecurityGroup",
    vpc_id => "VpcId",
);

/// `AWS::EC2::Subnet`.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Subnet {
    /// The VPC.
    pub vpc_id: Str,
    /// The address range, inside the VPC's.
    pub cidr_block: Str,
    /// The availability zone.
    pub availability_zone: Option<Str>,
    /// Give launched instances public addresses (public subnets only).
    pub map_public_ip_on_launch: Option<Bool>,
    /// Tags.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<Tag>,
}
resource!(
    Subnet,
    "AWS::EC2::Subnet",
    subnet_id => "SubnetId",
    availability_zone => "AvailabilityZone",
);

/// `AWS::EC2::RouteTable`.
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct RouteTable {
    /// The VPC.
    pub vpc_id: Str,
    /// Tags.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<Tag>,
}
resource!(RouteTable, "AWS::EC2::RouteTable", route_table_id => "RouteTableId");

/// `AWS::EC2::SubnetRouteTableAssociation`.
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct SubnetRouteTableAssociation {
    /// The subnet.
    pub subnet_id: Str,
    /// The route table.
    pub route_table_id: Str,
}
resource!(SubnetRouteTableAssociation, "AWS::EC2::SubnetRouteTableAssociation", association_id => "Id");

/// `AWS::EC2::InternetGateway`.
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct InternetGateway {
    /// Tags.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<Tag>,
}
resource!(InternetGateway, "AWS::EC2::InternetGateway", internet_gateway_id => "InternetGatewayId");

/// `AWS::EC2::VPCGatewayAttachment`.
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct VpcGatewayAttachment {
    /// The VPC.
    pub vpc_id: Str,
    /// The internet gateway.
    pub internet_gateway_id: Str,
}
resource!(VpcGatewayAttachment, "AWS::EC2::VPCGatewayAttachment");

/// `AWS::EC2::Route`.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Route {
    /// The route table.
    pub route_table_id: Str,
    /// Where the route leads, e.g. `0.0.0.0/0`.
    pub destination_cidr_block: Str,
    /// Through an internet gateway.
    pub gateway_id: Option<Str>,
    /// Through a NAT gateway.
    pub nat_gateway_id: Option<Str>,
}
resource!(Route, "AWS::EC2::Route");

/// `AWS::EC2::EIP`.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Eip {
    /// `vpc`.
    pub domain: Option<&'static str>,
    /// Tags.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<Tag>,
}
resource!(Eip, "AWS::EC2::EIP", allocation_id => "AllocationId", public_ip => "PublicIp");

/// `AWS::EC2::NatGateway`.
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct NatGateway {
    /// The Elastic IP's allocation id.
    pub allocation_id: Str,
    /// The public subnet it lives in.
    pub subnet_id: Str,
    /// Tags.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<Tag>,
}
resource!(NatGateway, "AWS::EC2::NatGateway", nat_gateway_id => "NatGatewayId");

/// An inline ingress or egress rule of a security group.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct SecurityGroupRule {
    /// `tcp`, `udp`, `icmp` or `-1`.
    pub ip_protocol: &'static str,
    /// First port.
    pub from_port: Option<Int>,
    /// Last port.
    pub to_port: Option<Int>,
    /// An IPv4 range.
    pub cidr_ip: Option<Str>,
    /// Another security group (ingress).
    pub source_security_group_id: Option<Str>,
    /// Another security group (egress).
    pub destination_security_group_id: Option<Str>,
    /// A prefix list, e.g. the DynamoDB or S3 gateway endpoint's.
    pub destination_prefix_list_id: Option<Str>,
    /// Why the rule exists.
    pub description: Option<String>,
}

impl SecurityGroupRule {
    /// TCP on `port` from (ingress) another security group.
    pub fn tcp_from_group(port: i64, group: Str, description: &str) -> Self {
        SecurityGroupRule {
            ip_protocol: "tcp",
            from_port: Some(port.into()),
            to_port: Some(port.into()),
            source_security_group_id: Some(group),
            description: Some(description.to_owned()),
            ..Default::default()
        }
    }

    /// An egress rule that matches nothing: setting it removes the default
    /// allow-all egress of a group that never initiates connections.
    pub fn no_egress() -> Self {
        SecurityGroupRule {
            ip_protocol: "icmp",
            from_port: Some(252.into()),
            to_port: Some(86.into()),
            cidr_ip: Some("255.255.255.255/32".into()),
            description: Some("No outbound traffic".into()),
            ..Default::default()
        }
    }

    /// TCP on `port` from or to a CIDR range.
    pub fn tcp_cidr(port: i64, cidr: impl Into<Str>, description: &str) -> Self {
        SecurityGroupRule {
            ip_protocol: "tcp",
            from_port: Some(port.into()),
            to_port: Some(port.into()),
            cidr_ip: Some(cidr.into()),
            description: Some(description.to_owned()),
            ..Default::default()
        }
    }
}

/// `AWS::EC2::SecurityGroup`.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct SecurityGroup {
    /// What the group is for.
    pub group_description: String,
    /// The VPC.
    pub vpc_id: Str,
    /// Inbound rules.
    pub security_group_ingress: Option<Vec<SecurityGroupRule>>,
    /// Outbound rules; when set, the default allow-all egress is removed.
    pub security_group_egress: Option<Vec<SecurityGroupRule>>,
    /// Tags.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<Tag>,
}
resource!(SecurityGroup, "AWS::EC2::SecurityGroup", group_id => "GroupId", vpc_id => "VpcId");

/// `AWS::EC2::SecurityGroupIngress`: a rule kept apart from its group, so two
/// groups that admit each other do not form a dependency cycle.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct SecurityGroupIngress {
    /// The group the rule belongs to.
    pub group_id: Str,
    /// `tcp`, `udp`, `icmp` or `-1`.
    pub ip_protocol: &'static str,
    /// First port.
    pub from_port: Option<Int>,
    /// Last port.
    pub to_port: Option<Int>,
    /// The admitted group.
    pub source_security_group_id: Option<Str>,
    /// The admitted range.
    pub cidr_ip: Option<Str>,
    /// Why.
    pub description: Option<String>,
}
resource!(SecurityGroupIngress, "AWS::EC2::SecurityGroupIngress");

/// `AWS::EC2::SecurityGroupEgress`.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct SecurityGroupEgress {
    /// The group the rule belongs to.
    pub group_id: Str,
    /// `tcp`, `udp`, `icmp` or `-1`.
    pub ip_protocol: &'static str,
    /// First port.
    pub from_port: Option<Int>,
    /// Last port.
    pub to_port: Option<Int>,
    /// The destination group.
    pub destination_security_group_id: Option<Str>,
    /// The destination prefix list.
    pub destination_prefix_list_id: Option<Str>,
    /// The destination range.
    pub cidr_ip: Option<Str>,
    /// Why.
    pub description: Option<String>,
}
resource!(SecurityGroupEgress, "AWS::EC2::SecurityGroupEgress");

/// `AWS::EC2::VPCEndpoint`.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct VpcEndpoint {
    /// The VPC.
    pub vpc_id: Str,
    /// e.g. `com.amazonaws.us-east-1.dynamodb`.
    pub service_name: Str,
    /// `Gateway` or `Interface`.
    pub vpc_endpoint_type: Option<&'static str>,
    /// Route tables (gateway endpoints).
    pub route_table_ids: Option<Vec<Str>>,
    /// Subnets (interface endpoints).
    pub subnet_ids: Option<List>,
    /// Security groups (interface endpoints).
    pub security_group_ids: Option<Vec<Str>>,
    /// Resolve the service's public name to the endpoint.
    pub private_dns_enabled: Option<Bool>,
    /// What may pass through the endpoint.
    pub policy_document: Option<Json>,
}
resource!(VpcEndpoint, "AWS::EC2::VPCEndpoint", endpoint_id => "Id");

/// `AWS::EC2::LaunchTemplate`.
#[skip_serializing_none]
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct LaunchTemplate {
    /// What instances start with (image, type, profile, metadata, disks,
    /// user data); the shape is CloudFormation's `LaunchTemplateData`.
    pub launch_template_data: Json,
    /// Tags of the template itself.
    pub tag_specifications: Option<Json>,
}
resource!(
    LaunchTemplate,
    "AWS::EC2::LaunchTemplate",
    launch_template_id => "LaunchTemplateId",
    latest_version_number => "LatestVersionNumber",
    default_version_number => "DefaultVersionNumber",
);

/// `AWS::EC2::FlowLog`: accepted and rejected traffic of a VPC.
#[skip_serializing_none]
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct FlowLog {
    /// `VPC`.
    pub resource_type: &'static str,
    /// The VPC.
    pub resource_id: Str,
    /// `ALL`.
    pub traffic_type: &'static str,
    /// `cloud-watch-logs`.
    pub log_destination_type: &'static str,
    /// The log group's ARN.
    pub log_destination: Str,
    /// The role that writes the logs.
    pub deliver_logs_permission_arn: Str,
}
resource!(FlowLog, "AWS::EC2::FlowLog");
