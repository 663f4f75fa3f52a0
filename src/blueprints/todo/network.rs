//! The VPC the function and DAX share: private subnets only, with a gateway
//! endpoint to DynamoDB and an interface endpoint for X-Ray.

use super::{Settings, tags};
use crate::cfn::{Handle, Template, Val, sub};
use crate::patterns::network;
use crate::resources::Tag;
use crate::resources::ec2::{
    RouteTable, SecurityGroup, SecurityGroupEgress, SecurityGroupRule, Subnet, Vpc, VpcEndpoint,
};

/// Network resources the function and DAX share.
pub(super) struct Net {
    pub subnets: Vec<Handle<Subnet>>,
    pub function_sg: Handle<SecurityGroup>,
    pub dax_sg: Handle<SecurityGroup>,
}

/// Adds the VPC, its subnets, security groups and endpoints.
pub(super) fn add_network(t: &mut Template, s: &Settings) -> Net {
    let vpc = network::vpc(
        t,
        "Vpc",
        s.network.cidr.as_str(),
        vec![Tag::new(
            "Name",
            sub(&format!("{}-${{AWS::StackName}}", s.name)),
        )],
    );
    // The function and DAX need no internet: private subnets only, with a
    // gateway endpoint to DynamoDB and an interface endpoint for X-Ray.
    let (route_table, subnets) = private_subnets(t, s, &vpc);
    let (function_sg, dax_sg, endpoint_sg) = security_groups(t, s, &vpc);
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

/// One private subnet per availability zone, sharing a route table with no
/// route out of the VPC.
fn private_subnets(
    t: &mut Template,
    s: &Settings,
    vpc: &Handle<Vpc>,
) -> (Handle<RouteTable>, Vec<Handle<Subnet>>) {
    let az_count = s.network.az_count.get() as u32;
    let cidrs = network::subnet_cidrs(&s.network.cidr, az_count, 2)
        .expect("validated when settings were parsed");
    let route_table = network::route_table(t, "PrivateRouteTable", vpc, tags(s));
    let mut subnets = Vec::new();
    for (i, cidr) in cidrs.iter().enumerate() {
        let n = i + 1;
        let name = vec![Tag::new("Name", format!("{}-private-{n}", s.name))];
        let subnet = network::subnet(t, &format!("PrivateSubnet{n}"), vpc, cidr, i as u32, name);
        network::associate(t, &subnet, &route_table);
        subnets.push(subnet);
    }
    (route_table, subnets)
}

/// The function's, DAX's and the interface endpoints' security groups:
/// each admits only what the one before it sends.
fn security_groups(
    t: &mut Template,
    s: &Settings,
    vpc: &Handle<Vpc>,
) -> (
    Handle<SecurityGroup>,
    Handle<SecurityGroup>,
    Handle<SecurityGroup>,
) {
    let function_sg = t.add(
        "FunctionSecurityGroup",
        SecurityGroup {
            group_description: "TodoApi function: HTTPS to AWS endpoints, TLS to DAX".into(),
            vpc_id: vpc.r#ref(),
            security_group_egress: Some(vec![SecurityGroupRule::tcp_cidr(
                443,
                "0.0.0.0/0",
                FUNCTION_EGRESS,
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
                DAX_EGRESS,
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
    (function_sg, dax_sg, endpoint_sg)
}

/// Why DAX may send only within the VPC.
const DAX_EGRESS: &str = "Narrows the default allow-all egress to the VPC: the cluster only \
     answers clients, and DAX reaches DynamoDB through the service with DaxRole, not through this \
     VPC";

/// The function's egress.
const FUNCTION_EGRESS: &str =
    "HTTPS to the DynamoDB and X-Ray endpoints (the subnets have no internet route)";
