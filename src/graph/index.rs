//! The templates as a graph builder sees them: resources in order, which
//! component each plumbing resource is folded into, and how a reference
//! (possibly through an SSM discovery parameter) resolves to a node.

use std::collections::BTreeMap;

use serde_json::Value;

use super::classify;
use super::refs::{self, Reference};

/// One resource of a template.
#[derive(Debug)]
pub struct Res<'a> {
    /// Its logical id.
    pub id: &'a str,
    /// Its `Type`.
    pub rtype: &'a str,
    /// Its `Properties` (`Null` when absent).
    pub props: &'a Value,
    /// Whether it is drawn as a node of its own in the flow view.
    pub component: bool,
}

/// One template.
#[derive(Debug)]
pub struct StackIx<'a> {
    /// The stack's name.
    pub name: &'a str,
    /// Resources in template order.
    pub resources: Vec<Res<'a>>,
    /// `Parameters`, by name.
    pub params: BTreeMap<&'a str, &'a Value>,
    /// For every resource, the component it is drawn as part of (a
    /// component maps to itself); plumbing serving nothing is absent.
    pub owner: BTreeMap<&'a str, &'a str>,
}

/// Every template, and the SSM parameter names published across them.
#[derive(Debug)]
pub struct Index<'a> {
    /// The stacks, in the order given.
    pub stacks: Vec<StackIx<'a>>,
    /// SSM parameter name -> the node id its value points at.
    pub published: BTreeMap<String, String>,
}

/// A node id: `stack.LogicalId`.
pub fn node_id(stack: &str, id: &str) -> String {
    format!("{stack}.{id}")
}

impl<'a> Index<'a> {
    /// Indexes `(stack name, template)` pairs.
    pub fn new(templates: &'a [(String, Value)]) -> Self {
        let mut stacks: Vec<StackIx<'a>> =
            templates.iter().map(|(name, t)| stack(name, t)).collect();
        for s in &mut stacks {
            s.owner = super::fold::owners(s);
        }
        let mut ix = Index {
            stacks,
            published: BTreeMap::new(),
        };
        ix.published = ix.publications();
        ix
    }

    /// The resource `id` of stack `s`.
    pub fn res(&self, s: usize, id: &str) -> Option<&Res<'a>> {
        self.stacks[s].resources.iter().find(|r| r.id == id)
    }

    /// The node a referenced name stands for in stack `s`: the owning
    /// component of a resource, or, for an `AWS::SSM::Parameter::Value`
    /// parameter whose default another stack publishes, that node.
    pub fn resolve(&self, s: usize, name: &str) -> Option<String> {
        let st = &self.stacks[s];
        if let Some(owner) = st.owner.get(name) {
            return Some(node_id(st.name, owner));
        }
        let p = st.params.get(name)?;
        let ty = p.get("Type").and_then(Value::as_str)?;
        if !ty.starts_with("AWS::SSM::Parameter::Value<") {
            return None;
        }
        let default = p.get("Default").and_then(Value::as_str)?;
        self.published.get(default).cloned()
    }

    /// The nodes the references in `v` resolve to, in order, without repeats.
    pub fn targets(&self, s: usize, v: &Value) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for name in refs::names(v) {
            if let Some(n) = self.resolve(s, &name)
                && !out.contains(&n)
            {
                out.push(n);
            }
        }
        out
    }

    /// The node behind a domain name: a URL built from a parameter (or
    /// literal) that a Route 53 alias record of the same stack names, such
    /// as `https://${DomainName}` in front of a load balancer.
    fn behind_dns_name(&self, s: usize, value: &Value) -> Option<String> {
        let wanted = refs::names(value);
        self.stacks[s]
            .resources
            .iter()
            .filter(|r| r.rtype == "AWS::Route53::RecordSet")
            .filter(|r| {
                refs::names(r.props.get("Name").unwrap_or(&Value::Null))
                    .iter()
                    .any(|n| wanted.contains(n))
            })
            .find_map(|r| {
                let alias = r.props.get("AliasTarget")?;
                self.targets(s, alias.get("DNSName")?).into_iter().next()
            })
    }

    /// SSM parameters with a literal name whose value points at a node.
    fn publications(&self) -> BTreeMap<String, String> {
        let mut out = BTreeMap::new();
        for (s, st) in self.stacks.iter().enumerate() {
            for r in st
                .resources
                .iter()
                .filter(|r| r.rtype == "AWS::SSM::Parameter")
            {
                let Some(name) = literal(r.props.get("Name")) else {
                    continue;
                };
                let value = r.props.get("Value").unwrap_or(&Value::Null);
                let target = self
                    .targets(s, value)
                    .into_iter()
                    .next()
                    .or_else(|| self.behind_dns_name(s, value));
                if let Some(target) = target {
                    out.insert(name, target);
                }
            }
        }
        out
    }
}

/// A string, or a `Fn::Sub` without variables.
fn literal(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::String(s) => Some(s.clone()),
        Value::Object(m) => match m.get("Fn::Sub") {
            Some(Value::String(s)) if refs::sub_variables(s).is_empty() => Some(s.clone()),
            _ => None,
        },
        _ => None,
    }
}

fn stack<'a>(name: &'a str, t: &'a Value) -> StackIx<'a> {
    let mut resources = Vec::new();
    if let Some(map) = t.get("Resources").and_then(Value::as_object) {
        for (id, body) in map {
            let Some(rtype) = body.get("Type").and_then(Value::as_str) else {
                continue;
            };
            let props = body.get("Properties").unwrap_or(&Value::Null);
            resources.push(Res {
                id,
                rtype,
                props,
                component: classify::component(rtype).is_some(),
            });
        }
    }
    add_implicit_apis(&mut resources);
    let params = t
        .get("Parameters")
        .and_then(Value::as_object)
        .map(|m| m.iter().map(|(k, v)| (k.as_str(), v)).collect())
        .unwrap_or_default();
    let mut st = StackIx {
        name,
        resources,
        params,
        owner: BTreeMap::new(),
    };
    demote_log_buckets(&mut st);
    st
}

static NO_PROPERTIES: Value = Value::Null;

/// SAM creates `ServerlessRestApi` (`ServerlessHttpApi`) for `Api`
/// (`HttpApi`) events that name no API: draw it as the node it will be.
fn add_implicit_apis<'a>(resources: &mut Vec<Res<'a>>) {
    use super::edges::sam::{IMPLICIT_API, IMPLICIT_HTTP_API};
    let implicit = |ty: &str, key: &str| {
        resources.iter().any(|r| {
            r.rtype == "AWS::Serverless::Function"
                && r.props
                    .get("Events")
                    .and_then(Value::as_object)
                    .is_some_and(|evs| {
                        evs.values().any(|e| {
                            e.get("Type").and_then(Value::as_str) == Some(ty)
                                && e.get("Properties").and_then(|p| p.get(key)).is_none()
                        })
                    })
        })
    };
    let wanted = [
        (
            implicit("Api", "RestApiId"),
            IMPLICIT_API,
            "AWS::Serverless::Api",
        ),
        (
            implicit("HttpApi", "ApiId"),
            IMPLICIT_HTTP_API,
            "AWS::Serverless::HttpApi",
        ),
    ];
    for (needed, id, rtype) in wanted {
        if needed && !resources.iter().any(|r| r.id == id) {
            resources.push(Res {
                id,
                rtype,
                props: &NO_PROPERTIES,
                component: true,
            });
        }
    }
}

/// Buckets that only receive logs are plumbing (referenced under a logging
/// key, or with a policy letting a log-delivery service write), and so are
/// the instances of an Aurora cluster.
fn demote_log_buckets(st: &mut StackIx<'_>) {
    let mut logs: Vec<String> = Vec::new();
    for r in &st.resources {
        for Reference { name, path } in refs::references(r.props) {
            let logging = path.contains("Logging")
                || path.contains("LogDestination")
                || path.contains("LoadBalancerAttributes")
                || path.contains("AccessLog");
            if logging {
                logs.push(name);
            }
        }
        if r.rtype == "AWS::S3::BucketPolicy" {
            let text = r.props.get("PolicyDocument").map(Value::to_string);
            let delivers = text.is_some_and(|t| {
                classify::LOG_DELIVERY_PRINCIPALS
                    .iter()
                    .any(|p| t.contains(p))
            });
            if delivers {
                logs.extend(refs::names(r.props.get("Bucket").unwrap_or(&Value::Null)));
            }
        }
    }
    // A replica of a log bucket holds logs too.
    for r in &st.resources {
        if logs.iter().any(|l| l == r.id) {
            let replication = r.props.get("ReplicationConfiguration");
            logs.extend(replication.map(refs::names).unwrap_or_default());
        }
    }
    for r in &mut st.resources {
        if r.rtype == "AWS::S3::Bucket" && logs.iter().any(|l| l == r.id) {
            r.component = false;
        }
        // An instance of an Aurora cluster is part of the cluster.
        if r.rtype == "AWS::RDS::DBInstance" && r.props.get("DBClusterIdentifier").is_some() {
            r.component = false;
        }
    }
}
