//! Event and request delivery: event source mappings, subscriptions,
//! bucket notifications, dead letters, CloudFront origins and load
//! balancer listeners.

use serde_json::Value;

use super::api::first;
use super::{Sink, items, strings};
use crate::graph::index::{Index, Res};
use crate::graph::model::EdgeKind;

/// The delivery edges `r` gives rise to.
pub fn edges(ix: &Index<'_>, s: usize, r: &Res<'_>, sink: &mut Sink) {
    let p = r.props;
    match r.rtype {
        "AWS::Lambda::EventSourceMapping" => mapping(ix, s, p, sink),
        "AWS::SNS::Subscription" => {
            let topic = first(ix, s, p.get("TopicArn"));
            sink.add(
                topic.clone(),
                first(ix, s, p.get("Endpoint")),
                "messages",
                EdgeKind::Subscription,
            );
            dead_letters(
                ix,
                s,
                topic,
                p.get("RedrivePolicy"),
                "deadLetterTargetArn",
                sink,
            );
        }
        "AWS::SNS::Topic" => {
            let topic = ix.resolve(s, r.id);
            for sub in items(p.get("Subscription")) {
                sink.add(
                    topic.clone(),
                    first(ix, s, sub.get("Endpoint")),
                    "messages",
                    EdgeKind::Subscription,
                );
            }
        }
        "AWS::S3::Bucket" => notifications(ix, s, r, sink),
        "AWS::SQS::Queue" => {
            let queue = ix.resolve(s, r.id);
            dead_letters(
                ix,
                s,
                queue,
                p.get("RedrivePolicy"),
                "deadLetterTargetArn",
                sink,
            );
        }
        "AWS::Lambda::Function" => {
            let f = ix.resolve(s, r.id);
            dead_letters(ix, s, f, p.get("DeadLetterConfig"), "TargetArn", sink);
        }
        "AWS::CloudFront::Distribution" => origins(ix, s, r, sink),
        "AWS::ElasticLoadBalancingV2::Listener" => listener(ix, s, p, sink),
        "AWS::ElasticLoadBalancingV2::ListenerRule" => rule(ix, s, p, sink),
        _ => routing(ix, s, r, sink),
    }
}

fn dead_letters(
    ix: &Index<'_>,
    s: usize,
    from: Option<String>,
    config: Option<&Value>,
    key: &str,
    sink: &mut Sink,
) {
    let Some(config) = config else { return };
    sink.add(
        from,
        first(ix, s, config.get(key)),
        "dead letters",
        EdgeKind::Failure,
    );
}

fn mapping(ix: &Index<'_>, s: usize, p: &Value, sink: &mut Sink) {
    let function = first(ix, s, p.get("FunctionName"));
    let source = first(ix, s, p.get("EventSourceArn"));
    let label = match source.as_deref().and_then(|id| rtype(ix, id)) {
        Some("AWS::SQS::Queue") => "messages".to_owned(),
        Some("AWS::Kinesis::Stream") => "records".to_owned(),
        Some(t) if t.starts_with("AWS::DynamoDB::") => stream_label(p.get("FilterCriteria")),
        _ => "events".to_owned(),
    };
    sink.add(source, function.clone(), &label, EdgeKind::EventSource);
    let failure = p.get("DestinationConfig").and_then(|d| d.get("OnFailure"));
    let dest = failure.and_then(|f| first(ix, s, f.get("Destination")));
    sink.add(function, dest, "failed batches", EdgeKind::Failure);
}

/// The resource type of a node id.
pub fn rtype<'a>(ix: &Index<'a>, node: &str) -> Option<&'a str> {
    let (stack, id) = node.split_once('.')?;
    let s = ix.stacks.iter().position(|st| st.name == stack)?;
    ix.res(s, id).map(|r| r.rtype)
}

/// "INSERT records" for a stream filtered on event names, else "stream records".
fn stream_label(filter: Option<&Value>) -> String {
    let mut names: Vec<String> = Vec::new();
    for f in items(filter.and_then(|f| f.get("Filters"))) {
        let pattern = f.get("Pattern").and_then(Value::as_str).unwrap_or("");
        if let Ok(v) = serde_json::from_str::<Value>(pattern) {
            names.extend(strings(v.get("eventName")));
        }
    }
    if names.is_empty() {
        "stream records".to_owned()
    } else {
        format!("{} records", names.join("/"))
    }
}

fn notifications(ix: &Index<'_>, s: usize, r: &Res<'_>, sink: &mut Sink) {
    let bucket = ix.resolve(s, r.id);
    let replication = r.props.get("ReplicationConfiguration");
    for rule in items(replication.and_then(|c| c.get("Rules"))) {
        let to = first(ix, s, rule.get("Destination").and_then(|d| d.get("Bucket")));
        sink.add(bucket.clone(), to, "replication", EdgeKind::Notification);
    }
    let Some(config) = r.props.get("NotificationConfiguration") else {
        return;
    };
    let kinds = [
        ("TopicConfigurations", "Topic"),
        ("QueueConfigurations", "Queue"),
        ("LambdaConfigurations", "Function"),
    ];
    for (list, key) in kinds {
        for c in items(config.get(list)) {
            let label = key_filter(c).unwrap_or_else(|| {
                let event = c.get("Event").and_then(Value::as_str).unwrap_or("");
                event.trim_start_matches("s3:").to_owned()
            });
            let to = first(ix, s, c.get(key));
            sink.add(bucket.clone(), to, &label, EdgeKind::Notification);
        }
    }
}

/// "uploads/*" or "*.jpg" from a notification's key filter.
fn key_filter(c: &Value) -> Option<String> {
    let rules = items(c.get("Filter")?.get("S3Key")?.get("Rules"));
    let value = |name: &str| {
        rules
            .iter()
            .find(|r| {
                r.get("Name")
                    .and_then(Value::as_str)
                    .map(str::to_ascii_lowercase)
                    .as_deref()
                    == Some(name)
            })
            .and_then(|r| r.get("Value").and_then(Value::as_str))
            .unwrap_or("")
    };
    let (prefix, suffix) = (value("prefix"), value("suffix"));
    (!prefix.is_empty() || !suffix.is_empty()).then(|| format!("{prefix}*{suffix}"))
}

fn origins(ix: &Index<'_>, s: usize, r: &Res<'_>, sink: &mut Sink) {
    let Some(config) = r.props.get("DistributionConfig") else {
        return;
    };
    let cdn = ix.resolve(s, r.id);
    let origin_ids = items(config.get("Origins"));
    // Ids are compared as values: templates often build them with Fn::Sub.
    let target = |id: Option<&Value>| {
        origin_ids
            .iter()
            .find(|o| o.get("Id") == id)
            .and_then(|o| first(ix, s, o.get("DomainName")))
    };
    let mut behaviours: Vec<(String, Option<&Value>)> = Vec::new();
    if let Some(d) = config.get("DefaultCacheBehavior") {
        behaviours.push(("/*".to_owned(), d.get("TargetOriginId")));
    }
    for b in items(config.get("CacheBehaviors")) {
        let pattern = b.get("PathPattern").and_then(Value::as_str).unwrap_or("?");
        let pattern = if pattern.starts_with('/') {
            pattern.to_owned()
        } else {
            format!("/{pattern}")
        };
        behaviours.push((pattern, b.get("TargetOriginId")));
    }
    // A behaviour may target an origin group: each member is an origin of
    // that path, the later ones on failover.
    let groups = items(config.get("OriginGroups").and_then(|g| g.get("Items")));
    for (pattern, id) in behaviours {
        let members: Vec<Option<&Value>> = match groups.iter().find(|g| g.get("Id") == id) {
            Some(g) => items(g.get("Members").and_then(|m| m.get("Items")))
                .iter()
                .map(|m| m.get("OriginId"))
                .collect(),
            None => vec![id],
        };
        for (i, member) in members.into_iter().enumerate() {
            let label = if i == 0 {
                pattern.clone()
            } else {
                format!("{pattern} on failover")
            };
            sink.add(cdn.clone(), target(member), &label, EdgeKind::Origin);
        }
    }
}

/// A classic load balancer's instances and an EventBridge rule's targets.
pub fn routing(ix: &Index<'_>, s: usize, r: &Res<'_>, sink: &mut Sink) {
    let p = r.props;
    let me = ix.resolve(s, r.id);
    match r.rtype {
        "AWS::ElasticLoadBalancing::LoadBalancer" => {
            let listeners: Vec<String> = items(p.get("Listeners"))
                .iter()
                .filter_map(|l| {
                    let proto = l.get("Protocol").and_then(Value::as_str)?;
                    let port = l.get("LoadBalancerPort")?.to_string();
                    Some(format!("{proto} :{}", port.trim_matches('"')))
                })
                .collect();
            let to = ix.targets(s, p.get("Instances").unwrap_or(&Value::Null));
            sink.add_all(&me, &to, &listeners.join(", "), EdgeKind::Target);
        }
        "AWS::Events::Rule" => {
            let bus = first(ix, s, p.get("EventBusName"));
            sink.add(bus, me.clone(), "events", EdgeKind::Subscription);
            for t in items(p.get("Targets")) {
                sink.add(
                    me.clone(),
                    first(ix, s, t.get("Arn")),
                    "events",
                    EdgeKind::Subscription,
                );
                let dlq = t
                    .get("DeadLetterConfig")
                    .and_then(|d| first(ix, s, d.get("Arn")));
                sink.add(me.clone(), dlq, "dead letters", EdgeKind::Failure);
            }
        }
        _ => {}
    }
}

fn forward_targets(ix: &Index<'_>, s: usize, actions: Option<&Value>) -> Vec<String> {
    let mut out = Vec::new();
    for a in items(actions) {
        out.extend(ix.targets(s, a.get("TargetGroupArn").unwrap_or(&Value::Null)));
        let groups = a.get("ForwardConfig").and_then(|f| f.get("TargetGroups"));
        for g in items(groups) {
            out.extend(ix.targets(s, g.get("TargetGroupArn").unwrap_or(&Value::Null)));
        }
    }
    out
}

fn listener(ix: &Index<'_>, s: usize, p: &Value, sink: &mut Sink) {
    let lb = first(ix, s, p.get("LoadBalancerArn"));
    let protocol = p.get("Protocol").and_then(Value::as_str).unwrap_or("HTTP");
    let port = p
        .get("Port")
        .map(|v| v.to_string().trim_matches('"').to_owned())
        .unwrap_or_default();
    let targets = forward_targets(ix, s, p.get("DefaultActions"));
    sink.add_all(
        &lb,
        &targets,
        &format!("{protocol} :{port}"),
        EdgeKind::Target,
    );
}

fn rule(ix: &Index<'_>, s: usize, p: &Value, sink: &mut Sink) {
    let listener = p
        .get("ListenerArn")
        .map(crate::graph::refs::names)
        .unwrap_or_default();
    let lb = listener
        .first()
        .and_then(|l| ix.res(s, l))
        .and_then(|l| first(ix, s, l.props.get("LoadBalancerArn")));
    let mut patterns: Vec<String> = Vec::new();
    for c in items(p.get("Conditions")) {
        patterns.extend(strings(
            c.get("PathPatternConfig").and_then(|x| x.get("Values")),
        ));
        if c.get("Field").and_then(Value::as_str) == Some("path-pattern") {
            patterns.extend(strings(c.get("Values")));
        }
    }
    let label = if patterns.is_empty() {
        "rule".to_owned()
    } else {
        patterns.join(", ")
    };
    let targets = forward_targets(ix, s, p.get("Actions"));
    sink.add_all(&lb, &targets, &label, EdgeKind::Target);
}
