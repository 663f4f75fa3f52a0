//! `blog`: a serverless website at global scale (MISSION.md flows B1-B5).
//!
//! B1 a private bucket behind CloudFront (origin access control); B2 a public
//! REST API on `/api/*` of the same distribution; B3 posts and subscribers in
//! DynamoDB global tables; B4 the subscribers stream -> Lambda -> SES welcome
//! email; B5 uploads -> SNS -> SQS -> Lambda -> thumbnails. Caching wherever
//! it can be: long TTLs for files, short query-keyed TTLs for API reads.

use indexmap::IndexMap;
use serde::Deserialize;
use serde_json::json;

use super::Artifact;
use super::SynthError;
use crate::cfn::{
    Envelope, Handle, List, Output, Parameter, Str, Template, Val, aws, equals, if_, not, sub,
    sub_with,
};
use crate::patterns::encryption::{KeyUser, data_key};
use crate::patterns::function::{FunctionParts, FunctionSpec, python_function};
use crate::patterns::rest::{Auth, RestApiBuilder, Route, StageSpec, account_logging_role};
use crate::patterns::storage::{self, QueueWithDlq};
use crate::patterns::{grants, naming};
use crate::resources::cloudfront::{
    CacheBehavior, CacheKey, CachePolicy, CachePolicyConfig, CookiesConfig, CustomOriginConfig,
    Distribution, DistributionConfig, HeadersConfig, Logging, Origin, OriginAccessControl,
    OriginAccessControlConfig, QueryStringsConfig, ResponseHeadersPolicy,
    ResponseHeadersPolicyConfig, S3OriginConfig, ViewerCertificate,
};
use crate::resources::dynamodb::{
    AttributeDefinition, GlobalSseSpecification, GlobalTable, GlobalTableIndex, KeySchema,
    PointInTimeRecoverySpecification, Projection, Replica, StreamSpecification,
};
use crate::resources::iam::Statement;
use crate::resources::kms::Key;
use crate::resources::lambda::{
    DestinationConfig, EventSourceMapping, Filter, FilterCriteria, OnFailure, ScalingConfig,
};
use crate::resources::s3::{
    Bucket, NotificationConfiguration, NotificationFilter, OwnershipControls, OwnershipRule,
    TopicConfiguration,
};
use crate::resources::ses::{
    CloudWatchDestination, ConfigurationSet, ConfigurationSetEventDestination,
    DimensionConfiguration, EmailIdentity, EmailTemplate, EventDestination, ReputationOptions,
    Template as SesTemplate,
};
use crate::resources::sns::{Subscription, Topic, TopicPolicy};
use crate::resources::{Tag, iam::PolicyDocument};
use crate::settings::{self, Bounded, Email, Name, Region, RetentionDays, SettingsError};
use crate::templates;

/// The default settings, embedded from `blueprints/blog.yaml`.
pub const DEFAULTS: &str = include_str!("../../blueprints/blog.yaml");

/// Settings of the `blog` blueprint.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    /// Prefix of resource names.
    pub name: Name,
    /// The site's name, for people.
    pub site_name: String,
    /// API Gateway stage.
    pub stage: Name,
    /// Days to keep logs.
    pub log_retention_days: RetentionDays,
    /// Global table regions.
    pub regions: Vec<Region>,
    /// CloudFront.
    pub cdn: CdnSettings,
    /// The REST API.
    pub api: ApiSettings,
    /// The welcome email.
    pub email: EmailSettings,
    /// Thumbnails.
    pub thumbnails: ThumbnailSettings,
    /// Concurrency reserved per function (none by default).
    #[serde(default)]
    pub reserved_concurrency: ReservedConcurrency,
    /// Logical id renames.
    pub logical_ids: IndexMap<String, String>,
}

/// Concurrency reserved for (and capping) each function; absent or null
/// reserves none. Lambda refuses a reservation that leaves the account less
/// than 100 unreserved, and new accounts may have a quota of 10.
#[derive(Debug, Clone, Default, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ReservedConcurrency {
    /// The posts and subscribers API.
    #[serde(default)]
    pub api: Option<Bounded<1, 1000>>,
    /// The welcome email sender.
    #[serde(default)]
    pub welcome_email: Option<Bounded<1, 1000>>,
    /// The thumbnail maker.
    #[serde(default)]
    pub thumbnails: Option<Bounded<1, 1000>>,
}

/// CloudFront settings.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CdnSettings {
    /// Edge locations used.
    pub price_class: PriceClass,
    /// Static TTL when the origin says nothing.
    pub static_default_ttl: Bounded<0, 31_536_000>,
    /// Static TTL ceiling.
    pub static_max_ttl: Bounded<0, 31_536_000>,
    /// API TTL when the origin says nothing.
    pub api_default_ttl: Bounded<0, 86_400>,
    /// API TTL ceiling.
    pub api_max_ttl: Bounded<0, 86_400>,
}

/// CloudFront price classes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, schemars::JsonSchema)]
pub enum PriceClass {
    /// North America and Europe.
    #[serde(rename = "PriceClass_100")]
    P100,
    /// Plus Asia, Middle East, Africa.
    #[serde(rename = "PriceClass_200")]
    P200,
    /// Every edge location.
    #[serde(rename = "PriceClass_All")]
    All,
}

/// API settings.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ApiSettings {
    /// Stage-wide rate.
    pub throttle_rate: Bounded<1, 10000>,
    /// Stage-wide burst.
    pub throttle_burst: Bounded<1, 5000>,
    /// Subscribe rate.
    pub subscribe_rate: Bounded<1, 10000>,
    /// Subscribe burst.
    pub subscribe_burst: Bounded<1, 5000>,
}

/// Welcome email settings.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EmailSettings {
    /// Default sender.
    pub sender: Email,
    /// Create the sender's SES identity with the stack (retained when the
    /// stack is deleted); `false`: the identity exists and is verified already.
    pub create_identity: bool,
    /// Subject line of the welcome email.
    pub subject: String,
    /// Subject line of the confirmation email (double opt-in).
    pub confirm_subject: String,
    /// Stream records per invocation.
    pub batch_size: Bounded<1, 1000>,
    /// Retries of a failing batch.
    pub max_retries: Bounded<0, 10000>,
    /// Oldest record still processed.
    pub max_record_age_seconds: Bounded<60, 604_800>,
}

/// Thumbnail settings.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ThumbnailSettings {
    /// Longest edges.
    pub sizes: Vec<Bounded<16, 4096>>,
    /// Largest upload processed.
    pub max_upload_mb: Bounded<1, 100>,
}

impl Settings {
    /// Parses and validates settings.
    pub fn parse(src: &settings::Layers) -> Result<Self, SettingsError> {
        let s: Settings = src.parse()?;
        let at = |key: &str, msg: String| Err(src.error_at(key, msg));
        if s.regions.len() < 2 {
            return at(
                "regions",
                format!(
                    "expected at least two regions for a global table, found {}",
                    s.regions.len()
                ),
            );
        }
        for (i, r) in s.regions.iter().enumerate() {
            if s.regions[..i].contains(r) {
                return at(
                    "regions",
                    format!("expected each region once, found {r} twice"),
                );
            }
        }
        if s.thumbnails.sizes.is_empty() {
            return at("thumbnails.sizes", "expected at least one size".into());
        }
        for (i, size) in s.thumbnails.sizes.iter().enumerate() {
            if s.thumbnails.sizes[..i].contains(size) {
                return at(
                    "thumbnails.sizes",
                    format!("expected each size once, found {size} twice"),
                );
            }
        }
        if s.cdn.static_default_ttl > s.cdn.static_max_ttl {
            return at(
                "cdn.static_max_ttl",
                "expected at least static_default_ttl".into(),
            );
        }
        if s.cdn.api_default_ttl > s.cdn.api_max_ttl {
            return at(
                "cdn.api_max_ttl",
                "expected at least api_default_ttl".into(),
            );
        }
        for (key, value) in [
            ("site_name", &s.site_name),
            ("email.subject", &s.email.subject),
            ("email.confirm_subject", &s.email.confirm_subject),
        ] {
            if value.trim().is_empty() {
                return at(key, "expected a non-empty text".into());
            }
        }
        Ok(s)
    }
}

/// Synthesizes `blog.template.json`.
pub fn synth(s: &Settings, src: &crate::settings::Layers) -> Result<Vec<Artifact>, SynthError> {
    let template = build(s)?;
    let rendered = template
        .render_json_renamed(&s.logical_ids)
        .map_err(|e| src.error_at("logical_ids", e.to_string()))?;
    Ok(vec![Artifact::new("blog.template.json", rendered)])
}

/// AWS's managed origin request policy `AllViewerExceptHostHeader`: API
/// Gateway refuses requests whose Host is CloudFront's.
const ALL_VIEWER_EXCEPT_HOST: &str = "b689b0a8-53d0-40ab-baf2-68738e2966ac";

/// Timeout of the thumbnail function, which also sizes its queue's
/// visibility timeout.
const THUMBNAIL_TIMEOUT_SECONDS: i64 = 60;

fn checkov_skip(items: &[(&str, &str)]) -> serde_json::Value {
    json!({"skip": items.iter().map(|(id, comment)| json!({"id": id, "comment": comment})).collect::<Vec<_>>()})
}

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

/// Builds the template from validated settings.
pub fn build(s: &Settings) -> Result<Template, SynthError> {
    let mut t = Template::new(&format!(
        "Global serverless blog ({}): CloudFront + S3 site, REST API, DynamoDB global tables, SES welcome email, thumbnails. Generated by stackcraft.",
        s.name
    ));
    t.metadata(
        "stackcraft",
        json!({"waivers": [{
            "rule": "SC-LIM-005",
            "reason": "The three Lambda handlers and the email bodies are inlined so the stack needs no artifact bucket; deploy with aws cloudformation deploy --s3-bucket"
        }]}),
    );
    let regions: Vec<String> = s.regions.iter().map(|r| r.to_string()).collect();
    t.rule(
        "DeployInAReplicaRegion",
        json!({"Assertions": [{
            "Assert": {"Fn::Contains": [regions, {"Ref": "AWS::Region"}]},
            "AssertDescription": format!("Deploy this stack in one of the global table regions: {}", regions.join(", "))
        }]}),
    );
    let sender = t.parameter(
        "SenderAddress",
        Parameter::string(if s.email.create_identity {
            "Address the emails are sent from; the stack creates its SES identity (verify it from the email SES sends)"
        } else {
            "Address the emails are sent from: an SES identity (this address or its domain) already verified in this account and Region"
        })
            .default_value(s.email.sender.as_str())
            .pattern("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$", "an email address"),
    );
    let pillow = t.parameter(
        "PillowLayerArn",
        Parameter::string(
            "ARN of a Lambda layer with Pillow for Python 3.12 on arm64 (see README)",
        )
        .pattern(
            "^arn:aws[a-z-]*:lambda:[a-z0-9-]+:[0-9]{12}:layer:[A-Za-z0-9_-]+:[0-9]+$",
            "a Lambda layer version ARN",
        ),
    );
    let certificate = t.parameter(
        "CertificateArn",
        Parameter::string("ACM certificate (us-east-1) for the site's own domain; empty uses the cloudfront.net certificate")
            .default_value(""),
    );
    let domains = t.parameter(
        "DomainNames",
        Parameter::of_type(
            "CommaDelimitedList",
            "The site's own domain names (with CertificateArn)",
        )
        .default_value(""),
    );
    // A certificate without domain names would make Aliases `[""]` (the
    // split of an empty list parameter), and names without a certificate
    // are refused by CloudFront: refuse both before anything is created.
    t.rule(
        "CertificateAndDomainNamesTogether",
        json!({"Assertions": [
            {
                "Assert": {"Fn::Or": [
                    {"Fn::Equals": [{"Ref": "CertificateArn"}, ""]},
                    {"Fn::Not": [{"Fn::Contains": [{"Ref": "DomainNames"}, ""]}]}
                ]},
                "AssertDescription": "With CertificateArn, give DomainNames: one or more non-empty domain names the certificate covers"
            },
            {
                "Assert": {"Fn::Or": [
                    {"Fn::Not": [{"Fn::Equals": [{"Ref": "CertificateArn"}, ""]}]},
                    {"Fn::EachMemberEquals": [{"Ref": "DomainNames"}, ""]}
                ]},
                "AssertDescription": "DomainNames need a CertificateArn (an ACM certificate in us-east-1 that covers them)"
            }
        ]}),
    );
    let has_cert = t.condition(
        "HasCertificate",
        not(equals(certificate.r#ref(), "".into())),
    );

    let key = data_key(
        &mut t,
        "DataKey",
        &s.name,
        &[KeyUser::Logs, KeyUser::Sns, KeyUser::S3Notifications],
    );
    let log_key = Some(key.arn());

    // B3: global tables, streams on (replication needs them, B4 reads them).
    let posts = global_table(
        &mut t,
        s,
        "PostsTable",
        "slug",
        &["kind", "publishedAt"],
        Some(GlobalTableIndex {
            index_name: "byDate".into(),
            key_schema: vec![KeySchema::hash("kind"), KeySchema::range("publishedAt")],
            projection: Projection {
                projection_type: "INCLUDE",
                non_key_attributes: Some(
                    ["slug", "title", "summary", "author", "tags"]
                        .map(String::from)
                        .to_vec(),
                ),
            },
        }),
    );
    let subscribers = global_table(&mut t, s, "SubscribersTable", "email", &[], None);

    // B1: static site.
    let cdn_logs = cdn_log_bucket(&mut t, s);
    let access_logs =
        storage::access_log_bucket(&mut t, "AccessLogsBucket", s.log_retention_days.get());
    let mut site = storage::private_bucket(30);
    site.logging_configuration = Some(storage::log_to(&access_logs, "site/"));
    site.tags = tags(s);
    let site = t.add_with("SiteBucket", site, Envelope::new().retain());
    let mut thumbs = storage::private_bucket(30);
    thumbs.logging_configuration = Some(storage::log_to(&access_logs, "thumbnails/"));
    thumbs.tags = tags(s);
    let thumbs = t.add_with("ThumbnailsBucket", thumbs, Envelope::new().retain());

    // B2: the posts API.
    let posts_fn = python_function(&mut t, {
        let mut spec = FunctionSpec::new(
            "PostsApi",
            "Blog REST API: posts and subscriptions",
            templates::handler("lambda/posts_api.py.j2")?,
        )
        .env("POSTS_TABLE", posts.r#ref())
        .env("SUBSCRIBERS_TABLE", subscribers.r#ref())
        .env("POSTS_BY_DATE_INDEX", "byDate")
        .env("SITE_BUCKET", site.r#ref())
        .allow([
            grants::table_actions(
                &posts,
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
            grants::bucket_read(&site, "404.html"),
        ]);
        spec.log_retention_days = s.log_retention_days.get();
        spec.log_key = log_key.clone();
        spec.reserved_concurrency = s.reserved_concurrency.api.map(|n| n.get());
        spec
    });
    waive_function(
        &mut t,
        &posts_fn,
        "Invoked synchronously by API Gateway; errors return to the caller",
    );
    let mut api = RestApiBuilder::new(
        &mut t,
        "BlogApi",
        sub(&format!("{}-api-${{AWS::StackName}}", s.name)),
        "Blog REST API, served on /api/* of the distribution",
    );
    let routes = [
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
    for (path, method, auth) in routes {
        api.lambda_route(
            &mut t,
            Route {
                path,
                method,
                auth,
                cache_keys: vec![],
            },
            &posts_fn.function,
        );
    }
    api.allow_invoke(&mut t, "BlogApiInvokePermission", &posts_fn.function);
    let (rest_api, stage) = api.deploy(
        &mut t,
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
            log_key: log_key.clone(),
        },
    );
    t.annotate(&stage, "checkov", checkov_skip(&[
        ("CKV_AWS_120", "Responses are cached by CloudFront at the edge (short TTL, query-keyed); a stage cache would add cost, not speed"),
    ]));
    let account = account_logging_role(&mut t, "ApiGateway");
    t.add_dependency(&stage, &account);
    // Publishing is IAM-authorized; the other methods are public on purpose.
    for id in [
        "BlogApiApiPostsGet",
        "BlogApiApiPostsSlugGet",
        "BlogApiApiSubscribersPost",
        "BlogApiApiSubscribersConfirmGet",
        "BlogApiApiSubscribersConfirmPost",
        "BlogApiApiNotFoundProxyGet",
        "BlogApiApiNotFoundProxyHead",
    ] {
        t.annotate(&Handle::<crate::resources::apigateway::Method>::declared(id), "checkov", checkov_skip(&[
            ("CKV_AWS_59", "A public blog: reading posts and subscribing need no sign-in; publishing (POST /api/posts) requires IAM"),
        ]));
    }

    // B1 + B2 + B6: one distribution for files, thumbnails and the API.
    let distribution = add_distribution(
        &mut t,
        s,
        &site,
        &thumbs,
        &rest_api,
        &cdn_logs,
        &has_cert,
        &certificate,
        &domains,
    );
    let distribution_arn = sub_with(
        "arn:${AWS::Partition}:cloudfront::${AWS::AccountId}:distribution/${Distribution}",
        [("Distribution", distribution.r#ref())],
    );
    for (id, bucket) in [
        ("SiteBucketPolicy", &site),
        ("ThumbnailsBucketPolicy", &thumbs),
    ] {
        let read = Statement::allow(
            ["s3:GetObject"],
            vec![sub_with("${Bucket}/*", [("Bucket", bucket.arn())])],
        )
        .sid("CloudFrontReads")
        .principal(json!({"Service": "cloudfront.amazonaws.com"}))
        .condition(json!({"StringEquals": {"AWS:SourceArn": distribution_arn.to_json()}}));
        storage::bucket_policy(&mut t, id, bucket, vec![read]);
    }
    let site_url = sub_with(
        "https://${Domain}",
        [("Domain", distribution.domain_name())],
    );

    // B4: double opt-in, then the welcome email.
    let email_dlq = storage::failure_queue(&mut t, "WelcomeEmailFailures");
    if s.email.create_identity {
        // Retained: deleting the stack, or turning the setting off later, must
        // not delete an identity that mail may still be sent from (and a
        // template update that drops the resource would delete it otherwise).
        t.add_with(
            "SenderIdentity",
            EmailIdentity {
                email_identity: sender.r#ref(),
            },
            Envelope::new().retain(),
        );
    }
    let emails = add_email_templates(&mut t, s)?;
    let welcome = python_function(&mut t, {
        let mut spec = FunctionSpec::new(
            "WelcomeEmail",
            "Mails new subscribers a confirmation link, and a welcome once they confirm, through SES",
            templates::handler("lambda/welcome_email.py.j2")?,
        )
        .env("SENDER", sender.r#ref())
        .env("TEMPLATE_NAME", emails.welcome.r#ref())
        .env("CONFIRM_TEMPLATE_NAME", emails.confirm.r#ref())
        .env("CONFIGURATION_SET", emails.configuration_set.r#ref())
        .env("SITE_URL", site_url.clone())
        .allow(grants::table_stream_read(&subscribers))
        .allow([
            Statement::allow(["sqs:SendMessage"], vec![email_dlq.arn()]),
            send_email_as(&sender, &emails),
        ]);
        spec.log_retention_days = s.log_retention_days.get();
        spec.log_key = log_key.clone();
        spec.reserved_concurrency = s.reserved_concurrency.welcome_email.map(|n| n.get());
        spec
    });
    waive_function(
        &mut t,
        &welcome,
        "Invoked by a stream event source mapping whose on-failure destination is the WelcomeEmailFailures queue",
    );
    t.add(
        "WelcomeEmailTrigger",
        EventSourceMapping {
            function_name: welcome.function.r#ref(),
            event_source_arn: subscribers.stream_arn(),
            batch_size: Some(s.email.batch_size.get().into()),
            starting_position: Some("LATEST"),
            filter_criteria: Some(subscriber_filters()),
            destination_config: Some(DestinationConfig {
                on_failure: OnFailure {
                    destination: email_dlq.arn(),
                },
            }),
            bisect_batch_on_function_error: Some(true.into()),
            maximum_retry_attempts: Some(s.email.max_retries.get().into()),
            maximum_record_age_in_seconds: Some(s.email.max_record_age_seconds.get().into()),
            function_response_types: vec!["ReportBatchItemFailures"],
            ..Default::default()
        },
    );

    // B5: thumbnails.
    let (uploads, topic, queue) = add_uploads(&mut t, s, &key, &access_logs);
    let thumb_fn = python_function(&mut t, {
        let sizes: Vec<String> = s.thumbnails.sizes.iter().map(|b| b.to_string()).collect();
        let layers: List = Val::Lit(vec![pillow.r#ref()]);
        let mut spec = FunctionSpec::new(
            "Thumbnail",
            "Makes thumbnails of uploaded images",
            templates::handler("lambda/thumbnail.py.j2")?,
        )
        .env("THUMBNAIL_BUCKET", thumbs.r#ref())
        .env("THUMBNAIL_SIZES", sizes.join(","))
        .env(
            "MAX_BYTES",
            (s.thumbnails.max_upload_mb.get() * 1024 * 1024).to_string(),
        )
        .env("UPLOAD_PREFIX", "uploads/")
        .allow([
            grants::queue_consume(&queue.queue),
            grants::bucket_read(&uploads, "uploads/*"),
            grants::bucket_write(&thumbs, "thumbnails/*"),
        ]);
        spec.memory_mb = 1024;
        spec.timeout_seconds = THUMBNAIL_TIMEOUT_SECONDS;
        spec.layers = Some(layers);
        spec.log_retention_days = s.log_retention_days.get();
        spec.log_key = log_key.clone();
        spec.reserved_concurrency = s.reserved_concurrency.thumbnails.map(|n| n.get());
        spec
    });
    waive_function(
        &mut t,
        &thumb_fn,
        "Invoked by an SQS event source mapping; failed messages go to the queue's dead-letter queue",
    );
    t.add(
        "ThumbnailTrigger",
        EventSourceMapping {
            function_name: thumb_fn.function.r#ref(),
            event_source_arn: queue.queue.arn(),
            batch_size: Some(5.into()),
            maximum_batching_window_in_seconds: Some(1.into()),
            function_response_types: vec!["ReportBatchItemFailures"],
            scaling_config: Some(ScalingConfig {
                maximum_concurrency: 10.into(),
            }),
            ..Default::default()
        },
    );

    // Outputs.
    let outputs: [(&str, &str, Str); 13] = [
        ("SiteUrl", "The site", site_url.clone()),
        (
            "DistributionId",
            "CloudFront distribution (for invalidations)",
            distribution.r#ref(),
        ),
        (
            "ApiUrl",
            "The REST API through CloudFront",
            sub_with("${Site}/api/", [("Site", site_url.clone())]),
        ),
        (
            "ApiInvokeUrl",
            "The REST API's own endpoint: sign publishing requests (POST /api/posts) for this host",
            sub_with(
                &format!(
                    "https://${{Api}}.execute-api.${{AWS::Region}}.${{AWS::URLSuffix}}/{}/api/",
                    s.stage
                ),
                [("Api", rest_api.r#ref())],
            ),
        ),
        ("SiteBucketName", "Bucket of the static site", site.r#ref()),
        (
            "UploadsBucketName",
            "Bucket for photo uploads (under uploads/)",
            uploads.r#ref(),
        ),
        (
            "ThumbnailsBucketName",
            "Bucket of generated thumbnails",
            thumbs.r#ref(),
        ),
        ("PostsTableName", "Global table of posts", posts.r#ref()),
        (
            "SubscribersTableName",
            "Global table of subscribers",
            subscribers.r#ref(),
        ),
        ("UploadsTopicArn", "Topic of upload events", topic.r#ref()),
        (
            "ThumbnailQueueUrl",
            "Queue feeding the thumbnail function",
            queue.queue.queue_url(),
        ),
        (
            "ThumbnailDeadLetterQueueUrl",
            "Uploads that could not be thumbnailed",
            queue.dead_letter.queue_url(),
        ),
        (
            "WelcomeEmailFailuresUrl",
            "Stream records whose welcome email failed",
            email_dlq.queue_url(),
        ),
    ];
    for (id, description, value) in outputs {
        t.output(id, Output::new(description, value));
    }
    Ok(t)
}

/// `<name>-uploads-<account>-<stack suffix>`: unique per stack, at most 62
/// characters (a bucket name holds 63).
fn uploads_bucket_name(s: &Settings) -> Str {
    sub_with(
        &format!("{}-uploads-${{AWS::AccountId}}-${{StackSuffix}}", s.name),
        [("StackSuffix", naming::stack_suffix())],
    )
}

/// The SES resources of the two emails: templates and the configuration
/// set whose bounce and complaint events go to CloudWatch.
struct Emails {
    welcome: Handle<SesTemplate>,
    confirm: Handle<SesTemplate>,
    configuration_set: Handle<ConfigurationSet>,
}

fn add_email_templates(t: &mut Template, s: &Settings) -> Result<Emails, SynthError> {
    let context = minijinja::context! { site_name => &s.site_name };
    let mut template = |id: &str, kind: &str, subject: &str, body: &str| {
        Ok::<_, SynthError>(t.add(
            id,
            SesTemplate {
                template: EmailTemplate {
                    template_name: Some(naming::unique(&format!("{}-{kind}", s.name))),
                    subject_part: subject.to_owned(),
                    html_part: Some(templates::render(
                        &format!("email/{body}.html.j2"),
                        &context,
                    )?),
                    text_part: Some(templates::render(
                        &format!("email/{body}.txt.j2"),
                        &context,
                    )?),
                },
            },
        ))
    };
    let welcome = template(
        "WelcomeEmailTemplate",
        "welcome",
        &s.email.subject,
        "welcome",
    )?;
    let confirm = template(
        "ConfirmEmailTemplate",
        "confirm",
        &s.email.confirm_subject,
        "confirm",
    )?;
    // No name: CloudFormation generates one, so it fits the 64-character limit.
    let configuration_set = t.add(
        "EmailConfigurationSet",
        ConfigurationSet {
            reputation_options: Some(ReputationOptions {
                reputation_metrics_enabled: true.into(),
            }),
        },
    );
    t.add(
        "EmailEventsToCloudWatch",
        ConfigurationSetEventDestination {
            configuration_set_name: configuration_set.r#ref(),
            event_destination: EventDestination {
                enabled: true.into(),
                matching_event_types: vec!["bounce", "complaint", "reject", "renderingFailure"],
                cloud_watch_destination: CloudWatchDestination {
                    dimension_configurations: vec![DimensionConfiguration {
                        dimension_name: "app".into(),
                        dimension_value_source: "messageTag",
                        default_dimension_value: s.name.to_string(),
                    }],
                },
            },
        },
    );
    Ok(Emails {
        welcome,
        confirm,
        configuration_set,
    })
}

/// Sending the two templates through the configuration set, only from the
/// sender address. The identity resource is `identity/*` because in the SES
/// sandbox SES also authorizes the send against the recipient's identity;
/// `ses:FromAddress` keeps the grant to our own sender (SES developer guide,
/// "Identity and access management in Amazon SES").
fn send_email_as(sender: &crate::cfn::ParameterRef, emails: &Emails) -> Statement {
    let arn = |kind: &str, var: &str, value: Str| {
        sub_with(
            &format!(
                "arn:${{AWS::Partition}}:ses:${{AWS::Region}}:${{AWS::AccountId}}:{kind}/${{{var}}}"
            ),
            [(var, value)],
        )
    };
    Statement::allow(
        ["ses:SendTemplatedEmail"],
        vec![
            sub("arn:${AWS::Partition}:ses:${AWS::Region}:${AWS::AccountId}:identity/*"),
            arn("template", "Template", emails.welcome.r#ref()),
            arn("template", "Template", emails.confirm.r#ref()),
            arn("configuration-set", "Set", emails.configuration_set.r#ref()),
        ],
    )
    .condition(json!({"StringEquals": {"ses:FromAddress": sender.r#ref().to_json()}}))
}

/// New pending subscribers (a confirmation link) and subscribers who just
/// confirmed (the welcome email); every other change is dropped before
/// the function is invoked.
fn subscriber_filters() -> FilterCriteria {
    let status = |s: &str| json!({"status": {"S": [s]}});
    FilterCriteria {
        filters: vec![
            json!({"eventName": ["INSERT"], "dynamodb": {"NewImage": status("pending")}}),
            json!({"eventName": ["MODIFY"], "dynamodb": {"OldImage": status("pending"), "NewImage": status("confirmed")}}),
        ]
        .into_iter()
        .map(|p| Filter {
            pattern: p.to_string(),
        })
        .collect(),
    }
}

fn tags(s: &Settings) -> Vec<Tag> {
    vec![Tag::new("app", s.name.as_str())]
}

fn waive_function(t: &mut Template, parts: &FunctionParts, dlq_reason: &str) {
    t.annotate(&parts.function, "checkov", checkov_skip(&[
        ("CKV_AWS_116", dlq_reason),
        ("CKV_AWS_117", "Reaches only regional AWS APIs (DynamoDB, S3, SES, SQS); a VPC would add NAT cost and no protection"),
        ("CKV_AWS_173", "Environment variables hold resource names and settings, no secrets"),
    ]));
    t.annotate(
        &parts.role,
        "checkov",
        checkov_skip(&[(
            "CKV_AWS_111",
            "Every write is scoped to named resources except X-Ray, which accepts only Resource *",
        )]),
    );
}

fn global_table(
    t: &mut Template,
    s: &Settings,
    id: &str,
    hash: &str,
    index_keys: &[&str],
    index: Option<GlobalTableIndex>,
) -> Handle<GlobalTable> {
    let mut attributes = vec![AttributeDefinition::string(hash)];
    attributes.extend(index_keys.iter().map(|k| AttributeDefinition::string(k)));
    t.add_with(
        id,
        GlobalTable {
            attribute_definitions: attributes,
            key_schema: vec![KeySchema::hash(hash)],
            billing_mode: Some("PAY_PER_REQUEST"),
            global_secondary_indexes: index.map(|i| vec![i]),
            replicas: s
                .regions
                .iter()
                .map(|r| Replica {
                    region: r.as_str().into(),
                    point_in_time_recovery_specification: Some(PointInTimeRecoverySpecification {
                        point_in_time_recovery_enabled: true.into(),
                    }),
                    deletion_protection_enabled: Some(true.into()),
                    tags: tags(s),
                })
                .collect(),
            sse_specification: Some(GlobalSseSpecification {
                sse_enabled: true.into(),
                sse_type: "KMS",
            }),
            stream_specification: Some(StreamSpecification {
                stream_view_type: "NEW_AND_OLD_IMAGES",
            }),
            ..Default::default()
        },
        Envelope::new().retain(),
    )
}

/// CloudFront standard logs are delivered with ACLs, so this bucket, alone,
/// lets the bucket owner keep ACL-written objects (`BucketOwnerPreferred`).
fn cdn_log_bucket(t: &mut Template, s: &Settings) -> Handle<Bucket> {
    let mut bucket = storage::private_bucket(s.log_retention_days.get());
    bucket.ownership_controls = Some(OwnershipControls {
        rules: vec![OwnershipRule {
            object_ownership: "BucketOwnerPreferred",
        }],
    });
    if let Some(l) = &mut bucket.lifecycle_configuration {
        l.rules[0].expiration_in_days = Some(s.log_retention_days.get().into());
    }
    let bucket = t.add_with(
        "CdnLogsBucket",
        bucket,
        Envelope::new().metadata(
            "checkov",
            checkov_skip(&[(
                "CKV_AWS_18",
                "This is the CloudFront log destination; logging it to itself would loop",
            )]),
        ),
    );
    storage::bucket_policy(t, "CdnLogsBucketPolicy", &bucket, vec![]);
    bucket
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

#[allow(clippy::too_many_arguments)]
fn add_distribution(
    t: &mut Template,
    s: &Settings,
    site: &Handle<Bucket>,
    thumbs: &Handle<Bucket>,
    api: &Handle<crate::resources::apigateway::RestApi>,
    logs: &Handle<Bucket>,
    has_cert: &crate::cfn::ConditionRef,
    certificate: &crate::cfn::ParameterRef,
    domains: &crate::cfn::ParameterRef,
) -> Handle<Distribution> {
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
    let static_policy = cache_policy(
        t,
        "StaticCachePolicy",
        s,
        "Static files: long TTLs",
        (s.cdn.static_default_ttl.get(), s.cdn.static_max_ttl.get()),
        "none",
    );
    let api_policy = cache_policy(
        t,
        "ApiCachePolicy",
        s,
        "API reads: short TTLs keyed on the query string",
        (s.cdn.api_default_ttl.get(), s.cdn.api_max_ttl.get()),
        "all",
    );
    let headers = t.add(
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
    );
    let s3_origin = |id: &str, bucket: &Handle<Bucket>| Origin {
        id: id.to_owned(),
        domain_name: bucket.regional_domain_name(),
        origin_path: None,
        s3_origin_config: Some(S3OriginConfig {
            origin_access_identity: String::new(),
        }),
        origin_access_control_id: Some(oac.control_id()),
        custom_origin_config: None,
    };
    let behavior = |origin: &str, policy: &Handle<CachePolicy>| CacheBehavior {
        target_origin_id: origin.to_owned(),
        viewer_protocol_policy: "redirect-to-https",
        cache_policy_id: policy.policy_id(),
        response_headers_policy_id: Some(headers.policy_id()),
        compress: Some(true.into()),
        allowed_methods: Some(vec!["GET", "HEAD", "OPTIONS"]),
        cached_methods: Some(vec!["GET", "HEAD", "OPTIONS"]),
        ..Default::default()
    };
    let api_behavior = CacheBehavior {
        path_pattern: Some("/api/*".into()),
        origin_request_policy_id: Some(ALL_VIEWER_EXCEPT_HOST.into()),
        allowed_methods: Some(vec![
            "GET", "HEAD", "OPTIONS", "PUT", "POST", "PATCH", "DELETE",
        ]),
        ..behavior("Api", &api_policy)
    };
    let thumbs_behavior = CacheBehavior {
        path_pattern: Some("/thumbnails/*".into()),
        ..behavior("Thumbnails", &static_policy)
    };
    let api_origin = |id: &str, path: String| Origin {
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
    };
    let with_cert = ViewerCertificate {
        acm_certificate_arn: Some(certificate.r#ref()),
        ssl_support_method: Some("sni-only"),
        minimum_protocol_version: Some("TLSv1.2_2021"),
        ..Default::default()
    };
    let default_cert = ViewerCertificate {
        cloud_front_default_certificate: Some(true.into()),
        ..Default::default()
    };
    let price_class = match s.cdn.price_class {
        PriceClass::P100 => "PriceClass_100",
        PriceClass::P200 => "PriceClass_200",
        PriceClass::All => "PriceClass_All",
    };
    t.add_with(
        "Distribution",
        Distribution {
            distribution_config: DistributionConfig {
                comment: format!("{}: site, thumbnails and /api/*", s.name),
                enabled: true.into(),
                aliases: Some(if_(has_cert, domains.list(), aws::no_value())),
                default_root_object: Some("index.html".into()),
                http_version: Some("http2and3"),
                ipv6_enabled: Some(true.into()),
                price_class: Some(price_class.into()),
                origins: vec![
                    s3_origin("Site", site),
                    s3_origin("Thumbnails", thumbs),
                    api_origin("Api", format!("/{}", s.stage)),
                    api_origin("NotFoundPage", format!("/{}{NOT_FOUND_PATH}", s.stage)),
                ],
                origin_groups: Some(site_or_not_found_page()),
                default_cache_behavior: behavior(SITE_GROUP, &static_policy),
                cache_behaviors: Some(vec![api_behavior, thumbs_behavior]),
                // Not CustomErrorResponses: they apply to every behavior, so
                // the API's JSON errors would become the site's HTML page.
                custom_error_responses: None,
                viewer_certificate: Some(if_(has_cert, Val::Lit(with_cert), Val::Lit(default_cert))),
                logging: Some(Logging {
                    bucket: logs.regional_domain_name(),
                    prefix: "cdn/".into(),
                    include_cookies: false.into(),
                }),
                web_acl_id: None,
            },
        },
        Envelope::new().metadata("checkov", checkov_skip(&[
            ("CKV_AWS_68", "A WAF web ACL for CloudFront must live in us-east-1 and is priced per rule; attach one from your security account if you need it"),
            ("CKV_AWS_174", "TLSv1.2_2021 is set whenever CertificateArn is given; the cloudfront.net default certificate does not allow choosing"),
            ("CKV_AWS_310", "The site origin group fails over to the 404 page, not to a replica; the API and thumbnail origins have no second copy to fail over to"),
        ])),
    )
}

fn add_uploads(
    t: &mut Template,
    s: &Settings,
    key: &Handle<Key>,
    access_logs: &Handle<Bucket>,
) -> (Handle<Bucket>, Handle<Topic>, QueueWithDlq) {
    let topic = t.add(
        "UploadsTopic",
        Topic {
            display_name: Some(format!("{} uploads", s.name)),
            kms_master_key_id: Some(key.arn()),
            tags: tags(s),
        },
    );
    // The uploads bucket's name is built from the settings, the account and
    // a piece of the stack id, so the topic policy can name the bucket's ARN
    // without a reference to the bucket. A reference would close a cycle
    // (bucket -> notification -> topic policy -> bucket), which CDK breaks
    // with a Lambda-backed custom resource; here the bucket simply DependsOn
    // the policy, so S3 can publish by the time it validates the
    // notification. The stack id part makes the name differ between two
    // blogs in one account and Region (staging and prod) and after the
    // retained bucket's stack is re-created; the name is at most
    // 32 + 9 + 12 + 1 + 8 = 62 characters.
    let bucket_name = uploads_bucket_name(s);
    let bucket_arn = sub_with(
        "arn:${AWS::Partition}:s3:::${BucketName}",
        [("BucketName", bucket_name.clone())],
    );
    let topic_policy = t.add(
        "UploadsTopicPolicy",
        TopicPolicy {
            topics: vec![topic.r#ref()],
            policy_document: PolicyDocument::new(vec![
                storage::deny_insecure_transport(storage::TLS_ONLY_SNS, vec![topic.r#ref()]),
                Statement::allow(["sns:Publish"], vec![topic.r#ref()])
                    .sid("UploadsBucketPublishes")
                    .principal(json!({"Service": "s3.amazonaws.com"}))
                    .condition(json!({
                        "ArnEquals": {"aws:SourceArn": bucket_arn.to_json()},
                        "StringEquals": {"aws:SourceAccount": {"Ref": "AWS::AccountId"}}
                    })),
            ]),
        },
    );
    let mut bucket = storage::private_bucket(30);
    bucket.bucket_name = Some(bucket_name);
    bucket.logging_configuration = Some(storage::log_to(access_logs, "uploads/"));
    bucket.notification_configuration = Some(NotificationConfiguration {
        topic_configurations: Some(vec![TopicConfiguration {
            event: "s3:ObjectCreated:*",
            topic: topic.r#ref(),
            filter: Some(NotificationFilter::prefix("uploads/")),
        }]),
        ..Default::default()
    });
    bucket.tags = tags(s);
    let uploads = t.add_with(
        "UploadsBucket",
        bucket,
        Envelope::new().retain().depends_on(&topic_policy),
    );
    storage::bucket_policy(t, "UploadsBucketPolicy", &uploads, vec![]);

    let queue = storage::queue_with_dlq(t, "Thumbnail", THUMBNAIL_TIMEOUT_SECONDS, 3, |queue| {
        vec![
            Statement::allow(["sqs:SendMessage"], vec![queue.arn()])
                .sid("UploadsTopicSends")
                .principal(json!({"Service": "sns.amazonaws.com"}))
                .condition(json!({"ArnEquals": {"aws:SourceArn": topic.r#ref().to_json()}})),
        ]
    });
    t.add(
        "ThumbnailSubscription",
        Subscription {
            topic_arn: topic.r#ref(),
            protocol: "sqs",
            endpoint: queue.queue.arn(),
            raw_message_delivery: Some(true.into()),
        },
    );
    (uploads, topic, queue)
}
