//! stackcraft synthesizes AWS CloudFormation for three serverless reference
//! architectures (`todo`, `blog`, `micro`), checks the templates and writes
//! them out deterministically.
//!
//! Layers, bottom to top (see ARCHITECTURE.md): [`cfn`] -> [`resources`] ->
//! [`patterns`] -> [`blueprints`] -> [`check`] -> [`output`]; the binary is a
//! thin shell over them.

// The command line lives in the library (so a user's binary can run it
// with its own blueprints) and names the crate as a user would.
extern crate self as stackcraft;

pub mod blueprints;
pub mod cfn;
pub mod check;
pub mod cli;
pub mod deploy;
pub mod graph;
pub mod output;
pub mod overrides;
pub mod patterns;
pub mod registry;
pub mod resources;
pub mod settings;
pub mod synth;
pub mod templates;

pub use blueprints::{Blueprint, Registry};
