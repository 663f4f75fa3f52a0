//! The todo table, and T6: read auto scaling when it is provisioned.

use super::settings::Billing;
use super::{Settings, tags};
use crate::cfn::{Envelope, Handle, Template, sub, sub_with};
use crate::resources::applicationautoscaling::{
    PredefinedMetricSpecification, ScalableTarget, ScalingPolicy, TargetTrackingConfiguration,
};
use crate::resources::dynamodb::{
    AttributeDefinition, KeySchema, PointInTimeRecoverySpecification, ProvisionedThroughput,
    SseSpecification, Table,
};
use crate::resources::kms::Key;

/// Adds the table, encrypted with `key`, retained.
pub(super) fn add_table(t: &mut Template, s: &Settings, key: &Handle<Key>) -> Handle<Table> {
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
                role_arn: sub(SCALING_ROLE),
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

/// The service-linked role Application Auto Scaling uses for DynamoDB tables.
const SCALING_ROLE: &str = concat!(
    "arn:${AWS::Partition}:iam::${AWS::AccountId}:role/aws-service-role/",
    "dynamodb.application-autoscaling.amazonaws.com/",
    "AWSServiceRoleForApplicationAutoScaling_DynamoDBTable"
);
