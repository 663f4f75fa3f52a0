//! `stackcraft diff`.

use std::process::ExitCode;

use stackcraft::deploy::Aws;
use stackcraft::deploy::diff::{self, Style};

use super::stacks::{AwsArgs, Selection};

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    selection: Selection,
    #[command(flatten)]
    aws: AwsArgs,
}

/// Exit 0 when no stack differs, 1 when one does (a new stack differs).
pub fn exec(args: Args, registry: &stackcraft::blueprints::Registry) -> anyhow::Result<ExitCode> {
    let stacks = args.selection.stacks(registry)?;
    let diffs = super::stacks::runtime()?.block_on(async {
        let aws = Aws::connect(&args.aws.options()).await?;
        diff::diff_stacks(&aws, &stacks).await
    })?;
    let style = Style::detect();
    for d in &diffs {
        print!("{}", diff::render(d, style));
    }
    let new = diffs.iter().filter(|d| d.new).count();
    let differ = diffs.iter().filter(|d| d.differs()).count();
    eprintln!(
        "{} stack(s): {} new, {} changed, {} without differences",
        diffs.len(),
        new,
        differ - new,
        diffs.len() - differ
    );
    Ok(if differ > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
