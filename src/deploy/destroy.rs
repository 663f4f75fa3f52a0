//! `destroy`: delete stacks in reverse dependency order, saying first what
//! data is lost (data-bearing resources without a keeping DeletionPolicy),
//! what stays behind (DeletionPolicy Retain / Snapshot, billed after the
//! stack is gone) and what blocks a delete (termination protection,
//! deletion protection properties).

use std::fmt::Write;
use std::time::Duration;

use serde_json::Value;

use super::client::Aws;
use super::data;
use super::run::{failure, follow_from};
use super::ui::Ui;
use super::{DeployError, StackSpec};

/// A resource that outlives its stack.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Retained {
    /// The logical id.
    pub logical_id: String,
    /// The resource type.
    pub resource_type: String,
    /// `Retain`, `RetainExceptOnCreate` or `Snapshot`.
    pub policy: String,
    /// The template sets no `DeletionPolicy`: CloudFormation's default for
    /// the type applies (`Snapshot` for RDS databases).
    pub by_default: bool,
}

/// A setting that makes deleting a resource fail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Protection {
    /// The logical id.
    pub logical_id: String,
    /// The resource type.
    pub resource_type: String,
    /// The property that protects it, e.g. `DeletionProtectionEnabled`.
    pub property: String,
}

fn resources(template: &Value) -> impl Iterator<Item = (&String, &Value)> {
    template
        .get("Resources")
        .and_then(Value::as_object)
        .into_iter()
        .flat_map(|m| m.iter())
}

/// Resources whose DeletionPolicy keeps them (or a final snapshot of them)
/// after the stack is deleted (`Snapshot` only on the types that take one,
/// [`crate::cfn::supports_snapshot`]).
pub fn retained(template: &Value) -> Vec<Retained> {
    resources(template)
        .filter_map(|(id, r)| {
            let resource_type = r["Type"].as_str().unwrap_or_default();
            let (policy, by_default) = match r.get("DeletionPolicy") {
                Some(p) => (p.as_str()?, false),
                None => (data::default_deletion_policy(r)?, true),
            };
            let keeps = match policy {
                "Retain" | "RetainExceptOnCreate" => true,
                "Snapshot" => crate::cfn::supports_snapshot(resource_type),
                _ => false,
            };
            keeps.then(|| Retained {
                logical_id: id.clone(),
                resource_type: resource_type.to_owned(),
                policy: policy.to_owned(),
                by_default,
            })
        })
        .collect()
}

/// One line per data-bearing resource ([`data::is_data_bearing`]) that
/// deleting the stack deletes with its data: no `DeletionPolicy` that
/// keeps it or a final snapshot. The same wording as `deploy` and `diff`.
pub fn data_losses(template: &Value) -> Vec<String> {
    resources(template)
        .filter_map(|(id, r)| {
            let resource_type = r["Type"].as_str().unwrap_or_default();
            data::protection(r, data::Loss::Removal)
                .is_none()
                .then(|| data::warning(id, resource_type, data::Fate::Deleted, r))
                .flatten()
        })
        .collect()
}

/// Resources with deletion protection on, which CloudFormation cannot
/// delete (so the stack ends in `DELETE_FAILED`), unless retained.
pub fn protections(template: &Value) -> Vec<Protection> {
    resources(template)
        .filter(|(_, r)| {
            !matches!(
                r["DeletionPolicy"].as_str(),
                Some("Retain" | "RetainExceptOnCreate")
            )
        })
        .filter_map(|(id, r)| {
            protected_by(&r["Properties"]).map(|property| Protection {
                logical_id: id.clone(),
                resource_type: r["Type"].as_str().unwrap_or_default().to_owned(),
                property,
            })
        })
        .collect()
}

/// The property that turns deletion protection on, if one does: RDS,
/// DocumentDB, Neptune, Cognito (`DeletionProtection`), DynamoDB
/// (`DeletionProtectionEnabled`), EC2 (`DisableApiTermination`), load
/// balancers (the `deletion_protection.enabled` attribute).
fn protected_by(props: &Value) -> Option<String> {
    let on = |v: &Value| {
        matches!(v, Value::Bool(true)) || matches!(v.as_str(), Some("true" | "ACTIVE" | "ENABLED"))
    };
    for key in [
        "DeletionProtection",
        "DeletionProtectionEnabled",
        "DisableApiTermination",
    ] {
        if props.get(key).is_some_and(on) {
            return Some(key.to_owned());
        }
    }
    props["LoadBalancerAttributes"]
        .as_array()
        .into_iter()
        .flatten()
        .any(|a| a["Key"] == "deletion_protection.enabled" && on(&a["Value"]))
        .then(|| "LoadBalancerAttributes deletion_protection.enabled".to_owned())
}

/// One stack to delete, as deployed.
#[derive(Debug, Clone)]
struct Target {
    name: String,
    id: String,
    status: String,
    retained: Vec<Retained>,
    losses: Vec<String>,
    physical: Vec<(String, String)>,
    blockers: Vec<String>,
}

/// Deletes `stacks` (given in deploy order) in reverse order after
/// confirmation. Stacks that do not exist are skipped; when anything blocks
/// a delete, nothing is deleted.
pub async fn destroy(
    aws: &Aws,
    ui: &Ui,
    stacks: &[StackSpec],
    max_poll: Duration,
) -> Result<usize, DeployError> {
    let mut targets = Vec::new();
    for s in stacks.iter().rev() {
        match aws.describe(&s.stack_name).await? {
            None => println!("{}: does not exist", s.stack_name),
            Some(info) => targets.push(inspect(aws, &s.stack_name, info).await?),
        }
    }
    if targets.is_empty() {
        println!("nothing to delete");
        return Ok(0);
    }
    print!("{}", plan(&targets));
    if let Some(t) = targets.iter().find(|t| !t.blockers.is_empty()) {
        return Err(DeployError::State {
            stack: t.name.clone(),
            status: t.status.clone(),
            advice: format!(
                "deletion is blocked by {}; nothing was deleted",
                t.blockers.join(", ")
            ),
        });
    }
    if !ui.confirm(&format!("Delete {} stack(s)?", targets.len()))? {
        return Err(DeployError::NotConfirmed("nothing was deleted".into()));
    }
    for t in &targets {
        let since = aws.latest_event(&t.id).await?;
        aws.delete_stack(&t.id).await?;
        let total = t.physical.len();
        let (status, events) = follow_from(aws, ui, &t.name, &t.id, since, total, max_poll).await?;
        if status != "DELETE_COMPLETE" {
            return Err(failure(&t.name, status, &events));
        }
        println!("{}: deleted", t.name);
    }
    Ok(targets.len())
}

async fn inspect(
    aws: &Aws,
    name: &str,
    info: super::client::StackInfo,
) -> Result<Target, DeployError> {
    let text = aws.template(&info.id).await?;
    // Deployed templates may be YAML (another tool's): parse both.
    let template = crate::check::parse::parse_template(name, &text).unwrap_or(Value::Null);
    let mut blockers: Vec<String> = protections(&template)
        .into_iter()
        .map(|p| format!("{} ({}) {}", p.logical_id, p.resource_type, p.property))
        .collect();
    if info.termination_protection {
        blockers.insert(0, "termination protection on the stack".into());
    }
    Ok(Target {
        name: name.to_owned(),
        physical: aws.physical_ids(&info.id).await?,
        id: info.id,
        status: info.status,
        retained: retained(&template),
        losses: data_losses(&template),
        blockers,
    })
}

fn plan(targets: &[Target]) -> String {
    let mut out = String::from("will delete, in this order:\n");
    for t in targets {
        let _ = writeln!(
            out,
            "  {} ({}, {} resources)",
            t.name,
            t.status,
            t.physical.len()
        );
        for r in &t.retained {
            let physical = t
                .physical
                .iter()
                .find(|(l, _)| *l == r.logical_id)
                .map(|(_, p)| p.as_str())
                .unwrap_or("-");
            let (what, cost) = if r.policy == "Snapshot" {
                ("a final snapshot stays", "the snapshot")
            } else {
                ("stays", "it")
            };
            let default = if r.by_default { data::DEFAULT } else { "" };
            let _ = writeln!(
                out,
                "    {what}: {} ({}) {physical}  [DeletionPolicy {}{default}]; outside any stack, {cost} is billed until you delete it",
                r.logical_id, r.resource_type, r.policy
            );
        }
        for line in &t.losses {
            let _ = writeln!(out, "    {line}");
        }
        for b in &t.blockers {
            let _ = writeln!(out, "    BLOCKED by {b}");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn template() -> Value {
        json!({"Resources": {
            "Table": {"Type": "AWS::DynamoDB::Table", "DeletionPolicy": "Retain",
                      "Properties": {"DeletionProtectionEnabled": true}},
            "Db": {"Type": "AWS::RDS::DBInstance", "DeletionPolicy": "Snapshot",
                   "Properties": {"DeletionProtection": true}},
            "Pool": {"Type": "AWS::Cognito::UserPool", "Properties": {"DeletionProtection": "INACTIVE"}},
            "Alb": {"Type": "AWS::ElasticLoadBalancingV2::LoadBalancer", "Properties": {
                "LoadBalancerAttributes": [{"Key": "deletion_protection.enabled", "Value": "true"}]}},
            "Queue": {"Type": "AWS::SQS::Queue", "DeletionPolicy": "Delete"}
        }})
    }

    #[test]
    fn retain_and_snapshot_policies_are_listed() {
        let r = retained(&template());
        let got: Vec<(&str, &str)> = r
            .iter()
            .map(|r| (r.logical_id.as_str(), r.policy.as_str()))
            .collect();
        assert_eq!(got, [("Table", "Retain"), ("Db", "Snapshot")]);
    }

    #[test]
    fn deletion_protection_blocks_unless_the_resource_is_retained() {
        let p = protections(&template());
        let got: Vec<(&str, &str)> = p
            .iter()
            .map(|p| (p.logical_id.as_str(), p.property.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                ("Db", "DeletionProtection"),
                ("Alb", "LoadBalancerAttributes deletion_protection.enabled")
            ]
        );
    }

    #[test]
    fn the_plan_names_what_stays_and_what_blocks() {
        let t = Target {
            name: "app".into(),
            id: "arn".into(),
            status: "CREATE_COMPLETE".into(),
            retained: retained(&template()),
            losses: data_losses(&template()),
            physical: vec![("Table".into(), "app-Table-1".into())],
            blockers: vec!["termination protection on the stack".into()],
        };
        let text = plan(&[t]);
        assert!(
            text.contains("  app (CREATE_COMPLETE, 1 resources)"),
            "{text}"
        );
        assert!(
            text.contains(
                "    stays: Table (AWS::DynamoDB::Table) app-Table-1  [DeletionPolicy Retain]; outside any stack, it is billed until you delete it\n"
            ),
            "{text}"
        );
        assert!(
            text.contains(
                "    a final snapshot stays: Db (AWS::RDS::DBInstance) -  [DeletionPolicy Snapshot]; outside any stack, the snapshot is billed until you delete it\n"
            ),
            "{text}"
        );
        assert!(
            text.contains("    BLOCKED by termination protection on the stack"),
            "{text}"
        );
        assert!(
            text.contains("    WARNING: Queue (AWS::SQS::Queue) holds data and will be DELETED: its data is lost (no DeletionPolicy Retain or Snapshot)\n"),
            "{text}"
        );
    }

    #[test]
    fn data_is_lost_without_a_keeping_policy_and_snapshot_keeps_only_where_taken() {
        let t = json!({"Resources": {
            "Queue": {"Type": "AWS::SQS::Queue", "DeletionPolicy": "Delete"},
            "Bucket": {"Type": "AWS::S3::Bucket"},
            "Kept": {"Type": "AWS::S3::Bucket", "DeletionPolicy": "RetainExceptOnCreate"},
            "Db": {"Type": "AWS::RDS::DBInstance", "DeletionPolicy": "Snapshot"},
            "Table": {"Type": "AWS::DynamoDB::Table", "DeletionPolicy": "Snapshot"},
            "Role": {"Type": "AWS::IAM::Role"}
        }});
        let lost = data_losses(&t);
        let ids: Vec<&str> = lost
            .iter()
            .map(|l| l.split(' ').nth(1).unwrap_or_default())
            .collect();
        assert_eq!(ids, ["Queue", "Bucket", "Table"], "{lost:?}");
        let kept: Vec<String> = retained(&t).into_iter().map(|r| r.logical_id).collect();
        assert_eq!(kept, ["Kept", "Db"]);
    }

    #[test]
    fn a_database_without_a_deletion_policy_keeps_cloudformations_default_snapshot() {
        let t = json!({"Resources": {
            "Db": {"Type": "AWS::RDS::DBInstance", "Properties": {"Engine": "postgres"}},
            "Member": {"Type": "AWS::RDS::DBInstance", "Properties": {"DBClusterIdentifier": "c"}}
        }});
        let kept = retained(&t);
        assert_eq!(kept.len(), 1);
        assert_eq!(
            (kept[0].logical_id.as_str(), kept[0].by_default),
            ("Db", true)
        );
        let lost = data_losses(&t);
        assert_eq!(lost.len(), 1, "{lost:?}");
        assert!(lost[0].starts_with("WARNING: Member "), "{lost:?}");
    }
}
