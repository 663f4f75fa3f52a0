//! The `micro` blueprint (being built; see the open issue).

use crate::output::Artifact;

use super::SynthError;

/// The default settings, embedded from `blueprints/micro.yaml`.
pub const DEFAULTS: &str = "";

/// Synthesizes the blueprint.
pub fn synth(_file: &str, _text: &str) -> Result<Vec<Artifact>, SynthError> {
    Ok(Vec::new())
}
