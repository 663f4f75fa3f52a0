//! Amazon SES: sending identities, email templates and configuration sets.

use serde::Serialize;
use serde_with::skip_serializing_none;

use crate::cfn::Str;

/// `AWS::SES::EmailIdentity`: an address or domain allowed to send.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct EmailIdentity {
    /// The address or domain.
    pub email_identity: Str,
}
resource!(EmailIdentity, "AWS::SES::EmailIdentity");

/// The content of an email template; `{{var}}` is filled per recipient.
#[skip_serializing_none]
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct EmailTemplate {
    /// The template's name, used when sending; at most 64 characters.
    /// Left out, CloudFormation names the template and `Ref` returns it.
    pub template_name: Option<Str>,
    /// The subject line.
    pub subject_part: String,
    /// The HTML body.
    pub html_part: Option<String>,
    /// The plain-text body.
    pub text_part: Option<String>,
}

/// `AWS::SES::Template`.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Template {
    /// The template.
    pub template: EmailTemplate,
}
resource!(Template, "AWS::SES::Template");

/// `AWS::SES::ConfigurationSet`: settings applied to the email sent with it
/// (its `Ref` is its name).
#[skip_serializing_none]
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ConfigurationSet {
    /// Reputation metrics (bounce and complaint rates) and sending switch.
    pub reputation_options: Option<ReputationOptions>,
}
resource!(ConfigurationSet, "AWS::SES::ConfigurationSet");

/// Whether SES publishes reputation metrics for a configuration set.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ReputationOptions {
    /// Publish bounce and complaint rates to CloudWatch.
    pub reputation_metrics_enabled: crate::cfn::Bool,
}

/// `AWS::SES::ConfigurationSetEventDestination`: where SES publishes the
/// events (bounces, complaints, ...) of mail sent with a configuration set.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ConfigurationSetEventDestination {
    /// The configuration set's name.
    pub configuration_set_name: Str,
    /// The destination.
    pub event_destination: EventDestination,
}
resource!(
    ConfigurationSetEventDestination,
    "AWS::SES::ConfigurationSetEventDestination"
);

/// An event destination publishing to CloudWatch metrics.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct EventDestination {
    /// Publishing is on.
    pub enabled: crate::cfn::Bool,
    /// `bounce`, `complaint`, `reject`, `send`, `delivery`, ...
    pub matching_event_types: Vec<&'static str>,
    /// The CloudWatch metric dimensions.
    pub cloud_watch_destination: CloudWatchDestination,
}

/// Metric dimensions of a CloudWatch event destination.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct CloudWatchDestination {
    /// The dimensions.
    pub dimension_configurations: Vec<DimensionConfiguration>,
}

/// One metric dimension and where its value comes from.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct DimensionConfiguration {
    /// The dimension's name.
    pub dimension_name: String,
    /// `messageTag`, `emailHeader` or `linkTag`.
    pub dimension_value_source: &'static str,
    /// The value when the message has none.
    pub default_dimension_value: String,
}
