//! Arguments shared by `deploy` and `destroy`: which stacks, which account.

use std::path::PathBuf;

use anyhow::Context;
use stackcraft::blueprints::Registry;
use stackcraft::deploy::AwsOptions;
use stackcraft::deploy::stacks::{self, StackSpec};

/// The blueprint(s), settings and stacks to work on.
#[derive(Debug, clap::Args)]
#[command(group(clap::ArgGroup::new("which").required(true).args(["blueprint", "all"])))]
pub struct Selection {
    /// The blueprint (`stackcraft list` names them).
    #[arg(value_name = "BLUEPRINT")]
    blueprint: Option<String>,
    /// Every blueprint.
    #[arg(long)]
    all: bool,
    /// A settings file replacing the blueprint's defaults (see `stackcraft settings`).
    #[arg(long, short, value_name = "FILE", conflicts_with = "all")]
    config: Option<PathBuf>,
    /// Only this stack (short name such as `orders`, or the stack name; repeatable).
    #[arg(long = "stack", value_name = "NAME")]
    stacks: Vec<String>,
}

/// The account and Region: the standard chain unless given.
#[derive(Debug, clap::Args)]
pub struct AwsArgs {
    /// A named profile from the AWS config files.
    #[arg(long, value_name = "NAME")]
    profile: Option<String>,
    /// The AWS Region.
    #[arg(long, value_name = "REGION")]
    region: Option<String>,
}

impl AwsArgs {
    pub fn options(&self) -> AwsOptions {
        AwsOptions {
            profile: self.profile.clone(),
            region: self.region.clone(),
        }
    }
}

impl Selection {
    /// Synthesizes (through the checks gate) and returns the selected
    /// stacks in deploy order.
    pub fn stacks(&self, registry: &Registry) -> anyhow::Result<Vec<StackSpec>> {
        let blueprints = super::selected(registry, self.blueprint.as_deref())?;
        let config = super::read_config(self.config.as_deref())?;
        let mut all = Vec::new();
        for b in blueprints {
            let settings = config.as_ref().map(|(f, t)| (f.as_str(), t.as_str()));
            all.extend(stacks::synthesize(b, settings)?);
        }
        Ok(stacks::select(all, &self.stacks)?)
    }
}

/// A single-threaded runtime: the work is waiting on the network.
pub fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")
}
