//! `stackcraft deploy`.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use stackcraft::deploy::params::{self, Assignment};
use stackcraft::deploy::run::{self, DeployOptions, Outcome};
use stackcraft::deploy::ui::Ui;
use stackcraft::deploy::{Aws, ParameterValues};

use super::stacks::{AwsArgs, Selection};

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    selection: Selection,
    /// A parameter value, for every stack that declares KEY or for STACK only (repeatable).
    #[arg(long = "parameter", value_name = "[STACK:]KEY=VALUE")]
    parameters: Vec<String>,
    /// A JSON file of parameter values: {"KEY": "VALUE", "STACK": {"KEY": "VALUE"}}.
    #[arg(long = "parameters", value_name = "FILE")]
    parameters_file: Option<PathBuf>,
    /// Do not ask for confirmation.
    #[arg(long, short)]
    yes: bool,
    /// Create the change sets, show them and stop: nothing is executed.
    #[arg(long)]
    no_execute: bool,
    /// The S3 bucket for templates over 51,200 bytes (default: stackcraft's
    /// own, created on first use).
    #[arg(long, value_name = "NAME")]
    bucket: Option<String>,
    #[command(flatten)]
    aws: AwsArgs,
}

pub fn exec(args: Args, registry: &stackcraft::blueprints::Registry) -> anyhow::Result<ExitCode> {
    let stacks = args.selection.stacks(registry)?;
    let mut values = ParameterValues::default();
    for p in &args.parameters {
        values.cli.push(Assignment::parse(p)?);
    }
    if let Some(path) = &args.parameters_file {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read parameters file {}", path.display()))?;
        values.file = params::parse_file(&path.display().to_string(), &text)?;
    }
    // Before any AWS call: every required parameter has a value.
    values.check(&stacks)?;
    let ui = Ui::detect(args.yes);
    let opts = DeployOptions {
        no_execute: args.no_execute,
        bucket: args.bucket,
        ..DeployOptions::default()
    };
    let outcomes = super::stacks::runtime()?.block_on(async {
        let aws = Aws::connect(&args.aws.options()).await?;
        run::deploy(&aws, &ui, &stacks, &values, &opts).await
    })?;
    let count = |f: fn(&Outcome) -> bool| outcomes.iter().filter(|o| f(o)).count();
    eprintln!(
        "{} stack(s): {} deployed, {} unchanged, {} change set(s) left for review",
        outcomes.len(),
        count(|o| matches!(o, Outcome::Deployed(_))),
        count(|o| matches!(o, Outcome::NoChanges)),
        count(|o| matches!(o, Outcome::Left(_))),
    );
    Ok(ExitCode::SUCCESS)
}
