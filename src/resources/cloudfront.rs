//! Amazon CloudFront: distributions and their policies.

use serde::Serialize;
use serde_with::skip_serializing_none;

use crate::cfn::{Bool, Int, List, Str};

/// An S3 origin reached through an origin access control.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct S3OriginConfig {
    /// Empty with origin access control (the legacy identity is not used).
    pub origin_access_identity: String,
}

/// An HTTPS origin such as API Gateway.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct CustomOriginConfig {
    /// `https-only`.
    pub origin_protocol_policy: &'static str,
    /// 443.
    #[serde(rename = "HTTPSPort")]
    pub https_port: Int,
    /// `TLSv1.2`.
    #[serde(rename = "OriginSSLProtocols")]
    pub origin_ssl_protocols: Vec<&'static str>,
}

/// One origin of a distribution.
#[skip_serializing_none]
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Origin {
    /// Behaviors name the origin by this id.
    pub id: String,
    /// The origin's host name.
    pub domain_name: Str,
    /// A path prefixed to every request (an API stage, say).
    pub origin_path: Option<String>,
    /// For S3 origins.
    pub s3_origin_config: Option<S3OriginConfig>,
    /// For S3 origins: the access control signing requests.
    pub origin_access_control_id: Option<Str>,
    /// For HTTP origins.
    pub custom_origin_config: Option<CustomOriginConfig>,
}

/// How requests matching a path are served.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct CacheBehavior {
    /// The pattern (absent on the default behavior).
    pub path_pattern: Option<String>,
    /// The origin's id.
    pub target_origin_id: String,
    /// `redirect-to-https` or `https-only`.
    pub viewer_protocol_policy: &'static str,
    /// The cache policy.
    pub cache_policy_id: Str,
    /// What is forwarded to the origin besides the cache key.
    pub origin_request_policy_id: Option<Str>,
    /// Security headers added to responses.
    pub response_headers_policy_id: Option<Str>,
    /// Compress responses.
    pub compress: Option<Bool>,
    /// Methods passed to the origin.
    pub allowed_methods: Option<Vec<&'static str>>,
    /// Methods whose responses are cached.
    pub cached_methods: Option<Vec<&'static str>>,
}

/// A page served for an origin error.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct CustomErrorResponse {
    /// The origin's status code.
    pub error_code: Int,
    /// The status code viewers get.
    pub response_code: Int,
    /// The page.
    pub response_page_path: String,
    /// Seconds the error is cached.
    #[serde(rename = "ErrorCachingMinTTL")]
    pub error_caching_min_ttl: Int,
}

/// The certificate viewers see.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ViewerCertificate {
    /// The `*.cloudfront.net` certificate.
    pub cloud_front_default_certificate: Option<Bool>,
    /// An ACM certificate in us-east-1.
    pub acm_certificate_arn: Option<Str>,
    /// `sni-only`.
    pub ssl_support_method: Option<&'static str>,
    /// e.g. `TLSv1.2_2021`.
    pub minimum_protocol_version: Option<&'static str>,
}

/// Standard access logs.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Logging {
    /// The log bucket's regional domain name.
    pub bucket: Str,
    /// Key prefix.
    pub prefix: String,
    /// Log cookies.
    pub include_cookies: Bool,
}

/// The distribution's configuration.
#[skip_serializing_none]
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct DistributionConfig {
    /// What it serves.
    pub comment: String,
    /// Serve requests.
    pub enabled: Bool,
    /// Alternate domain names.
    pub aliases: Option<List>,
    /// Object served for `/`.
    pub default_root_object: Option<String>,
    /// `http2and3`.
    pub http_version: Option<&'static str>,
    /// Answer over IPv6.
    #[serde(rename = "IPV6Enabled")]
    pub ipv6_enabled: Option<Bool>,
    /// `PriceClass_100`, `PriceClass_200`, `PriceClass_All`.
    pub price_class: Option<String>,
    /// Origins.
    pub origins: Vec<Origin>,
    /// The behavior for paths no other behavior matches.
    pub default_cache_behavior: CacheBehavior,
    /// Path behaviors, in order.
    pub cache_behaviors: Option<Vec<CacheBehavior>>,
    /// Origin groups (`{"Quantity": n, "Items": [...]}`): a primary origin
    /// and the one CloudFront asks when the primary answers one of the
    /// failover status codes.
    pub origin_groups: Option<serde_json::Value>,
    /// Error pages. They apply to every behavior of the distribution.
    pub custom_error_responses: Option<Vec<CustomErrorResponse>>,
    /// The certificate.
    pub viewer_certificate: Option<crate::cfn::Val<ViewerCertificate>>,
    /// Access logs.
    pub logging: Option<Logging>,
    /// A WAF web ACL ARN.
    #[serde(rename = "WebACLId")]
    pub web_acl_id: Option<Str>,
}

/// `AWS::CloudFront::Distribution`.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Distribution {
    /// The configuration.
    pub distribution_config: DistributionConfig,
}
resource!(Distribution, "AWS::CloudFront::Distribution", domain_name => "DomainName", distribution_id => "Id");

/// `AWS::CloudFront::OriginAccessControl`.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct OriginAccessControl {
    /// The configuration.
    pub origin_access_control_config: OriginAccessControlConfig,
}
resource!(OriginAccessControl, "AWS::CloudFront::OriginAccessControl", control_id => "Id");

/// How CloudFront signs requests to the origin.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct OriginAccessControlConfig {
    /// A name unique in the account.
    pub name: Str,
    /// What it is for.
    pub description: String,
    /// `s3`.
    pub origin_access_control_origin_type: &'static str,
    /// `always`.
    pub signing_behavior: &'static str,
    /// `sigv4`.
    pub signing_protocol: &'static str,
}

/// `AWS::CloudFront::CachePolicy`.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct CachePolicy {
    /// The configuration.
    pub cache_policy_config: CachePolicyConfig,
}
resource!(CachePolicy, "AWS::CloudFront::CachePolicy", policy_id => "Id");

/// TTLs and the cache key.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct CachePolicyConfig {
    /// A name unique in the account.
    pub name: Str,
    /// What it caches.
    pub comment: String,
    /// Seconds when the origin says nothing.
    #[serde(rename = "DefaultTTL")]
    pub default_ttl: Int,
    /// Upper bound.
    #[serde(rename = "MaxTTL")]
    pub max_ttl: Int,
    /// Lower bound.
    #[serde(rename = "MinTTL")]
    pub min_ttl: Int,
    /// The cache key.
    pub parameters_in_cache_key_and_forwarded_to_origin: CacheKey,
}

/// What makes up the cache key (and is forwarded).
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct CacheKey {
    /// Cookies.
    pub cookies_config: CookiesConfig,
    /// Headers.
    pub headers_config: HeadersConfig,
    /// Query strings.
    pub query_strings_config: QueryStringsConfig,
    /// Cache gzip variants.
    pub enable_accept_encoding_gzip: Bool,
    /// Cache brotli variants.
    pub enable_accept_encoding_brotli: Bool,
}

/// Cookies in the key.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct CookiesConfig {
    /// `none`, `whitelist`, `allExcept`, `all`.
    pub cookie_behavior: &'static str,
}

/// Headers in the key.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct HeadersConfig {
    /// `none` or `whitelist`.
    pub header_behavior: &'static str,
}

/// Query strings in the key.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct QueryStringsConfig {
    /// `none`, `whitelist`, `allExcept`, `all`.
    pub query_string_behavior: &'static str,
}

/// `AWS::CloudFront::ResponseHeadersPolicy`.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ResponseHeadersPolicy {
    /// The configuration.
    pub response_headers_policy_config: ResponseHeadersPolicyConfig,
}
resource!(ResponseHeadersPolicy, "AWS::CloudFront::ResponseHeadersPolicy", policy_id => "Id");

/// Headers added to every response.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ResponseHeadersPolicyConfig {
    /// A name unique in the account.
    pub name: Str,
    /// What it adds.
    pub comment: String,
    /// Security headers.
    pub security_headers_config: serde_json::Value,
}
