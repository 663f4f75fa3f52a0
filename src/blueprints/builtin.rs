//! The three built-in blueprints as [`Blueprint`] implementations, and
//! [`BuiltIn`], which names them.
//!
//! Each implementation only wires the trait to the blueprint's own module
//! (`Settings::parse`, `synth`, `DEFAULTS`), so those modules stay free to
//! change shape inside.

use serde_json::Value;

use super::api::{AnyBlueprint, Artifact, Blueprint, Stack};
use super::{SynthError, blog, micro, todo};
use crate::settings::{Layers, SettingsError};

/// `todo`: MyTodoList, a mobile app's backend.
#[derive(Debug, Clone, Copy, Default)]
pub struct Todo;

/// `blog`: a serverless website at global scale.
#[derive(Debug, Clone, Copy, Default)]
pub struct Blog;

/// `micro`: microservices with independent lifecycles, a stack each.
#[derive(Debug, Clone, Copy, Default)]
pub struct Micro;

impl Blueprint for Todo {
    type Settings = todo::Settings;

    fn name(&self) -> &str {
        "todo"
    }

    fn description(&self) -> &str {
        "mobile app backend: API Gateway + Cognito -> Lambda -> DAX -> DynamoDB, per-user S3"
    }

    fn default_settings(&self) -> &str {
        todo::DEFAULTS
    }

    fn parse(&self, layers: &Layers) -> Result<todo::Settings, SettingsError> {
        todo::Settings::parse(layers)
    }

    fn build(&self, s: &todo::Settings, layers: &Layers) -> Result<Vec<Artifact>, SynthError> {
        todo::synth(s, layers)
    }

    fn stacks(&self, s: &todo::Settings, _: &[Artifact]) -> Vec<Stack> {
        vec![Stack::new("todo", s.name.as_str(), "todo.template.json")]
    }
}

impl Blueprint for Blog {
    type Settings = blog::Settings;

    fn name(&self) -> &str {
        "blog"
    }

    fn description(&self) -> &str {
        "global website: CloudFront + S3 + API Gateway, DynamoDB global tables, SES welcome, thumbnails"
    }

    fn default_settings(&self) -> &str {
        blog::DEFAULTS
    }

    fn parse(&self, layers: &Layers) -> Result<blog::Settings, SettingsError> {
        blog::Settings::parse(layers)
    }

    fn build(&self, s: &blog::Settings, layers: &Layers) -> Result<Vec<Artifact>, SynthError> {
        blog::synth(s, layers)
    }

    fn stacks(&self, s: &blog::Settings, _: &[Artifact]) -> Vec<Stack> {
        vec![Stack::new("blog", s.name.as_str(), "blog.template.json")]
    }
}

impl Blueprint for Micro {
    type Settings = micro::Settings;

    fn name(&self) -> &str {
        "micro"
    }

    fn description(&self) -> &str {
        "microservices: ALB/ECS, API Gateway/Lambda, EC2/RDS, ElastiCache, SQS, Kinesis; a stack per service"
    }

    fn default_settings(&self) -> &str {
        micro::DEFAULTS
    }

    fn parse(&self, layers: &Layers) -> Result<micro::Settings, SettingsError> {
        micro::Settings::parse(layers)
    }

    fn build(&self, s: &micro::Settings, layers: &Layers) -> Result<Vec<Artifact>, SynthError> {
        micro::synth(s, layers)
    }

    /// The manifest's `deploy_order`: the network first, then each service
    /// after the services it calls.
    fn stacks(&self, _: &micro::Settings, artifacts: &[Artifact]) -> Vec<Stack> {
        manifest_stacks(artifacts, "micro")
    }
}

/// The stacks a manifest (`<dir>/manifest.json`, as `micro` writes it)
/// lists, in its `deploy_order`. Our own output, so an entry that lacks a
/// field is skipped rather than reported (tests hold the manifest's shape).
fn manifest_stacks(artifacts: &[Artifact], dir: &str) -> Vec<Stack> {
    let path = format!("{dir}/manifest.json");
    let Some(manifest) = artifacts
        .iter()
        .find(|a| a.path.to_string_lossy() == path)
        .and_then(|a| serde_json::from_str::<Value>(a.contents()).ok())
    else {
        return Vec::new();
    };
    let entries = manifest["stacks"].as_array().cloned().unwrap_or_default();
    let order = manifest["deploy_order"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    order
        .iter()
        .filter_map(|name| {
            let entry = entries.iter().find(|e| e["name"] == *name)?;
            Some(Stack::new(
                entry["name"].as_str()?,
                entry["stack_name"].as_str()?,
                format!("{dir}/{}", entry["template"].as_str()?),
            ))
        })
        .collect()
}

/// The built-in blueprints by name: a convenience over [`Todo`], [`Blog`]
/// and [`Micro`] for code and tests that pick one of ours.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum BuiltIn {
    /// MyTodoList: a mobile app's backend.
    Todo,
    /// A serverless website at global scale.
    Blog,
    /// Microservices with independent lifecycles.
    Micro,
}

impl BuiltIn {
    /// Every built-in blueprint, in the order `synth --all` writes them.
    pub const ALL: [BuiltIn; 3] = [BuiltIn::Todo, BuiltIn::Blog, BuiltIn::Micro];

    /// The blueprint itself.
    pub fn blueprint(self) -> &'static dyn AnyBlueprint {
        match self {
            BuiltIn::Todo => &Todo,
            BuiltIn::Blog => &Blog,
            BuiltIn::Micro => &Micro,
        }
    }

    /// The blueprint's name on the command line.
    pub fn name(self) -> &'static str {
        match self {
            BuiltIn::Todo => "todo",
            BuiltIn::Blog => "blog",
            BuiltIn::Micro => "micro",
        }
    }

    /// The built-in blueprint named `name`, if any.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|b| b.name() == name)
    }

    /// A one-line description.
    pub fn description(self) -> &'static str {
        match self {
            BuiltIn::Todo => Blueprint::description(&Todo),
            BuiltIn::Blog => Blueprint::description(&Blog),
            BuiltIn::Micro => Blueprint::description(&Micro),
        }
    }

    /// The default settings file, as embedded in the binary.
    pub fn default_settings(self) -> &'static str {
        match self {
            BuiltIn::Todo => todo::DEFAULTS,
            BuiltIn::Blog => blog::DEFAULTS,
            BuiltIn::Micro => micro::DEFAULTS,
        }
    }

    /// The JSON Schema of a settings file (see [`AnyBlueprint::settings_schema`]).
    pub fn settings_schema(self) -> Value {
        self.blueprint().settings_schema()
    }

    /// The embedded defaults as the lowest settings layer.
    pub fn defaults(self) -> Layers {
        self.blueprint().defaults()
    }

    /// Builds from settings layers, without the check gate (the synthesis
    /// step, `BuiltIn::synth_checked` in [`crate::synth`], adds it).
    pub fn synth_layers(self, layers: &Layers) -> Result<Vec<Artifact>, SynthError> {
        Ok(self.blueprint().build_layers(layers)?.artifacts)
    }

    /// Builds from a settings file laid over the embedded defaults (`file`
    /// names it in errors), or from the defaults alone, without the check
    /// gate (`stackcraft check` reports every finding, warnings included).
    pub fn synth_unchecked(
        self,
        settings: Option<(&str, &str)>,
    ) -> Result<Vec<Artifact>, SynthError> {
        self.synth_layers(&layered(self.blueprint(), settings))
    }
}

/// A blueprint's defaults with an optional settings file on top.
pub(crate) fn layered(b: &dyn AnyBlueprint, settings: Option<(&str, &str)>) -> Layers {
    let layers = b.defaults();
    match settings {
        Some((file, text)) => layers.file(file, text),
        None => layers,
    }
}
