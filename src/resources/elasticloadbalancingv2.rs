//! Elastic Load Balancing v2: application load balancers.

use serde::Serialize;
use serde_with::skip_serializing_none;

use super::Tag;
use crate::cfn::{Int, List, Str};

/// A `Key`/`Value` attribute of a load balancer or target group.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Attribute {
    /// e.g. `routing.http.drop_invalid_header_fields.enabled`.
    pub key: String,
    /// Its value, as a string.
    pub value: Str,
}

impl Attribute {
    /// An attribute.
    pub fn new(key: &str, value: impl Into<Str>) -> Self {
        Attribute {
            key: key.to_owned(),
            value: value.into(),
        }
    }
}

/// `AWS::ElasticLoadBalancingV2::LoadBalancer`.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct LoadBalancer {
    /// `application`.
    #[serde(rename = "Type")]
    pub kind: Option<&'static str>,
    /// `internet-facing` or `internal`.
    pub scheme: Option<&'static str>,
    /// Subnets, one per availability zone.
    pub subnets: Option<List>,
    /// Security groups.
    pub security_groups: Option<Vec<Str>>,
    /// Attributes.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub load_balancer_attributes: Vec<Attribute>,
    /// Tags.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<Tag>,
}
resource!(
    LoadBalancer,
    "AWS::ElasticLoadBalancingV2::LoadBalancer",
    dns_name => "DNSName",
    canonical_hosted_zone_id => "CanonicalHostedZoneID",
    load_balancer_arn => "LoadBalancerArn",
    load_balancer_full_name => "LoadBalancerFullName",
);

/// A target group's health check settings.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Matcher {
    /// Healthy status codes, e.g. `200-399`.
    pub http_code: String,
}

/// `AWS::ElasticLoadBalancingV2::TargetGroup`.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct TargetGroup {
    /// `ip` (Fargate) or `instance` (EC2).
    pub target_type: Option<&'static str>,
    /// `HTTP` or `HTTPS`.
    pub protocol: Option<&'static str>,
    /// Target port.
    pub port: Option<Int>,
    /// The VPC.
    pub vpc_id: Option<Str>,
    /// Health check path.
    pub health_check_path: Option<String>,
    /// Health check protocol.
    pub health_check_protocol: Option<&'static str>,
    /// Healthy codes.
    pub matcher: Option<Matcher>,
    /// Attributes (deregistration delay, ...).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub target_group_attributes: Vec<Attribute>,
    /// Tags.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<Tag>,
}
resource!(
    TargetGroup,
    "AWS::ElasticLoadBalancingV2::TargetGroup",
    target_group_arn => "TargetGroupArn",
    target_group_full_name => "TargetGroupFullName",
);

/// A redirect action's settings.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct RedirectConfig {
    /// `HTTPS`.
    pub protocol: &'static str,
    /// `443`.
    pub port: &'static str,
    /// `HTTP_301`.
    pub status_code: &'static str,
}

/// What a listener does with a request.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Action {
    /// `forward` or `redirect`.
    #[serde(rename = "Type")]
    pub kind: &'static str,
    /// For `forward`.
    pub target_group_arn: Option<Str>,
    /// For `redirect`.
    pub redirect_config: Option<RedirectConfig>,
}

/// A listener certificate.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Certificate {
    /// The ACM certificate ARN.
    pub certificate_arn: Str,
}

/// `AWS::ElasticLoadBalancingV2::Listener`.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Listener {
    /// The load balancer.
    pub load_balancer_arn: Str,
    /// `HTTP` or `HTTPS`.
    pub protocol: &'static str,
    /// The port.
    pub port: Int,
    /// TLS certificates (HTTPS).
    pub certificates: Option<Vec<Certificate>>,
    /// TLS policy (HTTPS).
    pub ssl_policy: Option<&'static str>,
    /// What to do.
    pub default_actions: Vec<Action>,
}
resource!(Listener, "AWS::ElasticLoadBalancingV2::Listener", listener_arn => "ListenerArn");
