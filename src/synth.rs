//! The synthesis step: the one place that turns a blueprint into files.
//!
//! A blueprint builds templates and documents in memory
//! ([`crate::blueprints`]); this step runs the check gate over the
//! templates ([`synthesize`]) and writes the result ([`write`], see
//! [`crate::output`] for what a write guarantees). The command line's
//! `synth`, `graph` and `deploy` go through here, so whatever they produce
//! has passed the same gate.
//!
//! ```
//! use stackcraft::blueprints::{AnyBlueprint, Todo};
//!
//! let synthesis = stackcraft::synth::synthesize(&Todo, &Todo.defaults()).unwrap();
//! let names: Vec<_> = synthesis.artifacts.iter().map(|a| a.path.display().to_string()).collect();
//! assert_eq!(names, ["todo.template.json"]);
//!
//! let dir = tempfile::tempdir().unwrap();
//! let written = stackcraft::synth::write(dir.path(), &synthesis.artifacts).unwrap();
//! assert_eq!(written.written, 1);
//! // Identical bytes are not written again.
//! let again = stackcraft::synth::write(dir.path(), &synthesis.artifacts).unwrap();
//! assert_eq!((again.written, again.unchanged), (0, 1));
//! ```

use std::path::Path;

use crate::blueprints::{AnyBlueprint, Artifact, BuiltIn, SynthError, Synthesis, layered};
use crate::check::{self, Report, Severity};
use crate::output::{self, WriteError, Written};
use crate::settings::Layers;

/// Builds `blueprint` from settings `layers` and refuses the result when any
/// template has an error-level finding of [`crate::check`]: nothing that
/// fails the checks reaches the disk or AWS.
pub fn synthesize(blueprint: &dyn AnyBlueprint, layers: &Layers) -> Result<Synthesis, SynthError> {
    let synthesis = blueprint.build_layers(layers)?;
    gate(blueprint.name(), &synthesis.artifacts)?;
    Ok(synthesis)
}

/// Writes synthesized files under `dir`: each file whole or not at all, and
/// the set all together or not at all when a write fails (see
/// [`crate::output`]).
pub fn write(dir: &Path, artifacts: &[Artifact]) -> Result<Written, WriteError> {
    output::write_all(dir, artifacts)
}

/// Refuses artifacts whose templates have error-level findings.
///
/// Templates are judged on as many threads as the machine offers (a
/// thousand-service `micro` has a thousand templates); the report keeps the
/// artifacts' order, so its text does not depend on the threads.
pub fn gate(blueprint: &str, artifacts: &[Artifact]) -> Result<(), SynthError> {
    // Only templates are checked (and counted): not OpenAPI documents or
    // the manifest.
    let templates: Vec<&Artifact> = artifacts.iter().filter(|a| a.is_template()).collect();
    let mut report = Report::default();
    for one in crate::parallel::map(&templates, |a| check_one(a)) {
        match one {
            Ok(r) => report.extend(r),
            Err(e) => {
                return Err(SynthError::Check {
                    blueprint: blueprint.to_owned(),
                    count: 1,
                    report: e.to_string(),
                });
            }
        }
    }
    let templates = templates.len();
    let count = report.errors();
    if count == 0 {
        return Ok(());
    }
    report.findings.retain(|f| f.severity == Severity::Error);
    report.waived.clear();
    Err(SynthError::Check {
        blueprint: blueprint.to_owned(),
        count,
        report: check::report::human(&report, templates),
    })
}

/// One template's findings: its held JSON value when it has one (nothing to
/// parse), its text otherwise.
fn check_one(a: &Artifact) -> Result<Report, check::parse::ParseError> {
    let name = a.path.display().to_string();
    let contents = a.contents();
    if let Some(template) = a.template_json() {
        return Ok(check::check_template(&name, contents.len(), template));
    }
    match serde_json::from_str(contents) {
        Ok(template) => Ok(check::check_template(&name, contents.len(), &template)),
        // A blueprint wrote text that is not JSON under a template's name:
        // report it like any other file that fails to parse.
        Err(_) => check::check_text(&name, contents),
    }
}

/// The checked entry points on the built-in blueprints (kept here, with
/// the gate, so `crate::blueprints` never calls it).
impl BuiltIn {
    /// Synthesizes from a settings file laid over the embedded defaults
    /// (`file` names it in errors), or from the defaults alone, through
    /// the check gate (see [`synthesize`]).
    pub fn synth(self, settings: Option<(&str, &str)>) -> Result<Vec<Artifact>, SynthError> {
        self.synth_checked(&layered(self.blueprint(), settings))
    }

    /// Synthesizes from settings layers through the check gate.
    pub fn synth_checked(self, layers: &Layers) -> Result<Vec<Artifact>, SynthError> {
        Ok(synthesize(self.blueprint(), layers)?.artifacts)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BAD: &str = r#"{"Resources": {"Q": {"Type": "AWS::SQS::Queue", "Properties": {"X": {"Ref": "Nope"}}}}}"#;

    #[test]
    fn the_gate_refuses_error_findings_and_passes_clean_templates() {
        let bad = Artifact::new("x.template.json", BAD.into());
        let err = gate("todo", &[bad]).unwrap_err().to_string();
        assert!(
            err.contains("todo: the synthesized templates fail"),
            "{err}"
        );
        assert!(err.contains("[SC-INT-001 error]"), "{err}");
        // Only templates are counted, not OpenAPI documents or the manifest.
        let all = [
            Artifact::new("x.template.json", BAD.into()),
            Artifact::new("micro/a.openapi.json", "{}".into()),
            Artifact::new("micro/manifest.json", "{}".into()),
        ];
        let err = gate("micro", &all).unwrap_err().to_string();
        assert!(err.contains("1 template(s) checked"), "{err}");
        let fine = Artifact::new("notes.txt", "not a template".into());
        assert!(gate("todo", &[fine]).is_ok());
    }

    #[test]
    fn a_template_that_is_not_json_is_refused_not_a_panic() {
        let broken = Artifact::new("x.template.json", "{\"Resources\": ".into());
        let err = gate("mine", &[broken]).unwrap_err().to_string();
        assert!(err.starts_with("mine: "), "{err}");
    }
}
