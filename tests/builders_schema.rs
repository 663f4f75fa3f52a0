//! The typed builders in `src/resources` are tested against the
//! CloudFormation registry schemas, not generated from them (see
//! ARCHITECTURE.md): every resource each blueprint emits, under settings
//! that switch its optional parts on and off, must have only properties its
//! type's schema has, with the schema's types and within its limits, and
//! every required property. `check` judges exactly that (`SC-SCH-*`); here
//! it must find nothing at any severity, and every property path emitted must
//! resolve in the registry.

use serde_json::Value;
use stackcraft::blueprints::BuiltIn;
use stackcraft::registry::{Kind, TypeInfo, classify};

/// Settings shapes per blueprint: each a list of `--set` assignments.
fn variants(b: BuiltIn) -> Vec<Vec<&'static str>> {
    let mut v = vec![vec![]];
    match b {
        BuiltIn::Todo => {
            v.push(vec![
                "table.billing=on_demand",
                "table.deletion_protection=false",
            ]);
            v.push(vec!["auth.mfa=off", "auth.ses_sender=auth@example.com"]);
            v.push(vec![
                "function.reserved_concurrency=5",
                "network.az_count=3",
            ]);
            v.push(vec!["api.manage_account_logging_role=false", "dax.nodes=1"]);
        }
        BuiltIn::Blog => {
            v.push(vec![
                "email.create_identity=true",
                "reserved_concurrency.api=2",
            ]);
            v.push(vec![
                "regions=[us-east-1, eu-west-1]",
                "cdn.price_class=PriceClass_100",
            ]);
        }
        BuiltIn::Micro => {
            v.push(vec!["network.az_count=3"]);
        }
    }
    v
}

/// Every property path under `value` (`A`, `A.B`, `A[].B`).
fn paths(value: &Value, prefix: &str, out: &mut Vec<String>) {
    match value {
        Value::Object(m) if !is_function(value) => {
            for (k, v) in m {
                let p = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}.{k}")
                };
                out.push(p.clone());
                paths(v, &p, out);
            }
        }
        Value::Array(items) => items.iter().for_each(|i| paths(i, prefix, out)),
        _ => {}
    }
}

fn is_function(v: &Value) -> bool {
    stackcraft::registry::is_intrinsic(v)
}

/// Whether the schema describes `path` or leaves that place open (a
/// free-form mapping, pattern properties).
fn described(info: &TypeInfo, path: &str) -> bool {
    let mut at = String::new();
    for part in path.split('.') {
        if !at.is_empty() {
            at.push('.');
        }
        at.push_str(part);
        if info.property(&at).is_none() {
            // Allowed only where the parent leaves names open.
            let parent = at.rsplit_once('.').map(|(p, _)| p);
            let shape = match parent {
                None => info.properties(),
                Some(p) => match info.property(p) {
                    Some(s) => s,
                    None => return false,
                },
            };
            let shape = info.resolve(shape);
            let shape = shape.items.as_deref().map_or(shape, |i| info.resolve(i));
            return !shape.names_are_closed() || !shape.pattern_properties.is_empty();
        }
    }
    true
}

#[test]
fn every_emitted_property_exists_in_the_registry_with_a_fitting_value() {
    let mut resources = 0;
    for b in BuiltIn::ALL {
        for sets in variants(b) {
            let mut layers = b.defaults();
            for s in &sets {
                layers = layers.set(s);
            }
            let artifacts = b
                .synth_checked(&layers)
                .unwrap_or_else(|e| panic!("{} {sets:?}: {e}", b.name()));
            for a in artifacts
                .iter()
                .filter(|a| a.path.to_string_lossy().ends_with(".template.json"))
            {
                let name = a.path.display().to_string();
                let t: Value = serde_json::from_str(a.contents()).unwrap();
                let report = stackcraft::check::check_template(&name, a.contents().len(), &t);
                let schema: Vec<_> = report
                    .findings
                    .iter()
                    .filter(|f| f.rule.starts_with("SC-SCH"))
                    .collect();
                assert!(schema.is_empty(), "{} {sets:?}: {schema:#?}", b.name());
                for (id, r) in t["Resources"].as_object().unwrap() {
                    resources += 1;
                    let kind = r["Type"].as_str().unwrap();
                    let Kind::Known(info) = classify(kind) else {
                        panic!("{name}: {id} has type {kind}, which the registry does not know");
                    };
                    let mut found = Vec::new();
                    paths(&r["Properties"], "", &mut found);
                    for p in found {
                        assert!(
                            described(info, &p),
                            "{name}: {id} ({kind}) emits {p}, which its schema lacks"
                        );
                    }
                }
            }
        }
    }
    assert!(resources > 300, "only {resources} resources judged");
}

#[test]
fn the_path_judge_can_fail() {
    let Kind::Known(queue) = classify("AWS::SQS::Queue") else {
        panic!("no queue type");
    };
    assert!(described(queue, "RedrivePolicy"));
    assert!(!described(queue, "RedrivePolcy"));
    let Kind::Known(table) = classify("AWS::DynamoDB::Table") else {
        panic!("no table type");
    };
    assert!(described(table, "Tags.Key"));
    assert!(!described(table, "Tags.Name"));
    let Kind::Known(param) = classify("AWS::DAX::ParameterGroup") else {
        panic!("no parameter group type");
    };
    // A free-form mapping takes any name.
    assert!(described(param, "ParameterNameValues.record-ttl-millis"));
}
