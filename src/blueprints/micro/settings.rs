//! Settings of the `micro` blueprint: the shared network and the services,
//! declared as data and validated as a whole (names, references, cycles).

use std::cmp::Reverse;
use std::collections::{BTreeMap, BTreeSet, BinaryHeap, HashMap};

use serde::Deserialize;

use crate::patterns::naming::pascal;
use crate::settings::{self, Bounded, Checked, Cidr, Name, RetentionDays, Rule, SettingsError};

/// Settings of the `micro` blueprint.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    /// The application: the first segment of SSM parameter names.
    pub app: Name,
    /// The environment: the second segment.
    pub environment: Name,
    /// Days to keep logs.
    pub log_retention_days: RetentionDays,
    /// The shared network.
    pub network: NetworkSettings,
    /// The services.
    pub services: Vec<Service>,
}

/// The shared network.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NetworkSettings {
    /// The VPC's range.
    pub cidr: Cidr,
    /// Availability zones.
    pub az_count: Bounded<2, 3>,
    /// NAT gateways: 1 or `az_count`.
    pub nat_gateways: Bounded<1, 3>,
}

/// Semantic versions: `MAJOR.MINOR.PATCH`, with an optional `-pre` suffix.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SemverRule;

impl Rule for SemverRule {
    const EXPECTED: &'static str = "a version MAJOR.MINOR.PATCH such as 1.4.0";
    fn accepts(v: &str) -> bool {
        let core = v
            .split_once('-')
            .map_or(v, |(c, pre)| if pre.is_empty() { "" } else { c });
        let parts: Vec<&str> = core.split('.').collect();
        parts.len() == 3
            && parts
                .iter()
                .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()))
    }
}

/// How a service is built.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Pattern {
    /// HTTPS -> ALB -> ECS Fargate.
    Ecs,
    /// API Gateway (OpenAPI) -> Lambda.
    Lambda,
    /// HTTPS -> ALB -> EC2 Auto Scaling.
    Ec2,
    /// No front door: Lambda triggers only.
    Worker,
}

/// Where a service keeps its data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Datastore {
    /// A DynamoDB table.
    Dynamodb,
    /// An ElastiCache (Redis) replication group.
    Elasticache,
    /// An RDS PostgreSQL instance.
    Rds,
    /// Nothing.
    #[default]
    None,
}

impl Datastore {
    /// Every datastore.
    pub const ALL: [Datastore; 4] = [
        Datastore::Dynamodb,
        Datastore::Elasticache,
        Datastore::Rds,
        Datastore::None,
    ];
}

/// Something a service consumes: `stream: owner/name` or `queue: owner/name`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Source {
    /// A Kinesis stream another service publishes.
    Stream(String),
    /// An SQS queue another service owns.
    Queue(String),
}

impl Source {
    /// `("stream" | "queue", owner, name)`.
    pub fn parts(&self) -> (&'static str, &str, &str) {
        let (kind, s) = match self {
            Source::Stream(s) => ("stream", s.as_str()),
            Source::Queue(s) => ("queue", s.as_str()),
        };
        let (owner, name) = s.split_once('/').unwrap_or(("", s));
        (kind, owner, name)
    }
}

impl Source {
    /// The part of logical ids derived from this source:
    /// `stream: orders/order-events` -> `OrdersOrderEventsStream`.
    pub fn logical_id_part(&self) -> String {
        let (kind, owner, name) = self.parts();
        format!(
            "{}{}{}",
            pascal(owner),
            pascal(name),
            if kind == "stream" { "Stream" } else { "Queue" }
        )
    }
}

/// One service.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Service {
    /// The service's name: its stack, its SSM path, its logical ids.
    pub name: Name,
    /// Its version, carried in its stack's description and tags.
    pub version: Checked<SemverRule>,
    /// What it does.
    #[serde(default)]
    pub description: String,
    /// How it is built.
    pub pattern: Pattern,
    /// Where it keeps data.
    #[serde(default)]
    pub datastore: Datastore,
    /// Services it calls over REST.
    #[serde(default)]
    pub calls: Vec<Name>,
    /// Kinesis streams it publishes.
    #[serde(default)]
    pub streams: Vec<Name>,
    /// SQS queues it owns.
    #[serde(default)]
    pub queues: Vec<Name>,
    /// Streams and queues of other services it consumes.
    #[serde(default)]
    pub consumes: Vec<Source>,
    /// Tasks or instances to run.
    #[serde(default = "two")]
    pub count: Bounded<1, 20>,
    /// The port the container or instance listens on.
    #[serde(default = "port")]
    pub port: Bounded<1024, 65535>,
    /// Concurrency reserved for (and capping) each of its Lambda functions;
    /// absent reserves none.
    #[serde(default)]
    pub reserved_concurrency: Option<Bounded<1, 1000>>,
    /// Logical id renames in this service's stack (generated -> existing).
    #[serde(default)]
    pub logical_ids: indexmap::IndexMap<String, String>,
}

fn two() -> Bounded<1, 20> {
    Bounded::new(2)
}

fn port() -> Bounded<1024, 65535> {
    Bounded::new(8080)
}

impl Service {
    /// Whether the service answers REST calls (and so publishes a URL).
    pub fn has_api(&self) -> bool {
        self.pattern != Pattern::Worker
    }

    /// The services this one must be deployed after.
    pub fn depends_on(&self) -> BTreeSet<String> {
        let mut deps: BTreeSet<String> = self.calls.iter().map(|c| c.to_string()).collect();
        deps.extend(self.consumes.iter().map(|c| c.parts().1.to_owned()));
        deps
    }
}

impl Settings {
    /// Parses and validates settings.
    pub fn parse(src: &settings::Layers) -> Result<Self, SettingsError> {
        let s: Settings = src.parse()?;
        let invalid = |(key, message): Invalid| src.error_at(&key, message);
        s.validate().map_err(invalid)?;
        Ok(s)
    }

    /// The whole settings' rules: the network, unique names, each service,
    /// and no cycles.
    fn validate(&self) -> Result<(), Invalid> {
        if self.services.is_empty() {
            return Err(("services".into(), "expected at least one service".into()));
        }
        self.network.validate()?;
        if let Some(clash) = id_collision(&self.services) {
            return Err(clash);
        }
        let by_name: BTreeMap<&str, &Service> =
            self.services.iter().map(|v| (v.name.as_str(), v)).collect();
        for (i, svc) in self.services.iter().enumerate() {
            if self.services[..i].iter().any(|o| o.name == svc.name) {
                let message = format!("expected a unique name, found {} twice", svc.name);
                return Err((format!("services[{i}].name"), message));
            }
            svc.validate(i, &by_name)?;
        }
        if let Some(cycle) = cycle(&self.services) {
            let first = self
                .services
                .iter()
                .position(|v| v.name.as_str() == cycle[0])
                .unwrap_or(0);
            let message = format!(
                "services depend on each other in a cycle: {}",
                cycle.join(" -> ")
            );
            return Err((format!("services[{first}]"), message));
        }
        Ok(())
    }

    /// The deploy order: each service after those it depends on, ties in
    /// name order, so the order is stable. Kahn's algorithm with a min-heap
    /// of ready names: O((services + edges) log services), where the former
    /// rescan of every service per step was cubic at a thousand services.
    pub fn deploy_order(&self) -> Vec<&Service> {
        let index: HashMap<&str, usize> = self
            .services
            .iter()
            .enumerate()
            .map(|(i, s)| (s.name.as_str(), i))
            .collect();
        let mut waiting_on = vec![0usize; self.services.len()];
        let mut dependents: Vec<Vec<usize>> = vec![Vec::new(); self.services.len()];
        for (i, s) in self.services.iter().enumerate() {
            for dep in s.depends_on() {
                if let Some(&j) = index.get(dep.as_str()) {
                    waiting_on[i] += 1;
                    dependents[j].push(i);
                }
            }
        }
        let mut ready: BinaryHeap<Reverse<(&str, usize)>> = (0..self.services.len())
            .filter(|&i| waiting_on[i] == 0)
            .map(|i| Reverse((self.services[i].name.as_str(), i)))
            .collect();
        let mut order = Vec::with_capacity(self.services.len());
        while let Some(Reverse((_, i))) = ready.pop() {
            order.push(&self.services[i]);
            for &k in &dependents[i] {
                waiting_on[k] -= 1;
                if waiting_on[k] == 0 {
                    ready.push(Reverse((self.services[k].name.as_str(), k)));
                }
            }
        }
        order
    }
}

/// A settings rule broken: the key path and what was expected.
type Invalid = (String, String);

impl NetworkSettings {
    /// NAT gateways 1 or one per zone; a range that splits into the subnets.
    fn validate(&self) -> Result<(), Invalid> {
        if self.nat_gateways.get() != 1 && self.nat_gateways.get() != self.az_count.get() {
            return Err((
                "network.nat_gateways".into(),
                format!("expected 1 or az_count ({})", self.az_count),
            ));
        }
        let subnets = self.az_count.get() as u32 * 2;
        if crate::patterns::network::subnet_cidrs(&self.cidr, subnets, 3).is_none() {
            return Err((
                "network.cidr".into(),
                format!(
                    "expected a block of /16 to /25 to split into {subnets} subnets \
                     of at least /28, found {}",
                    self.cidr
                ),
            ));
        }
        Ok(())
    }
}

impl Pattern {
    /// Every pattern (tests generate a configuration of each shape).
    pub const ALL: [Pattern; 4] = [Pattern::Ecs, Pattern::Lambda, Pattern::Ec2, Pattern::Worker];

    /// The datastores the pattern can reach.
    pub fn datastores(self) -> &'static [Datastore] {
        match self {
            Pattern::Ecs => &[Datastore::Dynamodb, Datastore::None],
            Pattern::Lambda => &[Datastore::Elasticache, Datastore::Dynamodb, Datastore::None],
            Pattern::Ec2 => &[Datastore::Rds, Datastore::None],
            Pattern::Worker => &[Datastore::Dynamodb],
        }
    }
}

impl Service {
    /// The rules of the service at `services[i]`, given every service by name.
    fn validate(&self, i: usize, by_name: &BTreeMap<&str, &Service>) -> Result<(), Invalid> {
        let key = |k: &str| format!("services[{i}].{k}");
        if self.name.as_str() == "network" {
            let message = "\"network\" is the shared network stack's name".into();
            return Err((key("name"), message));
        }
        let allowed = self.pattern.datastores();
        if !allowed.contains(&self.datastore) {
            let names: Vec<String> = allowed
                .iter()
                .map(|d| format!("{d:?}").to_lowercase())
                .collect();
            let message = format!(
                "expected one of {} for pattern {:?}",
                names.join(", "),
                self.pattern
            );
            return Err((key("datastore"), message.to_lowercase()));
        }
        if self.pattern == Pattern::Worker && self.consumes.is_empty() {
            let message = "expected at least one stream or queue for a worker".into();
            return Err((key("consumes"), message));
        }
        self.validate_calls(i, by_name)?;
        self.validate_consumes(i, by_name)?;
        for (list, what) in [(&self.streams, "streams"), (&self.queues, "queues")] {
            for (j, n) in list.iter().enumerate() {
                if list[..j].contains(n) {
                    let message = format!("expected each name once, found {n} twice");
                    return Err((key(what), message));
                }
            }
        }
        Ok(())
    }

    /// Each callee is another declared service with an API.
    fn validate_calls(&self, i: usize, by_name: &BTreeMap<&str, &Service>) -> Result<(), Invalid> {
        for (j, callee) in self.calls.iter().enumerate() {
            let message = match by_name.get(callee.as_str()) {
                None => format!(
                    "expected a declared service, found {:?} (services: {})",
                    callee.as_str(),
                    by_name.keys().copied().collect::<Vec<_>>().join(", ")
                ),
                Some(c) if !c.has_api() => format!("{callee} is a worker and answers no calls"),
                Some(_) if *callee == self.name => {
                    "a service does not call itself over REST".into()
                }
                Some(_) => continue,
            };
            return Err((format!("services[{i}].calls[{j}]"), message));
        }
        Ok(())
    }

    /// Each consumed stream or queue is declared by the service it names.
    fn validate_consumes(
        &self,
        i: usize,
        by_name: &BTreeMap<&str, &Service>,
    ) -> Result<(), Invalid> {
        for (j, source) in self.consumes.iter().enumerate() {
            let (kind, owner, name) = source.parts();
            let here = format!("services[{i}].consumes[{j}]");
            let Some(o) = by_name.get(owner) else {
                let message = format!(
                    "expected {kind}: <service>/<name> naming a declared service, found {owner:?}"
                );
                return Err((here, message));
            };
            let owned = if kind == "stream" {
                &o.streams
            } else {
                &o.queues
            };
            if !owned.iter().any(|n| n.as_str() == name) {
                return Err((here, format!("{owner} declares no {kind} {name:?}")));
            }
        }
        Ok(())
    }
}

/// Two declared names that become the same logical id part (`ev-1` and
/// `ev1` both become `Ev1`): the stacks would lose one of them, so the
/// second is refused with its key path. The same source consumed twice is
/// one declaration, not a collision.
fn id_collision(services: &[Service]) -> Option<(String, String)> {
    let clash = |key: String, a: &str, b: &str, id: &str| {
        Some((
            key,
            format!("{a:?} and {b:?} both become the logical id part {id:?}; rename one"),
        ))
    };
    let mut seen: BTreeMap<String, &str> = BTreeMap::new();
    for (i, svc) in services.iter().enumerate() {
        if let Some(other) = seen.insert(svc.name.pascal(), svc.name.as_str())
            && other != svc.name.as_str()
        {
            return clash(
                format!("services[{i}].name"),
                other,
                &svc.name,
                &svc.name.pascal(),
            );
        }
    }
    for (i, svc) in services.iter().enumerate() {
        for (list, what) in [(&svc.streams, "streams"), (&svc.queues, "queues")] {
            let mut seen: BTreeMap<String, &str> = BTreeMap::new();
            for (j, n) in list.iter().enumerate() {
                if let Some(other) = seen.insert(n.pascal(), n.as_str())
                    && other != n.as_str()
                {
                    return clash(format!("services[{i}].{what}[{j}]"), other, n, &n.pascal());
                }
            }
        }
        let mut seen: BTreeMap<String, &Source> = BTreeMap::new();
        for (j, source) in svc.consumes.iter().enumerate() {
            let id = source.logical_id_part();
            if let Some(other) = seen.insert(id.clone(), source)
                && other != source
            {
                let show = |s: &Source| {
                    let (kind, owner, name) = s.parts();
                    format!("{kind}: {owner}/{name}")
                };
                return clash(
                    format!("services[{i}].consumes[{j}]"),
                    &show(other),
                    &show(source),
                    &id,
                );
            }
        }
    }
    None
}

/// A dependency cycle among services, as a path back to its start.
fn cycle(services: &[Service]) -> Option<Vec<String>> {
    let edges: BTreeMap<String, BTreeSet<String>> = services
        .iter()
        .map(|s| (s.name.to_string(), s.depends_on()))
        .collect();
    fn visit(
        n: &str,
        edges: &BTreeMap<String, BTreeSet<String>>,
        state: &mut BTreeMap<String, bool>,
        stack: &mut Vec<String>,
    ) -> Option<Vec<String>> {
        state.insert(n.to_owned(), false);
        stack.push(n.to_owned());
        for m in edges.get(n).into_iter().flatten() {
            match state.get(m) {
                Some(false) => {
                    let start = stack.iter().position(|x| x == m).unwrap_or(0);
                    let mut c = stack[start..].to_vec();
                    c.push(m.clone());
                    return Some(c);
                }
                Some(true) => {}
                None => {
                    if let Some(c) = visit(m, edges, state, stack) {
                        return Some(c);
                    }
                }
            }
        }
        stack.pop();
        state.insert(n.to_owned(), true);
        None
    }
    let mut state = BTreeMap::new();
    for s in services {
        if !state.contains_key(s.name.as_str())
            && let Some(c) = visit(&s.name, &edges, &mut state, &mut Vec::new())
        {
            return Some(c);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::Settings;

    const HEADER: &str = "app: shop\nenvironment: test\nlog_retention_days: 30\nnetwork:\n  \
        cidr: 10.0.0.0/16\n  az_count: 2\n  nat_gateways: 1\nservices:\n";

    fn settings(services: &str) -> Settings {
        let text = format!("{HEADER}{services}");
        match Settings::parse(&crate::settings::Layers::new("test.yaml", &text)) {
            Ok(s) => s,
            Err(e) => panic!("{e}"),
        }
    }

    /// `ALL` lists every variant: adding one without listing it fails here.
    #[test]
    fn all_lists_every_pattern_and_datastore() {
        use super::{Datastore, Pattern};
        for p in Pattern::ALL {
            let i = match p {
                Pattern::Ecs => 0,
                Pattern::Lambda => 1,
                Pattern::Ec2 => 2,
                Pattern::Worker => 3,
            };
            assert_eq!(Pattern::ALL[i], p);
        }
        for d in Datastore::ALL {
            let i = match d {
                Datastore::Dynamodb => 0,
                Datastore::Elasticache => 1,
                Datastore::Rds => 2,
                Datastore::None => 3,
            };
            assert_eq!(Datastore::ALL[i], d);
        }
        assert_eq!(Pattern::ALL.len(), 4);
        assert_eq!(Datastore::ALL.len(), 4);
    }

    fn order(s: &Settings) -> Vec<&str> {
        s.deploy_order().iter().map(|s| s.name.as_str()).collect()
    }

    #[test]
    fn deploy_order_puts_callees_first_and_breaks_ties_by_name() {
        // zeta is ready at once, alpha only after zeta: the smallest ready
        // name goes next, so mid (ready at once) comes before zeta.
        let s = settings(concat!(
            "  - {name: zeta, version: 1.0.0, pattern: lambda, datastore: dynamodb}\n",
            "  - {name: alpha, version: 1.0.0, pattern: lambda, datastore: dynamodb, calls: [zeta]}\n",
            "  - {name: mid, version: 1.0.0, pattern: lambda, datastore: dynamodb}\n",
        ));
        assert_eq!(order(&s), ["mid", "zeta", "alpha"]);
    }

    #[test]
    fn deploy_order_of_a_long_chain_is_the_chain() {
        // s199 <- s198 <- ... <- s000: every service calls the next name up,
        // so name order is exactly the wrong order and each must wait.
        let mut text = String::new();
        for i in 0..200 {
            let calls = if i < 199 {
                format!(", calls: [s{:03}]", i + 1)
            } else {
                String::new()
            };
            text.push_str(&format!(
                "  - {{name: s{i:03}, version: 1.0.0, pattern: lambda, datastore: dynamodb{calls}}}\n"
            ));
        }
        let s = settings(&text);
        let expected: Vec<String> = (0..200).rev().map(|i| format!("s{i:03}")).collect();
        assert_eq!(order(&s), expected);
    }
}
