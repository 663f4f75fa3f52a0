//! What a graph is: stacks (groups), nodes and labelled edges.

use serde::Serialize;

/// How much of a template a graph shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Detail {
    /// One node per component, edges for how data and requests flow.
    Flows,
    /// Every resource and every reference between resources.
    Resources,
}

/// An architecture drawn from one or more templates.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Graph {
    /// One group per template, in the order given.
    pub stacks: Vec<Stack>,
    /// The nodes, stack by stack, in template order.
    pub nodes: Vec<Node>,
    /// The edges, sorted by source, target and label.
    pub edges: Vec<Edge>,
}

/// A template, drawn as a box around its nodes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Stack {
    /// The stack's name (the template file's stem).
    pub name: String,
    /// Whether some of its nodes run inside a VPC (drawn as a nested box).
    pub vpc: bool,
}

/// A component, or with `--detail resources` any resource.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Node {
    /// Unique across the graph: `stack.LogicalId`.
    pub id: String,
    /// The stack it belongs to.
    pub stack: String,
    /// Its logical id in the template.
    pub logical_id: String,
    /// The CloudFormation resource type.
    #[serde(rename = "type")]
    pub resource_type: String,
    /// What a person calls it ("Lambda function", "DynamoDB table").
    pub kind: String,
    /// Whether it is attached to a VPC (subnets or security groups).
    pub in_vpc: bool,
    /// Plumbing resources drawn as part of this node (logical ids).
    pub folded: Vec<String>,
}

/// How an edge arises.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum EdgeKind {
    /// An API route's integration.
    Integration,
    /// A token authorizer.
    Authorizer,
    /// A Lambda event source mapping.
    EventSource,
    /// An SNS subscription.
    Subscription,
    /// An S3 event notification.
    Notification,
    /// A CloudFront origin.
    Origin,
    /// A load balancer forwarding to its targets.
    Target,
    /// An IAM grant from the principal's role to a resource.
    Grant,
    /// A dead-letter or on-failure destination.
    Failure,
    /// A call to a service found through an SSM discovery parameter.
    Call,
    /// Security-group rules letting one component reach another.
    Network,
    /// A plain reference (`--detail resources`).
    Reference,
}

/// A directed edge: data or requests flow from `from` to `to`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Edge {
    /// The source node's id.
    pub from: String,
    /// The target node's id.
    pub to: String,
    /// What flows, e.g. "GET /todos" or "uploads/*".
    pub label: String,
    /// How the edge arises.
    pub kind: EdgeKind,
}

impl Graph {
    /// The node with this id.
    pub fn node(&self, id: &str) -> Option<&Node> {
        self.nodes.iter().find(|n| n.id == id)
    }

    /// Whether `to` can be reached from `from` along edges.
    pub fn reaches(&self, from: &str, to: &str) -> bool {
        let mut seen = vec![from.to_owned()];
        let mut next = 0;
        while next < seen.len() {
            let at = seen[next].clone();
            next += 1;
            if at == to {
                return true;
            }
            for e in self.edges.iter().filter(|e| e.from == at) {
                if !seen.contains(&e.to) {
                    seen.push(e.to.clone());
                }
            }
        }
        false
    }
}
