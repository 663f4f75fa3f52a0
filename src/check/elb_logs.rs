//! Access-log buckets of Application and Classic Load Balancers: who may
//! write, and where.
//!
//! Elastic Load Balancing writes access logs as the Region's ELB account in
//! Regions launched before August 2022 and as the service principal
//! `logdelivery.elasticloadbalancing.amazonaws.com` in later ones (ELB
//! guide, "Enable access logs"; CDK's region-info fact table). When the
//! bucket policy lacks the right one, ELB's test write fails and the load
//! balancer, and so the stack, fails to create.

use serde_json::Value;

use super::Ctx;
use super::target;
use super::values::{actions, as_list, props, render, statements, variables};

const SERVICE: &str = "logdelivery.elasticloadbalancing.amazonaws.com";

/// The ELB account of each Region launched before August 2022, from the
/// ELB user guide as tabulated by AWS CDK (`region-info` fact tables,
/// Apache-2.0).
const ELB_ACCOUNTS: &[(&str, &str)] = &[
    ("us-east-1", "127311923021"),
    ("us-east-2", "033677994240"),
    ("us-west-1", "027434742980"),
    ("us-west-2", "797873946194"),
    ("af-south-1", "098369216593"),
    ("ap-east-1", "754344448648"),
    ("ap-south-1", "718504428378"),
    ("ap-northeast-1", "582318560864"),
    ("ap-northeast-2", "600734575887"),
    ("ap-northeast-3", "383597477331"),
    ("ap-southeast-1", "114774131450"),
    ("ap-southeast-2", "783225319266"),
    ("ap-southeast-3", "589379963580"),
    ("ca-central-1", "985666609251"),
    ("eu-central-1", "054676820928"),
    ("eu-west-1", "156460612806"),
    ("eu-west-2", "652711504416"),
    ("eu-west-3", "009996457667"),
    ("eu-south-1", "635631232127"),
    ("eu-north-1", "897822967062"),
    ("me-south-1", "076674570225"),
    ("sa-east-1", "507241528517"),
    ("us-gov-west-1", "048591011584"),
    ("us-gov-east-1", "190560391635"),
    ("cn-north-1", "638102146993"),
    ("cn-northwest-1", "037604701340"),
];

/// Who a statement lets write access logs.
#[derive(Default)]
struct Grant {
    service: bool,
    /// Regions of ELB accounts named literally.
    regions: Vec<&'static str>,
    /// An account principal the template resolves per deployment (a
    /// mapping by Region, a parameter).
    resolved: bool,
}

type Found = Vec<(&'static str, String, String, String)>;

impl Grant {
    fn any(&self) -> bool {
        self.service || self.resolved || !self.regions.is_empty()
    }
}

pub(super) fn check(ctx: &mut Ctx<'_>) {
    let mut found = Vec::new();
    let logged = logged_buckets(ctx);
    // Buckets some load balancer here logs to, and buckets whose policy
    // grants ELB log delivery (the load balancers may live in other stacks).
    let mut buckets = logged.clone();
    for (_, p) in ctx.of_type("AWS::S3::BucketPolicy") {
        let p = props(p);
        if statements(p.get("PolicyDocument"))
            .iter()
            .any(|s| grant(ctx.template, s).any())
        {
            buckets.push(bucket_key(p.get("Bucket").unwrap_or(&Value::Null)));
        }
    }
    buckets.sort();
    buckets.dedup();
    for bucket in buckets {
        found.extend(bucket_findings(ctx, &bucket, logged.contains(&bucket)));
    }
    for (rule, id, path, message) in found {
        ctx.report(rule, &id, &path, message);
    }
}

/// The findings for one bucket's policies; `logged` when a load balancer in
/// this template writes to the bucket.
fn bucket_findings(ctx: &Ctx<'_>, bucket: &str, logged: bool) -> Found {
    let mut found = Vec::new();
    let policies: Vec<(&String, &Value)> = ctx
        .of_type("AWS::S3::BucketPolicy")
        .filter(|(_, p)| bucket_key(props(p).get("Bucket").unwrap_or(&Value::Null)) == bucket)
        .collect();
    let mut total = Grant::default();
    for (pid, p) in &policies {
        for (i, s) in statements(props(p).get("PolicyDocument"))
            .into_iter()
            .enumerate()
        {
            let g = grant(ctx.template, s);
            if g.any() && !scoped_to_account(s) {
                found.push((
                    "SC-ELB-002",
                    (*pid).clone(),
                    format!("Properties.PolicyDocument.Statement[{i}].Resource"),
                    "Elastic Load Balancing may write anywhere in the bucket: any account's load balancer can deliver its logs here; scope the Resource to <bucket>[/prefix]/AWSLogs/${AWS::AccountId}/* (or add an aws:SourceAccount condition)".to_owned(),
                ));
            }
            total.service |= g.service;
            total.resolved |= g.resolved;
            total.regions.extend(g.regions);
        }
    }
    if !total.any() && !logged {
        return found;
    }
    if let Some(message) = principal_problem(&total) {
        let (id, path) = match policies.first() {
            Some((pid, _)) => ((*pid).clone(), "Properties.PolicyDocument".to_owned()),
            None => (bucket.to_owned(), String::new()),
        };
        found.push(("SC-ELB-001", id, path, message));
    }
    found
}

fn principal_problem(g: &Grant) -> Option<String> {
    if g.resolved || (g.service && !g.regions.is_empty()) {
        return None;
    }
    let old = "Regions launched before August 2022 (us-east-1, eu-west-1, ...) write as the Region's ELB account (127311923021 in us-east-1)";
    let new = "Regions launched since write as logdelivery.elasticloadbalancing.amazonaws.com";
    Some(if g.service {
        format!(
            "only {SERVICE} may write the access logs: {old}, so there ELB's test write is refused and the load balancer fails to create; whether it deploys depends on the Region. Also allow the Region's ELB account (a mapping by AWS::Region, as CDK does)"
        )
    } else if !g.regions.is_empty() {
        format!(
            "only the ELB account of {} may write the access logs: the template deploys only in that Region ({new}, and other older Regions have their own ELB account); map the account by AWS::Region and allow the service principal too",
            g.regions.join(", ")
        )
    } else {
        format!(
            "a load balancer logs to this bucket, but no bucket policy lets Elastic Load Balancing write (s3:PutObject): enabling access logs fails; {old}, {new}"
        )
    })
}

/// Logical ids of buckets in the template that an Application or Classic
/// Load Balancer writes access logs to.
fn logged_buckets(ctx: &Ctx<'_>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for (_, lb) in ctx.of_type("AWS::ElasticLoadBalancingV2::LoadBalancer") {
        let p = props(lb);
        if p.get("Type")
            .and_then(Value::as_str)
            .unwrap_or("application")
            != "application"
        {
            continue;
        }
        let attr = |key: &str| {
            as_list(p.get("LoadBalancerAttributes"))
                .into_iter()
                .find(|a| a.get("Key").and_then(Value::as_str) == Some(key))
                .and_then(|a| a.get("Value"))
        };
        if attr("access_logs.s3.enabled").is_some_and(|v| render(v) == "true")
            && let Some(b) = attr("access_logs.s3.bucket")
        {
            out.extend(bucket_id(ctx, b));
        }
    }
    for (_, lb) in ctx.of_type("AWS::ElasticLoadBalancing::LoadBalancer") {
        let policy = props(lb).get("AccessLoggingPolicy").unwrap_or(&Value::Null);
        if policy.get("Enabled").is_some_and(|v| render(v) == "true")
            && let Some(b) = policy.get("S3BucketName")
        {
            out.extend(bucket_id(ctx, b));
        }
    }
    out.sort();
    out.dedup();
    out
}

/// The bucket in the template a value names: by `Ref`, or by a name equal
/// to the bucket's `BucketName`.
fn bucket_id(ctx: &Ctx<'_>, v: &Value) -> Option<String> {
    if let Some(id) = target(v) {
        return ctx
            .of_type("AWS::S3::Bucket")
            .any(|(b, _)| b == id)
            .then(|| id.to_owned());
    }
    let name = render(v);
    ctx.of_type("AWS::S3::Bucket")
        .find(|(_, b)| props(b).get("BucketName").map(render) == Some(name.clone()))
        .map(|(id, _)| id.clone())
}

/// How a bucket policy names its bucket: the logical id it refers to, or
/// the rendered name.
fn bucket_key(v: &Value) -> String {
    target(v).map_or_else(|| render(v), str::to_owned)
}

fn grant(template: &Value, s: &Value) -> Grant {
    let mut g = Grant::default();
    let writes = actions(s).iter().any(|a| {
        let a = a.to_ascii_lowercase();
        a == "s3:putobject" || a == "s3:*" || a == "s3:put*" || a == "*"
    });
    if s.get("Effect").and_then(Value::as_str) != Some("Allow") || !writes {
        return g;
    }
    let principal = s.get("Principal").unwrap_or(&Value::Null);
    g.service = as_list(principal.get("Service"))
        .iter()
        .any(|v| v.as_str() == Some(SERVICE));
    for p in as_list(principal.get("AWS")) {
        let text = render(p);
        if let Some((region, _)) = ELB_ACCOUNTS.iter().find(|(_, a)| text.contains(a)) {
            g.regions.push(region);
        } else if variables(&text)
            .iter()
            .any(|v| *v == "?" || is_parameter(template, v))
        {
            g.resolved = true;
        }
    }
    g
}

fn is_parameter(template: &Value, name: &str) -> bool {
    template
        .get("Parameters")
        .and_then(|p| p.get(name))
        .is_some()
}

/// Whether the grant is limited to this account's logs: every resource
/// under `AWSLogs/<account>/`, or a source-account condition.
fn scoped_to_account(s: &Value) -> bool {
    let conditioned = s
        .get("Condition")
        .and_then(Value::as_object)
        .is_some_and(|ops| {
            ops.values().filter_map(Value::as_object).any(|keys| {
                keys.keys().any(|k| {
                    let k = k.to_ascii_lowercase();
                    k == "aws:sourceaccount" || k == "aws:sourcearn" || k == "aws:sourceowner"
                })
            })
        });
    let resources = as_list(s.get("Resource"));
    let all_scoped = !resources.is_empty()
        && resources.iter().all(|r| {
            let text = render(r);
            text.split("AWSLogs/").nth(1).is_some_and(|rest| {
                let b = rest.as_bytes();
                rest.starts_with("${AWS::AccountId}/")
                    || (b.len() > 12 && b[..12].iter().all(u8::is_ascii_digit) && b[12] == b'/')
            })
        });
    conditioned || all_scoped
}

/// `https://` URLs built on a load balancer's generated DNS name. No
/// certificate can cover `*.elb.amazonaws.com` (ACM issues only for domains
/// you own), so every client that verifies the host name fails; publish a
/// custom domain (a Route 53 alias) instead.
pub(super) fn https_to_generated_names(ctx: &mut Ctx<'_>) {
    let balancers: Vec<String> = ctx
        .of_type("AWS::ElasticLoadBalancingV2::LoadBalancer")
        .chain(ctx.of_type("AWS::ElasticLoadBalancing::LoadBalancer"))
        .map(|(id, _)| id.clone())
        .collect();
    if balancers.is_empty() {
        return;
    }
    let mut places: Vec<(String, &Value)> = ctx
        .resources
        .iter()
        .map(|(id, r)| (id.clone(), r))
        .collect();
    if let Some(outputs) = ctx.template.get("Outputs").and_then(Value::as_object) {
        places.extend(outputs.iter().map(|(k, v)| (format!("Outputs.{k}"), v)));
    }
    let mut found = Vec::new();
    for (owner, value) in places {
        let mut path = String::new();
        super::walk(value, &mut path, &mut |v, p| {
            let is_text =
                v.is_string() || v.get("Fn::Sub").is_some() || v.get("Fn::Join").is_some();
            if !is_text {
                return;
            }
            let text = render(v);
            for lb in &balancers {
                if text.contains(&format!("https://${{{lb}.DNSName}}")) {
                    found.push((owner.clone(), p.to_owned(), format!(
                        "{text:?} is an https URL on load balancer {lb}'s generated name (*.elb.amazonaws.com), which no certificate you can obtain covers: every client that verifies TLS host names fails; give the load balancer a domain name (Route 53 alias) covered by its certificate and publish that"
                    )));
                }
            }
        });
    }
    for (owner, path, message) in found {
        ctx.report("SC-ELB-003", &owner, &path, message);
    }
}
