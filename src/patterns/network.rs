//! VPC building blocks: the VPC, route tables, subnets and their
//! associations, address planning, and the DynamoDB gateway endpoint.

use crate::cfn::{Handle, Str, Template, get_azs, select, sub};
use crate::resources::Tag;
use crate::resources::ec2::{RouteTable, Subnet, SubnetRouteTableAssociation, Vpc, VpcEndpoint};

/// A VPC `id` on `cidr` with DNS support and hostnames (interface endpoints
/// with private DNS need both).
pub fn vpc(t: &mut Template, id: &str, cidr: &str, tags: Vec<Tag>) -> Handle<Vpc> {
    t.add(
        id,
        Vpc {
            cidr_block: cidr.into(),
            enable_dns_hostnames: Some(true.into()),
            enable_dns_support: Some(true.into()),
            tags,
        },
    )
}

/// A route table `id` in `vpc`.
pub fn route_table(
    t: &mut Template,
    id: &str,
    vpc: &Handle<Vpc>,
    tags: Vec<Tag>,
) -> Handle<RouteTable> {
    t.add(
        id,
        RouteTable {
            vpc_id: vpc.r#ref(),
            tags,
        },
    )
}

/// A subnet `id` of `vpc` on `cidr` in the Region's `az`-th availability
/// zone; instances get no public address unless they ask for one.
pub fn subnet(
    t: &mut Template,
    id: &str,
    vpc: &Handle<Vpc>,
    cidr: &str,
    az: u32,
    tags: Vec<Tag>,
) -> Handle<Subnet> {
    t.add(
        id,
        Subnet {
            vpc_id: vpc.r#ref(),
            cidr_block: cidr.into(),
            availability_zone: Some(select(az, get_azs())),
            map_public_ip_on_launch: Some(false.into()),
            tags,
        },
    )
}

/// Routes `subnet` through `route_table`: the association
/// `<subnet id>RouteTableAssociation`.
pub fn associate(
    t: &mut Template,
    subnet: &Handle<Subnet>,
    route_table: &Handle<RouteTable>,
) -> Handle<SubnetRouteTableAssociation> {
    t.add(
        &format!("{}RouteTableAssociation", subnet.id()),
        SubnetRouteTableAssociation {
            subnet_id: subnet.r#ref(),
            route_table_id: route_table.r#ref(),
        },
    )
}

/// A gateway endpoint to DynamoDB on `route_tables`: private subnets reach
/// tables without a NAT gateway, and the traffic stays on AWS's network.
pub fn dynamodb_gateway_endpoint(
    t: &mut Template,
    vpc: Str,
    route_tables: Vec<Str>,
) -> Handle<VpcEndpoint> {
    t.add(
        "DynamoDbEndpoint",
        VpcEndpoint {
            vpc_id: vpc,
            service_name: sub("com.amazonaws.${AWS::Region}.dynamodb"),
            vpc_endpoint_type: Some("Gateway"),
            route_table_ids: Some(route_tables),
            ..Default::default()
        },
    )
}

/// Splits `vpc_cidr` (validated by `settings::CidrRule`) into `count`
/// consecutive blocks, each `extra_bits` longer in prefix.
///
/// Returns `None` when the blocks would not fit or would be smaller than /28
/// (the smallest subnet AWS allows).
pub fn subnet_cidrs(vpc_cidr: &str, count: u32, extra_bits: u32) -> Option<Vec<String>> {
    let (addr, prefix) = vpc_cidr.split_once('/')?;
    let prefix: u32 = prefix.parse().ok()?;
    let octets: Vec<u32> = addr
        .split('.')
        .map(|o| o.parse().ok())
        .collect::<Option<_>>()?;
    let [a, b, c, d] = octets.as_slice() else {
        return None;
    };
    let base = (a << 24) | (b << 16) | (c << 8) | d;
    let sub_prefix = prefix + extra_bits;
    if sub_prefix > 28 || count > (1 << extra_bits) {
        return None;
    }
    let size = 1u32 << (32 - sub_prefix);
    let mask = if prefix == 0 {
        0
    } else {
        u32::MAX << (32 - prefix)
    };
    let network = base & mask;
    Some(
        (0..count)
            .map(|i| {
                let n = network + i * size;
                format!(
                    "{}.{}.{}.{}/{sub_prefix}",
                    n >> 24,
                    (n >> 16) & 255,
                    (n >> 8) & 255,
                    n & 255
                )
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_a_vpc_into_subnets() {
        assert_eq!(
            subnet_cidrs("10.20.0.0/16", 3, 4).unwrap(),
            ["10.20.0.0/20", "10.20.16.0/20", "10.20.32.0/20"]
        );
        assert_eq!(
            subnet_cidrs("10.0.0.0/24", 2, 2).unwrap(),
            ["10.0.0.0/26", "10.0.0.64/26"]
        );
        assert!(subnet_cidrs("10.0.0.0/26", 2, 4).is_none());
        assert!(subnet_cidrs("10.0.0.0/16", 20, 4).is_none());
    }
}
