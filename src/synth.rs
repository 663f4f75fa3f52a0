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
use std::sync::OnceLock;

use crate::blueprints::{AnyBlueprint, Artifact, BuiltIn, SynthError, Synthesis, layered};
use crate::check::{self, Report, Severity};
use crate::output::{self, WriteError, Written};
use crate::settings::Layers;

mod cache;

pub use cache::GateCache;

/// The gate's memory for this process, when one is in use.
static CACHE: OnceLock<GateCache> = OnceLock::new();

/// Lets the gate skip templates that `cache` says this executable passed
/// before (see [`GateCache`]); the command line turns it on unless told
/// not to. Without it every template is checked. Only the first call
/// counts.
pub fn remember_passed_templates(cache: GateCache) {
    let _ = CACHE.set(cache);
}

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
    gate_with(blueprint, artifacts, CACHE.get())
}

/// [`gate`] with the memory `cache`, if any.
fn gate_with(
    blueprint: &str,
    artifacts: &[Artifact],
    cache: Option<&GateCache>,
) -> Result<(), SynthError> {
    // Only templates are checked (and counted): not OpenAPI documents or
    // the manifest.
    let templates: Vec<&Artifact> = artifacts.iter().filter(|a| a.is_template()).collect();
    let mut report = Report::default();
    let mut passed = Vec::new();
    for (one, key) in crate::parallel::map(&templates, |a| judge(a, cache)) {
        match one {
            Ok(r) => {
                if r.errors() == 0 {
                    passed.extend(key);
                }
                report.extend(r);
            }
            Err(e) => {
                return Err(SynthError::Check {
                    blueprint: blueprint.to_owned(),
                    count: 1,
                    report: e.to_string(),
                });
            }
        }
    }
    if let Some(cache) = cache {
        cache.remember(passed.iter().map(String::as_str));
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

/// One template's findings, or none when `cache` says it passed before;
/// with the key to remember it under when it was checked now.
fn judge(
    a: &Artifact,
    cache: Option<&GateCache>,
) -> (Result<Report, check::parse::ParseError>, Option<String>) {
    let Some(cache) = cache else {
        return (check_one(a), None);
    };
    let key = GateCache::key(a);
    if cache.passed(&key) {
        return (Ok(Report::default()), None);
    }
    (check_one(a), Some(key))
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

    /// A template that passed is remembered and skipped the next time; one
    /// that failed is never remembered, so it fails every time.
    #[test]
    fn the_gate_remembers_only_what_passed() {
        let root = tempfile::tempdir().unwrap();
        let cache = GateCache::for_executable(root.path()).unwrap();
        let good = Artifact::new(
            "g.template.json",
            r#"{"Resources": {"P": {"Type": "AWS::SSM::Parameter", "Properties": {"Type": "String", "Value": "x"}}}}"#.into(),
        );
        let bad = Artifact::new("b.template.json", BAD.into());
        assert!(gate_with("todo", &[good.clone(), bad.clone()], Some(&cache)).is_err());
        assert!(cache.passed(&GateCache::key(&good)));
        assert!(!cache.passed(&GateCache::key(&bad)));
        let again = gate_with("todo", std::slice::from_ref(&bad), Some(&cache));
        assert!(
            again
                .unwrap_err()
                .to_string()
                .contains("[SC-INT-001 error]")
        );
        // What the cache remembers is trusted: the same name and bytes are
        // not judged again (here, a planted entry for the failing one).
        cache.remember([GateCache::key(&bad).as_str()]);
        assert!(gate_with("todo", std::slice::from_ref(&bad), Some(&cache)).is_ok());
        // Another name for the same bytes is judged afresh.
        let renamed = Artifact::new("c.template.json", BAD.into());
        assert!(gate_with("todo", &[renamed], Some(&cache)).is_err());
        // Without a cache, everything is judged.
        assert!(gate_with("todo", &[bad], None).is_err());
    }

    #[test]
    fn a_template_that_is_not_json_is_refused_not_a_panic() {
        let broken = Artifact::new("x.template.json", "{\"Resources\": ".into());
        let err = gate("mine", &[broken]).unwrap_err().to_string();
        assert!(err.starts_with("mine: "), "{err}");
    }
}
