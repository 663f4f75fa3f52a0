//! The stack's outputs: what the mobile app is configured with.

use super::Settings;
use crate::cfn::{Handle, Output, Str, Template, aws, sub_with};
use crate::resources::cognito::{UserPool, UserPoolClient};
use crate::resources::dax::Cluster;
use crate::resources::dynamodb::Table;
use crate::resources::s3::Bucket;

/// Adds the outputs.
#[allow(clippy::too_many_arguments)]
pub(super) fn add(
    t: &mut Template,
    s: &Settings,
    api: &Handle<crate::resources::apigateway::RestApi>,
    pool: &Handle<UserPool>,
    client: &Handle<UserPoolClient>,
    bucket: &Handle<Bucket>,
    table: &Handle<Table>,
    dax: &Handle<Cluster>,
) {
    let url: Str = sub_with(
        &format!(
            "https://${{Api}}.execute-api.${{AWS::Region}}.${{AWS::URLSuffix}}/{}/",
            s.stage
        ),
        [("Api", api.r#ref())],
    );
    t.output("ApiUrl", Output::new("Base URL of the todo REST API", url));
    t.output(
        "UserPoolId",
        Output::new("Cognito user pool id", pool.r#ref()),
    );
    t.output(
        "UserPoolClientId",
        Output::new("App client id for the mobile app's sign-in", client.r#ref()),
    );
    t.output(
        "UserFilesBucketName",
        Output::new(
            "Bucket for users' files, under private/<identity id>/",
            bucket.r#ref(),
        ),
    );
    t.output(
        "TodoTableName",
        Output::new("DynamoDB table of todos", table.r#ref()),
    );
    t.output(
        "DaxEndpoint",
        Output::new(
            "DAX cluster discovery endpoint (TLS)",
            dax.cluster_discovery_endpoint_url(),
        ),
    );
    t.output(
        "Region",
        Output::new("Region to configure in the app", aws::region()),
    );
}
