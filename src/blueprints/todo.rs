//! The `todo` blueprint (being built; see the open issue).

use crate::output::Artifact;

use super::SynthError;

/// The default settings, embedded from `blueprints/todo.yaml`.
pub const DEFAULTS: &str = "";

/// Synthesizes the blueprint.
pub fn synth(_file: &str, _text: &str) -> Result<Vec<Artifact>, SynthError> {
    Ok(Vec::new())
}
