//! SVG, laid out and drawn by stackcraft itself with `layout-rs` (a
//! Sugiyama-style layered layout in pure Rust): no Graphviz install.
//!
//! `layout-rs` has no clusters, so a stack is a fill colour and a line of
//! each node's label, and a VPC is named on the node it contains.

use layout::backends::svg::SVGWriter;
use layout::core::base::Orientation;
use layout::core::color::Color;
use layout::core::style::{LineStyleKind, StyleAttr};
use layout::std_shapes::render::get_shape_size;
use layout::std_shapes::shapes::{Arrow, Element, LineEndKind, ShapeKind};
use layout::topo::layout::VisualGraph;

use super::model::{EdgeKind, Graph, Node};

/// Fill colours, one per stack in order (cycled): light, so text stays legible.
const FILLS: [&str; 8] = [
    "#dbeafe", "#dcfce7", "#fef3c7", "#fce7f3", "#ede9fe", "#e0f2fe", "#fee2e2", "#f3f4f6",
];

const FONT: usize = 14;

fn label(n: &Node, many_stacks: bool) -> String {
    let mut second = n.kind.clone();
    if many_stacks {
        second = format!("{second} · {}", n.stack);
    }
    if n.in_vpc {
        second.push_str(" · VPC");
    }
    format!("{}\n{second}", n.logical_id)
}

/// The graph as an SVG document: nodes filled by stack, edges labelled.
pub fn svg(g: &Graph) -> String {
    let mut vg = VisualGraph::new(Orientation::LeftToRight);
    // Colours go to the stacks that have nodes, in order.
    let drawn: Vec<&str> = g
        .stacks
        .iter()
        .filter(|s| g.nodes.iter().any(|n| n.stack == s.name))
        .map(|s| s.name.as_str())
        .collect();
    let many = drawn.len() > 1;
    let mut handles = Vec::new();
    for n in &g.nodes {
        let stack = drawn.iter().position(|s| *s == n.stack).unwrap_or(0);
        let fill = Color::fast(FILLS[stack % FILLS.len()]);
        let look = StyleAttr::new(Color::fast("#334155"), 1, Some(fill), 6, FONT);
        let shape = ShapeKind::new_box(&label(n, many));
        let size = get_shape_size(Orientation::LeftToRight, &shape, FONT, false);
        handles.push((
            n.id.as_str(),
            vg.add_node(Element::create(shape, look, Orientation::LeftToRight, size)),
        ));
    }
    let find = |id: &str| handles.iter().find(|(n, _)| *n == id).map(|(_, h)| *h);
    for e in &g.edges {
        let (Some(from), Some(to)) = (find(&e.from), find(&e.to)) else {
            continue;
        };
        let style = match e.kind {
            EdgeKind::Failure | EdgeKind::Network | EdgeKind::Reference => LineStyleKind::Dashed,
            _ => LineStyleKind::Normal,
        };
        let look = StyleAttr::new(Color::fast("#475569"), 1, None, 0, 11);
        // A read that closes a cycle (a function reading the bucket whose
        // uploads trigger it) is laid out from the store, arrowhead still
        // at the store: the layout would otherwise flip a flow edge.
        let backwards = e.kind == EdgeKind::Grant && e.label == "read" && g.reaches(&e.to, &e.from);
        let (start, end, a, b) = if backwards {
            (LineEndKind::Arrow, LineEndKind::None, to, from)
        } else {
            (LineEndKind::None, LineEndKind::Arrow, from, to)
        };
        let arrow = Arrow::new(start, end, style, &e.label, &look, &None, &None);
        vg.add_edge(arrow, a, b);
    }
    let mut writer = SVGWriter::new();
    let mut bottom = 0.0_f64;
    if !g.nodes.is_empty() {
        vg.do_it(false, false, false, &mut writer);
        for h in vg.iter_nodes() {
            bottom = bottom.max(vg.pos(h).bbox(true).1.y);
        }
    }
    // The writer's default serif face reads poorly at small sizes.
    let text = writer.finalize().replace(
        "font-family: Times, serif",
        "font-family: Helvetica, Arial, sans-serif",
    );
    crop_height(&sorted_styles(&text), (bottom + 30.0).ceil())
}

/// The writer grows its canvas downwards by ten pixels per character of
/// every label; cut the canvas to the drawing (nodes and edge labels).
fn crop_height(text: &str, height: f64) -> String {
    let Some(start) = text.find("<svg ") else {
        return text.to_owned();
    };
    let Some(end) = text[start..].find('>').map(|e| e + start) else {
        return text.to_owned();
    };
    let header = &text[start..end];
    let attr = |name: &str| {
        let at = header.find(&format!(" {name}=\""))? + name.len() + 3;
        let len = header[at..].find('"')?;
        Some(header[at..at + len].to_owned())
    };
    let (Some(old), Some(width)) = (attr("height"), attr("width")) else {
        return text.to_owned();
    };
    if old.parse::<f64>().map_or(true, |h| h <= height) || height <= 30.0 {
        return text.to_owned();
    }
    let new_header = header
        .replace(
            &format!(" height=\"{old}\""),
            &format!(" height=\"{height}\""),
        )
        .replace(
            &format!("viewBox=\"0 0 {width} {old}\""),
            &format!("viewBox=\"0 0 {width} {height}\""),
        );
    format!("{}{new_header}{}", &text[..start], &text[end..])
}

/// The writer lists its font classes from a `HashMap`, in an order that
/// changes from run to run: sort them so the bytes are stable.
fn sorted_styles(text: &str) -> String {
    let (Some(start), Some(end)) = (text.find("<style>\n"), text.find("</style>")) else {
        return text.to_owned();
    };
    let body = start + "<style>\n".len();
    if end < body {
        return text.to_owned();
    }
    let mut lines: Vec<&str> = text[body..end].lines().collect();
    lines.sort_unstable();
    let mut out = String::with_capacity(text.len());
    out.push_str(&text[..body]);
    for l in lines {
        out.push_str(l);
        out.push('\n');
    }
    out.push_str(&text[end..]);
    out
}
