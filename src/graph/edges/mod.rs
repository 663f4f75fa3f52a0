//! The flow edges: how data and requests move between components. One
//! function per mechanism, over every resource of every stack.

use serde_json::Value;

use super::index::Index;
use super::model::{Edge, EdgeKind};

mod api;
mod events;
mod grants;
mod network;
pub mod sam;

/// Collects edges, skipping self-loops and unresolved ends.
#[derive(Debug, Default)]
pub struct Sink {
    edges: Vec<Edge>,
    /// Edges drawn only when no other edge joins the pair (a permission
    /// says an API may invoke a function; a route says how).
    fallback: Vec<Edge>,
}

impl Sink {
    /// Adds an edge when both ends are known and differ.
    pub fn add(&mut self, from: Option<String>, to: Option<String>, label: &str, kind: EdgeKind) {
        if let Some(e) = edge(from, to, label, kind) {
            self.edges.push(e);
        }
    }

    /// Adds an edge from `from` to each of `to`.
    pub fn add_all(&mut self, from: &Option<String>, to: &[String], label: &str, kind: EdgeKind) {
        for t in to {
            self.add(from.clone(), Some(t.clone()), label, kind);
        }
    }

    /// Adds an edge kept only if nothing else joins the pair.
    pub fn fallback(
        &mut self,
        from: Option<String>,
        to: Option<String>,
        label: &str,
        kind: EdgeKind,
    ) {
        if let Some(e) = edge(from, to, label, kind) {
            self.fallback.push(e);
        }
    }
}

fn edge(from: Option<String>, to: Option<String>, label: &str, kind: EdgeKind) -> Option<Edge> {
    let (from, to) = (from?, to?);
    (from != to).then(|| Edge {
        from,
        to,
        label: label.to_owned(),
        kind,
    })
}

/// Every flow edge of the indexed templates, merged and sorted.
pub fn flows(ix: &Index<'_>) -> Vec<Edge> {
    let mut sink = Sink::default();
    for s in 0..ix.stacks.len() {
        for r in &ix.stacks[s].resources {
            api::edges(ix, s, r, &mut sink);
            events::edges(ix, s, r, &mut sink);
            grants::edges(ix, s, r, &mut sink);
            network::edges(ix, s, r, &mut sink);
            sam::edges(ix, s, r, &mut sink);
        }
        network::calls(ix, s, &mut sink);
    }
    merge(sink)
}

/// Whether an edge joins `a` and `b` in either direction.
fn joins(edges: &[Edge], a: &str, b: &str) -> bool {
    edges
        .iter()
        .any(|e| (e.from == a && e.to == b) || (e.from == b && e.to == a))
}

/// Joins the labels of parallel edges of one kind, drops what another edge
/// already says, and sorts.
fn merge(sink: Sink) -> Vec<Edge> {
    let mut out: Vec<Edge> = Vec::new();
    for e in sink.edges {
        match out
            .iter_mut()
            .find(|o| o.from == e.from && o.to == e.to && o.kind == e.kind)
        {
            Some(o) if o.kind == EdgeKind::Grant => {
                o.label = crate::graph::classify::join_grant_labels(&o.label, &e.label);
            }
            Some(o) => {
                if !e.label.is_empty() && !o.label.split('\n').any(|l| l == e.label) {
                    o.label = if o.label.is_empty() {
                        e.label
                    } else {
                        format!("{}\n{}", o.label, e.label)
                    };
                }
            }
            None => out.push(e),
        }
    }
    let all = out.clone();
    out.retain(|e| !redundant(&all, e));
    for f in sink.fallback {
        if !joins(&out, &f.from, &f.to) {
            out.push(f);
        }
    }
    for e in &mut out {
        if e.kind == EdgeKind::Integration {
            e.label = api::compact_routes(&e.label);
        }
    }
    out.sort();
    out
}

/// A grant that only lets a function read its own event source, or a
/// network rule or call beside an edge that says more.
fn redundant(all: &[Edge], e: &Edge) -> bool {
    let reverse_delivery = || {
        all.iter().any(|o| {
            o.from == e.to
                && o.to == e.from
                && matches!(
                    o.kind,
                    EdgeKind::EventSource | EdgeKind::Subscription | EdgeKind::Notification
                )
        })
    };
    let other = || {
        all.iter().any(|o| {
            o.kind != e.kind
                && ((o.from == e.from && o.to == e.to) || (o.from == e.to && o.to == e.from))
        })
    };
    // The grant letting a function send its failures is the failure edge.
    let failure = || {
        all.iter()
            .any(|o| o.kind == EdgeKind::Failure && o.from == e.from && o.to == e.to)
    };
    match e.kind {
        EdgeKind::Grant => reverse_delivery() || failure(),
        EdgeKind::Network | EdgeKind::Call => other(),
        _ => false,
    }
}

/// The strings of a string-or-list value.
pub fn strings(v: Option<&Value>) -> Vec<String> {
    match v {
        Some(Value::String(s)) => vec![s.clone()],
        Some(Value::Array(a)) => a
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_owned)
            .collect(),
        _ => Vec::new(),
    }
}

/// The items of a list value (none when absent or not a list).
pub fn items(v: Option<&Value>) -> &[Value] {
    v.and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or(&[])
}
