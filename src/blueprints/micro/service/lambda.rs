//! M2: (Route 53 ->) API Gateway, defined by the OpenAPI document -> Lambda
//! (-> ElastiCache).

use serde_json::Value;

use super::super::openapi;
use super::super::settings::Datastore;
use super::{Ctx, cache, log_group, waive_function};
use crate::blueprints::SynthError;
use crate::cfn::{
    ConditionRef, Envelope, Handle, Parameter, ParameterRef, Str, Template, Val, and, aws, equals,
    if_, not, sub, sub_with,
};
use crate::patterns::function::{FunctionParts, FunctionSpec, python_function};
use crate::patterns::waivers::waived;
use crate::resources::apigateway::{
    AccessLogSetting, BasePathMapping, Deployment, DomainName, EndpointConfiguration,
    MethodSetting, RestApi, Stage,
};
use crate::resources::lambda::{Permission, VpcConfig};
use crate::resources::route53::{AliasTarget, RecordSet};
use crate::templates;

/// The stage every service API is deployed to.
const STAGE_NAME: &str = "v1";

/// One JSON line per request.
const ACCESS_LOG_FORMAT: &str = r#"{"requestId":"$context.requestId","ip":"$context.identity.sourceIp","method":"$context.httpMethod","path":"$context.resourcePath","status":"$context.status","latencyMs":"$context.responseLatency"}"#;

const INVOKE_SOURCE: &str =
    "arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:${Api}/*/*/*";

const LAYER_DESCRIPTION: &str =
    "Lambda layer with the redis Python package (see README); empty runs without it";

const DOMAIN_DESCRIPTION: &str =
    "Custom domain of the API, e.g. catalog.example.com; empty uses the execute-api URL";

const CACHE_WAIVER: &str =
    "Reads are served from Redis; a stage cache would hold stale items after writes";

const SYNCHRONOUS: &str = "Invoked synchronously by API Gateway; errors return to the caller";

/// Builds the function, its cache when the datastore is ElastiCache, the
/// REST API from `doc`, its stage and optional custom domain; returns the
/// API's URL.
pub(super) fn service(t: &mut Template, c: &mut Ctx<'_>, doc: &Value) -> Result<Str, SynthError> {
    // Only a function that reaches a cache runs in the VPC, so only then
    // does the stack read the VPC's id (an unused parameter is W2001).
    let vpc_config = (c.svc.datastore == Datastore::Elasticache).then(|| {
        let vpc = c.inputs.vpc(t);
        cache::redis(t, c, &vpc)
    });
    let function = function(t, c, vpc_config)?;
    let body = openapi::with_lambda_integrations(doc, function.function.arn());
    let api = rest_api(t, c, &body, &function);
    let stage = stage(t, c, &api, &body);
    let default_url = sub_with(
        &format!("https://${{Api}}.execute-api.${{AWS::Region}}.${{AWS::URLSuffix}}/{STAGE_NAME}"),
        [("Api", api.r#ref())],
    );
    Ok(custom_domain(t, &api, &stage, default_url))
}

/// The API's function, in the VPC when it reaches a cache, with the redis
/// client from an optional layer.
fn function(
    t: &mut Template,
    c: &mut Ctx<'_>,
    vpc: Option<VpcConfig>,
) -> Result<FunctionParts, SynthError> {
    let layer = t.parameter(
        "RedisClientLayerArn",
        Parameter::string(LAYER_DESCRIPTION).default_value(""),
    );
    let has_layer = t.condition("HasRedisClientLayer", not(equals(layer.r#ref(), "".into())));
    let code = templates::handler("lambda/micro_api.py.j2")?;
    let key = c.inputs.data_key(t);
    let mut spec = FunctionSpec::new("Api", &format!("{} REST API", c.svc.name), code);
    spec.environment = c.env.clone();
    spec.statements = c.statements.clone();
    spec.vpc = vpc;
    spec.layers = Some(if_(
        &has_layer,
        Val::Lit(vec![layer.r#ref()]),
        aws::no_value(),
    ));
    spec.log_retention_days = c.s.log_retention_days.get();
    spec.log_key = Some(key);
    spec.reserved_concurrency = c.svc.reserved_concurrency.map(|n| n.get());
    let parts = python_function(t, spec);
    waive_function(t, &parts, SYNCHRONOUS);
    Ok(parts)
}

/// The regional REST API whose `Body` is the OpenAPI document with
/// integrations, and the permission for it (only) to invoke the function.
fn rest_api(
    t: &mut Template,
    c: &Ctx<'_>,
    body: &Value,
    function: &FunctionParts,
) -> Handle<RestApi> {
    let api = t.add(
        "RestApi",
        RestApi {
            name: Some(sub(&format!("${{AWS::StackName}}-{}", c.svc.name))),
            description: Some(format!("{} v{}", c.svc.name, c.svc.version)),
            body: Some(body.clone()),
            endpoint_configuration: Some(EndpointConfiguration {
                types: vec!["REGIONAL"],
            }),
            ..Default::default()
        },
    );
    t.add(
        "ApiInvokePermission",
        Permission {
            action: "lambda:InvokeFunction",
            function_name: function.function.r#ref(),
            principal: "apigateway.amazonaws.com".into(),
            source_arn: Some(sub_with(INVOKE_SOURCE, [("Api", api.r#ref())])),
            source_account: None,
        },
    );
    api
}

/// FNV-1a of the API's definition.
fn fingerprint(body: &Value) -> u64 {
    body.to_string()
        .bytes()
        .fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
        })
}

/// A deployment named after the definition's fingerprint (a changed API
/// gets a new deployment, see `patterns::rest`) and the `v1` stage:
/// throttled, traced, access-logged to a log group encrypted with the data
/// key.
fn stage(t: &mut Template, c: &mut Ctx<'_>, api: &Handle<RestApi>, body: &Value) -> Handle<Stage> {
    let deployment = t.add(
        &format!("Deployment{:08X}", fingerprint(body) >> 32),
        Deployment {
            rest_api_id: api.r#ref(),
            description: Some(format!("{} v{}", c.svc.name, c.svc.version)),
        },
    );
    let access = log_group(t, c, "ApiAccessLogs");
    let settings = MethodSetting {
        resource_path: "/*".into(),
        http_method: "*".into(),
        throttling_rate_limit: Some(100.0),
        throttling_burst_limit: Some(200.into()),
        logging_level: Some("ERROR"),
        metrics_enabled: Some(true.into()),
        data_trace_enabled: Some(false.into()),
        ..Default::default()
    };
    let stage = Stage {
        rest_api_id: api.r#ref(),
        deployment_id: deployment.r#ref(),
        stage_name: STAGE_NAME.into(),
        method_settings: Some(vec![settings]),
        access_log_setting: Some(AccessLogSetting {
            destination_arn: access.arn(),
            format: ACCESS_LOG_FORMAT.into(),
        }),
        tracing_enabled: Some(true.into()),
        tags: c.tags(),
        ..Default::default()
    };
    let envelope = waived(Envelope::new(), &[("CKV_AWS_120", CACHE_WAIVER)]);
    t.add_with("Stage", stage, envelope)
}

/// The custom domain's parameters and the condition that all are given.
fn domain_parameters(t: &mut Template) -> (ParameterRef, ParameterRef, ParameterRef, ConditionRef) {
    let domain = t.parameter(
        "DomainName",
        Parameter::string(DOMAIN_DESCRIPTION).default_value(""),
    );
    let cert = t.parameter(
        "CertificateArn",
        Parameter::string("Regional ACM certificate for DomainName").default_value(""),
    );
    let zone = t.parameter(
        "HostedZoneId",
        Parameter::string("Route 53 hosted zone of DomainName").default_value(""),
    );
    let custom = t.condition(
        "HasCustomDomain",
        and([
            not(equals(domain.r#ref(), "".into())),
            not(equals(cert.r#ref(), "".into())),
            not(equals(zone.r#ref(), "".into())),
        ]),
    );
    (domain, cert, zone, custom)
}

/// The custom domain (Route 53 alias -> API Gateway domain) when given;
/// returns its URL then, `default_url` otherwise.
fn custom_domain(
    t: &mut Template,
    api: &Handle<RestApi>,
    stage: &Handle<Stage>,
    default_url: Str,
) -> Str {
    let (domain, cert, zone, custom) = domain_parameters(t);
    let dn = t.add_with(
        "ApiDomainName",
        DomainName {
            domain_name: domain.r#ref(),
            regional_certificate_arn: cert.r#ref(),
            endpoint_configuration: EndpointConfiguration {
                types: vec!["REGIONAL"],
            },
            security_policy: "TLS_1_2",
        },
        Envelope::new().condition(&custom),
    );
    t.add_with(
        "ApiBasePathMapping",
        BasePathMapping {
            domain_name: dn.r#ref(),
            rest_api_id: api.r#ref(),
            stage: stage.r#ref(),
        },
        Envelope::new().condition(&custom),
    );
    t.add_with(
        "ApiDnsRecord",
        RecordSet {
            hosted_zone_id: zone.r#ref(),
            name: domain.r#ref(),
            kind: "A",
            alias_target: Some(AliasTarget {
                dns_name: dn.regional_domain_name(),
                hosted_zone_id: dn.regional_hosted_zone_id(),
                evaluate_target_health: false.into(),
            }),
        },
        Envelope::new().condition(&custom),
    );
    let url = sub_with("https://${Domain}", [("Domain", domain.r#ref())]);
    if_(&custom, url, default_url)
}
