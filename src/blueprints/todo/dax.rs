//! T4: a DAX cluster in front of the todo table, inside the VPC, TLS only.

use indexmap::IndexMap;

use super::Settings;
use super::network::Net;
use crate::cfn::{Handle, Template};
use crate::patterns::grants;
use crate::resources::dax::{Cluster, DaxSse, ParameterGroup, SubnetGroup};
use crate::resources::dynamodb::Table;
use crate::resources::iam::{Role, Statement};

/// Adds the cluster, its role, subnet group and cache lifetimes.
pub(super) fn add_dax(
    t: &mut Template,
    s: &Settings,
    table: &Handle<Table>,
    net: &Net,
) -> Handle<Cluster> {
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
