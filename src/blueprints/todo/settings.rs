//! Settings of the `todo` blueprint and their validation.

use indexmap::IndexMap;
use serde::Deserialize;

use crate::patterns::network;
use crate::settings::{self, Bounded, Cidr, Name, Origin, RetentionDays, SettingsError};

/// Settings of the `todo` blueprint.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    /// Prefix of resource names.
    pub name: Name,
    /// API Gateway stage name.
    pub stage: Name,
    /// Days to keep logs.
    pub log_retention_days: RetentionDays,
    /// The todo table.
    pub table: TableSettings,
    /// The DAX cluster.
    pub dax: DaxSettings,
    /// The REST API.
    pub api: ApiSettings,
    /// The Lambda function.
    pub function: FunctionSettings,
    /// Sign-in.
    pub auth: AuthSettings,
    /// The VPC.
    pub network: NetworkSettings,
    /// Logical id renames (generated -> existing).
    pub logical_ids: IndexMap<String, String>,
}

/// How the table is billed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Billing {
    /// Provisioned capacity with read auto scaling.
    Provisioned,
    /// Pay per request.
    OnDemand,
}

/// Table settings.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TableSettings {
    /// Billing mode.
    pub billing: Billing,
    /// Read capacity bounds and target.
    pub read_capacity: ReadCapacity,
    /// Write capacity units (provisioned mode).
    pub write_capacity: Bounded<1, 40000>,
    /// Refuse deletion of the table.
    pub deletion_protection: bool,
}

/// Read auto scaling.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ReadCapacity {
    /// The floor.
    pub min: Bounded<1, 40000>,
    /// The ceiling.
    pub max: Bounded<1, 40000>,
    /// Percent utilization to hold.
    pub target_utilization: Bounded<20, 90>,
}

/// DAX settings.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DaxSettings {
    /// Node type, `dax.<family>.<size>`.
    pub node_type: String,
    /// Nodes in the cluster.
    pub nodes: Bounded<1, 10>,
    /// Item cache TTL.
    pub item_ttl_ms: Bounded<0, 86_400_000>,
    /// Query cache TTL.
    pub query_ttl_ms: Bounded<0, 86_400_000>,
}

/// API settings.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ApiSettings {
    /// CORS origin.
    pub cors_origin: Origin,
    /// Stage-wide steady rate.
    pub throttle_rate: Bounded<1, 10000>,
    /// Stage-wide burst.
    pub throttle_burst: Bounded<1, 5000>,
    /// Cache cluster size.
    pub cache_size_gb: String,
    /// Seconds a GET response is cached.
    pub cache_ttl_seconds: Bounded<0, 3600>,
    /// Whether this stack sets the account's API Gateway logging role.
    pub manage_account_logging_role: bool,
}

/// Function settings.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FunctionSettings {
    /// Memory in MB.
    pub memory_mb: Bounded<128, 10240>,
    /// Timeout in seconds (API Gateway waits 29 at most).
    pub timeout_seconds: Bounded<1, 29>,
    /// Concurrency reserved for (and capping) the function; absent or null
    /// reserves none. Lambda refuses a reservation that leaves the account
    /// less than 100 unreserved, and new accounts may have a quota of 10.
    #[serde(default)]
    pub reserved_concurrency: Option<Bounded<1, 1000>>,
}

/// Multi-factor authentication.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Mfa {
    /// No second factor.
    Off,
    /// Users may add an authenticator app.
    Optional,
    /// Every user must.
    On,
}

/// Sign-in settings.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AuthSettings {
    /// Minimum password length.
    pub password_min_length: Bounded<8, 99>,
    /// Require a symbol in passwords.
    pub require_symbols: bool,
    /// Second factor.
    pub mfa: Mfa,
    /// Access and ID token lifetime.
    pub access_token_minutes: Bounded<5, 1440>,
    /// Refresh token lifetime.
    pub refresh_token_days: Bounded<1, 3650>,
    /// An email address verified in Amazon SES in the stack's Region: the
    /// pool then sends through SES. Absent or null uses Cognito's default
    /// sender, whose daily quota is low (see README).
    #[serde(default)]
    pub ses_sender: Option<settings::Email>,
}

/// VPC settings.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NetworkSettings {
    /// The VPC's range, /16 to /24.
    pub cidr: Cidr,
    /// Availability zones.
    pub az_count: Bounded<2, 3>,
}

const CACHE_SIZES: [&str; 8] = ["0.5", "1.6", "6.1", "13.5", "28.4", "58.2", "118", "237"];

impl Settings {
    /// Parses and validates settings; errors name the file, line and key.
    pub fn parse(src: &settings::Layers) -> Result<Self, SettingsError> {
        let s: Settings = src.parse()?;
        let at = |key: &str, msg: String| Err(src.error_at(key, msg));
        let read = &s.table.read_capacity;
        if read.min > read.max {
            return at(
                "table.read_capacity.max",
                format!(
                    "expected at least read_capacity.min ({}), found {}",
                    read.min, read.max
                ),
            );
        }
        if !CACHE_SIZES.contains(&s.api.cache_size_gb.as_str()) {
            return at(
                "api.cache_size_gb",
                format!(
                    "expected one of {}, found {:?}",
                    CACHE_SIZES.join(", "),
                    s.api.cache_size_gb
                ),
            );
        }
        let node = s.dax.node_type.split('.').collect::<Vec<_>>();
        if node.len() != 3 || node[0] != "dax" || node.iter().any(|p| p.is_empty()) {
            return at(
                "dax.node_type",
                format!(
                    "expected a DAX node type such as dax.r5.large, found {:?}",
                    s.dax.node_type
                ),
            );
        }
        if network::subnet_cidrs(&s.network.cidr, s.network.az_count.get() as u32, 2).is_none() {
            return at(
                "network.cidr",
                format!(
                    "expected a block of /16 to /24 to split into subnets, found {}",
                    s.network.cidr
                ),
            );
        }
        Ok(s)
    }
}
