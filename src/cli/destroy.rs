//! `stackcraft destroy`.

use std::process::ExitCode;

use stackcraft::deploy::Aws;
use stackcraft::deploy::destroy;
use stackcraft::deploy::run::DeployOptions;
use stackcraft::deploy::ui::Ui;

use super::stacks::{AwsArgs, Selection};

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    selection: Selection,
    /// Do not ask for confirmation.
    #[arg(long, short)]
    yes: bool,
    #[command(flatten)]
    aws: AwsArgs,
}

pub fn exec(args: Args, registry: &stackcraft::blueprints::Registry) -> anyhow::Result<ExitCode> {
    let stacks = args.selection.stacks(registry)?;
    let ui = Ui::detect(args.yes);
    let deleted = super::stacks::runtime()?.block_on(async {
        let aws = Aws::connect(&args.aws.options()).await?;
        destroy::destroy(&aws, &ui, &stacks, DeployOptions::default().max_poll).await
    })?;
    eprintln!("{deleted} stack(s) deleted");
    Ok(ExitCode::SUCCESS)
}
