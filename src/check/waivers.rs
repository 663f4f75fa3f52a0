//! Waivers: a resource's `Metadata.stackcraft.waivers` (or the template's,
//! for template-wide rules) lists rules that do not apply, each with a reason.

use serde_json::Value;

use super::{Ctx, Report, Waiver, rule};

/// `(rule, reason)` pairs declared under `metadata`.
fn declared(metadata: Option<&Value>) -> Vec<(String, String)> {
    metadata
        .and_then(|m| m.pointer("/stackcraft/waivers"))
        .and_then(Value::as_array)
        .map(|list| {
            list.iter()
                .map(|w| {
                    let field = |k: &str| {
                        w.get(k)
                            .and_then(Value::as_str)
                            .unwrap_or("")
                            .trim()
                            .to_owned()
                    };
                    (field("rule"), field("reason"))
                })
                .collect()
        })
        .unwrap_or_default()
}

pub(super) fn apply(ctx: &mut Ctx<'_>) -> Report {
    let mut report = Report::default();
    let mut all: Vec<(String, String, String)> = declared(ctx.template.get("Metadata"))
        .into_iter()
        .map(|(r, why)| ("Template".to_owned(), r, why))
        .collect();
    for (id, r) in ctx.resources {
        all.extend(
            declared(r.get("Metadata"))
                .into_iter()
                .map(|(rule, why)| (id.clone(), rule, why)),
        );
    }
    let mut bad = Vec::new();
    for (resource, rule_id, reason) in &all {
        if rule(rule_id).is_none() || reason.is_empty() {
            let what = if reason.is_empty() {
                "has no reason"
            } else {
                "names no known rule"
            };
            bad.push((resource.clone(), format!("waiver of {rule_id:?} {what}")));
        }
    }
    let findings = std::mem::take(&mut ctx.findings);
    for f in findings {
        let waiver = all.iter().find(|(resource, rule_id, reason)| {
            !reason.is_empty()
                && *rule_id == f.rule
                && (*resource == f.resource || (resource == "Template" && f.resource == "Template"))
        });
        match waiver {
            Some((resource, rule_id, reason)) => report.waived.push(Waiver {
                rule: rule_id.clone(),
                file: f.file.clone(),
                resource: resource.clone(),
                reason: reason.clone(),
            }),
            None => report.findings.push(f),
        }
    }
    for (resource, message) in bad {
        ctx.report(
            "SC-WVR-001",
            &resource,
            "Metadata.stackcraft.waivers",
            message,
        );
    }
    report.findings.append(&mut ctx.findings);
    report.waived.dedup();
    report
}
