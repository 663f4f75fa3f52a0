//! B1 + B2 + B6: one CloudFront distribution for the site's files, the
//! thumbnails and the API, caching wherever it can: long TTLs for files,
//! short query-keyed TTLs for API reads.

use serde_json::json;

use super::Settings;
use super::inputs::Inputs;
use super::settings::PriceClass;
use super::site::Site;
use crate::cfn::{Envelope, Handle, Template, Val, aws, if_, sub_with};
use crate::patterns::{naming, waivers};
use crate::resources::apigateway::RestApi;
use crate::resources::cloudfront::{
    CacheBehavior, CacheKey, CachePolicy, CachePolicyConfig, CookiesConfig, CustomOriginConfig,
    Distribution, DistributionConfig, HeadersConfig, Logging, Origin, OriginAccessControl,
    OriginAccessControlConfig, QueryStringsConfig, ResponseHeadersPolicy,
    ResponseHeadersPolicyConfig, S3OriginConfig, ViewerCertificate,
};
use crate::resources::s3::Bucket;

/// AWS's managed origin request policy `AllViewerExceptHostHeader`: API
/// Gateway refuses requests whose Host is CloudFront's.
const ALL_VIEWER_EXCEPT_HOST: &str = "b689b0a8-53d0-40ab-baf2-68738e2966ac";

/// Where the API serves the site's 404 page for any path below it.
const NOT_FOUND_PATH: &str = "/api/not-found";

/// The default behavior's origin group: the site bucket, and the API's
/// not-found route when the bucket answers 403 (a missing key without
/// `s3:ListBucket`) or 404.
const SITE_GROUP: &str = "SiteOrNotFoundPage";

/// CloudFront asks the `NotFoundPage` origin (the API under
/// `/<stage>/api/not-found`) for the same path when the site bucket has no
/// such object, and returns its answer: the site's `404.html` with status
/// 404. Unlike `CustomErrorResponses`, which apply to every behavior, this
/// touches only the default behavior, so `/api/*` errors reach clients as
/// the API sent them. Origin failover applies to GET, HEAD and OPTIONS,
/// the default behavior's methods.
fn site_or_not_found_page() -> serde_json::Value {
    json!({"Quantity": 1, "Items": [{
        "Id": SITE_GROUP,
        "FailoverCriteria": {"StatusCodes": {"Quantity": 2, "Items": [403, 404]}},
        "Members": {"Quantity": 2, "Items": [{"OriginId": "Site"}, {"OriginId": "NotFoundPage"}]}
    }]})
}

/// The policies every behavior refers to.
struct Policies {
    oac: Handle<OriginAccessControl>,
    static_files: Handle<CachePolicy>,
    api: Handle<CachePolicy>,
    headers: Handle<ResponseHeadersPolicy>,
}

/// Adds the distribution and the policies it uses.
pub(super) fn add_distribution(
    t: &mut Template,
    s: &Settings,
    site: &Site,
    api: &Handle<RestApi>,
    inputs: &Inputs,
) -> Handle<Distribution> {
    let p = add_policies(t, s);
    let api_behavior = CacheBehavior {
        path_pattern: Some("/api/*".into()),
        origin_request_policy_id: Some(ALL_VIEWER_EXCEPT_HOST.into()),
        allowed_methods: Some(vec![
            "GET", "HEAD", "OPTIONS", "PUT", "POST", "PATCH", "DELETE",
        ]),
        ..behavior(&p, "Api", &p.api)
    };
    let thumbs_behavior = CacheBehavior {
        path_pattern: Some("/thumbnails/*".into()),
        ..behavior(&p, "Thumbnails", &p.static_files)
    };
    let price_class = match s.cdn.price_class {
        PriceClass::P100 => "PriceClass_100",
        PriceClass::P200 => "PriceClass_200",
        PriceClass::All => "PriceClass_All",
    };
    let has_cert = &inputs.has_cert;
    t.add_with(
        "Distribution",
        Distribution {
            distribution_config: DistributionConfig {
                comment: format!("{}: site, thumbnails and /api/*", s.name),
                enabled: true.into(),
                aliases: Some(if_(has_cert, inputs.domains.list(), aws::no_value())),
                default_root_object: Some("index.html".into()),
                http_version: Some("http2and3"),
                ipv6_enabled: Some(true.into()),
                price_class: Some(price_class.into()),
                origins: vec![
                    s3_origin("Site", &site.files, &p.oac),
                    s3_origin("Thumbnails", &site.thumbs, &p.oac),
                    api_origin("Api", api, format!("/{}", s.stage)),
                    api_origin("NotFoundPage", api, format!("/{}{NOT_FOUND_PATH}", s.stage)),
                ],
                origin_groups: Some(site_or_not_found_page()),
                default_cache_behavior: behavior(&p, SITE_GROUP, &p.static_files),
                cache_behaviors: Some(vec![api_behavior, thumbs_behavior]),
                // Not CustomErrorResponses: they apply to every behavior, so
                // the API's JSON errors would become the site's HTML page.
                custom_error_responses: None,
                viewer_certificate: Some(viewer_certificate(inputs)),
                logging: Some(Logging {
                    bucket: site.cdn_logs.regional_domain_name(),
                    prefix: "cdn/".into(),
                    include_cookies: false.into(),
                }),
                web_acl_id: None,
            },
        },
        waivers::waived(
            Envelope::new(),
            &[
                ("CKV_AWS_68", NO_WAF),
                ("CKV_AWS_174", DEFAULT_CERTIFICATE_TLS),
                ("CKV_AWS_310", NO_REPLICA_ORIGIN),
            ],
        ),
    )
}

/// The origin access control, the two cache policies and the security
/// headers, in the order the template lists them.
fn add_policies(t: &mut Template, s: &Settings) -> Policies {
    let oac = t.add(
        "SiteOriginAccessControl",
        OriginAccessControl {
            origin_access_control_config: OriginAccessControlConfig {
                name: naming::unique(&format!("{}-oac", s.name)),
                description: "CloudFront signs its requests to the site and thumbnail buckets"
                    .into(),
                origin_access_control_origin_type: "s3",
                signing_behavior: "always",
                signing_protocol: "sigv4",
            },
        },
    );
    let static_files = cache_policy(
        t,
        "StaticCachePolicy",
        s,
        "Static files: long TTLs",
        (s.cdn.static_default_ttl.get(), s.cdn.static_max_ttl.get()),
        "none",
    );
    let api = cache_policy(
        t,
        "ApiCachePolicy",
        s,
        "API reads: short TTLs keyed on the query string",
        (s.cdn.api_default_ttl.get(), s.cdn.api_max_ttl.get()),
        "all",
    );
    let headers = security_headers(t, s);
    Policies {
        oac,
        static_files,
        api,
        headers,
    }
}

fn cache_policy(
    t: &mut Template,
    id: &str,
    s: &Settings,
    comment: &str,
    ttl: (i64, i64),
    query: &'static str,
) -> Handle<CachePolicy> {
    t.add(
        id,
        CachePolicy {
            cache_policy_config: CachePolicyConfig {
                name: naming::unique(&format!("{}-{}", s.name, id.to_lowercase())),
                comment: comment.to_owned(),
                default_ttl: ttl.0.into(),
                max_ttl: ttl.1.into(),
                min_ttl: 0.into(),
                parameters_in_cache_key_and_forwarded_to_origin: CacheKey {
                    cookies_config: CookiesConfig {
                        cookie_behavior: "none",
                    },
                    headers_config: HeadersConfig {
                        header_behavior: "none",
                    },
                    query_strings_config: QueryStringsConfig {
                        query_string_behavior: query,
                    },
                    enable_accept_encoding_gzip: true.into(),
                    enable_accept_encoding_brotli: true.into(),
                },
            },
        },
    )
}

fn security_headers(t: &mut Template, s: &Settings) -> Handle<ResponseHeadersPolicy> {
    t.add(
        "SecurityHeadersPolicy",
        ResponseHeadersPolicy {
            response_headers_policy_config: ResponseHeadersPolicyConfig {
                name: naming::unique(&format!("{}-security-headers", s.name)),
                comment: "HSTS, no sniffing, no framing, strict referrer, XSS filter".into(),
                security_headers_config: json!({
                    "StrictTransportSecurity": {"AccessControlMaxAgeSec": 63072000, "IncludeSubdomains": true, "Preload": true, "Override": true},
                    "ContentTypeOptions": {"Override": true},
                    "FrameOptions": {"FrameOption": "DENY", "Override": true},
                    "ReferrerPolicy": {"ReferrerPolicy": "strict-origin-when-cross-origin", "Override": true},
                    "XSSProtection": {"Protection": true, "ModeBlock": true, "Override": true}
                }),
            },
        },
    )
}

/// A bucket origin CloudFront signs its requests to.
fn s3_origin(id: &str, bucket: &Handle<Bucket>, oac: &Handle<OriginAccessControl>) -> Origin {
    Origin {
        id: id.to_owned(),
        domain_name: bucket.regional_domain_name(),
        origin_path: None,
        s3_origin_config: Some(S3OriginConfig {
            origin_access_identity: String::new(),
        }),
        origin_access_control_id: Some(oac.control_id()),
        custom_origin_config: None,
    }
}

/// The API's regional endpoint, under `path` (the stage, and more).
fn api_origin(id: &str, api: &Handle<RestApi>, path: String) -> Origin {
    Origin {
        id: id.to_owned(),
        domain_name: sub_with(
            "${Api}.execute-api.${AWS::Region}.${AWS::URLSuffix}",
            [("Api", api.r#ref())],
        ),
        origin_path: Some(path),
        s3_origin_config: None,
        origin_access_control_id: None,
        custom_origin_config: Some(CustomOriginConfig {
            origin_protocol_policy: "https-only",
            https_port: 443.into(),
            origin_ssl_protocols: vec!["TLSv1.2"],
        }),
    }
}

/// A read-only, compressed, HTTPS-only behavior with the security headers.
fn behavior(p: &Policies, origin: &str, policy: &Handle<CachePolicy>) -> CacheBehavior {
    CacheBehavior {
        target_origin_id: origin.to_owned(),
        viewer_protocol_policy: "redirect-to-https",
        cache_policy_id: policy.policy_id(),
        response_headers_policy_id: Some(p.headers.policy_id()),
        compress: Some(true.into()),
        allowed_methods: Some(vec!["GET", "HEAD", "OPTIONS"]),
        cached_methods: Some(vec!["GET", "HEAD", "OPTIONS"]),
        ..Default::default()
    }
}

/// The site's own certificate when one is given, else cloudfront.net's.
fn viewer_certificate(inputs: &Inputs) -> Val<ViewerCertificate> {
    let with_cert = ViewerCertificate {
        acm_certificate_arn: Some(inputs.certificate.r#ref()),
        ssl_support_method: Some("sni-only"),
        minimum_protocol_version: Some("TLSv1.2_2021"),
        ..Default::default()
    };
    let default_cert = ViewerCertificate {
        cloud_front_default_certificate: Some(true.into()),
        ..Default::default()
    };
    if_(
        &inputs.has_cert,
        Val::Lit(with_cert),
        Val::Lit(default_cert),
    )
}

/// checkov CKV_AWS_68.
const NO_WAF: &str = "A WAF web ACL for CloudFront must live in us-east-1 and is priced per rule; \
     attach one from your security account if you need it";

/// checkov CKV_AWS_174.
const DEFAULT_CERTIFICATE_TLS: &str = "TLSv1.2_2021 is set whenever CertificateArn is given; the \
     cloudfront.net default certificate does not allow choosing";

/// checkov CKV_AWS_310.
const NO_REPLICA_ORIGIN: &str = "The site origin group fails over to the 404 page, not to a \
     replica; the API and thumbnail origins have no second copy to fail over to";
