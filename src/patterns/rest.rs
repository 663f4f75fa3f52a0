//! A REST API whose routes are Lambda proxy integrations, deployed to a stage
//! with access logs, throttling, tracing and (optionally) caching.

use indexmap::IndexMap;

use crate::cfn::{Envelope, Handle, Str, Template, json, sub_with};
use crate::resources::apigateway::{
    AccessLogSetting, Account, Authorizer, Deployment, EndpointConfiguration, Integration,
    IntegrationResponse, Method, MethodResponse, MethodSetting, Resource, RestApi, Stage,
};
use crate::resources::iam::{PolicyDocument, Role, Statement};
use crate::resources::lambda::{Function, Permission};
use crate::resources::logs::LogGroup;

/// How a method authorizes callers.
#[derive(Debug, Clone)]
pub enum Auth {
    /// Anyone (public read APIs).
    None,
    /// SigV4-signed requests from IAM principals allowed `execute-api:Invoke`.
    Iam,
    /// A Cognito user pool token checked by this authorizer.
    Cognito(Handle<Authorizer>),
}

/// A Lambda proxy route.
#[derive(Debug, Clone)]
pub struct Route<'a> {
    /// e.g. `/todos/{todoId}`.
    pub path: &'a str,
    /// `GET`, `POST`, ...
    pub method: &'static str,
    /// Who may call it.
    pub auth: Auth,
    /// Request parameters that key the stage cache, e.g.
    /// `method.request.header.Authorization` (so one user's cached response
    /// is never served to another).
    pub cache_keys: Vec<String>,
}

/// Stage settings.
#[derive(Debug, Clone)]
pub struct StageSpec {
    /// The stage's name.
    pub name: String,
    /// Steady requests per second across the stage.
    pub rate_limit: f64,
    /// Burst across the stage.
    pub burst_limit: i64,
    /// Cache cluster size in GB, when responses are cached.
    pub cache_size: Option<String>,
    /// Cached methods `(path, method, ttl seconds)`.
    pub cached: Vec<(String, &'static str, i64)>,
    /// Extra per-method throttles `(path, method, rate, burst)`.
    pub throttled: Vec<(String, &'static str, f64, i64)>,
    /// Days to keep access logs.
    pub log_retention_days: i64,
    /// A KMS key (ARN) that encrypts the access logs.
    pub log_key: Option<Str>,
}

/// Builds a REST API route by route.
#[derive(Debug)]
pub struct RestApiBuilder {
    prefix: String,
    api: Handle<RestApi>,
    resources: IndexMap<String, Handle<Resource>>,
    methods: Vec<Handle<Method>>,
    fingerprint: u64,
}

/// FNV-1a, for a deterministic fingerprint of the API's definition.
fn fnv1a(mut hash: u64, bytes: &[u8]) -> u64 {
    for b in bytes {
        hash ^= u64::from(*b);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    hash
}

/// `Todos` from `todos`, `TodoId` from `{todoId}`.
fn segment_id(segment: &str) -> String {
    super::naming::pascal(segment.trim_matches(|c| c == '{' || c == '}' || c == '+'))
}

/// `Todos`, `TodosTodoId`: the logical-id stem of a path.
fn path_id(path: &str) -> String {
    path.split('/')
        .filter(|s| !s.is_empty())
        .map(segment_id)
        .collect()
}

/// The stage `ResourcePath` of a path: `/` then the path with `/` escaped as `~1`.
pub fn escaped_path(path: &str) -> String {
    format!("/{}", path.replace('/', "~1"))
}

impl RestApiBuilder {
    /// Adds a regional REST API `{prefix}` named `name`.
    pub fn new(t: &mut Template, prefix: &str, name: Str, description: &str) -> Self {
        let api = t.add(
            prefix,
            RestApi {
                name: Some(name),
                description: Some(description.to_owned()),
                endpoint_configuration: Some(EndpointConfiguration {
                    types: vec!["REGIONAL"],
                }),
                minimum_compression_size: Some(1024.into()),
                ..Default::default()
            },
        );
        RestApiBuilder {
            prefix: prefix.to_owned(),
            api,
            resources: IndexMap::new(),
            methods: Vec::new(),
            fingerprint: 0xcbf2_9ce4_8422_2325,
        }
    }

    /// The API's handle.
    pub fn api(&self) -> &Handle<RestApi> {
        &self.api
    }

    /// The resource id of `path`, adding the path's resources as needed.
    fn resource(&mut self, t: &mut Template, path: &str) -> Str {
        let mut parent = self.api.root_resource_id();
        let mut so_far = String::new();
        for segment in path.split('/').filter(|s| !s.is_empty()) {
            so_far.push('/');
            so_far.push_str(segment);
            let handle = match self.resources.get(&so_far) {
                Some(h) => h.clone(),
                None => {
                    let id = format!("{}{}Resource", self.prefix, path_id(&so_far));
                    let h = t.add(
                        &id,
                        Resource {
                            rest_api_id: self.api.r#ref(),
                            parent_id: parent,
                            path_part: segment.to_owned(),
                        },
                    );
                    self.fingerprint = fnv1a(self.fingerprint, so_far.as_bytes());
                    self.resources.insert(so_far.clone(), h.clone());
                    h
                }
            };
            parent = handle.resource_id();
        }
        parent
    }

    fn add_method(
        &mut self,
        t: &mut Template,
        path: &str,
        http: &str,
        method: Method,
    ) -> Handle<Method> {
        let id = format!(
            "{}{}{}",
            self.prefix,
            path_id(path),
            segment_id(&http.to_lowercase())
        );
        self.fingerprint = fnv1a(self.fingerprint, json(&method).to_string().as_bytes());
        let h = t.add(&id, method);
        self.methods.push(h.clone());
        h
    }

    /// Adds a Lambda proxy route to `function`; returns its method (to
    /// waive or depend on).
    pub fn lambda_route(
        &mut self,
        t: &mut Template,
        route: Route<'_>,
        function: &Handle<Function>,
    ) -> Handle<Method> {
        let resource_id = self.resource(t, route.path);
        let (authorization_type, authorizer_id) = match &route.auth {
            Auth::None => ("NONE", None),
            Auth::Iam => ("AWS_IAM", None),
            Auth::Cognito(a) => ("COGNITO_USER_POOLS", Some(a.r#ref())),
        };
        let mut request_parameters: IndexMap<String, bool> = IndexMap::new();
        for segment in route.path.split('/') {
            if let Some(name) = segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
                // A greedy `{proxy+}` is the parameter `proxy`.
                let name = name.trim_end_matches('+');
                request_parameters.insert(format!("method.request.path.{name}"), true);
            }
        }
        for key in &route.cache_keys {
            request_parameters.insert(key.clone(), key.contains(".header."));
        }
        let method = Method {
            rest_api_id: self.api.r#ref(),
            resource_id,
            http_method: route.method,
            authorization_type,
            authorizer_id,
            request_parameters: (!request_parameters.is_empty()).then_some(request_parameters),
            integration: Integration {
                kind: "AWS_PROXY",
                integration_http_method: Some("POST"),
                uri: Some(sub_with(LAMBDA_INVOCATIONS, [("Function", function.arn())])),
                cache_key_parameters: (!route.cache_keys.is_empty())
                    .then(|| route.cache_keys.clone()),
                ..Default::default()
            },
            ..Default::default()
        };
        self.add_method(t, route.path, route.method, method)
    }

    /// Answers CORS preflight requests on `path` without calling a backend;
    /// returns the `OPTIONS` method.
    pub fn cors_preflight(
        &mut self,
        t: &mut Template,
        path: &str,
        origin: &str,
        methods: &str,
    ) -> Handle<Method> {
        let resource_id = self.resource(t, path);
        let headers = [
            ("Access-Control-Allow-Origin", format!("'{origin}'")),
            (
                "Access-Control-Allow-Methods",
                format!("'{methods},OPTIONS'"),
            ),
            (
                "Access-Control-Allow-Headers",
                "'Authorization,Content-Type,X-Amz-Date,X-Amz-Security-Token'".to_owned(),
            ),
            ("Access-Control-Max-Age", "'600'".to_owned()),
        ];
        let method = Method {
            rest_api_id: self.api.r#ref(),
            resource_id,
            http_method: "OPTIONS",
            authorization_type: "NONE",
            integration: Integration {
                kind: "MOCK",
                passthrough_behavior: Some("NEVER"),
                request_templates: Some(IndexMap::from([(
                    "application/json".to_owned(),
                    "{\"statusCode\": 204}".to_owned(),
                )])),
                integration_responses: Some(vec![IntegrationResponse {
                    status_code: "204".into(),
                    response_parameters: Some(
                        headers
                            .iter()
                            .map(|(h, v)| (format!("method.response.header.{h}"), v.clone()))
                            .collect(),
                    ),
                    response_templates: None,
                }]),
                ..Default::default()
            },
            method_responses: Some(vec![MethodResponse {
                status_code: "204".into(),
                response_parameters: Some(
                    headers
                        .iter()
                        .map(|(h, _)| (format!("method.response.header.{h}"), true))
                        .collect(),
                ),
            }]),
            ..Default::default()
        };
        self.add_method(t, path, "OPTIONS", method)
    }

    /// Lets this API invoke `function` (and nothing else invoke it through
    /// API Gateway); returns the permission.
    pub fn allow_invoke(
        &self,
        t: &mut Template,
        id: &str,
        function: &Handle<Function>,
    ) -> Handle<Permission> {
        t.add(
            id,
            Permission {
                action: "lambda:InvokeFunction",
                function_name: function.r#ref(),
                principal: "apigateway.amazonaws.com".into(),
                source_arn: Some(sub_with(ANY_METHOD_ARN, [("Api", self.api.r#ref())])),
                source_account: None,
            },
        )
    }

    /// Deploys the API to a stage. The deployment's logical id carries a
    /// fingerprint of the API's definition: CloudFormation only creates a new
    /// deployment when the id changes, so a changed route gets deployed while
    /// an unchanged API keeps its id (and produces no diff).
    pub fn deploy(self, t: &mut Template, spec: StageSpec) -> (Handle<RestApi>, Handle<Stage>) {
        let prefix = &self.prefix;
        let fingerprint = fnv1a(self.fingerprint, spec.name.as_bytes());
        let mut envelope = Envelope::new();
        for m in &self.methods {
            envelope = envelope.depends_on(m);
        }
        let deployment = t.add_with(
            &format!("{prefix}Deployment{:08X}", fingerprint >> 32),
            Deployment {
                rest_api_id: self.api.r#ref(),
                description: Some(format!("{prefix} routes, fingerprint {fingerprint:016x}")),
            },
            envelope,
        );
        let access_logs = t.add(
            &format!("{prefix}AccessLogs"),
            LogGroup {
                retention_in_days: Some(spec.log_retention_days.into()),
                kms_key_id: spec.log_key.clone(),
                ..Default::default()
            },
        );
        let mut settings = vec![MethodSetting {
            resource_path: "/*".into(),
            http_method: "*".into(),
            throttling_rate_limit: Some(spec.rate_limit),
            throttling_burst_limit: Some(spec.burst_limit.into()),
            logging_level: Some("ERROR"),
            metrics_enabled: Some(true.into()),
            data_trace_enabled: Some(false.into()),
            caching_enabled: spec.cache_size.as_ref().map(|_| false.into()),
            cache_data_encrypted: spec.cache_size.as_ref().map(|_| true.into()),
            ..Default::default()
        }];
        for (path, method, ttl) in &spec.cached {
            settings.push(MethodSetting {
                resource_path: escaped_path(path),
                http_method: (*method).to_owned(),
                caching_enabled: Some(true.into()),
                cache_ttl_in_seconds: Some((*ttl).into()),
                cache_data_encrypted: Some(true.into()),
                throttling_rate_limit: Some(spec.rate_limit),
                throttling_burst_limit: Some(spec.burst_limit.into()),
                logging_level: Some("ERROR"),
                metrics_enabled: Some(true.into()),
                ..Default::default()
            });
        }
        for (path, method, rate, burst) in &spec.throttled {
            settings.push(MethodSetting {
                resource_path: escaped_path(path),
                http_method: (*method).to_owned(),
                throttling_rate_limit: Some(*rate),
                throttling_burst_limit: Some((*burst).into()),
                logging_level: Some("ERROR"),
                metrics_enabled: Some(true.into()),
                ..Default::default()
            });
        }
        let stage = t.add(
            &format!("{prefix}Stage"),
            Stage {
                rest_api_id: self.api.r#ref(),
                deployment_id: deployment.r#ref(),
                stage_name: spec.name.clone(),
                cache_cluster_enabled: Some(spec.cache_size.is_some().into()),
                cache_cluster_size: spec.cache_size.clone(),
                method_settings: Some(settings),
                access_log_setting: Some(AccessLogSetting {
                    destination_arn: access_logs.arn(),
                    format: ACCESS_LOG_FORMAT.to_owned(),
                }),
                tracing_enabled: Some(true.into()),
                ..Default::default()
            },
        );
        (self.api, stage)
    }
}

/// One JSON line per request: who, what, how it went, how long it took.
const ACCESS_LOG_FORMAT: &str = concat!(
    r#"{"requestId":"$context.requestId","ip":"$context.identity.sourceIp","#,
    r#""caller":"$context.identity.caller","user":"$context.authorizer.claims.sub","#,
    r#""time":"$context.requestTime","method":"$context.httpMethod","#,
    r#""path":"$context.resourcePath","status":"$context.status","#,
    r#""bytes":"$context.responseLength","latencyMs":"$context.responseLatency","#,
    r#""integrationMs":"$context.integrationLatency","error":"$context.error.message"}"#
);

/// The integration URI that invokes a Lambda function (`${Function}`: its ARN).
const LAMBDA_INVOCATIONS: &str = concat!(
    "arn:${AWS::Partition}:apigateway:${AWS::Region}:lambda:",
    "path/2015-03-31/functions/${Function}/invocations"
);

/// Every stage, method and path of the API `${Api}`.
const ANY_METHOD_ARN: &str =
    "arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:${Api}/*/*/*";

/// AWS's managed policy for API Gateway's logging role.
const PUSH_TO_CLOUDWATCH_LOGS: &str =
    "arn:${AWS::Partition}:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs";

/// The account-wide role API Gateway needs to write execution and access
/// logs. One per account and region: a second stack setting it simply points
/// the account at its own, equivalent role. Both resources are retained when
/// the stack is deleted or replaces them, so another stack's logging keeps
/// working.
pub fn account_logging_role(t: &mut Template, prefix: &str) -> Handle<Account> {
    // Both are account- and Region-wide, shared by every stack that logs a
    // REST API: deleting one stack must not take them from the others, so
    // they are retained, as AWS CDK does by default
    // (`cloudWatchRoleRemovalPolicy: RETAIN`).
    let role = t.add_with(
        &format!("{prefix}CloudWatchRole"),
        Role {
            assume_role_policy_document: PolicyDocument::new(vec![Statement::assume_by_service(
                "apigateway.amazonaws.com",
            )]),
            description: Some("Lets API Gateway write execution and access logs".into()),
            managed_policy_arns: vec![crate::cfn::sub(PUSH_TO_CLOUDWATCH_LOGS)],
            ..Default::default()
        },
        Envelope::new().retain(),
    );
    t.add_with(
        &format!("{prefix}Account"),
        Account {
            cloud_watch_role_arn: role.arn(),
        },
        Envelope::new().retain(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_come_from_paths() {
        assert_eq!(path_id("/todos/{todoId}"), "TodosTodoId");
        assert_eq!(path_id("/api/posts"), "ApiPosts");
        assert_eq!(escaped_path("/todos/{todoId}"), "/~1todos~1{todoId}");
    }
}
