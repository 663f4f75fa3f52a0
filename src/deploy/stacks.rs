//! The stacks a blueprint deploys, in dependency order.

use serde_json::Value;

use super::DeployError;
use crate::blueprints::{AnyBlueprint, Artifact};

/// One stack to deploy: its template, synthesized in memory.
#[derive(Debug, Clone, PartialEq)]
pub struct StackSpec {
    /// Short name, as `--stack` and `--parameter STACK:KEY=VALUE` use it
    /// (`network`, `orders`; the blueprint's name for single-stack blueprints).
    pub name: String,
    /// The CloudFormation stack name.
    pub stack_name: String,
    /// The template body, as `synth` would write it.
    pub body: String,
    /// The parsed template.
    pub template: Value,
}

/// Synthesizes `blueprint` (through the same checks gate as `synth`, see
/// [`crate::synth::synthesize`]) from a settings file over its defaults
/// and returns its stacks in deploy order, as the blueprint gives them
/// ([`crate::blueprints::Blueprint::stacks`]).
pub fn synthesize(
    blueprint: &dyn AnyBlueprint,
    settings: Option<(&str, &str)>,
) -> Result<Vec<StackSpec>, DeployError> {
    let mut layers = blueprint.defaults();
    if let Some((file, text)) = settings {
        layers = layers.file(file, text);
    }
    let synthesis = crate::synth::synthesize(blueprint, &layers)?;
    synthesis
        .stacks
        .iter()
        .map(|st| {
            let body = artifact(&synthesis.artifacts, &st.template.to_string_lossy())?;
            spec(&st.name, &st.stack_name, body)
        })
        .collect()
}

/// The stacks of a manifest (`<dir>/manifest.json`), in its `deploy_order`.
pub fn from_manifest(artifacts: &[Artifact], dir: &str) -> Result<Vec<StackSpec>, DeployError> {
    let manifest: Value =
        serde_json::from_str(artifact(artifacts, &format!("{dir}/manifest.json"))?)
            .map_err(|e| internal(format!("{dir}/manifest.json: {e}")))?;
    let entries = manifest["stacks"].as_array().cloned().unwrap_or_default();
    let order = manifest["deploy_order"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    order
        .iter()
        .map(|name| {
            let entry = entries
                .iter()
                .find(|e| e["name"] == *name)
                .ok_or_else(|| internal(format!("deploy_order names {name}, not in stacks")))?;
            let field = |k: &str| {
                entry[k]
                    .as_str()
                    .ok_or_else(|| internal(format!("manifest stack {name}: no {k}")))
            };
            let body = artifact(artifacts, &format!("{dir}/{}", field("template")?))?;
            spec(field("name")?, field("stack_name")?, body)
        })
        .collect()
}

/// The stacks named by `--stack` (short or CloudFormation name), kept in
/// deploy order; every stack when `names` is empty.
pub fn select(stacks: Vec<StackSpec>, names: &[String]) -> Result<Vec<StackSpec>, DeployError> {
    if let Some(unknown) = names
        .iter()
        .find(|n| !stacks.iter().any(|s| s.name == **n || s.stack_name == **n))
    {
        return Err(DeployError::UnknownStack {
            name: unknown.clone(),
            known: stacks
                .iter()
                .map(|s| s.name.as_str())
                .collect::<Vec<_>>()
                .join(", "),
        });
    }
    Ok(stacks
        .into_iter()
        .filter(|s| names.is_empty() || names.iter().any(|n| *n == s.name || *n == s.stack_name))
        .collect())
}

/// A template file as a stack: parsed (JSON or YAML) to read its
/// parameters and capabilities, and sent as it is. The stack name must be
/// one CloudFormation accepts.
pub fn from_file(path: &str, stack_name: &str, body: String) -> Result<StackSpec, DeployError> {
    if !is_stack_name(stack_name) {
        return Err(DeployError::Parameter(format!(
            "{stack_name:?} is not a valid stack name (a letter, then letters, digits and hyphens, at most 128): name the stack with --stack NAME"
        )));
    }
    let template = crate::check::parse::parse_template(path, &body)
        .map_err(|e| DeployError::Parameter(e.to_string()))?;
    Ok(StackSpec {
        name: stack_name.to_owned(),
        stack_name: stack_name.to_owned(),
        body,
        template,
    })
}

/// CloudFormation's stack name rule: `[a-zA-Z][-a-zA-Z0-9]*`, 128 at most.
fn is_stack_name(name: &str) -> bool {
    name.len() <= 128
        && name.starts_with(|c: char| c.is_ascii_alphabetic())
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
}

fn spec(name: &str, stack_name: &str, body: &str) -> Result<StackSpec, DeployError> {
    let template = serde_json::from_str(body).map_err(|e| internal(format!("{name}: {e}")))?;
    Ok(StackSpec {
        name: name.to_owned(),
        stack_name: stack_name.to_owned(),
        body: body.to_owned(),
        template,
    })
}

fn artifact<'a>(artifacts: &'a [Artifact], path: &str) -> Result<&'a str, DeployError> {
    artifacts
        .iter()
        .find(|a| a.path.to_string_lossy() == path)
        .map(|a| a.contents())
        .ok_or_else(|| internal(format!("synthesis produced no {path}")))
}

/// A broken invariant of our own synthesis, reported rather than panicking.
fn internal(message: String) -> DeployError {
    DeployError::Parameter(format!("internal error: {message}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn micro_stacks_follow_the_manifest_order_with_network_first() {
        let stacks = synthesize(&crate::blueprints::Micro, None).unwrap();
        let names: Vec<&str> = stacks.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(
            names,
            ["network", "accounts", "catalog", "orders", "notifications"]
        );
        assert_eq!(stacks[0].stack_name, "shop-prod-network");
        assert!(stacks[0].template["Resources"].is_object());
    }

    #[test]
    fn single_stack_blueprints_are_named_after_their_name_setting() {
        let stacks = synthesize(&crate::blueprints::Todo, None).unwrap();
        assert_eq!(stacks.len(), 1);
        assert_eq!(
            (stacks[0].name.as_str(), stacks[0].stack_name.as_str()),
            ("todo", "mytodolist")
        );
    }

    #[test]
    fn a_template_file_is_one_stack_with_a_valid_name() {
        let yaml = "Resources:\n  Q:\n    Type: AWS::SQS::Queue\n".to_owned();
        let s = from_file("q.yaml", "queue", yaml.clone()).unwrap();
        assert_eq!((s.name.as_str(), s.body.as_str()), ("queue", yaml.as_str()));
        assert_eq!(s.template["Resources"]["Q"]["Type"], "AWS::SQS::Queue");
        let err = from_file("q.yaml", "my_queue", yaml)
            .unwrap_err()
            .to_string();
        assert!(err.contains("not a valid stack name"), "{err}");
        let bad = from_file("q.yaml", "q", "Resources: [".into()).unwrap_err();
        assert!(bad.to_string().contains("q.yaml"), "{bad}");
    }

    #[test]
    fn select_keeps_deploy_order_and_refuses_unknown_names() {
        let stacks = synthesize(&crate::blueprints::Micro, None).unwrap();
        let picked = select(
            stacks.clone(),
            &["orders".into(), "shop-prod-network".into()],
        )
        .unwrap();
        let names: Vec<&str> = picked.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["network", "orders"]);
        let err = select(stacks, &["nope".into()]).unwrap_err().to_string();
        assert!(
            err.contains("no stack nope") && err.contains("network, accounts"),
            "{err}"
        );
    }
}
