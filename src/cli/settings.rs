//! `stackcraft settings BLUEPRINT [--schema]`.

use std::process::ExitCode;

use stackcraft::blueprints::Registry;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The blueprint whose default settings to print.
    #[arg(value_name = "BLUEPRINT")]
    blueprint: String,
    /// Print the JSON Schema (draft 2020-12) of a settings file instead, for
    /// editors to complete and validate settings files.
    #[arg(long)]
    schema: bool,
}

pub fn exec(args: Args, registry: &Registry) -> anyhow::Result<ExitCode> {
    let b = super::blueprint(registry, &args.blueprint)?;
    if args.schema {
        println!("{}", serde_json::to_string_pretty(&b.settings_schema())?);
    } else {
        print!("{}", b.default_settings());
    }
    Ok(ExitCode::SUCCESS)
}
