//! Deploy-time inputs: the sender address, the Pillow layer and the site's
//! own domain, with the rules that refuse a bad combination before anything
//! is created.

use serde_json::json;

use super::Settings;
use crate::cfn::{ConditionRef, Parameter, ParameterRef, Template, equals, not};

/// The stack's parameters and the condition derived from them.
pub(super) struct Inputs {
    /// `SenderAddress`: where the emails come from.
    pub sender: ParameterRef,
    /// `PillowLayerArn`: the thumbnail function's image library.
    pub pillow: ParameterRef,
    /// `CertificateArn`: the site's own certificate, or empty.
    pub certificate: ParameterRef,
    /// `DomainNames`: the site's own names, with the certificate.
    pub domains: ParameterRef,
    /// `HasCertificate`: a certificate was given.
    pub has_cert: ConditionRef,
}

/// Declares the parameters, their rules and the certificate condition.
pub(super) fn declare(t: &mut Template, s: &Settings) -> Inputs {
    replica_region_rule(t, s);
    let sender = t.parameter(
        "SenderAddress",
        Parameter::string(if s.email.create_identity {
            SENDER_CREATED
        } else {
            SENDER_VERIFIED
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
        Parameter::string(CERTIFICATE).default_value(""),
    );
    let domains = t.parameter(
        "DomainNames",
        Parameter::of_type(
            "CommaDelimitedList",
            "The site's own domain names (with CertificateArn)",
        )
        .default_value(""),
    );
    certificate_and_domains_rule(t);
    let has_cert = t.condition(
        "HasCertificate",
        not(equals(certificate.r#ref(), "".into())),
    );
    Inputs {
        sender,
        pillow,
        certificate,
        domains,
        has_cert,
    }
}

/// Global tables live in the listed Regions only: the stack must be in one.
fn replica_region_rule(t: &mut Template, s: &Settings) {
    let regions: Vec<String> = s.regions.iter().map(|r| r.to_string()).collect();
    t.rule(
        "DeployInAReplicaRegion",
        json!({"Assertions": [{
            "Assert": {"Fn::Contains": [regions, {"Ref": "AWS::Region"}]},
            "AssertDescription": format!("Deploy this stack in one of the global table regions: {}", regions.join(", "))
        }]}),
    );
}

/// A certificate without domain names would make Aliases `[""]` (the split
/// of an empty list parameter), and names without a certificate are refused
/// by CloudFront: refuse both before anything is created.
fn certificate_and_domains_rule(t: &mut Template) {
    t.rule(
        "CertificateAndDomainNamesTogether",
        json!({"Assertions": [
            {
                "Assert": {"Fn::Or": [
                    {"Fn::Equals": [{"Ref": "CertificateArn"}, ""]},
                    {"Fn::Not": [{"Fn::Contains": [{"Ref": "DomainNames"}, ""]}]}
                ]},
                "AssertDescription": NAMES_WITH_CERTIFICATE
            },
            {
                "Assert": {"Fn::Or": [
                    {"Fn::Not": [{"Fn::Equals": [{"Ref": "CertificateArn"}, ""]}]},
                    {"Fn::EachMemberEquals": [{"Ref": "DomainNames"}, ""]}
                ]},
                "AssertDescription": CERTIFICATE_WITH_NAMES
            }
        ]}),
    );
}

/// `SenderAddress` when the stack creates the SES identity.
const SENDER_CREATED: &str = "Address the emails are sent from; the stack creates its SES \
     identity (verify it from the email SES sends)";

/// `SenderAddress` when the identity exists already.
const SENDER_VERIFIED: &str = "Address the emails are sent from: an SES identity (this address or \
     its domain) already verified in this account and Region";

/// `CertificateArn`.
const CERTIFICATE: &str = "ACM certificate (us-east-1) for the site's own domain; empty uses the \
     cloudfront.net certificate";

/// A certificate needs domain names.
const NAMES_WITH_CERTIFICATE: &str = "With CertificateArn, give DomainNames: one or more \
     non-empty domain names the certificate covers";

/// Domain names need a certificate.
const CERTIFICATE_WITH_NAMES: &str =
    "DomainNames need a CertificateArn (an ACM certificate in us-east-1 that covers them)";
