//! AWS Identity and Access Management: roles, policies, policy documents.

use serde::Serialize;
use serde_json::Value as Json;
use serde_with::skip_serializing_none;

use crate::cfn::{Str, json};

/// An IAM policy document.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct PolicyDocument {
    /// Always `2012-10-17`.
    pub version: &'static str,
    /// The statements.
    pub statement: Vec<Statement>,
}

impl PolicyDocument {
    /// A document with these statements.
    pub fn new(statement: Vec<Statement>) -> Self {
        PolicyDocument {
            version: "2012-10-17",
            statement,
        }
    }
}

impl Default for PolicyDocument {
    fn default() -> Self {
        PolicyDocument::new(Vec::new())
    }
}

/// `Allow` or `Deny`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Effect {
    /// Grants the actions.
    Allow,
    /// Refuses the actions, whatever else allows them.
    Deny,
}

/// One policy statement. Actions and resources are named one by one: the
/// least-privilege rules in `crate::check` read them.
#[skip_serializing_none]
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Statement {
    /// An identifier for people reading the policy.
    pub sid: Option<String>,
    /// Allow or deny.
    pub effect: Effect,
    /// Who (resource policies and trust policies only).
    pub principal: Option<Json>,
    /// The actions, `service:Action`.
    pub action: Vec<String>,
    /// The resources (absent in trust policies).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub resource: Vec<Str>,
    /// Conditions, `{operator: {key: value}}`.
    pub condition: Option<Json>,
}

impl Statement {
    /// Allows `actions` on `resources`.
    pub fn allow<'a>(actions: impl IntoIterator<Item = &'a str>, resources: Vec<Str>) -> Self {
        Statement {
            sid: None,
            effect: Effect::Allow,
            principal: None,
            action: actions.into_iter().map(str::to_owned).collect(),
            resource: resources,
            condition: None,
        }
    }

    /// Denies `actions` on `resources`.
    pub fn deny<'a>(actions: impl IntoIterator<Item = &'a str>, resources: Vec<Str>) -> Self {
        Statement {
            effect: Effect::Deny,
            ..Statement::allow(actions, resources)
        }
    }

    /// A trust statement: `service` (e.g. `lambda.amazonaws.com`) may assume the role.
    pub fn assume_by_service(service: &str) -> Self {
        Statement::allow(["sts:AssumeRole"], Vec::new()).principal(json(&serde_json::json!({
            "Service": service
        })))
    }

    /// Names the statement.
    pub fn sid(mut self, sid: &str) -> Self {
        self.sid = Some(sid.to_owned());
        self
    }

    /// Sets the principal.
    pub fn principal(mut self, principal: Json) -> Self {
        self.principal = Some(principal);
        self
    }

    /// Sets the condition block.
    pub fn condition(mut self, condition: Json) -> Self {
        self.condition = Some(condition);
        self
    }
}

/// An inline policy of a role.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct InlinePolicy {
    /// The policy's name, unique within the role.
    pub policy_name: String,
    /// The statements.
    pub policy_document: PolicyDocument,
}

/// `AWS::IAM::Role`.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Role {
    /// Who may assume the role.
    pub assume_role_policy_document: PolicyDocument,
    /// What the role is for.
    pub description: Option<String>,
    /// Managed policies attached to the role.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub managed_policy_arns: Vec<Str>,
    /// Inline policies.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub policies: Vec<InlinePolicy>,
    /// Tags.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<super::Tag>,
}
resource!(Role, "AWS::IAM::Role", arn => "Arn", role_id => "RoleId");

impl Role {
    /// A role `service` (e.g. `lambda.amazonaws.com`) assumes, with one
    /// inline policy of `statements` (none when empty).
    pub fn for_service(
        service: &str,
        description: impl Into<String>,
        policy_name: impl Into<String>,
        statements: Vec<Statement>,
    ) -> Self {
        let policies = if statements.is_empty() {
            Vec::new()
        } else {
            vec![InlinePolicy {
                policy_name: policy_name.into(),
                policy_document: PolicyDocument::new(statements),
            }]
        };
        Role {
            assume_role_policy_document: PolicyDocument::new(vec![Statement::assume_by_service(
                service,
            )]),
            description: Some(description.into()),
            policies,
            ..Default::default()
        }
    }
}

/// `AWS::IAM::Policy`: a policy attached to roles, kept apart from the role
/// where the statements name resources that themselves need the role.
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Policy {
    /// The policy's name.
    pub policy_name: Str,
    /// The statements.
    pub policy_document: PolicyDocument,
    /// The roles it is attached to (names, as `Ref` of a role yields).
    pub roles: Vec<Str>,
}
resource!(Policy, "AWS::IAM::Policy", policy_id => "Id");

/// `AWS::IAM::ManagedPolicy`.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ManagedPolicy {
    /// What it is for.
    pub description: Option<String>,
    /// The statements.
    pub policy_document: PolicyDocument,
    /// Roles it is attached to.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub roles: Vec<Str>,
}
resource!(ManagedPolicy, "AWS::IAM::ManagedPolicy", policy_arn => "PolicyArn");

/// `AWS::IAM::InstanceProfile`: hands a role to EC2 instances.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct InstanceProfile {
    /// The role (its name, as `Ref` yields).
    pub roles: Vec<Str>,
}
resource!(InstanceProfile, "AWS::IAM::InstanceProfile", arn => "Arn");
