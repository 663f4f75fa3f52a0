//! stackcraft synthesizes AWS CloudFormation for three serverless reference
//! architectures (`todo`, `blog`, `micro`) and for blueprints you write
//! ([`Blueprint`], [`Registry`], [`cli::run_with`]), checks any template
//! and writes the results deterministically.
//!
//! Layers, bottom to top (see ARCHITECTURE.md): [`cfn`] -> [`resources`] ->
//! [`patterns`] -> [`blueprints`], which build templates in memory; the
//! synthesis step [`synth`] runs the [`check`] gate and writes through
//! [`output`]; [`graph`] and [`deploy`] consume what it produced; [`cli`] is
//! the command line.
//!
//! Checking a template, any template:
//!
//! ```
//! let text = r#"{"Resources": {"Q": {"Type": "AWS::SQS::Queue",
//!     "Properties": {"RedrivePolicy": {"deadLetterTargetArn": {"Fn::GetAtt": ["Nope", "Arn"]},
//!     "maxReceiveCount": 3}}}}}"#;
//! let report = stackcraft::check::check_text("queue.json", text).unwrap();
//! assert!(report.errors() > 0);
//! let line = stackcraft::check::report::human(&report, 1);
//! assert!(line.contains("Nope"), "{line}");
//! ```

#![deny(missing_docs)]

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
mod parallel;
pub mod patterns;
pub mod registry;
pub mod resources;
pub mod settings;
mod sorted_text;
pub mod synth;
pub mod templates;

pub use blueprints::{Blueprint, Registry};
