//! `stackcraft settings BLUEPRINT`.

use std::process::ExitCode;

use stackcraft::blueprints::Blueprint;

use super::BlueprintArg;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The blueprint whose default settings to print.
    blueprint: BlueprintArg,
}

pub fn exec(args: Args) -> anyhow::Result<ExitCode> {
    print!("{}", Blueprint::from(args.blueprint).default_settings());
    Ok(ExitCode::SUCCESS)
}
