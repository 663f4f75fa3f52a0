//! Amazon SES: sending identities and email templates.

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
