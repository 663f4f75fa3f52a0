//! Network reachability (security-group rules from one component's group
//! to another's) and calls to other stacks' services found through SSM
//! discovery parameters.

use serde_json::Value;

use super::Sink;
use super::api::first;
use crate::graph::index::{Index, Res};
use crate::graph::model::EdgeKind;
use crate::graph::refs;

/// The network edges `r` gives rise to.
pub fn edges(ix: &Index<'_>, s: usize, r: &Res<'_>, sink: &mut Sink) {
    let p = r.props;
    match r.rtype {
        "AWS::EC2::SecurityGroupEgress" => {
            let from = first(ix, s, p.get("GroupId"));
            let to = first(ix, s, p.get("DestinationSecurityGroupId"));
            sink.add(from, to, &ports(p), EdgeKind::Network);
        }
        "AWS::EC2::SecurityGroupIngress" => {
            let from = first(ix, s, p.get("SourceSecurityGroupId"));
            let to = first(ix, s, p.get("GroupId"));
            sink.add(from, to, &ports(p), EdgeKind::Network);
        }
        "AWS::EC2::SecurityGroup" => {
            let group = ix.resolve(s, r.id);
            for rule in super::items(p.get("SecurityGroupIngress")) {
                let from = first(ix, s, rule.get("SourceSecurityGroupId"));
                sink.add(from, group.clone(), &ports(rule), EdgeKind::Network);
            }
            for rule in super::items(p.get("SecurityGroupEgress")) {
                let to = first(ix, s, rule.get("DestinationSecurityGroupId"));
                sink.add(group.clone(), to, &ports(rule), EdgeKind::Network);
            }
        }
        _ => {}
    }
}

/// "TCP 5432", "TCP 8000-8100" or "all traffic".
fn ports(rule: &Value) -> String {
    let text = |k: &str| {
        rule.get(k)
            .map(|v| v.to_string().trim_matches('"').to_owned())
            .unwrap_or_default()
    };
    let protocol = text("IpProtocol");
    if protocol == "-1" || protocol.is_empty() {
        return "all traffic".to_owned();
    }
    let (from, to) = (text("FromPort"), text("ToPort"));
    let proto = protocol.to_ascii_uppercase();
    if from == to || to.is_empty() {
        format!("{proto} {from}")
    } else {
        format!("{proto} {from}-{to}")
    }
}

/// A component whose environment holds a parameter another stack
/// publishes (an SSM discovery parameter) calls that stack's service.
pub fn calls(ix: &Index<'_>, s: usize, sink: &mut Sink) {
    let st = &ix.stacks[s];
    for r in &st.resources {
        let Some(from) = ix.resolve(s, r.id) else {
            continue;
        };
        for reference in refs::references(r.props) {
            if !reference.path.contains("Environment")
                || !st.params.contains_key(reference.name.as_str())
            {
                continue;
            }
            let to = ix.resolve(s, &reference.name);
            let local = to
                .as_deref()
                .is_some_and(|t| t.starts_with(&format!("{}.", st.name)));
            if !local {
                let label = format!("calls ({})", reference.name);
                sink.add(Some(from.clone()), to, &label, EdgeKind::Call);
            }
        }
    }
}
