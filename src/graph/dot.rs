//! Graphviz DOT, for `dot -Tpng` and the many tools that read it.

use std::fmt::Write;

use super::model::{EdgeKind, Graph, Node};

/// A DOT double-quoted string.
fn quote(s: &str) -> String {
    format!(
        "\"{}\"",
        s.replace('\\', "\\\\")
            .replace('"', "\\\"")
            .replace('\n', "\\n")
    )
}

fn node(n: &Node) -> String {
    let label = format!("{}\n{}", n.logical_id, n.kind);
    let shape = if super::classify::is_store(&n.resource_type) {
        "cylinder"
    } else {
        "box"
    };
    format!("{} [label={}, shape={shape}]", quote(&n.id), quote(&label))
}

/// The graph as a DOT digraph: a cluster per stack, a nested dashed
/// cluster for its VPC.
pub fn dot(g: &Graph) -> String {
    let mut out = String::from(
        "digraph stackcraft {\n  rankdir=LR;\n  node [fontname=\"Helvetica\", style=rounded];\n  edge [fontname=\"Helvetica\", fontsize=10];\n",
    );
    for (i, st) in g.stacks.iter().enumerate() {
        let members: Vec<&Node> = g.nodes.iter().filter(|n| n.stack == st.name).collect();
        if members.is_empty() {
            continue;
        }
        let _ = writeln!(
            out,
            "  subgraph cluster_{i} {{\n    label={};",
            quote(&st.name)
        );
        let (inside, outside): (Vec<&Node>, Vec<&Node>) = members.iter().partition(|n| n.in_vpc);
        if !inside.is_empty() {
            let _ = writeln!(
                out,
                "    subgraph cluster_{i}_vpc {{\n      label=\"VPC\";\n      style=dashed;"
            );
            for n in inside {
                let _ = writeln!(out, "      {};", node(n));
            }
            out.push_str("    }\n");
        }
        for n in outside {
            let _ = writeln!(out, "    {};", node(n));
        }
        out.push_str("  }\n");
    }
    for e in &g.edges {
        let style = match e.kind {
            EdgeKind::Failure | EdgeKind::Network | EdgeKind::Reference => ", style=dashed",
            _ => "",
        };
        let _ = writeln!(
            out,
            "  {} -> {} [label={}{style}];",
            quote(&e.from),
            quote(&e.to),
            quote(&e.label)
        );
    }
    out.push_str("}\n");
    out
}
