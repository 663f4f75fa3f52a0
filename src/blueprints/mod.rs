//! Blueprints: architectures built from typed settings.
//!
//! [`Blueprint`] is the public API a blueprint implements; [`Registry`] is
//! the list the command line consults. The three built-in blueprints
//! ([`todo`], [`blog`], [`micro`]) implement it in `builtin.rs`; their
//! default settings live in `blueprints/*.yaml` at the repository root and
//! are embedded in the binary.
//!
//! A blueprint returns templates and documents in memory ([`Artifact`]):
//! it neither checks nor writes them. That is the synthesis step's job
//! ([`crate::synth`]).

use crate::settings::SettingsError;
use crate::templates::TemplateError;

mod api;
mod builtin;
mod registry;

pub mod blog;
pub mod micro;
pub mod todo;

pub use api::{AnyBlueprint, Artifact, Blueprint, Stack, Synthesis};
pub(crate) use builtin::layered;
pub use builtin::{Blog, BuiltIn, Micro, Todo};
pub use registry::{Registry, RegistryError};

/// Synthesis failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
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
        blueprint: String,
        /// How many error-level findings.
        count: usize,
        /// The findings, one per line.
        report: String,
    },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for b in BuiltIn::ALL {
            assert_eq!(BuiltIn::from_name(b.name()), Some(b));
            assert_eq!(b.blueprint().name(), b.name());
        }
        assert_eq!(BuiltIn::from_name("nope"), None);
    }

    #[test]
    fn blueprints_build_without_writing_or_checking() {
        // A blueprint's stacks name templates it built.
        for b in BuiltIn::ALL {
            let built = b.blueprint().build_layers(&b.defaults()).unwrap();
            assert!(!built.stacks.is_empty(), "{}", b.name());
            for st in &built.stacks {
                assert!(
                    built.artifacts.iter().any(|a| a.path == st.template),
                    "{}: {:?}",
                    b.name(),
                    st.template
                );
            }
        }
    }
}
