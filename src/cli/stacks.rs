//! Arguments shared by `deploy` and `destroy`: which stacks, which account.

use std::path::PathBuf;

use anyhow::{Context, bail};
use stackcraft::blueprints::Registry;
use stackcraft::deploy::AwsOptions;
use stackcraft::deploy::stacks::{self, StackSpec};

/// The blueprint(s) or template file, settings and stacks to work on.
#[derive(Debug, clap::Args)]
#[command(group(clap::ArgGroup::new("which").required(true).args(["target", "all"])))]
pub struct Selection {
    /// A blueprint (todo, blog, micro), or a template file (JSON or YAML),
    /// used as it is. A target with a `.` or `/` in it is a file (`./todo`
    /// for a file named todo).
    #[arg(value_name = "BLUEPRINT|FILE")]
    target: Option<String>,
    /// Every blueprint.
    #[arg(long)]
    all: bool,
    /// A settings file replacing the blueprint's defaults (see `stackcraft settings`).
    #[arg(long, short, value_name = "FILE", conflicts_with = "all")]
    config: Option<PathBuf>,
    /// Only this stack (short name such as `orders`, or the stack name;
    /// repeatable). With a file: the stack's name (default: the file's name
    /// without `.template`, `.json`, `.yaml`).
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
        let blueprints = match self.target.as_deref() {
            Some(t) if super::is_file_target(t) => return self.file(t).map(|s| vec![s]),
            t => super::selected(registry, t)?,
        };
        let config = super::read_config(self.config.as_deref())?;
        let mut all = Vec::new();
        for b in blueprints {
            let settings = config.as_ref().map(|(f, t)| (f.as_str(), t.as_str()));
            all.extend(stacks::synthesize(b, settings)?);
        }
        Ok(stacks::select(all, &self.stacks)?)
    }
}

impl Selection {
    /// A template file as one stack, named by `--stack` or after the file.
    fn file(&self, path: &str) -> anyhow::Result<StackSpec> {
        if self.config.is_some() {
            bail!("--config is for blueprints; {path} is a template file");
        }
        let stack_name = match self.stacks.as_slice() {
            [] => stackcraft::graph::stack_name(path),
            [one] => one.clone(),
            _ => bail!("a template file is one stack: give --stack once, as its name"),
        };
        let body = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read template file {path}"))?;
        Ok(stacks::from_file(path, &stack_name, body)?)
    }
}

/// A single-threaded runtime: the work is waiting on the network.
pub fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")
}
