//! The three reference architectures, composed from patterns and driven by
//! typed settings. Default settings live in `blueprints/*.yaml` at the
//! repository root and are embedded in the binary.

use crate::output::Artifact;
use crate::settings::{Layers, SettingsError};
use crate::templates::TemplateError;

pub mod blog;
pub mod micro;
pub mod todo;

/// Synthesis failed.
#[derive(Debug, thiserror::Error)]
pub enum SynthError {
    /// The settings are not valid.
    #[error(transparent)]
    Settings(#[from] SettingsError),
    /// A code or document template failed to render.
    #[error(transparent)]
    Template(#[from] TemplateError),
    /// The synthesized templates break a check (see `crate::check`).
    #[error("{blueprint}: the synthesized templates fail {count} check(s):\n{report}")]
    Check {
        /// The blueprint.
        blueprint: &'static str,
        /// How many error-level findings.
        count: usize,
        /// The findings, one per line.
        report: String,
    },
}

/// One of the reference architectures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Blueprint {
    /// MyTodoList: a mobile app's backend.
    Todo,
    /// A serverless website at global scale.
    Blog,
    /// Microservices with independent lifecycles.
    Micro,
}

impl Blueprint {
    /// Every blueprint, in the order `synth --all` writes them.
    pub const ALL: [Blueprint; 3] = [Blueprint::Todo, Blueprint::Blog, Blueprint::Micro];

    /// The blueprint's name on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Blueprint::Todo => "todo",
            Blueprint::Blog => "blog",
            Blueprint::Micro => "micro",
        }
    }

    /// The blueprint named `name`, if any.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|b| b.name() == name)
    }

    /// A one-line description.
    pub fn description(self) -> &'static str {
        match self {
            Blueprint::Todo => {
                "mobile app backend: API Gateway + Cognito -> Lambda -> DAX -> DynamoDB, per-user S3"
            }
            Blueprint::Blog => {
                "global website: CloudFront + S3 + API Gateway, DynamoDB global tables, SES welcome, thumbnails"
            }
            Blueprint::Micro => {
                "microservices: ALB/ECS, API Gateway/Lambda, EC2/RDS, ElastiCache, SQS, Kinesis; a stack per service"
            }
        }
    }

    /// The default settings file, as embedded in the binary.
    pub fn default_settings(self) -> &'static str {
        match self {
            Blueprint::Todo => todo::DEFAULTS,
            Blueprint::Blog => blog::DEFAULTS,
            Blueprint::Micro => micro::DEFAULTS,
        }
    }

    /// The JSON Schema (draft 2020-12) of a settings file, generated from the
    /// settings types, so editors complete and validate settings files. Keys
    /// are optional (the defaults fill them in) except within list items.
    pub fn settings_schema(self) -> serde_json::Value {
        let schema = match self {
            Blueprint::Todo => schemars::schema_for!(todo::Settings),
            Blueprint::Blog => schemars::schema_for!(blog::Settings),
            Blueprint::Micro => schemars::schema_for!(micro::Settings),
        };
        let mut v = crate::settings::layer_schema(schema.to_value());
        if let Some(o) = v.as_object_mut() {
            o.insert(
                "title".into(),
                format!("stackcraft {} settings", self.name()).into(),
            );
        }
        v
    }

    /// Synthesizes the blueprint from a settings file laid over the embedded
    /// defaults (`file` names it in
    /// errors), or from the embedded defaults when `settings` is `None`, and
    /// refuses the result when any template has an error-level finding of
    /// [`crate::check`]: nothing that fails the checks reaches the disk.
    pub fn synth(self, settings: Option<(&str, &str)>) -> Result<Vec<Artifact>, SynthError> {
        let artifacts = self.synth_unchecked(settings)?;
        gate(self.name(), &artifacts)?;
        Ok(artifacts)
    }

    /// Synthesizes without running the checks (`stackcraft check` reports
    /// them all, warnings included).
    pub fn synth_unchecked(
        self,
        settings: Option<(&str, &str)>,
    ) -> Result<Vec<Artifact>, SynthError> {
        let mut layers = self.defaults();
        if let Some((file, text)) = settings {
            layers = layers.file(file, text);
        }
        self.synth_layers(&layers)
    }

    /// The blueprint's embedded defaults as the lowest settings layer; add a
    /// settings file and `--set` overrides on top.
    pub fn defaults(self) -> Layers {
        Layers::new(
            &format!("<built-in {}.yaml>", self.name()),
            self.default_settings(),
        )
    }

    /// Synthesizes from settings layers, without running the checks.
    pub fn synth_layers(self, layers: &Layers) -> Result<Vec<Artifact>, SynthError> {
        let mut artifacts = match self {
            Blueprint::Todo => todo::synth(layers),
            Blueprint::Blog => blog::synth(layers),
            Blueprint::Micro => micro::synth(layers),
        }?;
        // The escape hatch (`overrides:`), before any check sees the result.
        layers.apply_overrides(&mut artifacts)?;
        Ok(artifacts)
    }

    /// Synthesizes from settings layers and runs the checks (see [`Self::synth`]).
    pub fn synth_checked(self, layers: &Layers) -> Result<Vec<Artifact>, SynthError> {
        let artifacts = self.synth_layers(layers)?;
        gate(self.name(), &artifacts)?;
        Ok(artifacts)
    }
}

/// Refuses artifacts whose templates have error-level findings.
fn gate(blueprint: &'static str, artifacts: &[Artifact]) -> Result<(), SynthError> {
    let mut report = crate::check::Report::default();
    // Only templates are checked (and counted): not OpenAPI documents or
    // the manifest.
    let mut templates = 0;
    for a in artifacts {
        if a.path.to_string_lossy().ends_with(".template.json") {
            templates += 1;
            let name = a.path.display().to_string();
            let template: serde_json::Value =
                serde_json::from_str(&a.contents).expect("synthesized templates are JSON");
            report.extend(crate::check::check_template(
                &name,
                a.contents.len(),
                &template,
            ));
        }
    }
    let count = report.errors();
    if count == 0 {
        return Ok(());
    }
    report
        .findings
        .retain(|f| f.severity == crate::check::Severity::Error);
    report.waived.clear();
    Err(SynthError::Check {
        blueprint,
        count,
        report: crate::check::report::human(&report, templates),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_gate_refuses_error_findings_and_passes_clean_templates() {
        let bad = Artifact::new(
            "x.template.json",
            r#"{"Resources": {"Q": {"Type": "AWS::SQS::Queue", "Properties": {"X": {"Ref": "Nope"}}}}}"#.into(),
        );
        let err = gate("todo", &[bad]).unwrap_err().to_string();
        assert!(
            err.contains("todo: the synthesized templates fail"),
            "{err}"
        );
        assert!(err.contains("[SC-INT-001 error]"), "{err}");
        // Only templates are counted, not OpenAPI documents or the manifest.
        let bad = Artifact::new(
            "x.template.json",
            r#"{"Resources": {"Q": {"Type": "AWS::SQS::Queue", "Properties": {"X": {"Ref": "Nope"}}}}}"#.into(),
        );
        let others = [
            Artifact::new("micro/a.openapi.json", "{}".into()),
            Artifact::new("micro/manifest.json", "{}".into()),
        ];
        let err = gate("micro", &[bad, others[0].clone(), others[1].clone()])
            .unwrap_err()
            .to_string();
        assert!(err.contains("1 template(s) checked"), "{err}");
        let fine = Artifact::new("notes.txt", "not a template".into());
        assert!(gate("todo", &[fine]).is_ok());
    }

    #[test]
    fn names_round_trip() {
        for b in Blueprint::ALL {
            assert_eq!(Blueprint::from_name(b.name()), Some(b));
        }
        assert_eq!(Blueprint::from_name("nope"), None);
    }
}
