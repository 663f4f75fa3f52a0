//! `micro`: microservices with independent lifecycles (MISSION.md M1-M7).
//!
//! Services are data (`blueprints/micro.yaml`); each becomes a stack of its
//! own, built from its pattern (ALB -> ECS, API Gateway -> Lambda, ALB -> EC2
//! Auto Scaling, or a worker of Lambda triggers) and datastore. Stacks find
//! each other through SSM parameters, so each deploys and updates alone.

use serde_json::{Value, json};

use super::Artifact;
use super::SynthError;
use crate::cfn::{Str, Template};
use crate::resources::ssm::Parameter;

mod network;
mod openapi;
mod service;
pub mod settings;

pub use settings::Settings;

/// The default settings, embedded from `blueprints/micro.yaml`.
pub const DEFAULTS: &str = include_str!("../../../blueprints/micro.yaml");

/// Adds an SSM parameter that other stacks read.
pub(crate) fn ssm_parameter(
    t: &mut Template,
    id: &str,
    name: &str,
    kind: &'static str,
    value: Str,
    description: &str,
) {
    t.add(
        id,
        Parameter {
            name: name.into(),
            kind,
            value,
            description: Some(description.to_owned()),
        },
    );
}

/// Synthesizes the network, one template and OpenAPI document per service,
/// and the manifest.
///
/// Services are built on every core ([`crate::parallel`]); their files and
/// manifest entries keep the deploy order, so the bytes do not depend on
/// the threads.
pub fn synth(s: &Settings, src: &crate::settings::Layers) -> Result<Vec<Artifact>, SynthError> {
    // Built once: the same template is written and described in the manifest.
    let network = network::build(s);
    let mut stacks = vec![stack_entry(
        s,
        "network",
        "network.template.json",
        "shared",
        &network,
        vec![],
    )];
    let mut artifacts = vec![Artifact::template("micro/network.template.json", network)];
    let order = s.deploy_order();
    for built in crate::parallel::map(&order, |svc| service_artifacts(src, s, svc)) {
        let (stack, files) = built?;
        stacks.push(stack);
        artifacts.extend(files);
    }
    let manifest = json!({
        "app": s.app.as_str(),
        "environment": s.environment.as_str(),
        "discovery": format!("SSM parameters under /{}/{}/", s.app, s.environment),
        "deploy_order": stacks.iter().map(|st| st["name"].clone()).collect::<Vec<_>>(),
        "stacks": stacks,
    });
    artifacts.push(Artifact::json("micro/manifest.json", &manifest));
    Ok(artifacts)
}

/// Services up to which each template's JSON value is kept beside its text
/// for the gate and the quota sums, which then read it instead of parsing
/// the text (the default `micro` has four).
const HOLD_VALUES_UP_TO: usize = 16;

/// A service's manifest entry, its template (with the settings' logical id
/// renames applied) and its OpenAPI document.
fn service_artifacts(
    src: &crate::settings::Layers,
    s: &Settings,
    svc: &settings::Service,
) -> Result<(Value, Vec<Artifact>), SynthError> {
    let built = service::build(s, svc)?;
    let template_file = format!("{}.template.json", svc.name);
    let mut deps = vec!["network".to_owned()];
    deps.extend(svc.depends_on());
    let stack = stack_entry(
        s,
        &svc.name,
        &template_file,
        svc.version.as_str(),
        &built.template,
        deps,
    );
    let json = built
        .template
        .into_json_renamed(&svc.logical_ids)
        .map_err(|e| {
            let index = s.services.iter().position(|v| v.name == svc.name);
            let key = format!("services[{}].logical_ids", index.unwrap_or(0));
            src.error_at(&key, e.to_string())
        })?;
    let path = format!("micro/{template_file}");
    let mut files = vec![if s.services.len() <= HOLD_VALUES_UP_TO {
        Artifact::template(path, json)
    } else {
        // Rendered to text, the value dropped: a thousand services' values
        // held until the gate would double peak memory (75 -> 160 MB), and
        // the page faults cost as much CPU as the gate's and the quota
        // sums' parse of the text (measured on one core).
        Artifact::new(path, crate::cfn::render::to_string(&json))
    }];
    if let Some(doc) = built.openapi {
        let path = format!("micro/{}.openapi.json", svc.name);
        files.push(Artifact::json(path, &doc));
    }
    Ok((stack, files))
}

/// A stack's manifest entry: names, file, version, dependencies and its
/// template's parameters (type and default), read from the template as
/// built (no second rendering).
fn stack_entry(
    s: &Settings,
    name: &str,
    file: &str,
    version: &str,
    t: &Template,
    depends_on: Vec<String>,
) -> Value {
    let parameters: serde_json::Map<String, Value> = t
        .parameters()
        .map(|(id, p)| (id.to_owned(), json!({"type": p.kind, "default": p.default})))
        .collect();
    json!({
        "name": name,
        "stack_name": format!("{}-{}-{}", s.app, s.environment, name),
        "template": file,
        "version": version,
        "depends_on": depends_on,
        "parameters": parameters,
    })
}
