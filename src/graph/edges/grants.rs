//! IAM grants: what the principal behind a role (a function, an ECS
//! service, an identity pool, a DAX cluster) may do to which component.

use serde_json::Value;

use super::{Sink, items, strings};
use crate::graph::classify::grant_label;
use crate::graph::index::{Index, Res};
use crate::graph::model::EdgeKind;
use crate::graph::refs;

/// The grant edges `r` gives rise to.
pub fn edges(ix: &Index<'_>, s: usize, r: &Res<'_>, sink: &mut Sink) {
    let p = r.props;
    match r.rtype {
        "AWS::IAM::Role" => {
            let principal = ix.resolve(s, r.id);
            for policy in items(p.get("Policies")) {
                document(ix, s, &principal, policy.get("PolicyDocument"), sink);
            }
        }
        "AWS::IAM::Policy" | "AWS::IAM::ManagedPolicy" | "AWS::IAM::RolePolicy" => {
            let mut roles = p.get("Roles").map(refs::names).unwrap_or_default();
            roles.extend(p.get("RoleName").map(refs::names).unwrap_or_default());
            for role in roles {
                document(ix, s, &ix.resolve(s, &role), p.get("PolicyDocument"), sink);
            }
        }
        _ => {}
    }
}

/// The grants of one policy document to the principal.
pub fn document(
    ix: &Index<'_>,
    s: usize,
    principal: &Option<String>,
    doc: Option<&Value>,
    sink: &mut Sink,
) {
    let Some(doc) = doc else { return };
    let statements = match doc.get("Statement") {
        Some(Value::Array(a)) => a.as_slice(),
        Some(one @ Value::Object(_)) => std::slice::from_ref(one),
        _ => &[],
    };
    for st in statements {
        if st.get("Effect").and_then(Value::as_str) != Some("Allow") {
            continue;
        }
        let label = grant_label(&strings(st.get("Action")));
        if label.is_empty() {
            continue;
        }
        let targets = ix.targets(s, st.get("Resource").unwrap_or(&Value::Null));
        sink.add_all(principal, &targets, &label, EdgeKind::Grant);
    }
}
