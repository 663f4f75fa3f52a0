//! Amazon API Gateway (REST APIs, v1).

use indexmap::IndexMap;
use serde::Serialize;
use serde_json::Value as Json;
use serde_with::skip_serializing_none;

use super::Tag;
use crate::cfn::{Bool, Int, Str};

/// `EDGE`, `REGIONAL` or `PRIVATE`.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct EndpointConfiguration {
    /// The endpoint types.
    pub types: Vec<&'static str>,
}

/// `AWS::ApiGateway::RestApi`.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct RestApi {
    /// The API's name.
    pub name: Option<Str>,
    /// What it is.
    pub description: Option<String>,
    /// An OpenAPI document defining the whole API.
    pub body: Option<Json>,
    /// Endpoint type.
    pub endpoint_configuration: Option<EndpointConfiguration>,
    /// Compress responses larger than this many bytes.
    pub minimum_compression_size: Option<Int>,
    /// Turn off the default `execute-api` endpoint (when a custom domain fronts it).
    pub disable_execute_api_endpoint: Option<Bool>,
    /// `HEADER` or `AUTHORIZER`.
    pub api_key_source_type: Option<&'static str>,
    /// Tags.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<Tag>,
}
resource!(
    RestApi,
    "AWS::ApiGateway::RestApi",
    root_resource_id => "RootResourceId",
    rest_api_id => "RestApiId",
);

/// `AWS::ApiGateway::Resource`: one path segment.
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Resource {
    /// The API.
    pub rest_api_id: Str,
    /// The parent resource (the API's root resource id for top-level paths).
    pub parent_id: Str,
    /// The segment, e.g. `todos` or `{todoId}`.
    pub path_part: String,
}
resource!(Resource, "AWS::ApiGateway::Resource", resource_id => "ResourceId");

/// How a method reaches its backend.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Integration {
    /// `AWS_PROXY`, `AWS`, `HTTP_PROXY`, `MOCK`, ...
    #[serde(rename = "Type")]
    pub kind: &'static str,
    /// Method used towards the backend (`POST` for Lambda).
    pub integration_http_method: Option<&'static str>,
    /// The backend URI.
    pub uri: Option<Str>,
    /// `WHEN_NO_MATCH`, `NEVER`, `WHEN_NO_TEMPLATES`.
    pub passthrough_behavior: Option<&'static str>,
    /// Templates by content type (MOCK integrations).
    pub request_templates: Option<IndexMap<String, String>>,
    /// Responses (MOCK integrations).
    pub integration_responses: Option<Vec<IntegrationResponse>>,
    /// Request parameters forwarded to the backend, also cache keys.
    pub cache_key_parameters: Option<Vec<String>>,
    /// Milliseconds before the integration times out.
    pub timeout_in_millis: Option<Int>,
}

/// A response of a non-proxy integration.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct IntegrationResponse {
    /// The method response's status code.
    pub status_code: String,
    /// Header mappings.
    pub response_parameters: Option<IndexMap<String, String>>,
    /// Body templates.
    pub response_templates: Option<IndexMap<String, String>>,
}

/// A declared method response.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct MethodResponse {
    /// The status code.
    pub status_code: String,
    /// Headers the response may carry.
    pub response_parameters: Option<IndexMap<String, bool>>,
}

/// `AWS::ApiGateway::Method`.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Method {
    /// The API.
    pub rest_api_id: Str,
    /// The path's resource.
    pub resource_id: Str,
    /// `GET`, `POST`, ...
    pub http_method: &'static str,
    /// `NONE`, `AWS_IAM`, `COGNITO_USER_POOLS`, `CUSTOM`.
    pub authorization_type: &'static str,
    /// The authorizer, for `COGNITO_USER_POOLS` and `CUSTOM`.
    pub authorizer_id: Option<Str>,
    /// OAuth scopes accepted.
    pub authorization_scopes: Option<Vec<String>>,
    /// Require an API key.
    pub api_key_required: Option<Bool>,
    /// Validate the request before the integration.
    pub request_validator_id: Option<Str>,
    /// Path and query parameters (`method.request.path.id: true`).
    pub request_parameters: Option<IndexMap<String, bool>>,
    /// The operation's name in SDKs and OpenAPI exports.
    pub operation_name: Option<String>,
    /// The backend.
    pub integration: Integration,
    /// Declared responses.
    pub method_responses: Option<Vec<MethodResponse>>,
}
resource!(Method, "AWS::ApiGateway::Method");

/// `AWS::ApiGateway::RequestValidator`.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct RequestValidator {
    /// The API.
    pub rest_api_id: Str,
    /// Its name.
    pub name: Option<String>,
    /// Check bodies against models.
    pub validate_request_body: Option<Bool>,
    /// Check required parameters.
    pub validate_request_parameters: Option<Bool>,
}
resource!(
    RequestValidator,
    "AWS::ApiGateway::RequestValidator",
    request_validator_id => "RequestValidatorId",
);

/// `AWS::ApiGateway::Authorizer`.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Authorizer {
    /// The API.
    pub rest_api_id: Str,
    /// Its name.
    pub name: String,
    /// `COGNITO_USER_POOLS`, `TOKEN` or `REQUEST`.
    #[serde(rename = "Type")]
    pub kind: &'static str,
    /// User pool ARNs (`COGNITO_USER_POOLS`).
    #[serde(rename = "ProviderARNs")]
    pub provider_arns: Option<Vec<Str>>,
    /// Where the token is, e.g. `method.request.header.Authorization`.
    pub identity_source: Option<String>,
    /// Seconds a decision is cached.
    pub authorizer_result_ttl_in_seconds: Option<Int>,
}
resource!(Authorizer, "AWS::ApiGateway::Authorizer", authorizer_id => "AuthorizerId");

/// `AWS::ApiGateway::Deployment`: a snapshot of the API's methods.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Deployment {
    /// The API.
    pub rest_api_id: Str,
    /// What it deploys.
    pub description: Option<String>,
}
resource!(Deployment, "AWS::ApiGateway::Deployment", deployment_id => "DeploymentId");

/// Per-method settings of a stage (`*/*` for all).
#[skip_serializing_none]
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct MethodSetting {
    /// `/*` or an escaped path such as `/~1todos`.
    pub resource_path: String,
    /// `*` or a method.
    pub http_method: String,
    /// Cache responses (needs the stage's cache cluster).
    pub caching_enabled: Option<Bool>,
    /// Seconds a response is cached.
    pub cache_ttl_in_seconds: Option<Int>,
    /// Encrypt cached responses.
    pub cache_data_encrypted: Option<Bool>,
    /// Steady requests per second.
    pub throttling_rate_limit: Option<f64>,
    /// Burst requests.
    pub throttling_burst_limit: Option<Int>,
    /// `OFF`, `ERROR` or `INFO` execution logging.
    pub logging_level: Option<&'static str>,
    /// CloudWatch metrics per method.
    pub metrics_enabled: Option<Bool>,
    /// Log full requests and responses (keep off: it logs bodies).
    pub data_trace_enabled: Option<Bool>,
}

/// Access logging of a stage.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct AccessLogSetting {
    /// The log group's ARN.
    pub destination_arn: Str,
    /// The line format, with `$context` variables.
    pub format: String,
}

/// `AWS::ApiGateway::Stage`.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Stage {
    /// The API.
    pub rest_api_id: Str,
    /// The deployment it serves.
    pub deployment_id: Str,
    /// The stage's name, the first segment of the invoke URL's path.
    pub stage_name: String,
    /// What it is.
    pub description: Option<String>,
    /// Provision a cache cluster.
    pub cache_cluster_enabled: Option<Bool>,
    /// Cache size in GB: `0.5`, `1.6`, `6.1`, `13.5`, `28.4`, `58.2`, `118`, `237`.
    pub cache_cluster_size: Option<String>,
    /// Per-method settings.
    pub method_settings: Option<Vec<MethodSetting>>,
    /// Access logs.
    pub access_log_setting: Option<AccessLogSetting>,
    /// X-Ray tracing.
    pub tracing_enabled: Option<Bool>,
    /// Tags.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<Tag>,
}
resource!(Stage, "AWS::ApiGateway::Stage");

/// `AWS::ApiGateway::Account`: the role API Gateway uses to write logs, once
/// per account and region.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Account {
    /// The role's ARN.
    pub cloud_watch_role_arn: Str,
}
resource!(Account, "AWS::ApiGateway::Account");

/// `AWS::ApiGateway::DomainName`: a custom domain for REST APIs.
#[skip_serializing_none]
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct DomainName {
    /// The domain.
    pub domain_name: Str,
    /// An ACM certificate in the API's region.
    pub regional_certificate_arn: Str,
    /// `REGIONAL`.
    pub endpoint_configuration: EndpointConfiguration,
    /// `TLS_1_2`.
    pub security_policy: &'static str,
}
resource!(
    DomainName,
    "AWS::ApiGateway::DomainName",
    regional_domain_name => "RegionalDomainName",
    regional_hosted_zone_id => "RegionalHostedZoneId",
);

/// `AWS::ApiGateway::BasePathMapping`.
#[skip_serializing_none]
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct BasePathMapping {
    /// The custom domain.
    pub domain_name: Str,
    /// The API.
    pub rest_api_id: Str,
    /// The stage.
    pub stage: Str,
}
resource!(BasePathMapping, "AWS::ApiGateway::BasePathMapping");
