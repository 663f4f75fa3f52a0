//! The datastores a service keeps: a DynamoDB table (any pattern that
//! allows one) and an RDS PostgreSQL instance (M3, reached from EC2).

use super::Ctx;
use crate::cfn::{Envelope, Handle, Policy, Template};
use crate::patterns::waivers::waived;
use crate::resources::dynamodb::{
    AttributeDefinition, KeySchema, PointInTimeRecoverySpecification, SseSpecification, Table,
};
use crate::resources::ec2::{SecurityGroup, SecurityGroupEgress, SecurityGroupRule};
use crate::resources::rds::{DbInstance, DbSubnetGroup};

use super::super::settings::Pattern;

const RDS_MONITORING_WAIVER: &str = "Enhanced monitoring needs a monitoring role and costs per \
     instance; Performance Insights and log exports are on";

/// The service's table, encrypted with the shared key and retained. A
/// worker records events keyed by their source; the others use `pk`/`sk`.
pub(super) fn table(t: &mut Template, c: &mut Ctx<'_>) -> Handle<Table> {
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

/// A Multi-AZ PostgreSQL instance in the private subnets that only
/// `clients` reach (its security group admits them; theirs gets the egress).
pub(super) fn rds(
    t: &mut Template,
    c: &mut Ctx<'_>,
    clients: &Handle<SecurityGroup>,
    vpc: &crate::cfn::Str,
) -> Handle<DbInstance> {
    let db_sg = database_security_group(t, c, clients, vpc);
    let subnets = c.inputs.private_subnets(t);
    let group = t.add(
        "DatabaseSubnetGroup",
        DbSubnetGroup {
            description: format!("Private subnets of the {} database", c.svc.name),
            subnet_ids: subnets,
        },
    );
    let instance = DbInstance {
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
    };
    let envelope = Envelope::new().policy(Policy::Snapshot);
    let envelope = waived(envelope, &[("CKV_AWS_118", RDS_MONITORING_WAIVER)]);
    t.add_with("Database", instance, envelope)
}

/// PostgreSQL from `clients` only, and no egress; `clients` may reach it.
fn database_security_group(
    t: &mut Template,
    c: &mut Ctx<'_>,
    clients: &Handle<SecurityGroup>,
    vpc: &crate::cfn::Str,
) -> Handle<SecurityGroup> {
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
    db_sg
}
