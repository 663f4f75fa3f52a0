//! T1 + T2 + T5: the REST API, every todo method behind the Cognito
//! authorizer, the list cached per caller.

use super::Settings;
use crate::cfn::{Handle, Template, sub};
use crate::patterns::rest::{Auth, RestApiBuilder, Route, StageSpec, account_logging_role};
use crate::resources::apigateway::{Authorizer, RestApi};
use crate::resources::cognito::UserPool;
use crate::resources::kms::Key;
use crate::resources::lambda::Function;

/// Adds the API, its routes to `function` and its stage.
pub(super) fn add(
    t: &mut Template,
    s: &Settings,
    key: &Handle<Key>,
    function: &Handle<Function>,
    pool: &Handle<UserPool>,
) -> Handle<RestApi> {
    let mut api = RestApiBuilder::new(
        t,
        "TodoApi",
        sub(&format!("{}-api-${{AWS::StackName}}", s.name)),
        "MyTodoList REST API",
    );
    let authorizer = t.add(
        "TodoApiAuthorizer",
        Authorizer {
            rest_api_id: api.api().r#ref(),
            name: "CognitoUserPool".into(),
            kind: "COGNITO_USER_POOLS",
            provider_arns: Some(vec![pool.arn()]),
            identity_source: Some("method.request.header.Authorization".into()),
            authorizer_result_ttl_in_seconds: Some(300.into()),
        },
    );
    // The list is cached per caller (keyed on the token and the paging), so
    // one user's todos are never served to another. A single todo is not
    // stage-cached: writes go through DAX, whose item cache they update, so
    // GET /todos/{todoId} reads the user's own writes; a stage cache would
    // serve the old version for its whole TTL.
    let routes = [
        (
            "/todos",
            "GET",
            vec![
                "method.request.header.Authorization".to_owned(),
                "method.request.querystring.limit".into(),
                "method.request.querystring.next".into(),
            ],
        ),
        ("/todos", "POST", vec![]),
        ("/todos/{todoId}", "GET", vec![]),
        ("/todos/{todoId}", "PUT", vec![]),
        ("/todos/{todoId}", "DELETE", vec![]),
    ];
    for (path, method, cache_keys) in routes {
        api.lambda_route(
            t,
            Route {
                path,
                method,
                auth: Auth::Cognito(authorizer.clone()),
                cache_keys,
            },
            function,
        );
    }
    let origin = s.api.cors_origin.as_str();
    api.cors_preflight(t, "/todos", origin, "GET,POST");
    api.cors_preflight(t, "/todos/{todoId}", origin, "GET,PUT,DELETE");
    api.allow_invoke(t, "TodoApiInvokePermission", function);
    let ttl = s.api.cache_ttl_seconds.get();
    let (rest_api, stage) = api.deploy(
        t,
        StageSpec {
            name: s.stage.to_string(),
            rate_limit: s.api.throttle_rate.get() as f64,
            burst_limit: s.api.throttle_burst.get(),
            cache_size: Some(s.api.cache_size_gb.clone()),
            cached: vec![("/todos".into(), "GET", ttl)],
            throttled: vec![],
            log_retention_days: s.log_retention_days.get(),
            log_key: Some(key.arn()),
        },
    );
    if s.api.manage_account_logging_role {
        let account = account_logging_role(t, "ApiGateway");
        t.add_dependency(&stage, &account);
    }
    rest_api
}
