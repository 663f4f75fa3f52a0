//! Command-line arguments and the subcommands, one module each.

use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use stackcraft::blueprints::Blueprint;

mod check;
mod deploy;
mod destroy;
mod diff;
mod graph;
mod list;
mod settings;
mod stacks;
mod synth;

/// Synthesizes, checks and diffs AWS CloudFormation for three serverless
/// reference architectures.
#[derive(Debug, Parser)]
#[command(name = "stackcraft", version, about, long_about = None, after_help = EXAMPLES)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

const EXAMPLES: &str = "\
Examples:
  stackcraft list                             the blueprints, one line each
  stackcraft synth todo                       write out/todo.template.json
  stackcraft synth --all --check              exit 1 with a diff if out/ is stale
  stackcraft settings micro > my.yaml         the documented defaults, to edit
  stackcraft synth micro --config my.yaml     synthesize with your settings
  stackcraft check --all                      integrity, limits and security rules
  stackcraft check template.yaml              ... over any template (a file has a . or /)
  stackcraft diff micro                       what a deploy would change and replace (exit 1)
  stackcraft deploy micro --stack network     a change set, shown, confirmed, followed";

#[derive(Debug, Subcommand)]
enum Command {
    /// Synthesize CloudFormation templates into out/ (or check them for drift).
    Synth(synth::Args),
    /// Check templates: integrity, CloudFormation limits, security rules.
    Check(check::Args),
    /// Draw the architecture from the templates: Mermaid, DOT, SVG or JSON.
    Graph(graph::Args),
    /// List the blueprints.
    List,
    /// Print a blueprint's default settings: the starting point of a --config file.
    Settings(settings::Args),
    /// Deploy stacks through change sets: summary, confirmation, live events, outputs.
    Deploy(deploy::Args),
    /// Compare fresh templates with the deployed stacks; predict replacements.
    Diff(diff::Args),
    /// Delete deployed stacks in reverse dependency order.
    Destroy(destroy::Args),
}

/// A blueprint named on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum BlueprintArg {
    /// MyTodoList mobile backend.
    Todo,
    /// Global serverless blog.
    Blog,
    /// Microservices, one stack per service.
    Micro,
}

impl From<BlueprintArg> for Blueprint {
    fn from(b: BlueprintArg) -> Self {
        match b {
            BlueprintArg::Todo => Blueprint::Todo,
            BlueprintArg::Blog => Blueprint::Blog,
            BlueprintArg::Micro => Blueprint::Micro,
        }
    }
}

/// Runs the parsed command; `Err` is bad input or an I/O failure (exit 2),
/// while findings such as drift come back as exit code 1.
pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Synth(args) => synth::exec(args),
        Command::Check(args) => check::exec(args),
        Command::Graph(args) => graph::exec(args),
        Command::List => list::exec(),
        Command::Settings(args) => settings::exec(args),
        Command::Deploy(args) => deploy::exec(args),
        Command::Diff(args) => diff::exec(args),
        Command::Destroy(args) => destroy::exec(args),
    }
}

/// Whether a target names a file rather than a blueprint: it has a `.` or a
/// path separator in it. Never decided by what exists on disk, so `check
/// todo` and `graph todo` mean the same in every directory.
pub(crate) fn is_file_target(target: &str) -> bool {
    target.contains(['.', '/', std::path::MAIN_SEPARATOR])
}

/// The settings file given with `--config`, read: its name for errors and its text.
pub(crate) fn read_config(
    path: Option<&std::path::Path>,
) -> anyhow::Result<Option<(String, String)>> {
    use anyhow::Context;
    path.map(|path| {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read settings file {}", path.display()))?;
        Ok((path.display().to_string(), text))
    })
    .transpose()
}
