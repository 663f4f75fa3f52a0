//! `stackcraft graph`: the architecture picture drawn from the templates
//! themselves, so it cannot drift from what deploys.
//!
//! [`build`] reads any set of templates (one per stack) into a [`Graph`]:
//! with [`Detail::Flows`] one node per component, plumbing folded in (see
//! [`classify`] and `fold`), and edges for how data and requests flow (see
//! `edges`); with [`Detail::Resources`] every resource and reference. The
//! renderers turn a graph into Mermaid, DOT, JSON or SVG, byte-stable.

use serde_json::Value;

pub mod classify;
mod dot;
mod edges;
mod fold;
mod index;
mod mermaid;
pub mod model;
pub mod refs;
mod svg;

pub use dot::dot;
pub use mermaid::mermaid;
pub use model::{Detail, Edge, EdgeKind, Graph, Node, Stack};
pub use svg::svg;

use index::{Index, node_id};

/// Builds the graph of `templates`, given as `(stack name, template)`.
pub fn build(templates: &[(String, Value)], detail: Detail) -> Graph {
    let ix = Index::new(templates);
    let (nodes, edges) = match detail {
        Detail::Flows => (component_nodes(&ix), edges::flows(&ix)),
        Detail::Resources => resource_graph(&ix),
    };
    let stacks = ix
        .stacks
        .iter()
        .map(|st| Stack {
            name: st.name.to_owned(),
            vpc: nodes.iter().any(|n| n.stack == st.name && n.in_vpc),
        })
        .collect();
    Graph {
        stacks,
        nodes,
        edges,
    }
}

/// The graph as pretty-printed JSON, ending in a newline.
pub fn json(graph: &Graph) -> String {
    let mut text = serde_json::to_string_pretty(graph).unwrap_or_default();
    text.push('\n');
    text
}

fn component_nodes(ix: &Index<'_>) -> Vec<Node> {
    let mut nodes = Vec::new();
    for (s, st) in ix.stacks.iter().enumerate() {
        for r in st.resources.iter().filter(|r| r.component) {
            let folded: Vec<String> = st
                .resources
                .iter()
                .filter(|o| o.id != r.id && st.owner.get(o.id) == Some(&r.id))
                .map(|o| o.id.to_owned())
                .collect();
            let mut members = vec![r.id];
            members.extend(folded.iter().map(String::as_str));
            nodes.push(Node {
                id: node_id(st.name, r.id),
                stack: st.name.to_owned(),
                logical_id: r.id.to_owned(),
                resource_type: r.rtype.to_owned(),
                kind: kind(r.rtype),
                in_vpc: members.iter().any(|m| in_vpc(ix, s, m)),
                folded,
            });
        }
    }
    nodes
}

/// What a person calls the type: the component name, else the type's last
/// two parts ("IAM Role").
fn kind(rtype: &str) -> String {
    if let Some(k) = classify::component(rtype) {
        return k.to_owned();
    }
    let parts: Vec<&str> = rtype.split("::").collect();
    parts[parts.len().saturating_sub(2)..].join(" ")
}

/// Whether resource `id` is placed in a VPC: it references a subnet,
/// security group or VPC, as a resource or as a typed parameter.
fn in_vpc(ix: &Index<'_>, s: usize, id: &str) -> bool {
    let st = &ix.stacks[s];
    let Some(r) = ix.res(s, id) else { return false };
    refs::names(r.props).iter().any(|name| {
        if let Some(t) = ix.res(s, name) {
            return matches!(
                t.rtype,
                "AWS::EC2::Subnet" | "AWS::EC2::VPC" | "AWS::EC2::SecurityGroup"
            ) || t.rtype.ends_with("SubnetGroup");
        }
        let ty = st
            .params
            .get(name.as_str())
            .and_then(|p| p.get("Type"))
            .and_then(Value::as_str)
            .unwrap_or("");
        ["Subnet::Id", "SecurityGroup::Id", "VPC::Id"]
            .iter()
            .any(|t| ty.contains(t))
    })
}

fn resource_graph(ix: &Index<'_>) -> (Vec<Node>, Vec<Edge>) {
    let mut nodes = Vec::new();
    let mut edges: Vec<Edge> = Vec::new();
    for (s, st) in ix.stacks.iter().enumerate() {
        for r in &st.resources {
            let id = node_id(st.name, r.id);
            for reference in refs::references(r.props) {
                if ix.res(s, &reference.name).is_none() || reference.name == r.id {
                    continue;
                }
                let to = node_id(st.name, &reference.name);
                let label = reference.path.split('.').next().unwrap_or("").to_owned();
                let e = Edge {
                    from: id.clone(),
                    to,
                    label,
                    kind: EdgeKind::Reference,
                };
                if !edges.contains(&e) {
                    edges.push(e);
                }
            }
            nodes.push(Node {
                id,
                stack: st.name.to_owned(),
                logical_id: r.id.to_owned(),
                resource_type: r.rtype.to_owned(),
                kind: kind(r.rtype),
                in_vpc: in_vpc(ix, s, r.id),
                folded: Vec::new(),
            });
        }
    }
    edges.sort();
    (nodes, edges)
}

/// The stacks of synthesized artifacts: each `*.template.json`, named by
/// its file stem (`out/micro/orders.template.json` is stack `orders`).
pub fn stacks_of(
    artifacts: &[crate::output::Artifact],
) -> Result<Vec<(String, Value)>, crate::check::parse::ParseError> {
    let mut out = Vec::new();
    for a in artifacts {
        let path = a.path.to_string_lossy();
        let Some(stem) = path.strip_suffix(".template.json") else {
            continue;
        };
        let name = stem.rsplit('/').next().unwrap_or(stem).to_owned();
        let template = crate::check::parse::parse_template(&path, a.contents())?;
        out.push((name, template));
    }
    Ok(out)
}

/// A stack name for a template file: its file name without directories
/// and without `.template`, `.json`, `.yaml` or `.yml`.
pub fn stack_name(path: &str) -> String {
    let file = path.rsplit(['/', '\\']).next().unwrap_or(path);
    let mut name = file;
    for ext in [".json", ".yaml", ".yml", ".template"] {
        name = name.strip_suffix(ext).unwrap_or(name);
    }
    if name.is_empty() {
        file.to_owned()
    } else {
        name.to_owned()
    }
}
