//! Quotas that span stacks: what every template of a run asks for together,
//! against the account's default Regional quotas.
//!
//! Each stack of a 1000-service `micro` is fine alone, but together they ask
//! for 500 Application Load Balancers in one Region, ten times the default.
//! CloudFormation only finds out when a create fails half-way through a
//! rollout; these warnings say so before the first deploy. The defaults are
//! AWS's published values (each row notes its page); a raised quota is
//! declared by id or name (`quotas:` in a settings file, `--quota` for
//! `check`).

use std::collections::{BTreeMap, HashMap};

use serde::Deserialize;
use serde_json::Value;
use serde_json::value::RawValue;

use super::{Finding, Severity, rule};

/// One default Regional quota.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Quota {
    /// The rule its warnings carry.
    pub rule: &'static str,
    /// Stable id to raise it by: `service-code/short-name`.
    pub id: &'static str,
    /// The quota's name as the Service Quotas console and the docs give it.
    pub name: &'static str,
    /// AWS's default value.
    pub default: u64,
    /// What is counted against it.
    pub counts: &'static str,
    /// The page the name and default come from.
    pub source: &'static str,
}

const ELB: &str =
    "https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-limits.html";
const RDS: &str = "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/CHAP_Limits.html";
const VPC: &str = "https://docs.aws.amazon.com/vpc/latest/userguide/amazon-vpc-limits.html";
const LAMBDA: &str = "https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html";
const APIGW: &str = "https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-execution-service-limits-table.html";

/// Every quota judged, with its default and source.
pub const QUOTAS: &[Quota] = &[
    Quota {
        rule: "SC-QUO-001",
        id: "elasticloadbalancing/application-load-balancers",
        name: "Application Load Balancers per Region",
        default: 50,
        counts: "AWS::ElasticLoadBalancingV2::LoadBalancer of type application",
        source: ELB,
    },
    Quota {
        rule: "SC-QUO-002",
        id: "rds/db-instances",
        name: "DB instances",
        default: 40,
        counts: "AWS::RDS::DBInstance",
        source: RDS,
    },
    Quota {
        rule: "SC-QUO-003",
        id: "rds/db-clusters",
        name: "DB clusters",
        default: 40,
        counts: "AWS::RDS::DBCluster",
        source: RDS,
    },
    Quota {
        rule: "SC-QUO-004",
        id: "rds/db-subnet-groups",
        name: "DB subnet groups",
        default: 50,
        counts: "AWS::RDS::DBSubnetGroup",
        source: RDS,
    },
    Quota {
        rule: "SC-QUO-005",
        id: "vpc/vpcs",
        name: "VPCs per Region",
        default: 5,
        counts: "AWS::EC2::VPC",
        source: VPC,
    },
    Quota {
        rule: "SC-QUO-006",
        id: "ec2/elastic-ips",
        name: "Elastic IP addresses per Region",
        default: 5,
        counts: "AWS::EC2::EIP",
        source: VPC,
    },
    Quota {
        rule: "SC-QUO-007",
        id: "vpc/nat-gateways-per-az",
        name: "NAT gateways per Availability Zone",
        default: 5,
        counts: "AWS::EC2::NatGateway, by the Availability Zone of its subnet",
        source: VPC,
    },
    Quota {
        rule: "SC-QUO-008",
        id: "vpc/security-groups",
        name: "VPC security groups per Region",
        default: 2500,
        counts: "AWS::EC2::SecurityGroup",
        source: VPC,
    },
    Quota {
        rule: "SC-QUO-009",
        id: "lambda/concurrent-executions",
        name: "Concurrent executions",
        default: 1000,
        counts: "ReservedConcurrentExecutions of every function, which must leave 100 unreserved",
        source: LAMBDA,
    },
    Quota {
        rule: "SC-QUO-010",
        id: "apigateway/regional-rest-apis",
        name: "Regional APIs per Region",
        default: 600,
        counts: "AWS::ApiGateway::RestApi with a REGIONAL endpoint",
        source: APIGW,
    },
    Quota {
        rule: "SC-QUO-011",
        id: "apigateway/edge-rest-apis",
        name: "Edge-optimized APIs per Region",
        default: 120,
        counts: "AWS::ApiGateway::RestApi with an EDGE endpoint (the default)",
        source: APIGW,
    },
];

/// Quotas AWS does not raise on request ("Adjustable: No" in API Gateway's
/// quota table): declaring them raised would silence a warning about a
/// limit that will still block the deploy.
const FIXED: [&str; 2] = ["apigateway/regional-rest-apis", "apigateway/edge-rest-apis"];

/// Lambda keeps this much of the account's concurrency unreserved.
const UNRESERVED_MINIMUM: u64 = 100;

/// The quota named by `key`: its id, or its name in any case.
pub fn find(key: &str) -> Option<&'static Quota> {
    QUOTAS
        .iter()
        .find(|q| q.id == key || q.name.eq_ignore_ascii_case(key))
}

/// Quotas the account has raised, by quota id.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Raised(BTreeMap<&'static str, u64>);

impl Raised {
    /// Declares `key` (an id or a name) raised to `value`; `Err` says which
    /// keys are known.
    pub fn insert(&mut self, key: &str, value: u64) -> Result<(), String> {
        let q = find(key).ok_or_else(|| {
            format!(
                "expected a quota id or name ({}), found {key:?}",
                QUOTAS.iter().map(|q| q.id).collect::<Vec<_>>().join(", ")
            )
        })?;
        if FIXED.contains(&q.id) {
            return Err(format!(
                "{} ({}) is fixed by AWS and cannot be raised (see {})",
                q.id, q.name, q.source
            ));
        }
        self.0.insert(q.id, value);
        Ok(())
    }

    /// The quota's value in this account.
    fn value(&self, q: &Quota) -> u64 {
        self.0.get(q.id).copied().unwrap_or(q.default)
    }
}

/// What the templates of one run ask for, added up.
#[derive(Debug, Default)]
pub struct Usage {
    /// Quota id -> (total, templates that contribute).
    totals: BTreeMap<&'static str, (u64, Vec<String>)>,
    /// NAT gateways by the Availability Zone expression of their subnet.
    nat_by_az: BTreeMap<String, (u64, Vec<String>)>,
}

/// Just the parts of a resource the quotas need, so a synthesized
/// template's text is not built into a whole JSON tree again.
#[derive(Deserialize)]
struct LightTemplate<'a> {
    #[serde(rename = "Resources", borrow, default)]
    resources: BTreeMap<String, LightResource<'a>>,
}

#[derive(Deserialize)]
struct LightResource<'a> {
    #[serde(rename = "Type", default)]
    kind: String,
    #[serde(rename = "Properties", borrow, default)]
    properties: Option<&'a RawValue>,
}

/// Whether the quotas need a resource type's properties.
fn needs_properties(kind: &str) -> bool {
    matches!(
        kind,
        "AWS::ElasticLoadBalancingV2::LoadBalancer"
            | "AWS::EC2::NatGateway"
            | "AWS::EC2::Subnet"
            | "AWS::Lambda::Function"
            | "AWS::Serverless::Function"
            | "AWS::ApiGateway::RestApi"
    )
}

impl Usage {
    /// Adds a parsed template (`file` names it in warnings).
    pub fn add(&mut self, file: &str, template: &Value) {
        let Some(resources) = template.get("Resources").and_then(Value::as_object) else {
            return;
        };
        let list = resources.iter().filter_map(|(id, r)| {
            let kind = r.get("Type")?.as_str()?;
            // Only the few types whose count depends on properties need
            // them copied (as in `add_json`).
            let props = r.get("Properties").filter(|_| needs_properties(kind));
            Some((id.as_str(), kind, props.cloned()))
        });
        self.add_resources(file, list);
    }

    /// Adds a JSON template's text, reading only what the quotas count.
    pub fn add_json(&mut self, file: &str, text: &str) -> Result<(), serde_json::Error> {
        let t: LightTemplate = serde_json::from_str(text)?;
        let mut list = Vec::with_capacity(t.resources.len());
        for (id, r) in &t.resources {
            let props = match r.properties {
                Some(raw) if needs_properties(&r.kind) => Some(serde_json::from_str(raw.get())?),
                _ => None,
            };
            list.push((id.as_str(), r.kind.as_str(), props));
        }
        self.add_resources(file, list.into_iter());
        Ok(())
    }

    fn add_resources<'a>(
        &mut self,
        file: &str,
        resources: impl Iterator<Item = (&'a str, &'a str, Option<Value>)>,
    ) {
        let resources: Vec<_> = resources.collect();
        let subnets: HashMap<&str, &Value> = resources
            .iter()
            .filter(|(_, kind, _)| *kind == "AWS::EC2::Subnet")
            .filter_map(|(id, _, p)| Some((*id, p.as_ref()?.get("AvailabilityZone")?)))
            .collect();
        for (_, kind, props) in &resources {
            let props = props.as_ref();
            if *kind == "AWS::EC2::NatGateway" {
                let az = nat_zone(file, props, &subnets);
                let entry = self.nat_by_az.entry(az).or_default();
                entry.0 += 1;
                push_file(&mut entry.1, file);
                continue;
            }
            if let Some((id, n)) = counted(kind, props) {
                let entry = self.totals.entry(id).or_default();
                entry.0 += n;
                push_file(&mut entry.1, file);
            }
        }
    }

    /// A warning for every quota the run exceeds.
    pub fn findings(&self, raised: &Raised) -> Vec<Finding> {
        let mut out = Vec::new();
        for q in QUOTAS {
            let limit = raised.value(q);
            if q.id == "vpc/nat-gateways-per-az" {
                for (az, (n, files)) in &self.nat_by_az {
                    if *n > limit {
                        let what = format!("{n} NAT gateways in the Availability Zone {az}");
                        out.push(finding(q, limit, &what, files));
                    }
                }
                continue;
            }
            let Some((n, files)) = self.totals.get(q.id) else {
                continue;
            };
            if q.id == "lambda/concurrent-executions" {
                let room = limit.saturating_sub(UNRESERVED_MINIMUM);
                if *n > room {
                    let what = format!(
                        "{n} reserved concurrent executions, more than the {room} that leave \
                         Lambda its {UNRESERVED_MINIMUM} unreserved"
                    );
                    out.push(finding(q, limit, &what, files));
                }
            } else if *n > limit {
                out.push(finding(q, limit, &format!("{n} {}", q.counts), files));
            }
        }
        out
    }
}

/// The quota a resource counts against, and how much it adds.
fn counted(kind: &str, props: Option<&Value>) -> Option<(&'static str, u64)> {
    let id = match kind {
        "AWS::ElasticLoadBalancingV2::LoadBalancer" => {
            let t = props.and_then(|p| p.get("Type")).and_then(Value::as_str);
            if t.is_some_and(|t| t != "application") {
                return None;
            }
            "elasticloadbalancing/application-load-balancers"
        }
        "AWS::RDS::DBInstance" => "rds/db-instances",
        "AWS::RDS::DBCluster" => "rds/db-clusters",
        "AWS::RDS::DBSubnetGroup" => "rds/db-subnet-groups",
        "AWS::EC2::VPC" => "vpc/vpcs",
        "AWS::EC2::EIP" => "ec2/elastic-ips",
        "AWS::EC2::SecurityGroup" => "vpc/security-groups",
        "AWS::Lambda::Function" | "AWS::Serverless::Function" => {
            let n = props?.get("ReservedConcurrentExecutions")?.as_u64()?;
            return Some(("lambda/concurrent-executions", n));
        }
        "AWS::ApiGateway::RestApi" => {
            let types = props
                .and_then(|p| p.pointer("/EndpointConfiguration/Types"))
                .and_then(Value::as_array);
            let first = types.and_then(|t| t.first()).and_then(Value::as_str);
            match first {
                Some("REGIONAL") => "apigateway/regional-rest-apis",
                Some("PRIVATE") => return None,
                _ => "apigateway/edge-rest-apis",
            }
        }
        _ => return None,
    };
    Some((id, 1))
}

/// The Availability Zone of a NAT gateway's subnet as written (a literal
/// or an expression such as `Fn::Select [0, Fn::GetAZs ""]`, which names
/// the same zone in every stack of one Region); a subnet from outside the
/// template counts as a zone of its own.
fn nat_zone(file: &str, props: Option<&Value>, subnets: &HashMap<&str, &Value>) -> String {
    let subnet = props.and_then(|p| p.get("SubnetId"));
    let az = subnet
        .and_then(super::target)
        .and_then(|id| subnets.get(id));
    match az {
        Some(Value::String(s)) => s.clone(),
        Some(v) => v.to_string(),
        None => format!(
            "of subnet {} in {file}",
            subnet.map(Value::to_string).unwrap_or_default()
        ),
    }
}

fn push_file(files: &mut Vec<String>, file: &str) {
    if files.last().map(String::as_str) != Some(file) {
        files.push(file.to_owned());
    }
}

/// The warning: what is asked for, where, and the quota's name, default
/// and source.
fn finding(q: &Quota, limit: u64, what: &str, files: &[String]) -> Finding {
    let r = rule(q.rule).expect("every quota rule is registered");
    let quota = if limit == q.default {
        format!("the default quota \"{}\" is {}", q.name, q.default)
    } else {
        format!(
            "the quota \"{}\" is raised to {limit} (default {})",
            q.name, q.default
        )
    };
    let shown: Vec<&str> = files.iter().take(3).map(String::as_str).collect();
    let more = files.len().saturating_sub(shown.len());
    let place = if more > 0 {
        format!("{} and {more} more", shown.join(", "))
    } else {
        shown.join(", ")
    };
    Finding {
        rule: r.id,
        severity: Severity::Warning,
        file: files.first().cloned().unwrap_or_default(),
        resource: "Region".into(),
        path: q.id.into(),
        message: format!(
            "{} template(s) together ask for {what} in one account and Region ({place}); \
             {quota} ({})",
            files.len(),
            q.source
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use serde_json::json;

    #[test]
    fn quotas_aws_does_not_raise_cannot_be_declared_raised() {
        let mut raised = Raised::default();
        let err = raised.insert("apigateway/edge-rest-apis", 500).unwrap_err();
        assert!(err.contains("cannot be raised"), "{err}");
        assert!(raised.insert("vpc/vpcs", 20).is_ok());
    }

    fn albs(n: usize) -> Value {
        let mut resources = serde_json::Map::new();
        for i in 0..n {
            resources.insert(
                format!("Lb{i}"),
                json!({"Type": "AWS::ElasticLoadBalancingV2::LoadBalancer", "Properties": {"Scheme": "internet-facing"}}),
            );
        }
        json!({ "Resources": resources })
    }

    #[test]
    fn stacks_fine_alone_exceed_the_default_together() {
        let mut usage = Usage::default();
        for i in 0..26 {
            usage.add(&format!("s{i}.json"), &albs(2));
        }
        let found = usage.findings(&Raised::default());
        assert_eq!(found.len(), 1, "{found:?}");
        let f = &found[0];
        assert_eq!((f.rule, f.severity), ("SC-QUO-001", Severity::Warning));
        assert!(
            f.message.contains("26 template(s) together ask for 52"),
            "{}",
            f.message
        );
        assert!(
            f.message
                .contains("\"Application Load Balancers per Region\" is 50"),
            "{}",
            f.message
        );
        assert!(f.message.contains("s0.json, s1.json, s2.json and 23 more"));
        // The light reader of synthesized text counts the same.
        let mut light = Usage::default();
        for i in 0..26 {
            light
                .add_json(&format!("s{i}.json"), &albs(2).to_string())
                .unwrap();
        }
        assert_eq!(light.findings(&Raised::default()), found);
    }

    #[test]
    fn a_raised_quota_silences_and_the_default_does_not_warn() {
        let mut usage = Usage::default();
        usage.add("a.json", &albs(50));
        assert!(usage.findings(&Raised::default()).is_empty());
        usage.add("b.json", &albs(1));
        let mut raised = Raised::default();
        raised
            .insert("Application Load Balancers per Region", 51)
            .unwrap();
        assert!(usage.findings(&raised).is_empty());
        raised
            .insert("elasticloadbalancing/application-load-balancers", 40)
            .unwrap();
        let f = usage.findings(&raised);
        assert!(f[0].message.contains("raised to 40 (default 50)"), "{f:?}");
        let err = raised.insert("albs", 3).unwrap_err();
        assert!(err.contains("expected a quota id or name"), "{err}");
    }

    #[test]
    fn reserved_concurrency_must_leave_one_hundred_unreserved() {
        let t = |n: u64| {
            json!({"Resources": {"F": {"Type": "AWS::Lambda::Function",
                "Properties": {"ReservedConcurrentExecutions": n}}}})
        };
        let mut usage = Usage::default();
        usage.add("a.json", &t(500));
        usage.add("b.json", &t(400));
        assert!(usage.findings(&Raised::default()).is_empty());
        usage.add("c.json", &t(1));
        let f = usage.findings(&Raised::default());
        assert_eq!(f[0].rule, "SC-QUO-009");
        assert!(f[0].message.contains("901 reserved"), "{f:?}");
    }

    #[test]
    fn nat_gateways_count_per_zone_and_endpoints_by_type() {
        let stack = json!({"Resources": {
            "S": {"Type": "AWS::EC2::Subnet", "Properties": {"AvailabilityZone": {"Fn::Select": [0, {"Fn::GetAZs": ""}]}}},
            "T": {"Type": "AWS::EC2::Subnet", "Properties": {"AvailabilityZone": {"Fn::Select": [1, {"Fn::GetAZs": ""}]}}},
            "N": {"Type": "AWS::EC2::NatGateway", "Properties": {"SubnetId": {"Ref": "S"}}},
            "M": {"Type": "AWS::EC2::NatGateway", "Properties": {"SubnetId": {"Ref": "T"}}},
            "R": {"Type": "AWS::ApiGateway::RestApi", "Properties": {"EndpointConfiguration": {"Types": ["REGIONAL"]}}},
            "E": {"Type": "AWS::ApiGateway::RestApi", "Properties": {}}
        }});
        let mut usage = Usage::default();
        for i in 0..6 {
            usage.add(&format!("n{i}.json"), &stack);
        }
        let f = usage.findings(&Raised::default());
        // Six per zone in two zones; APIs and EIPs stay under their quotas.
        assert_eq!(f.len(), 2, "{f:?}");
        assert!(f.iter().all(|f| f.rule == "SC-QUO-007"));
        assert!(f[0].message.contains("6 NAT gateways"), "{f:?}");
        assert_eq!(usage.totals["apigateway/regional-rest-apis"].0, 6);
        assert_eq!(usage.totals["apigateway/edge-rest-apis"].0, 6);
    }

    #[test]
    fn every_quota_has_a_registered_rule_and_a_source() {
        for q in QUOTAS {
            assert!(rule(q.rule).is_some(), "{}", q.rule);
            assert!(q.source.starts_with("https://docs.aws.amazon.com/"));
            assert_eq!(find(q.id), Some(q));
        }
    }
}
