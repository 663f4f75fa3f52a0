//! M2's datastore: an ElastiCache (Redis) replication group in the private
//! subnets that only the API function reaches, over TLS.

use super::Ctx;
use crate::cfn::{Envelope, Handle, List, Str, Template};
use crate::patterns::waivers::waived;
use crate::resources::ec2::{
    SecurityGroup, SecurityGroupEgress, SecurityGroupIngress, SecurityGroupRule,
};
use crate::resources::elasticache::{ReplicationGroup, SubnetGroup as CacheSubnetGroup};
use crate::resources::lambda::VpcConfig;

const AUTH_WAIVER: &str = "TLS in transit and a security group admitting only the function; \
     Redis AUTH would need a rotated secret the function reads at start";

/// Builds the cache and the function's security group; sets `REDIS_HOST`
/// and `REDIS_PORT` and returns the function's VPC configuration.
pub(super) fn redis(t: &mut Template, c: &mut Ctx<'_>, vpc: &Str) -> VpcConfig {
    let (function_sg, cache_sg) = security_groups(t, c, vpc);
    let subnets = c.inputs.private_subnets(t);
    let cache = replication_group(t, c, &cache_sg, subnets.clone());
    c.env
        .insert("REDIS_HOST".into(), cache.primary_endpoint_address());
    c.env
        .insert("REDIS_PORT".into(), cache.primary_endpoint_port());
    VpcConfig {
        security_group_ids: vec![function_sg.group_id()],
        subnet_ids: subnets,
    }
}

/// The function's group (HTTPS out, Redis to the cache) and the cache's
/// (Redis from the function, nothing out).
fn security_groups(
    t: &mut Template,
    c: &Ctx<'_>,
    vpc: &Str,
) -> (Handle<SecurityGroup>, Handle<SecurityGroup>) {
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
    // Separate rules: each group names the other.
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
    (function_sg, cache_sg)
}

/// Two Multi-AZ nodes with automatic failover, encrypted at rest and in
/// transit.
fn replication_group(
    t: &mut Template,
    c: &Ctx<'_>,
    sg: &Handle<SecurityGroup>,
    subnets: List,
) -> Handle<ReplicationGroup> {
    let group = t.add(
        "CacheSubnetGroup",
        CacheSubnetGroup {
            description: format!("Private subnets of the {} cache", c.svc.name),
            subnet_ids: subnets,
        },
    );
    let cache = ReplicationGroup {
        replication_group_description: format!("{} cache", c.svc.name),
        engine: Some("redis"),
        cache_node_type: Some("cache.t4g.micro".into()),
        num_cache_clusters: Some(2.into()),
        automatic_failover_enabled: Some(true.into()),
        multi_az_enabled: Some(true.into()),
        at_rest_encryption_enabled: Some(true.into()),
        transit_encryption_enabled: Some(true.into()),
        cache_subnet_group_name: Some(group.r#ref()),
        security_group_ids: Some(vec![sg.group_id()]),
        snapshot_retention_limit: Some(7.into()),
        auto_minor_version_upgrade: Some(true.into()),
        tags: c.tags(),
    };
    let envelope = waived(Envelope::new(), &[("CKV_AWS_31", AUTH_WAIVER)]);
    t.add_with("Cache", cache, envelope)
}
