//! Integrity: every reference resolves, GetAtt attributes exist, no
//! dependency cycle, conditions exist, parameters are used.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use serde_json::{Map, Value};

use super::{Ctx, walk};
use crate::registry::Kind;

const PSEUDO: &[&str] = &[
    "AWS::AccountId",
    "AWS::NotificationARNs",
    "AWS::NoValue",
    "AWS::Partition",
    "AWS::Region",
    "AWS::StackId",
    "AWS::StackName",
    "AWS::URLSuffix",
];

/// `${Name}` and `${Name.Attr}` variables of a `Fn::Sub` string, without
/// `${!Literal}` escapes.
pub(crate) fn sub_variables(s: &str) -> Vec<&str> {
    let mut vars = Vec::new();
    let mut rest = s;
    while let Some(start) = rest.find("${") {
        let after = &rest[start + 2..];
        let Some(end) = after.find('}') else { break };
        let inner = &after[..end];
        if !inner.starts_with('!') {
            vars.push(inner.trim());
        }
        rest = &after[end + 1..];
    }
    vars
}

/// A reference met while walking a template.
enum Seen {
    Name(String, &'static str),
    GetAtt(String, Option<String>, &'static str),
    Condition(String, &'static str),
}

/// A finding before it is recorded: rule, owner, path, message.
type Pending = (&'static str, String, String, String);

/// What the walk learns and what it finds, while the template is borrowed.
struct Judge<'a, 'k> {
    params: BTreeSet<&'a str>,
    conditions: BTreeSet<&'a str>,
    ids: BTreeSet<String>,
    resources: &'a Map<String, Value>,
    kinds: &'k HashMap<&'a str, Kind>,
    used_params: HashSet<String>,
    edges: BTreeMap<String, BTreeSet<String>>,
    pending: Vec<Pending>,
}

pub(super) fn check(ctx: &mut Ctx<'_>) {
    let template = ctx.template;
    let mut judge = Judge {
        params: section_keys(template, "Parameters"),
        conditions: section_keys(template, "Conditions"),
        ids: ctx.resources.keys().cloned().collect(),
        resources: ctx.resources,
        kinds: &ctx.kinds,
        used_params: HashSet::new(),
        edges: BTreeMap::new(),
        pending: Vec::new(),
    };
    for (owner, value) in places(template, ctx.resources) {
        let is_resource = judge.resources.contains_key(&owner);
        // Gather the references first, then judge them: the walk borrows
        // the template while the judging records findings.
        for (seen, p) in references(value) {
            judge.seen(&owner, is_resource, seen, p);
        }
        if let Some(obj) = value.as_object() {
            judge.envelope(&owner, is_resource, obj);
        }
    }
    let Judge {
        params,
        used_params,
        edges,
        pending,
        ..
    } = judge;
    for (rule, owner, path, message) in pending {
        ctx.report(rule, &owner, &path, message);
    }
    if let Some(cycle) = find_cycle(&edges) {
        let first = cycle[0].clone();
        ctx.report(
            "SC-INT-003",
            &first,
            "",
            format!("dependency cycle: {}", cycle.join(" -> ")),
        );
    }
    for p in &params {
        if !used_params.contains(*p) {
            ctx.report(
                "SC-INT-005",
                &format!("Parameters.{p}"),
                "",
                format!("parameter {p:?} is never used"),
            );
        }
    }
}

/// Everything that can hold references: resources, outputs, conditions
/// and the assertions of `Rules` (which may be all that uses a parameter).
fn places<'a>(template: &'a Value, resources: &'a Map<String, Value>) -> Vec<(String, &'a Value)> {
    let mut places: Vec<(String, &Value)> = Vec::new();
    for (id, r) in resources {
        places.push((id.clone(), r));
    }
    for section in ["Outputs", "Conditions", "Rules"] {
        if let Some(m) = template.get(section).and_then(Value::as_object) {
            for (k, v) in m {
                places.push((format!("{section}.{k}"), v));
            }
        }
    }
    places
}

/// Every reference in `value`, with the path it sits at.
fn references(value: &Value) -> Vec<(Seen, String)> {
    let mut found: Vec<(Seen, String)> = Vec::new();
    let mut path = String::new();
    walk(value, &mut path, &mut |v, p| {
        let Some(obj) = v.as_object() else { return };
        if obj.len() != 1 {
            return;
        }
        if let Some(Value::String(name)) = obj.get("Ref") {
            found.push((Seen::Name(name.clone(), "Ref"), p.to_owned()));
        }
        // `Fn::ValueOf: [Parameter, Attribute]`, a Rules function.
        if let Some(Value::Array(args)) = obj.get("Fn::ValueOf")
            && let Some(Value::String(name)) = args.first()
        {
            found.push((Seen::Name(name.clone(), "Fn::ValueOf"), p.to_owned()));
        }
        if let Some(seen) = obj.get("Fn::GetAtt").and_then(get_att) {
            found.push((seen, p.to_owned()));
        }
        if let Some(sub) = obj.get("Fn::Sub") {
            found.extend(sub_references(sub).into_iter().map(|s| (s, p.to_owned())));
        }
        if let Some(Value::Array(args)) = obj.get("Fn::If")
            && let Some(Value::String(c)) = args.first()
        {
            found.push((
                Seen::Condition(c.clone(), "Fn::If names condition"),
                p.to_owned(),
            ));
        }
        if let Some(Value::String(c)) = obj.get("Condition")
            && p.contains("Fn::")
        {
            found.push((Seen::Condition(c.clone(), "condition"), p.to_owned()));
        }
    });
    found
}

/// The resource and attribute of an `Fn::GetAtt` (list or dotted string).
fn get_att(att: &Value) -> Option<Seen> {
    let (id, attr) = match att {
        Value::Array(a) => (
            a.first().and_then(Value::as_str),
            a.get(1).and_then(Value::as_str),
        ),
        Value::String(s) => match s.split_once('.') {
            Some((a, b)) => (Some(a), Some(b)),
            None => (Some(s.as_str()), None),
        },
        _ => (None, None),
    };
    id.map(|id| Seen::GetAtt(id.to_owned(), attr.map(str::to_owned), "Fn::GetAtt"))
}

/// The variables of an `Fn::Sub` that it does not define itself.
fn sub_references(sub: &Value) -> Vec<Seen> {
    let (s, own): (Option<&str>, Vec<&str>) = match sub {
        Value::String(s) => (Some(s), vec![]),
        Value::Array(a) => (
            a.first().and_then(Value::as_str),
            a.get(1)
                .and_then(Value::as_object)
                .map(|m| m.keys().map(String::as_str).collect())
                .unwrap_or_default(),
        ),
        _ => (None, vec![]),
    };
    s.map(sub_variables)
        .unwrap_or_default()
        .into_iter()
        .filter(|var| !own.contains(var))
        // `${Res.Attr}` reads an attribute, as Fn::GetAtt does.
        .map(|var| match var.split_once('.') {
            Some((id, attr)) if !var.starts_with("AWS::") => {
                Seen::GetAtt(id.to_owned(), Some(attr.to_owned()), "Fn::Sub variable")
            }
            _ => Seen::Name(var.to_owned(), "Fn::Sub variable"),
        })
        .collect()
}

impl Judge<'_, '_> {
    fn known(&self, name: &str) -> bool {
        PSEUDO.contains(&name) || self.params.contains(name) || self.ids.contains(name)
    }

    fn edge(&mut self, owner: &str, to: String) {
        self.edges.entry(owner.to_owned()).or_default().insert(to);
    }

    fn finding(&mut self, rule: &'static str, owner: &str, path: String, message: String) {
        self.pending.push((rule, owner.to_owned(), path, message));
    }

    /// Judges one reference found in `owner`.
    fn seen(&mut self, owner: &str, is_resource: bool, seen: Seen, p: String) {
        match seen {
            Seen::Name(name, what) => {
                if self.params.contains(name.as_str()) {
                    self.used_params.insert(name.clone());
                }
                if !self.known(&name) {
                    let message = format!(
                        "{what} names {name:?}, which is not a parameter, resource or pseudo parameter"
                    );
                    self.finding("SC-INT-001", owner, p, message);
                } else if is_resource && self.ids.contains(&name) {
                    self.edge(owner, name);
                }
            }
            Seen::GetAtt(id, attr, what) => {
                if !self.ids.contains(&id) {
                    let message = format!("{what} names {id:?}, which is not a resource");
                    self.finding("SC-INT-001", owner, p, message);
                    return;
                }
                let kind = self.resources[&id]
                    .get("Type")
                    .and_then(Value::as_str)
                    .unwrap_or("");
                let known = self.kinds.get(kind).copied().unwrap_or(Kind::Unknowable);
                if let Some(attr) = &attr
                    && let Some(message) = missing_attribute(known, kind, attr, what)
                {
                    self.finding("SC-INT-002", owner, p, message);
                }
                if is_resource {
                    self.edge(owner, id);
                }
            }
            Seen::Condition(c, what) => {
                if !self.conditions.contains(c.as_str()) {
                    let message = format!("{what} {c:?}, which is not declared");
                    self.finding("SC-INT-004", owner, p, message);
                }
            }
        }
    }

    /// A resource's `DependsOn` and `Condition` (outputs may name a condition too).
    fn envelope(&mut self, owner: &str, is_resource: bool, obj: &Map<String, Value>) {
        let deps: Vec<&str> = match obj.get("DependsOn") {
            Some(Value::String(s)) if is_resource => vec![s.as_str()],
            Some(Value::Array(a)) if is_resource => a.iter().filter_map(Value::as_str).collect(),
            _ => vec![],
        };
        for d in deps {
            if self.ids.contains(d) {
                self.edge(owner, d.to_owned());
            } else {
                let message = format!("DependsOn names {d:?}, which is not a resource");
                self.finding("SC-INT-001", owner, "DependsOn".into(), message);
            }
        }
        if let Some(Value::String(c)) = obj.get("Condition")
            && !self.conditions.contains(c.as_str())
        {
            let message = format!("condition {c:?}, which is not declared");
            self.finding("SC-INT-004", owner, "Condition".into(), message);
        }
    }
}

/// Why `kind` has no attribute `attr`, when the registry knows the type and
/// it has none of that name. Types the registry cannot know pass.
fn missing_attribute(known: Kind, kind: &str, attr: &str, what: &str) -> Option<String> {
    let Kind::Known(info) = known else {
        return None;
    };
    if info.has_attribute(attr) {
        return None;
    }
    // Long lists (an RDS instance has over a hundred) are cut short.
    const SHOWN: usize = 12;
    let attrs = info.attributes();
    let mut list = attrs
        .iter()
        .take(SHOWN)
        .cloned()
        .collect::<Vec<_>>()
        .join(", ");
    if attrs.len() > SHOWN {
        list.push_str(&format!(", and {} more", attrs.len() - SHOWN));
    }
    if attrs.is_empty() {
        list = "none".into();
    }
    Some(format!(
        "{what} reads {attr:?}, but {kind} has no such attribute (it has: {list})"
    ))
}

fn section_keys<'a>(template: &'a Value, section: &str) -> BTreeSet<&'a str> {
    template
        .get(section)
        .and_then(Value::as_object)
        .map(|m| m.keys().map(String::as_str).collect())
        .unwrap_or_default()
}

/// A cycle as a path that returns to its start, if the graph has one.
fn find_cycle(edges: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        Open,
        Done,
    }
    fn visit(
        node: &str,
        edges: &BTreeMap<String, BTreeSet<String>>,
        marks: &mut BTreeMap<String, Mark>,
        stack: &mut Vec<String>,
    ) -> Option<Vec<String>> {
        marks.insert(node.to_owned(), Mark::Open);
        stack.push(node.to_owned());
        for next in edges.get(node).into_iter().flatten() {
            match marks.get(next.as_str()) {
                Some(Mark::Open) => {
                    let start = stack.iter().position(|n| n == next).unwrap_or(0);
                    let mut cycle = stack[start..].to_vec();
                    cycle.push(next.clone());
                    return Some(cycle);
                }
                Some(Mark::Done) => {}
                None => {
                    if let Some(c) = visit(next, edges, marks, stack) {
                        return Some(c);
                    }
                }
            }
        }
        stack.pop();
        marks.insert(node.to_owned(), Mark::Done);
        None
    }
    let mut marks = BTreeMap::new();
    for node in edges.keys() {
        if !marks.contains_key(node.as_str())
            && let Some(c) = visit(node, edges, &mut marks, &mut Vec::new())
        {
            return Some(c);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use crate::check::check_template;
    use serde_json::json;

    fn rules(t: serde_json::Value) -> Vec<(String, String)> {
        check_template("t.json", 100, &t)
            .findings
            .into_iter()
            .filter(|f| f.rule.starts_with("SC-INT"))
            .map(|f| (f.rule.to_owned(), f.message))
            .collect()
    }

    #[test]
    fn resolved_references_pass() {
        let t = json!({
            "Parameters": {"P": {"Type": "String"}},
            "Conditions": {"C": {"Fn::Equals": [{"Ref": "P"}, "x"]}},
            "Resources": {
                "Q": {"Type": "AWS::SQS::Queue", "Condition": "C"},
                "L": {"Type": "AWS::Logs::LogGroup", "DependsOn": "Q", "Properties": {
                    "LogGroupName": {"Fn::Sub": "${Q.QueueName}-${AWS::Region}-${!Literal}"},
                    "X": {"Fn::If": ["C", {"Fn::GetAtt": ["Q", "Arn"]}, {"Ref": "AWS::NoValue"}]},
                    "Y": {"Fn::Sub": ["${V}", {"V": {"Ref": "Q"}}]}
                }}
            },
            "Outputs": {"O": {"Value": {"Ref": "L"}}}
        });
        assert_eq!(rules(t), vec![]);
    }

    #[test]
    fn unresolved_references_fail() {
        let t = json!({"Resources": {"L": {"Type": "AWS::Logs::LogGroup", "DependsOn": ["Gone"], "Properties": {
            "A": {"Ref": "Missing"}, "B": {"Fn::GetAtt": ["Nope", "Arn"]}, "C": {"Fn::Sub": "${Absent}"}
        }}}, "Outputs": {"O": {"Value": {"Ref": "Elsewhere"}}}});
        let found = rules(t);
        assert_eq!(
            found.iter().filter(|(r, _)| r == "SC-INT-001").count(),
            5,
            "{found:?}"
        );
    }

    #[test]
    fn unknown_attributes_of_modelled_types_fail() {
        let t = json!({"Resources": {
            "Q": {"Type": "AWS::SQS::Queue"},
            "U": {"Type": "Custom::Thing"},
            "L": {"Type": "AWS::Logs::LogGroup", "Properties": {
                "A": {"Fn::GetAtt": ["Q", "Url"]}, "B": {"Fn::GetAtt": ["U", "Anything"]}
            }}
        }});
        let found = rules(t);
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].1.contains("AWS::SQS::Queue has no such attribute"));
    }

    #[test]
    fn real_attributes_pass_in_getatt_and_sub() {
        let t = json!({"Resources": {
            "Db": {"Type": "AWS::RDS::DBInstance"},
            "P": {"Type": "AWS::SSM::Parameter"},
            "Net": {"Type": "AWS::EC2::Subnet"},
            "Stack": {"Type": "AWS::CloudFormation::Stack"},
            "L": {"Type": "AWS::Logs::LogGroup", "Properties": {
                "A": {"Fn::GetAtt": ["Db", "DbiResourceId"]},
                "B": {"Fn::GetAtt": "Db.Endpoint.Address"},
                "C": {"Fn::GetAtt": ["P", "Value"]},
                "D": {"Fn::GetAtt": ["Net", "CidrBlock"]},
                "E": {"Fn::Sub": "${Db.Endpoint.Port}/${P.Value}/${Net.CidrBlock}/${Stack.Outputs.Url}"}
            }}
        }});
        assert_eq!(rules(t), vec![]);
    }

    #[test]
    fn unknown_attributes_in_sub_fail() {
        let t = json!({"Resources": {
            "Q": {"Type": "AWS::SQS::Queue"},
            "L": {"Type": "AWS::Logs::LogGroup", "Properties": {
                "A": {"Fn::Sub": "${Q.Url}-${Q.Arn}"}, "B": {"Fn::Sub": "${Gone.Arn}"}
            }}
        }});
        let found = rules(t);
        assert_eq!(found.len(), 2, "{found:?}");
        assert_eq!(found[0].0, "SC-INT-002");
        assert!(
            found[0].1.starts_with(
                "Fn::Sub variable reads \"Url\", but AWS::SQS::Queue has no such attribute"
            ),
            "{}",
            found[0].1
        );
        assert_eq!(found[1].0, "SC-INT-001");
    }

    #[test]
    fn the_rules_section_is_walked() {
        let t = json!({
            "Parameters": {"Env": {"Type": "String"}, "Subnet": {"Type": "AWS::EC2::Subnet::Id"}},
            "Rules": {"ProdSubnets": {
                "RuleCondition": {"Fn::Equals": [{"Ref": "Env"}, "prod"]},
                "Assertions": [
                    {"Assert": {"Fn::Contains": [["a"], {"Fn::ValueOf": ["Subnet", "VpcId"]}]}},
                    {"Assert": {"Fn::Equals": [{"Ref": "Missing"}, "x"]}}
                ]
            }},
            "Resources": {"Q": {"Type": "AWS::SQS::Queue"}}
        });
        let found = rules(t);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].0, "SC-INT-001");
        assert!(found[0].1.contains("\"Missing\""));
    }

    #[test]
    fn cycles_are_reported_with_their_path() {
        let t = json!({"Resources": {
            "A": {"Type": "AWS::SQS::Queue", "Properties": {"X": {"Ref": "B"}}},
            "B": {"Type": "AWS::SQS::Queue", "Properties": {"X": {"Fn::GetAtt": ["C", "Arn"]}}},
            "C": {"Type": "AWS::SQS::Queue", "DependsOn": "A"}
        }});
        let found = rules(t);
        assert_eq!(
            found,
            vec![(
                "SC-INT-003".into(),
                "dependency cycle: A -> B -> C -> A".into()
            )]
        );
    }

    #[test]
    fn missing_conditions_and_unused_parameters() {
        let t = json!({
            "Parameters": {"Unused": {"Type": "String"}},
            "Resources": {"A": {"Type": "AWS::SQS::Queue", "Condition": "Nope", "Properties": {
                "X": {"Fn::If": ["AlsoNope", 1, 2]}
            }}}
        });
        let found: Vec<String> = rules(t).into_iter().map(|(r, _)| r).collect();
        assert_eq!(found, ["SC-INT-004", "SC-INT-004", "SC-INT-005"]);
    }
}
