//! AWS Systems Manager Parameter Store: how independently deployed stacks
//! find each other.

use serde::Serialize;
use serde_with::skip_serializing_none;

use crate::cfn::Str;

/// `AWS::SSM::Parameter`.
#[skip_serializing_none]
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Parameter {
    /// The parameter's path, e.g. `/shop/prod/orders/url`.
    pub name: Str,
    /// `String` or `StringList`.
    #[serde(rename = "Type")]
    pub kind: &'static str,
    /// The value.
    pub value: Str,
    /// What it is.
    pub description: Option<String>,
}
resource!(Parameter, "AWS::SSM::Parameter");
