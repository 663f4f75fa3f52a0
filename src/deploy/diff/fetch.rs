//! The AWS side of `diff`: each stack's deployed template, compared with
//! its fresh one.

use super::StackDiff;
use crate::deploy::{Aws, DeployError, StackSpec};

/// Compares every stack, in the order given, with what is deployed.
pub async fn diff_stacks(aws: &Aws, stacks: &[StackSpec]) -> Result<Vec<StackDiff>, DeployError> {
    let mut out = Vec::with_capacity(stacks.len());
    for s in stacks {
        let deployed = aws.deployed_template(&s.stack_name).await?;
        out.push(StackDiff::of(&s.stack_name, deployed.as_ref(), &s.template));
    }
    Ok(out)
}
