//! The CloudFormation core: templates, the resource envelope, typed values
//! and intrinsic functions, and deterministic rendering.
//!
//! This layer knows nothing about any AWS service or blueprint.

mod functions;
pub mod rename;
pub mod render;
mod snapshot;
mod template;
mod value;

pub use functions::*;
pub use snapshot::{SNAPSHOT_TYPES, supports_snapshot};
pub use template::{
    ConditionRef, Envelope, Handle, LogicalId, Output, Parameter, ParameterRef, Policy, Resource,
    Template, is_valid_logical_id,
};
pub use value::{Bool, Int, Intrinsic, List, Str, Val};

/// Any serializable value as JSON.
///
/// Every type this crate serializes is made of maps with string keys, so this
/// cannot fail for them.
pub fn json<T: serde::Serialize + ?Sized>(value: &T) -> serde_json::Value {
    serde_json::to_value(value).expect("CloudFormation values always serialize to JSON")
}

#[cfg(test)]
mod tests;
