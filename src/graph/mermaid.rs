//! Mermaid flowcharts: render on GitHub and in most documentation tools.

use std::fmt::Write;

use super::classify;
use super::model::{EdgeKind, Graph, Node};

/// A Mermaid id: letters, digits and `_` only, prefixed so that no id is a
/// keyword (`end`).
fn id(node: &str) -> String {
    let clean: String = node
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    format!("n_{clean}")
}

/// Label text inside double quotes: quotes escaped, lines joined by `<br/>`.
fn text(s: &str) -> String {
    s.replace('"', "#quot;").replace('\n', "<br/>")
}

fn shape(n: &Node) -> String {
    let label = format!(
        "{}<br/><small>{}</small>",
        text(&n.logical_id),
        text(&n.kind)
    );
    let (open, close) = if classify::is_store(&n.resource_type) {
        ("[(", ")]")
    } else if classify::is_channel(&n.resource_type) {
        ("[[", "]]")
    } else if n.kind.contains("API")
        || n.kind.contains("CloudFront")
        || n.kind.contains("oad balancer")
    {
        ("([", "])")
    } else {
        ("[", "]")
    };
    format!("{}{open}\"{label}\"{close}", id(&n.id))
}

/// The graph as a Mermaid `flowchart LR`, one subgraph per stack with the
/// VPC as a nested subgraph.
pub fn mermaid(g: &Graph) -> String {
    let mut out = String::from("flowchart LR\n");
    for st in &g.stacks {
        let members: Vec<&Node> = g.nodes.iter().filter(|n| n.stack == st.name).collect();
        if members.is_empty() {
            continue;
        }
        let _ = writeln!(out, "  subgraph {}[\"{}\"]", id(&st.name), text(&st.name));
        let (inside, outside): (Vec<&Node>, Vec<&Node>) = members.iter().partition(|n| n.in_vpc);
        if !inside.is_empty() {
            let _ = writeln!(
                out,
                "    subgraph {}[\"VPC\"]",
                id(&format!("{}.vpc", st.name))
            );
            for n in inside {
                let _ = writeln!(out, "      {}", shape(n));
            }
            out.push_str("    end\n");
        }
        for n in outside {
            let _ = writeln!(out, "    {}", shape(n));
        }
        out.push_str("  end\n");
    }
    for e in &g.edges {
        let arrow = match e.kind {
            EdgeKind::Failure | EdgeKind::Network | EdgeKind::Reference => "-.->",
            _ => "-->",
        };
        if e.label.is_empty() {
            let _ = writeln!(out, "  {} {arrow} {}", id(&e.from), id(&e.to));
        } else {
            let _ = writeln!(
                out,
                "  {} {arrow}|\"{}\"| {}",
                id(&e.from),
                text(&e.label),
                id(&e.to)
            );
        }
    }
    out
}
