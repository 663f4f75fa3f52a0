//! Settings of the `blog` blueprint and their validation.

use indexmap::IndexMap;
use serde::Deserialize;

use crate::settings::{self, Bounded, Email, Name, Region, RetentionDays, SettingsError};

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
