//! `stackcraft list`.

use std::process::ExitCode;

use stackcraft::blueprints::Blueprint;

pub fn exec() -> anyhow::Result<ExitCode> {
    for b in Blueprint::ALL {
        println!("{:<6} {}", b.name(), b.description());
    }
    Ok(ExitCode::SUCCESS)
}
