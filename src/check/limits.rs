//! CloudFormation's quotas, checked at synthesis time rather than at deploy.

use serde_json::Value;

use super::Ctx;
use crate::cfn::is_valid_logical_id;

/// Largest template body accepted inline (`--template-body`).
pub const INLINE_BODY_LIMIT: usize = 51_200;
/// Largest template body accepted through S3.
pub const S3_BODY_LIMIT: usize = 1_000_000;

pub(super) fn check(ctx: &mut Ctx<'_>) {
    let count = |section: &str| {
        ctx.template
            .get(section)
            .and_then(Value::as_object)
            .map_or(0, |m| m.len())
    };
    let quotas = [
        ("Resources", 500, "SC-LIM-001"),
        ("Parameters", 200, "SC-LIM-002"),
        ("Outputs", 200, "SC-LIM-003"),
        ("Mappings", 200, "SC-LIM-004"),
    ];
    for (section, max, rule) in quotas {
        let n = count(section);
        if n > max {
            ctx.report(
                rule,
                "Template",
                section,
                format!("{n} {} (at most {max})", section.to_lowercase()),
            );
        }
    }
    let len = ctx.body_len;
    if len > S3_BODY_LIMIT {
        ctx.report(
            "SC-LIM-006",
            "Template",
            "",
            format!("the template body is {len} bytes (at most {S3_BODY_LIMIT})"),
        );
    } else if len > INLINE_BODY_LIMIT {
        ctx.report("SC-LIM-005", "Template", "", format!("the template body is {len} bytes: over {INLINE_BODY_LIMIT}, it must be uploaded through S3"));
    }
    let mut bad = Vec::new();
    // Condition names are not held to this: CloudFormation and cfn-lint
    // accept other characters in them (cfn-lint's schema allows `&` and `_`).
    for section in ["Resources", "Parameters", "Outputs", "Mappings"] {
        if let Some(m) = ctx.template.get(section).and_then(Value::as_object) {
            for id in m.keys().filter(|id| !is_valid_logical_id(id)) {
                bad.push(format!("{section}.{id}"));
            }
        }
    }
    for place in bad {
        ctx.report(
            "SC-LIM-007",
            &place,
            "",
            format!("{place:?} is not 1 to 255 ASCII letters and digits"),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::check::check_template;
    use serde_json::{Map, Value, json};

    fn found(t: &Value, len: usize) -> Vec<String> {
        check_template("t.json", len, t)
            .findings
            .into_iter()
            .filter(|f| f.rule.starts_with("SC-LIM"))
            .map(|f| f.rule.to_owned())
            .collect()
    }

    #[test]
    fn quotas() {
        let many = |n: usize, v: Value| -> Value {
            Value::Object(
                (0..n)
                    .map(|i| (format!("X{i}"), v.clone()))
                    .collect::<Map<_, _>>(),
            )
        };
        let ok = json!({"Resources": many(500, json!({"Type": "Custom::X"}))});
        assert!(found(&ok, 100).is_empty());
        let t = json!({
            "Resources": many(501, json!({"Type": "Custom::X"})),
            "Outputs": many(201, json!({"Value": "x"})),
            "Mappings": many(201, json!({})),
        });
        assert_eq!(found(&t, 100), ["SC-LIM-001", "SC-LIM-003", "SC-LIM-004"]);
    }

    #[test]
    fn body_size_and_ids() {
        let t =
            json!({"Resources": {"ok": {"Type": "Custom::X"}, "not-ok": {"Type": "Custom::X"}}});
        assert_eq!(found(&t, 51_200), ["SC-LIM-007"]);
        assert_eq!(found(&t, 51_201), ["SC-LIM-005", "SC-LIM-007"]);
        assert_eq!(found(&t, 1_000_001), ["SC-LIM-006", "SC-LIM-007"]);
    }
}
