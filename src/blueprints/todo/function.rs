//! T1 + T4: the API's function, reading through DAX from inside the VPC.

use super::network::Net;
use super::{Settings, SynthError};
use crate::cfn::{
    ConditionRef, Handle, List, Parameter, ParameterRef, Template, Val, aws, equals, if_, not,
};
use crate::patterns::function::{FunctionParts, FunctionSpec, python_function};
use crate::patterns::{grants, waivers};
use crate::resources::dax::Cluster;
use crate::resources::dynamodb::Table;
use crate::resources::iam::Statement;
use crate::resources::kms::Key;
use crate::resources::lambda::VpcConfig;
use crate::templates;

/// Adds the function with its role, log group and VPC attachment.
pub(super) fn add(
    t: &mut Template,
    s: &Settings,
    key: &Handle<Key>,
    table: &Handle<Table>,
    dax: &Handle<Cluster>,
    net: &Net,
) -> Result<FunctionParts, SynthError> {
    let (layer, has_layer) = dax_client_layer(t);
    let code = templates::handler("lambda/todo_api.py.j2")?;
    let layers: List = if_(&has_layer, Val::Lit(vec![layer.r#ref()]), aws::no_value());
    let mut spec = FunctionSpec::new(
        "TodoApi",
        "MyTodoList REST API: todos of the signed-in user",
        code,
    )
    .env("TABLE_NAME", table.r#ref())
    // Without the client layer the handler could not use DAX: it gets no
    // endpoint and reads DynamoDB, instead of failing an import per cold start.
    .env(
        "DAX_ENDPOINT",
        if_(&has_layer, dax.cluster_discovery_endpoint_url(), "".into()),
    )
    .env("CORS_ORIGIN", s.api.cors_origin.as_str())
    .allow([
        grants::table_read_write(table, false),
        // Reads and writes go through DAX (write-through keeps its item
        // cache current).
        Statement::allow(
            [
                "dax:GetItem",
                "dax:BatchGetItem",
                "dax:Query",
                "dax:PutItem",
                "dax:UpdateItem",
                "dax:DeleteItem",
            ],
            vec![dax.arn()],
        ),
    ]);
    spec.memory_mb = s.function.memory_mb.get();
    spec.timeout_seconds = s.function.timeout_seconds.get();
    spec.log_retention_days = s.log_retention_days.get();
    spec.reserved_concurrency = s.function.reserved_concurrency.map(|c| c.get());
    spec.layers = Some(layers);
    spec.log_key = Some(key.arn());
    spec.vpc = Some(VpcConfig {
        security_group_ids: vec![net.function_sg.group_id()],
        subnet_ids: Val::Lit(net.subnets.iter().map(|h| h.r#ref()).collect()),
    });
    let parts = python_function(t, spec);
    waivers::waive(
        t,
        &parts.function,
        &[("CKV_AWS_116", SYNCHRONOUS), ("CKV_AWS_173", NO_SECRETS)],
    );
    waivers::waive(t, &parts.role, &[("CKV_AWS_111", STAR_ACTIONS)]);
    Ok(parts)
}

/// The optional layer with the DAX client, and whether it was given.
fn dax_client_layer(t: &mut Template) -> (ParameterRef, ConditionRef) {
    let layer = t.parameter(
        "DaxClientLayerArn",
        Parameter::string(DAX_LAYER).default_value("").pattern(
            "^$|^arn:aws[a-z-]*:lambda:[a-z0-9-]+:[0-9]{12}:layer:[A-Za-z0-9_-]+:[0-9]+$",
            "a Lambda layer version ARN, or empty",
        ),
    );
    let has_layer = t.condition("HasDaxClientLayer", not(equals(layer.r#ref(), "".into())));
    (layer, has_layer)
}

/// checkov CKV_AWS_116: why the function has no dead-letter queue.
const SYNCHRONOUS: &str = "Invoked synchronously by API Gateway, which returns errors to the \
     caller; a DLQ only serves asynchronous invocations";

/// checkov CKV_AWS_173.
const NO_SECRETS: &str =
    "Environment variables hold only resource names and the DAX endpoint, no secrets";

/// checkov CKV_AWS_111.
const STAR_ACTIONS: &str = "Every write is scoped to named resources except X-Ray and VPC \
     network-interface actions, which accept only Resource *";

/// `DaxClientLayerArn`.
const DAX_LAYER: &str = "ARN of a Lambda layer with the amazon-dax-client Python package; empty \
     reads DynamoDB directly";
