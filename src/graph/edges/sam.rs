//! AWS SAM functions (`AWS::Serverless::Function`): their `Events` (API
//! routes, queues, topics, buckets, streams) and `Policies` (policy
//! templates such as `DynamoDBCrudPolicy`, or statements).

use serde_json::Value;

use super::Sink;
use super::api::first;
use crate::graph::index::{Index, Res};
use crate::graph::model::EdgeKind;

/// The logical id SAM gives the API it creates for `Api` events without a
/// `RestApiId`.
pub const IMPLICIT_API: &str = "ServerlessRestApi";
/// ... and for `HttpApi` events without an `ApiId`.
pub const IMPLICIT_HTTP_API: &str = "ServerlessHttpApi";

/// The edges of a SAM function.
pub fn edges(ix: &Index<'_>, s: usize, r: &Res<'_>, sink: &mut Sink) {
    if r.rtype != "AWS::Serverless::Function" {
        return;
    }
    let me = ix.resolve(s, r.id);
    if let Some(events) = r.props.get("Events").and_then(Value::as_object) {
        for ev in events.values() {
            event(ix, s, &me, ev, sink);
        }
    }
    policies(ix, s, &me, r.props.get("Policies"), sink);
}

fn event(ix: &Index<'_>, s: usize, me: &Option<String>, ev: &Value, sink: &mut Sink) {
    let p = ev.get("Properties").unwrap_or(&Value::Null);
    let text = |k: &str| p.get(k).and_then(Value::as_str).unwrap_or("").to_owned();
    match ev.get("Type").and_then(Value::as_str).unwrap_or("") {
        "Api" | "HttpApi" => {
            let (key, implicit) = match ev.get("Type").and_then(Value::as_str) {
                Some("Api") => ("RestApiId", IMPLICIT_API),
                _ => ("ApiId", IMPLICIT_HTTP_API),
            };
            let api = match p.get(key) {
                Some(v) => first(ix, s, Some(v)),
                None => ix.resolve(s, implicit),
            };
            let label = format!("{} {}", text("Method").to_ascii_uppercase(), text("Path"));
            sink.add(api, me.clone(), label.trim(), EdgeKind::Integration);
        }
        "SQS" => sink.add(
            first(ix, s, p.get("Queue")),
            me.clone(),
            "messages",
            EdgeKind::EventSource,
        ),
        "SNS" => sink.add(
            first(ix, s, p.get("Topic")),
            me.clone(),
            "messages",
            EdgeKind::Subscription,
        ),
        "Kinesis" => sink.add(
            first(ix, s, p.get("Stream")),
            me.clone(),
            "records",
            EdgeKind::EventSource,
        ),
        "DynamoDB" => sink.add(
            first(ix, s, p.get("Stream")),
            me.clone(),
            "stream records",
            EdgeKind::EventSource,
        ),
        "S3" => {
            let events = super::strings(p.get("Events")).join(", ");
            let label = events.replace("s3:", "");
            sink.add(
                first(ix, s, p.get("Bucket")),
                me.clone(),
                &label,
                EdgeKind::Notification,
            );
        }
        _ => {}
    }
}

/// What a SAM policy template lets a function do, from its name.
fn template_label(name: &str) -> &'static str {
    if name.contains("Crud") || name.contains("FullAccess") {
        "read/write"
    } else if name.contains("SendMessage") {
        "send"
    } else if name.contains("Publish") {
        "publish"
    } else if name.contains("Poller") {
        "consume"
    } else if name.contains("Invoke") {
        "invoke"
    } else if name.contains("Write") {
        "write"
    } else if name.contains("Read") || name.contains("Describe") {
        "read"
    } else {
        "access"
    }
}

fn policies(ix: &Index<'_>, s: usize, me: &Option<String>, v: Option<&Value>, sink: &mut Sink) {
    let list: Vec<&Value> = match v {
        Some(Value::Array(a)) => a.iter().collect(),
        Some(one @ Value::Object(_)) => vec![one],
        _ => Vec::new(),
    };
    for p in list {
        let Some(map) = p.as_object() else { continue };
        if map.contains_key("Statement") {
            super::grants::document(ix, s, me, Some(p), sink);
            continue;
        }
        for (name, args) in map {
            let targets = ix.targets(s, args);
            sink.add_all(me, &targets, template_label(name), EdgeKind::Grant);
        }
    }
}
