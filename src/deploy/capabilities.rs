//! The capabilities a template needs acknowledged, derived from its contents.
//!
//! Per the CloudFormation `CreateChangeSet` reference: IAM resources need
//! `CAPABILITY_IAM`, IAM resources with custom names need
//! `CAPABILITY_NAMED_IAM`, and macros (a `Transform` section or
//! `Fn::Transform`, e.g. `AWS::Serverless`, `AWS::Include`) need
//! `CAPABILITY_AUTO_EXPAND`.

use serde_json::Value;

/// IAM resource types that need `CAPABILITY_IAM`, with the property that
/// gives them a custom (physical) name, if any.
const IAM_TYPES: [(&str, Option<&str>); 8] = [
    ("AWS::IAM::AccessKey", None),
    ("AWS::IAM::Group", Some("GroupName")),
    ("AWS::IAM::InstanceProfile", Some("InstanceProfileName")),
    ("AWS::IAM::ManagedPolicy", Some("ManagedPolicyName")),
    ("AWS::IAM::Policy", None),
    ("AWS::IAM::Role", Some("RoleName")),
    ("AWS::IAM::User", Some("UserName")),
    ("AWS::IAM::UserToGroupAddition", None),
];

/// A capability to acknowledge.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Capability {
    /// `CAPABILITY_IAM`.
    Iam,
    /// `CAPABILITY_NAMED_IAM` (implies `CAPABILITY_IAM`).
    NamedIam,
    /// `CAPABILITY_AUTO_EXPAND`.
    AutoExpand,
}

impl Capability {
    /// The API's name for it.
    pub fn as_str(self) -> &'static str {
        match self {
            Capability::Iam => "CAPABILITY_IAM",
            Capability::NamedIam => "CAPABILITY_NAMED_IAM",
            Capability::AutoExpand => "CAPABILITY_AUTO_EXPAND",
        }
    }
}

/// The capabilities `template` needs, at most one IAM capability.
pub fn required(template: &Value) -> Vec<Capability> {
    let mut iam = None;
    for r in template
        .get("Resources")
        .and_then(Value::as_object)
        .into_iter()
        .flat_map(|m| m.values())
    {
        let Some((_, name_prop)) = IAM_TYPES.iter().find(|(t, _)| r["Type"] == *t) else {
            continue;
        };
        let named = name_prop.is_some_and(|p| r["Properties"].get(p).is_some());
        iam = Some(if named || iam == Some(Capability::NamedIam) {
            Capability::NamedIam
        } else {
            Capability::Iam
        });
    }
    let mut caps: Vec<Capability> = iam.into_iter().collect();
    if template.get("Transform").is_some() || has_fn_transform(template) {
        caps.push(Capability::AutoExpand);
    }
    caps
}

fn has_fn_transform(v: &Value) -> bool {
    match v {
        Value::Object(m) => m
            .iter()
            .any(|(k, v)| k == "Fn::Transform" || has_fn_transform(v)),
        Value::Array(a) => a.iter().any(has_fn_transform),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn no_iam_no_capability() {
        let t = json!({"Resources": {"Q": {"Type": "AWS::SQS::Queue"}}});
        assert!(required(&t).is_empty());
    }

    #[test]
    fn unnamed_iam_needs_iam_and_a_custom_name_needs_named_iam() {
        let t = json!({"Resources": {"R": {"Type": "AWS::IAM::Role", "Properties": {}}}});
        assert_eq!(required(&t), [Capability::Iam]);
        let t = json!({"Resources": {
            "R": {"Type": "AWS::IAM::Role", "Properties": {"RoleName": "x"}},
            "P": {"Type": "AWS::IAM::Policy", "Properties": {"PolicyName": "inline"}}
        }});
        assert_eq!(required(&t), [Capability::NamedIam]);
        // an inline policy's PolicyName is not a physical name
        let t = json!({"Resources": {"P": {"Type": "AWS::IAM::Policy", "Properties": {"PolicyName": "p"}}}});
        assert_eq!(required(&t), [Capability::Iam]);
    }

    #[test]
    fn transforms_need_auto_expand() {
        let t = json!({"Transform": "AWS::Serverless-2016-10-31", "Resources": {}});
        assert_eq!(required(&t), [Capability::AutoExpand]);
        let t = json!({"Resources": {"B": {"Type": "AWS::S3::Bucket",
            "Properties": {"Fn::Transform": {"Name": "AWS::Include"}}}}});
        assert_eq!(required(&t), [Capability::AutoExpand]);
    }

    #[test]
    fn every_blueprint_stack_gets_iam() {
        for b in crate::blueprints::BuiltIn::ALL {
            for s in crate::deploy::stacks::synthesize(b.blueprint(), None).unwrap() {
                let caps = required(&s.template);
                let has_iam = s.body.contains("\"AWS::IAM::");
                assert_eq!(!caps.is_empty(), has_iam, "{}", s.name);
            }
        }
    }
}
