//! Settings that deploy but break a flow at runtime, or deploy only in some
//! accounts: CloudFront error pages over APIs, queue visibility against the
//! consumer's timeout, read-only containers, reserved concurrency.

use serde_json::Value;

use super::values::{as_list, number, props, render};
use super::{Ctx, target};

type Found = Vec<(&'static str, String, String, String)>;

pub(super) fn check(ctx: &mut Ctx<'_>) {
    let mut found = error_pages_over_apis(ctx);
    found.extend(queue_visibility(ctx));
    found.extend(read_only_containers(ctx));
    found.extend(reserved_concurrency(ctx));
    for (rule, id, path, message) in found {
        ctx.report(rule, &id, &path, message);
    }
}

/// Whether a CloudFront origin serves stored objects (S3) rather than an
/// application whose error responses mean something.
fn static_origin(ctx: &Ctx<'_>, origin: &Value) -> bool {
    if origin.get("S3OriginConfig").is_some() {
        return true;
    }
    let domain = origin.get("DomainName").unwrap_or(&Value::Null);
    if let Some(id) = target(domain)
        && let Some(r) = ctx.resources.get(id)
    {
        return r.get("Type").and_then(Value::as_str) == Some("AWS::S3::Bucket");
    }
    let text = render(domain);
    text.contains(".s3.") || text.contains(".s3-") || text.contains("s3-website")
}

fn error_pages_over_apis(ctx: &Ctx<'_>) -> Found {
    let mut found = Vec::new();
    for (id, r) in ctx.of_type("AWS::CloudFront::Distribution") {
        let config = props(r).get("DistributionConfig").unwrap_or(&Value::Null);
        // Entries with only ErrorCachingMinTTL change caching, not responses.
        let rewritten: Vec<String> = as_list(config.get("CustomErrorResponses"))
            .into_iter()
            .filter(|e| e.get("ResponsePagePath").is_some() || e.get("ResponseCode").is_some())
            .map(|e| e.get("ErrorCode").map(render).unwrap_or_default())
            .collect();
        if rewritten.is_empty() {
            continue;
        }
        let dynamic: Vec<String> = as_list(config.get("Origins"))
            .into_iter()
            .filter(|o| !static_origin(ctx, o))
            .filter_map(|o| o.get("Id").map(render))
            .collect();
        let mut behaviors = vec![("default (*)".to_owned(), config.get("DefaultCacheBehavior"))];
        for b in as_list(config.get("CacheBehaviors")) {
            let pattern = b.get("PathPattern").map(render).unwrap_or_default();
            behaviors.push((pattern, Some(b)));
        }
        let apis: Vec<String> = behaviors
            .into_iter()
            .filter_map(|(pattern, b)| {
                let origin = render(b?.get("TargetOriginId")?);
                dynamic
                    .contains(&origin)
                    .then(|| format!("{pattern} -> {origin}"))
            })
            .collect();
        if !apis.is_empty() {
            found.push((
                "SC-CDN-003",
                id.clone(),
                "Properties.DistributionConfig.CustomErrorResponses".to_owned(),
                format!(
                    "custom error responses for {} apply to the whole distribution, including behaviors whose origin is an application ({}): its error responses (JSON bodies, 401/403 from auth) are replaced by the error page and status and cached; serve the page for S3 misses another way (a CloudFront function or the bucket's own error document)",
                    rewritten.join(", "),
                    apis.join(", ")
                ),
            ));
        }
    }
    found
}

fn queue_visibility(ctx: &Ctx<'_>) -> Found {
    let mut found = Vec::new();
    let kind_of = |id: &str| {
        ctx.resources
            .get(id)
            .and_then(|r| r.get("Type"))
            .and_then(Value::as_str)
    };
    for (id, m) in ctx.of_type("AWS::Lambda::EventSourceMapping") {
        let p = props(m);
        let (Some(queue), Some(function)) = (
            p.get("EventSourceArn").and_then(target),
            p.get("FunctionName").and_then(target),
        ) else {
            continue;
        };
        if kind_of(queue) != Some("AWS::SQS::Queue")
            || kind_of(function) != Some("AWS::Lambda::Function")
        {
            continue;
        }
        // The defaults when a property is absent: 30 s and 3 s.
        let setting = |r: &str, key: &str, default: f64| match ctx
            .resources
            .get(r)
            .and_then(|x| x.pointer(&format!("/Properties/{key}")))
        {
            None => Some(default),
            Some(v) => number(ctx.template, v),
        };
        let (Some(visibility), Some(timeout)) = (
            setting(queue, "VisibilityTimeout", 30.0),
            setting(function, "Timeout", 3.0),
        ) else {
            continue;
        };
        if visibility < timeout {
            found.push(("SC-MSG-004", id.clone(), "Properties.EventSourceArn".to_owned(), format!(
                "queue {queue} has a visibility timeout of {visibility} s, less than function {function}'s timeout of {timeout} s: Lambda refuses to create the event source mapping, and the stack rolls back; set the queue's VisibilityTimeout to at least 6 x {timeout} s"
            )));
        } else if visibility < 6.0 * timeout {
            found.push(("SC-MSG-005", id.clone(), "Properties.EventSourceArn".to_owned(), format!(
                "queue {queue} has a visibility timeout of {visibility} s, under 6 x function {function}'s timeout ({timeout} s): when Lambda retries a throttled batch, messages reappear while still in flight and can reach the dead-letter queue unprocessed; AWS asks for at least {} s", 6.0 * timeout
            )));
        }
    }
    found
}

fn read_only_containers(ctx: &Ctx<'_>) -> Found {
    let mut found = Vec::new();
    for (id, r) in ctx.of_type("AWS::ECS::TaskDefinition") {
        for (i, c) in as_list(props(r).get("ContainerDefinitions"))
            .into_iter()
            .enumerate()
        {
            let read_only = c
                .get("ReadonlyRootFilesystem")
                .is_some_and(|v| render(v) == "true");
            let writable = !as_list(c.get("MountPoints")).is_empty()
                || !as_list(c.pointer("/LinuxParameters/Tmpfs")).is_empty();
            if read_only && !writable {
                let name = c.get("Name").map(render).unwrap_or_else(|| format!("#{i}"));
                found.push(("SC-ECS-001", id.clone(), format!("Properties.ContainerDefinitions[{i}].ReadonlyRootFilesystem"), format!(
                    "container {name:?} has a read-only root file system and no writable mount: anything it writes (/tmp, caches, pid files) fails with EROFS; mount a task volume (MountPoints) where it writes, at least /tmp"
                )));
            }
        }
    }
    found
}

fn reserved_concurrency(ctx: &Ctx<'_>) -> Found {
    let reserved: Vec<(String, f64)> = ctx
        .of_type("AWS::Lambda::Function")
        .filter_map(|(id, r)| {
            let n = number(ctx.template, props(r).get("ReservedConcurrentExecutions")?)?;
            (n > 0.0).then(|| (id.clone(), n))
        })
        .collect();
    let total: f64 = reserved.iter().map(|(_, n)| n).sum();
    let count = reserved.len();
    reserved.into_iter().map(|(id, n)| {
        ("SC-FN-003", id, "Properties.ReservedConcurrentExecutions".to_owned(), format!(
            "reserves {n} concurrent executions ({total} across {count} function(s) in this template): Lambda keeps 100 of the account's concurrency unreserved, so this deploys only where the Region's concurrency quota is at least {} plus what other functions already reserve; new accounts can start at 10, and then creation fails (\"decreases account's UnreservedConcurrentExecution below its minimum value\"); whether it deploys depends on the account's quota: make it a setting, off by default",
            total + 100.0
        ))
    }).collect()
}
