//! B2: the posts and subscribers REST API, one Lambda function behind API
//! Gateway, served on `/api/*` of the distribution.

use super::site::Site;
use super::tables::{POSTS_BY_DATE, Tables};
use super::{Settings, SynthError, waive_function};
use crate::cfn::{Handle, Str, Template, sub};
use crate::patterns::function::{FunctionParts, FunctionSpec, python_function};
use crate::patterns::rest::{Auth, RestApiBuilder, Route, StageSpec, account_logging_role};
use crate::patterns::{grants, waivers};
use crate::resources::apigateway::RestApi;
use crate::resources::iam::Statement;
use crate::templates;

/// The API's resources later flows refer to.
pub(super) struct Api {
    /// The API itself (the distribution's `/api/*` origin).
    pub rest_api: Handle<RestApi>,
}

/// The routes, all served by the posts function. Publishing is
/// IAM-authorized; the other methods are public on purpose.
const ROUTES: [(&str, &str, Auth); 8] = [
    ("/api/posts", "GET", Auth::None),
    ("/api/posts", "POST", Auth::Iam),
    ("/api/posts/{slug}", "GET", Auth::None),
    ("/api/subscribers", "POST", Auth::None),
    // GET shows the button, POST confirms: link scanners only GET.
    ("/api/subscribers/confirm", "GET", Auth::None),
    ("/api/subscribers/confirm", "POST", Auth::None),
    ("/api/not-found/{proxy+}", "GET", Auth::None),
    // CloudFront fails a HEAD over with its method: without this route
    // API Gateway would answer 403 instead of the 404 page's status.
    ("/api/not-found/{proxy+}", "HEAD", Auth::None),
];

/// Adds the posts function, the REST API and its stage.
pub(super) fn add(
    t: &mut Template,
    s: &Settings,
    tables: &Tables,
    site: &Site,
    log_key: &Str,
) -> Result<Api, SynthError> {
    let function = posts_function(t, s, tables, site, log_key)?;
    waive_function(
        t,
        &function,
        "Invoked synchronously by API Gateway; errors return to the caller",
    );
    let mut api = RestApiBuilder::new(
        t,
        "BlogApi",
        sub(&format!("{}-api-${{AWS::StackName}}", s.name)),
        "Blog REST API, served on /api/* of the distribution",
    );
    for (path, method, auth) in ROUTES {
        let public = matches!(auth, Auth::None);
        let route = Route {
            path,
            method,
            auth,
            cache_keys: vec![],
        };
        let handle = api.lambda_route(t, route, &function.function);
        if public {
            waivers::waive(t, &handle, &[("CKV_AWS_59", PUBLIC_METHOD)]);
        }
    }
    api.allow_invoke(t, "BlogApiInvokePermission", &function.function);
    let rest_api = deploy(t, s, api, log_key);
    Ok(Api { rest_api })
}

/// The function behind every route: reads and publishes posts, subscribes
/// and confirms subscribers, serves the 404 page.
fn posts_function(
    t: &mut Template,
    s: &Settings,
    tables: &Tables,
    site: &Site,
    log_key: &Str,
) -> Result<FunctionParts, SynthError> {
    let Tables { posts, subscribers } = tables;
    let mut spec = FunctionSpec::new(
        "PostsApi",
        "Blog REST API: posts and subscriptions",
        templates::handler("lambda/posts_api.py.j2")?,
    )
    .env("POSTS_TABLE", posts.r#ref())
    .env("SUBSCRIBERS_TABLE", subscribers.r#ref())
    .env("POSTS_BY_DATE_INDEX", POSTS_BY_DATE)
    .env("SITE_BUCKET", site.files.r#ref())
    .allow([
        grants::table_actions(
            posts,
            [
                "dynamodb:GetItem",
                "dynamodb:Query",
                "dynamodb:PutItem",
                "dynamodb:UpdateItem",
                "dynamodb:ConditionCheckItem",
            ],
            true,
        ),
        // Subscribing puts a pending subscriber; confirming updates it
        // (conditionally) and reads it back when the link was used.
        Statement::allow(
            [
                "dynamodb:PutItem",
                "dynamodb:UpdateItem",
                "dynamodb:GetItem",
            ],
            vec![subscribers.arn()],
        ),
        grants::bucket_read(&site.files, "404.html"),
    ]);
    spec.log_retention_days = s.log_retention_days.get();
    spec.log_key = Some(log_key.clone());
    spec.reserved_concurrency = s.reserved_concurrency.api.map(|n| n.get());
    Ok(python_function(t, spec))
}

/// Deploys the API to its stage, throttled, with the account's logging role.
fn deploy(t: &mut Template, s: &Settings, api: RestApiBuilder, log_key: &Str) -> Handle<RestApi> {
    let (rest_api, stage) = api.deploy(
        t,
        StageSpec {
            name: s.stage.to_string(),
            rate_limit: s.api.throttle_rate.get() as f64,
            burst_limit: s.api.throttle_burst.get(),
            // CloudFront caches the API at the edge; a stage cache would only add cost.
            cache_size: None,
            cached: vec![],
            throttled: vec![(
                "/api/subscribers".into(),
                "POST",
                s.api.subscribe_rate.get() as f64,
                s.api.subscribe_burst.get(),
            )],
            log_retention_days: s.log_retention_days.get(),
            log_key: Some(log_key.clone()),
        },
    );
    waivers::waive(t, &stage, &[("CKV_AWS_120", NO_STAGE_CACHE)]);
    let account = account_logging_role(t, "ApiGateway");
    t.add_dependency(&stage, &account);
    rest_api
}

/// Why the public methods have no authorizer (checkov CKV_AWS_59).
const PUBLIC_METHOD: &str = "A public blog: reading posts and subscribing need no sign-in; \
     publishing (POST /api/posts) requires IAM";

/// Why the stage has no cache (checkov CKV_AWS_120).
const NO_STAGE_CACHE: &str = "Responses are cached by CloudFront at the edge (short TTL, \
     query-keyed); a stage cache would add cost, not speed";
