//! API edges: REST methods and OpenAPI bodies, HTTP API routes,
//! authorizers, and the invoke permissions behind them.

use serde_json::Value;

use super::{Sink, strings};
use crate::graph::index::{Index, Res};
use crate::graph::model::EdgeKind;
use crate::graph::refs;

/// The API edges `r` gives rise to.
pub fn edges(ix: &Index<'_>, s: usize, r: &Res<'_>, sink: &mut Sink) {
    let p = r.props;
    match r.rtype {
        "AWS::ApiGateway::Method" => method(ix, s, p, sink),
        "AWS::ApiGateway::RestApi" | "AWS::Serverless::Api" => {
            let api = ix.resolve(s, r.id);
            if let Some(body) = p.get("Body").or_else(|| p.get("DefinitionBody")) {
                openapi(ix, s, &api, body, sink);
            }
        }
        "AWS::ApiGatewayV2::Route" => route(ix, s, p, sink),
        "AWS::ApiGateway::Authorizer" | "AWS::ApiGatewayV2::Authorizer" => {
            let api = first(ix, s, p.get("RestApiId").or_else(|| p.get("ApiId")));
            let pools = ix.targets(s, p.get("ProviderARNs").unwrap_or(&Value::Null));
            sink.add_all(&api, &pools, "authorizer", EdgeKind::Authorizer);
            let uri = ix.targets(s, p.get("AuthorizerUri").unwrap_or(&Value::Null));
            sink.add_all(&api, &uri, "authorizer", EdgeKind::Authorizer);
        }
        "AWS::Lambda::Permission" => permission(ix, s, p, sink),
        _ => {}
    }
}

/// The node the first reference in `v` resolves to.
pub fn first(ix: &Index<'_>, s: usize, v: Option<&Value>) -> Option<String> {
    ix.targets(s, v?).into_iter().next()
}

fn method(ix: &Index<'_>, s: usize, p: &Value, sink: &mut Sink) {
    let api = first(ix, s, p.get("RestApiId"));
    let Some(integration) = p.get("Integration") else {
        return;
    };
    let verb = p.get("HttpMethod").and_then(Value::as_str).unwrap_or("ANY");
    let path = resource_path(ix, s, p.get("ResourceId"), 0);
    let path = if path.is_empty() {
        "/".to_owned()
    } else {
        path
    };
    let targets = ix.targets(s, integration.get("Uri").unwrap_or(&Value::Null));
    sink.add_all(
        &api,
        &targets,
        &format!("{verb} {path}"),
        EdgeKind::Integration,
    );
}

/// The path of an `AWS::ApiGateway::Resource`, built from its parents.
fn resource_path(ix: &Index<'_>, s: usize, id: Option<&Value>, depth: usize) -> String {
    let names = id.map(refs::names).unwrap_or_default();
    let Some(r) = names.first().and_then(|n| ix.res(s, n)) else {
        return String::new();
    };
    if r.rtype != "AWS::ApiGateway::Resource" || depth > 32 {
        return String::new();
    }
    let part = r
        .props
        .get("PathPart")
        .and_then(Value::as_str)
        .unwrap_or("?");
    format!(
        "{}/{part}",
        resource_path(ix, s, r.props.get("ParentId"), depth + 1)
    )
}

fn openapi(ix: &Index<'_>, s: usize, api: &Option<String>, body: &Value, sink: &mut Sink) {
    let Some(paths) = body.get("paths").and_then(Value::as_object) else {
        return;
    };
    for (path, ops) in paths {
        let Some(ops) = ops.as_object() else { continue };
        for (verb, op) in ops {
            let Some(uri) = op
                .get("x-amazon-apigateway-integration")
                .and_then(|i| i.get("uri"))
            else {
                continue;
            };
            let verb = verb
                .to_ascii_uppercase()
                .replace("X-AMAZON-APIGATEWAY-ANY-METHOD", "ANY");
            let targets = ix.targets(s, uri);
            sink.add_all(
                api,
                &targets,
                &format!("{verb} {path}"),
                EdgeKind::Integration,
            );
        }
    }
}

fn route(ix: &Index<'_>, s: usize, p: &Value, sink: &mut Sink) {
    let api = first(ix, s, p.get("ApiId"));
    let key = p
        .get("RouteKey")
        .and_then(Value::as_str)
        .unwrap_or("$default");
    let Some(target) = p.get("Target") else {
        return;
    };
    for name in refs::names(target) {
        let Some(i) = ix.res(s, &name) else { continue };
        if i.rtype == "AWS::ApiGatewayV2::Integration" {
            let to = ix.targets(s, i.props.get("IntegrationUri").unwrap_or(&Value::Null));
            sink.add_all(&api, &to, key, EdgeKind::Integration);
        }
    }
}

/// A permission letting a service invoke a function: drawn only when no
/// route, subscription or notification already joins the two.
fn permission(ix: &Index<'_>, s: usize, p: &Value, sink: &mut Sink) {
    let function = first(ix, s, p.get("FunctionName"));
    let principal = strings(p.get("Principal")).join("");
    let source = first(ix, s, p.get("SourceArn"));
    let label = match principal.split('.').next().unwrap_or("") {
        "apigateway" => "invoke",
        "s3" | "sns" | "events" => "events",
        _ => "invoke",
    };
    sink.fallback(source, function, label, EdgeKind::Integration);
}

/// Turns route lines ("GET /todos", "POST /todos") into one line per path
/// ("GET, POST /todos"), paths in first-seen order.
pub fn compact_routes(label: &str) -> String {
    let mut paths: Vec<(String, Vec<String>)> = Vec::new();
    for line in label.split('\n') {
        let (verb, path) = line.split_once(' ').unwrap_or(("", line));
        match paths.iter_mut().find(|(p, _)| p == path) {
            Some((_, verbs)) => verbs.push(verb.to_owned()),
            None => paths.push((path.to_owned(), vec![verb.to_owned()])),
        }
    }
    paths
        .iter()
        .map(|(p, v)| format!("{} {p}", v.join(", ")).trim().to_owned())
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes_are_compacted_by_path() {
        let got = compact_routes("GET /todos\nPOST /todos\nDELETE /todos/{id}");
        assert_eq!(got, "GET, POST /todos\nDELETE /todos/{id}");
        assert_eq!(compact_routes("invoke"), "invoke");
    }
}
