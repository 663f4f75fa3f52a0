//! Folding plumbing into the component it serves: a role into the function
//! that assumes it, a permission into the function it guards, a method into
//! its API, a task definition (and its roles and log group) into the ECS
//! service that runs it.

use std::collections::BTreeMap;

use super::index::StackIx;
use super::refs::{self, Reference};

/// Keys naming the resource a piece of plumbing belongs to, preferred over
/// other references (a permission's `FunctionName` over its `SourceArn`).
const PARENT_KEYS: [&str; 16] = [
    "RestApiId",
    "ApiId",
    "FunctionName",
    "Bucket",
    "TopicArn",
    "Topics",
    "Queues",
    "LoadBalancerArn",
    "UserPoolId",
    "IdentityPoolId",
    "Cluster",
    "ClusterName",
    "TableName",
    "StreamARN",
    "LogGroupName",
    "ResourceId",
];

/// VPC building blocks belong to the VPC boundary, not to a node.
pub fn is_network(rtype: &str) -> bool {
    rtype.starts_with("AWS::EC2::")
        && !matches!(
            rtype,
            "AWS::EC2::SecurityGroup"
                | "AWS::EC2::SecurityGroupIngress"
                | "AWS::EC2::SecurityGroupEgress"
                | "AWS::EC2::LaunchTemplate"
                | "AWS::EC2::Instance"
                | "AWS::EC2::Volume"
                | "AWS::EC2::VolumeAttachment"
        )
}

/// A security-group rule naming the peer group: a link between two
/// components, not a sign that one group belongs to the other.
fn peer_rule(path: &str) -> bool {
    path.contains("SourceSecurityGroup") || path.contains("DestinationSecurityGroup")
}

/// The owning component of every resource that serves one.
pub fn owners<'a>(st: &StackIx<'a>) -> BTreeMap<&'a str, &'a str> {
    let links: Vec<Vec<Reference>> = st
        .resources
        .iter()
        .map(|r| {
            refs::references(r.props)
                .into_iter()
                .filter(|x| st.resources.iter().any(|o| o.id == x.name) && !peer_rule(&x.path))
                .collect()
        })
        .collect();
    let mut owner: BTreeMap<&'a str, &'a str> = BTreeMap::new();
    for r in st.resources.iter().filter(|r| r.component) {
        owner.insert(r.id, r.id);
    }
    referenced_by(st, &links, &mut owner);
    referencing(st, &links, &mut owner);
    referenced_by(st, &links, &mut owner);
    owner
}

fn foldable(st: &StackIx<'_>, i: usize, owner: &BTreeMap<&str, &str>) -> bool {
    let r = &st.resources[i];
    !owner.contains_key(r.id) && !is_network(r.rtype)
}

/// Plumbing referenced by an owned resource joins that resource's owner
/// (the first referrer in template order), to a fixpoint.
fn referenced_by<'a>(
    st: &StackIx<'a>,
    links: &[Vec<Reference>],
    owner: &mut BTreeMap<&'a str, &'a str>,
) {
    loop {
        let mut changed = false;
        for i in 0..st.resources.len() {
            if !foldable(st, i, owner) {
                continue;
            }
            let id = st.resources[i].id;
            let by = st.resources.iter().zip(links).find_map(|(r, l)| {
                let o = owner.get(r.id)?;
                l.iter().any(|x| x.name == id).then_some(*o)
            });
            if let Some(o) = by {
                owner.insert(id, o);
                changed = true;
            }
        }
        if !changed {
            return;
        }
    }
}

/// Plumbing referencing an owned resource joins its owner, preferring a
/// reference under a parent key, to a fixpoint.
fn referencing<'a>(
    st: &StackIx<'a>,
    links: &[Vec<Reference>],
    owner: &mut BTreeMap<&'a str, &'a str>,
) {
    loop {
        let mut changed = false;
        for (i, l) in links.iter().enumerate() {
            if !foldable(st, i, owner) {
                continue;
            }
            let owned: Vec<(&Reference, &'a str)> = l
                .iter()
                .filter_map(|x| owner.get(x.name.as_str()).map(|o| (x, *o)))
                .collect();
            let parent = owned
                .iter()
                .find(|(x, _)| {
                    let first = x.path.split('.').next().unwrap_or("");
                    PARENT_KEYS.contains(&first)
                })
                .or(owned.first());
            if let Some((_, o)) = parent {
                owner.insert(st.resources[i].id, o);
                changed = true;
            }
        }
        if !changed {
            return;
        }
    }
}
