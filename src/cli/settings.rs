//! `stackcraft settings BLUEPRINT [--schema]`.

use std::process::ExitCode;

use stackcraft::blueprints::Blueprint;

use super::BlueprintArg;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The blueprint whose default settings to print.
    blueprint: BlueprintArg,
    /// Print the JSON Schema (draft 2020-12) of a settings file instead, for
    /// editors to complete and validate settings files.
    #[arg(long)]
    schema: bool,
}

pub fn exec(args: Args) -> anyhow::Result<ExitCode> {
    let b = Blueprint::from(args.blueprint);
    if args.schema {
        println!("{}", serde_json::to_string_pretty(&b.settings_schema())?);
    } else {
        print!("{}", b.default_settings());
    }
    Ok(ExitCode::SUCCESS)
}
