//! The public blueprint API: the [`Blueprint`] trait a blueprint implements,
//! the in-memory files it returns ([`Artifact`]) and the stacks it deploys
//! as ([`Stack`]).
//!
//! A blueprint only *builds*: it turns settings into templates and documents
//! in memory. Checking them and writing them is the synthesis step's job
//! ([`crate::synth`]), so every blueprint, ours or a user's, goes through the
//! same gate and the same writer.

use std::path::{Path, PathBuf};

use serde::de::DeserializeOwned;

use super::SynthError;
use crate::settings::{Layers, SettingsError};
use serde_json::Value as Json;

/// One synthesized file, in memory: a CloudFormation template or a document
/// (an OpenAPI description, a manifest), with its path relative to the
/// output directory.
///
/// A template built by [`Artifact::template`] keeps its JSON value beside
/// its text, so the check gate judges the value instead of parsing the text
/// again; the two always agree, because the text is only ever set together
/// with the value it renders.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Artifact {
    /// Relative path, e.g. `todo.template.json` or `micro/orders.template.json`.
    pub path: PathBuf,
    contents: String,
    json: Option<Json>,
}

impl Artifact {
    /// An artifact at `path` with `contents`.
    pub fn new(path: impl Into<PathBuf>, contents: String) -> Self {
        Artifact {
            path: path.into(),
            contents,
            json: None,
        }
    }

    /// A template rendered as stackcraft writes templates (JSON, two-space
    /// indent, sections in CloudFormation's order), from a [`Template`](crate::cfn::Template)
    /// (by value, which moves its properties, or by reference) or a
    /// template's JSON value. The path should end in `.template.json`: that
    /// is what makes the synthesis step check it.
    pub fn template(path: impl Into<PathBuf>, template: impl Into<Json>) -> Self {
        let json = template.into();
        Artifact {
            path: path.into(),
            contents: crate::cfn::render::to_string(&json),
            json: Some(json),
        }
    }

    /// A JSON document (an OpenAPI description, a manifest), pretty-printed
    /// with a final newline.
    pub fn json(path: impl Into<PathBuf>, document: &Json) -> Self {
        // A `Value` always serializes: its map keys are strings.
        let mut text = serde_json::to_string_pretty(document).unwrap_or_default();
        text.push('\n');
        Artifact::new(path, text)
    }

    /// The file's contents: the bytes written to disk.
    pub fn contents(&self) -> &str {
        &self.contents
    }

    /// The file's contents, taken.
    pub fn into_contents(self) -> String {
        self.contents
    }

    /// The template's JSON value when it was built from one
    /// ([`Artifact::template`]); `None` for text given as is.
    pub fn template_json(&self) -> Option<&Json> {
        self.json.as_ref()
    }

    /// Replaces the contents with `template` rendered (what the escape hatch
    /// does after editing a template's value).
    pub fn set_template(&mut self, template: Json) {
        self.contents = crate::cfn::render::to_string(&template);
        self.json = Some(template);
    }

    /// Whether this is a CloudFormation template (`*.template.json`): the
    /// files the check gate judges and `deploy` can deploy.
    pub fn is_template(&self) -> bool {
        self.path.to_string_lossy().ends_with(".template.json")
    }
}

/// A stack a blueprint deploys: `deploy` and `destroy` work on these, in
/// the order the blueprint gives them (dependencies first).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stack {
    /// Short name, as `--stack` and `--parameter STACK:KEY=VALUE` use it.
    pub name: String,
    /// The CloudFormation stack name.
    pub stack_name: String,
    /// The template's path among the artifacts.
    pub template: PathBuf,
}

impl Stack {
    /// A stack named `name` (short) and `stack_name` (in CloudFormation),
    /// deployed from the artifact at `template`.
    pub fn new(name: &str, stack_name: &str, template: impl Into<PathBuf>) -> Self {
        Stack {
            name: name.to_owned(),
            stack_name: stack_name.to_owned(),
            template: template.into(),
        }
    }
}

/// An architecture stackcraft synthesizes from typed settings.
///
/// Implement it for your own blueprint and register it in a
/// [`Registry`](super::Registry): the command line then synthesizes, checks,
/// draws and deploys it like the built-in ones (see
/// [`crate::cli::run_with`]).
///
/// # Example
///
/// ```
/// use stackcraft::blueprints::{AnyBlueprint, Artifact, Blueprint, SynthError};
/// use stackcraft::cfn::Template;
/// use stackcraft::resources::sqs::Queue;
/// use stackcraft::settings::Layers;
///
/// /// One encrypted queue.
/// struct OneQueue;
///
/// #[derive(serde::Deserialize, schemars::JsonSchema)]
/// #[serde(deny_unknown_fields)]
/// struct Settings {
///     /// Messages are kept this many seconds.
///     retention_seconds: i64,
/// }
///
/// impl Blueprint for OneQueue {
///     type Settings = Settings;
///     fn name(&self) -> &str { "queue" }
///     fn description(&self) -> &str { "one encrypted queue" }
///     fn default_settings(&self) -> &str { "retention_seconds: 345600\n" }
///     fn build(&self, s: &Settings, _: &Layers) -> Result<Vec<Artifact>, SynthError> {
///         let mut t = Template::new("One encrypted queue.");
///         t.add("Queue", Queue {
///             message_retention_period: Some(s.retention_seconds.into()),
///             sqs_managed_sse_enabled: Some(true.into()),
///             ..Queue::default()
///         });
///         Ok(vec![Artifact::template("queue.template.json", &t)])
///     }
/// }
///
/// // Building gives the files in memory, and the stacks they deploy as.
/// let built = OneQueue.build_layers(&OneQueue.defaults()).unwrap();
/// assert_eq!(built.artifacts[0].path.to_str(), Some("queue.template.json"));
/// assert_eq!(built.stacks[0].name, "queue");
///
/// // The synthesis step (what `synth`, `graph` and `deploy` run) also
/// // checks: a queue that accepts plain HTTP never reaches the disk.
/// let err = stackcraft::synth::synthesize(&OneQueue, &OneQueue.defaults()).unwrap_err();
/// assert!(err.to_string().contains("[SC-MSG-003 error]"), "{err}");
/// ```
pub trait Blueprint: Send + Sync {
    /// The settings a user writes in YAML. Derive `Deserialize` (with
    /// `deny_unknown_fields`, so a misspelt key is an error) and
    /// `JsonSchema` (for `stackcraft settings NAME --schema`).
    type Settings: DeserializeOwned + schemars::JsonSchema;

    /// The name on the command line: a plain word (no `.` or `/`, which
    /// make a target a file).
    fn name(&self) -> &str;

    /// A one-line description, for `stackcraft list`.
    fn description(&self) -> &str;

    /// The default settings, as YAML with comments: `stackcraft settings
    /// NAME` prints it, and a user's settings file is laid over it.
    fn default_settings(&self) -> &str;

    /// Parses the merged settings layers. The default deserializes them;
    /// override it to validate values across keys, reporting with
    /// [`Layers::error_at`] so the error points at the user's line.
    fn parse(&self, layers: &Layers) -> Result<Self::Settings, SettingsError> {
        layers.parse()
    }

    /// Builds the templates and documents, in memory. `layers` is there to
    /// locate errors found while building ([`Layers::error_at`]).
    fn build(
        &self,
        settings: &Self::Settings,
        layers: &Layers,
    ) -> Result<Vec<Artifact>, SynthError>;

    /// The stacks to deploy, dependencies first. The default deploys every
    /// template in the order [`Self::build`] returned them, each named after
    /// its file (`queue.template.json` is stack `queue`).
    fn stacks(&self, settings: &Self::Settings, artifacts: &[Artifact]) -> Vec<Stack> {
        let _ = settings;
        artifacts
            .iter()
            .filter(|a| a.is_template())
            .map(|a| {
                let name = stem(&a.path);
                Stack::new(&name, &name, &a.path)
            })
            .collect()
    }
}

/// A template's file name without directories and `.template.json`.
fn stem(path: &Path) -> String {
    let file = path
        .file_name()
        .map(|f| f.to_string_lossy().into_owned())
        .unwrap_or_default();
    file.strip_suffix(".template.json")
        .unwrap_or(&file)
        .to_owned()
}

/// What a blueprint built from one set of settings: its files and the
/// stacks they deploy as.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Synthesis {
    /// The templates and documents, in the blueprint's order.
    pub artifacts: Vec<Artifact>,
    /// The stacks, in deploy order.
    pub stacks: Vec<Stack>,
}

/// A [`Blueprint`] with its settings type erased, so blueprints of
/// different settings can sit in one [`Registry`](super::Registry).
/// Implemented for every `Blueprint`; implement `Blueprint`, not this.
pub trait AnyBlueprint: Send + Sync {
    /// See [`Blueprint::name`].
    fn name(&self) -> &str;
    /// See [`Blueprint::description`].
    fn description(&self) -> &str;
    /// See [`Blueprint::default_settings`].
    fn default_settings(&self) -> &str;
    /// The embedded defaults as the lowest settings layer; a settings file
    /// and `--set` overrides go on top.
    fn defaults(&self) -> Layers;
    /// The JSON Schema (draft 2020-12) of a settings file, generated from
    /// the settings type: keys are optional (the defaults fill them in)
    /// except within list items.
    fn settings_schema(&self) -> serde_json::Value;
    /// Parses `layers` and builds, without the check gate (the synthesis
    /// step, [`crate::synth::synthesize`], adds it).
    fn build_layers(&self, layers: &Layers) -> Result<Synthesis, SynthError>;
}

impl<B: Blueprint> AnyBlueprint for B {
    fn name(&self) -> &str {
        Blueprint::name(self)
    }

    fn description(&self) -> &str {
        Blueprint::description(self)
    }

    fn default_settings(&self) -> &str {
        Blueprint::default_settings(self)
    }

    fn defaults(&self) -> Layers {
        let name = Blueprint::name(self);
        Layers::new(
            &format!("<built-in {name}.yaml>"),
            Blueprint::default_settings(self),
        )
    }

    fn settings_schema(&self) -> serde_json::Value {
        let schema = schemars::schema_for!(B::Settings);
        let mut v = crate::settings::layer_schema(schema.to_value());
        if let Some(o) = v.as_object_mut() {
            o.insert(
                "title".into(),
                format!("stackcraft {} settings", Blueprint::name(self)).into(),
            );
        }
        v
    }

    fn build_layers(&self, layers: &Layers) -> Result<Synthesis, SynthError> {
        let settings = self.parse(layers)?;
        let mut artifacts = self.build(&settings, layers)?;
        // The escape hatch (`overrides:`), before any check sees the result.
        layers.apply_overrides(&mut artifacts)?;
        let stacks = self.stacks(&settings, &artifacts);
        Ok(Synthesis { artifacts, stacks })
    }
}
