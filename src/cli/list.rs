//! `stackcraft list`.

use std::process::ExitCode;

use stackcraft::blueprints::Registry;

pub fn exec(registry: &Registry) -> anyhow::Result<ExitCode> {
    for b in registry.iter() {
        println!("{:<6} {}", b.name(), b.description());
    }
    Ok(ExitCode::SUCCESS)
}
