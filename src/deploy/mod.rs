//! Deploying synthesized stacks to AWS CloudFormation and destroying them:
//! stack order, parameters, capabilities, change-set summaries, live events,
//! the artifacts bucket for large templates.
//!
//! The decisions (order, parameter resolution, capability derivation, change
//! summaries, root-cause selection, what a delete leaves behind) are pure
//! functions tested without a server; [`client::Aws`] is the thin wrapper over
//! the AWS SDK that [`run`] and [`destroy`] drive.

pub mod artifacts;
pub mod capabilities;
pub mod client;
pub mod data;
pub mod destroy;
pub mod diff;
pub mod events;
pub mod params;
pub mod run;
pub mod stacks;
pub mod summary;
pub mod ui;

pub use client::{Aws, AwsOptions};
pub use params::ParameterValues;
pub use stacks::StackSpec;

/// Deploying or destroying failed.
#[derive(Debug, thiserror::Error)]
pub enum DeployError {
    /// Synthesis failed (settings, templates or checks).
    #[error(transparent)]
    Synth(#[from] crate::blueprints::SynthError),
    /// A `--parameter` or parameters file is malformed.
    #[error("{0}")]
    Parameter(String),
    /// A required parameter has neither a value nor a default.
    #[error(
        "stack {stack}: parameter {parameter} has no default and no value; pass --parameter {stack}:{parameter}=VALUE"
    )]
    MissingParameter {
        /// The stack's short name.
        stack: String,
        /// The parameter.
        parameter: String,
    },
    /// `--stack` named a stack the blueprint does not have.
    #[error("no stack {name}; the stacks are: {known}")]
    UnknownStack {
        /// What was asked for.
        name: String,
        /// The stacks there are.
        known: String,
    },
    /// An AWS call failed.
    #[error("{operation}: {message}")]
    Aws {
        /// The API operation, e.g. `CreateChangeSet`.
        operation: &'static str,
        /// The service's error, with its code.
        message: String,
    },
    /// A stack is in a state that this command cannot proceed from.
    #[error("stack {stack} is {status}: {advice}")]
    State {
        /// The stack name.
        stack: String,
        /// Its status.
        status: String,
        /// What to do about it.
        advice: String,
    },
    /// The operation failed on the CloudFormation side.
    #[error("stack {stack}: {status}{}", cause.as_ref().map(|c| format!("; root cause: {c}")).unwrap_or_default())]
    Failed {
        /// The stack name.
        stack: String,
        /// The stack's final status.
        status: String,
        /// The first failure's resource and reason.
        cause: Option<String>,
    },
    /// The deployed template could not be read.
    #[error("stack {stack}: the deployed template cannot be read: {message}")]
    DeployedTemplate {
        /// The stack name.
        stack: String,
        /// What is wrong with it.
        message: String,
    },
    /// The user declined, or confirmation was needed but no terminal was there.
    #[error("{0}")]
    NotConfirmed(String),
    /// Reading the terminal failed.
    #[error("cannot read the answer: {0}")]
    Io(#[from] std::io::Error),
}

/// An AWS SDK error as a [`DeployError::Aws`], with the service's error code
/// and message (the SDK's `Display` alone says only "service error").
pub(crate) fn aws_error<E>(operation: &'static str, e: E) -> DeployError
where
    E: std::error::Error + aws_sdk_cloudformation::error::ProvideErrorMetadata,
{
    // A service error says what it is in its code and message; the raw
    // response (headers, body bytes) is noise for a person. Errors without
    // a code (no connection, no credentials) keep their cause chain.
    let message = match (e.code(), e.message()) {
        (Some(code), Some(text)) => format!("{code}: {text}"),
        (Some(code), None) => code.to_owned(),
        _ => aws_sdk_cloudformation::error::DisplayErrorContext(&e).to_string(),
    };
    DeployError::Aws { operation, message }
}

/// A request the SDK refused to build (a required field unset): our bug,
/// reported with the operation it was for.
pub(crate) fn build_error(
    operation: &'static str,
    e: aws_sdk_cloudformation::error::BuildError,
) -> DeployError {
    DeployError::Aws {
        operation,
        message: e.to_string(),
    }
}
