//! The `stackcraft` command line, one module per subcommand.
//!
//! [`main`] runs it with the built-in blueprints; [`run_with`] runs it with
//! a [`Registry`] of your own, so a binary of yours gets `synth`, `check`,
//! `graph`, `settings`, `deploy` and `destroy` for the blueprints you
//! register:
//!
//! ```no_run
//! use stackcraft::blueprints::Registry;
//! # struct Pipeline;
//! # impl stackcraft::Blueprint for Pipeline {
//! #     type Settings = ();
//! #     fn name(&self) -> &str { "pipeline" }
//! #     fn description(&self) -> &str { "" }
//! #     fn default_settings(&self) -> &str { "" }
//! #     fn build(&self, _: &(), _: &stackcraft::settings::Layers)
//! #         -> Result<Vec<stackcraft::blueprints::Artifact>, stackcraft::blueprints::SynthError> { Ok(vec![]) }
//! # }
//!
//! fn main() -> std::process::ExitCode {
//!     stackcraft::cli::run_with(Registry::builtin().with(Pipeline))
//! }
//! ```

use std::process::ExitCode;

use anyhow::bail;
use clap::{Parser, Subcommand};
use stackcraft::blueprints::{AnyBlueprint, Registry};

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
struct Cli {
    #[command(subcommand)]
    command: Command,
    /// Check every synthesized template, even those this build of stackcraft
    /// passed before (README, "The gate cache"; also STACKCRAFT_NO_CACHE=1).
    #[arg(long, global = true)]
    no_cache: bool,
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

/// Runs `stackcraft` with the built-in blueprints: the binary's `main`.
pub fn main() -> ExitCode {
    run_with(Registry::builtin())
}

/// Runs `stackcraft` on this process's arguments with the blueprints in
/// `registry`: exit 0 on success, 1 for findings (check errors, drift), 2
/// for bad input or an I/O failure, with the error on stderr.
pub fn run_with(registry: Registry) -> ExitCode {
    let cli = Cli::parse();
    if let Some(cache) = gate_cache(cli.no_cache) {
        stackcraft::synth::remember_passed_templates(cache);
    }
    match run(cli, &registry) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
    }
}

/// The gate's memory (`stackcraft::synth::GateCache`): under
/// `$STACKCRAFT_CACHE_DIR`, else `$XDG_CACHE_HOME/stackcraft`, else
/// `~/.cache/stackcraft` (each only when absolute); none with `--no-cache`,
/// `STACKCRAFT_NO_CACHE` set to anything but `0` or `false`, or no home.
fn gate_cache(no_cache: bool) -> Option<stackcraft::synth::GateCache> {
    use std::path::PathBuf;
    let set = |name: &str| std::env::var_os(name).filter(|v| !v.is_empty());
    let off = set("STACKCRAFT_NO_CACHE").is_some_and(|v| v != "0" && v != "false");
    if no_cache || off {
        return None;
    }
    // A relative root would depend on the working directory.
    let absolute = |v: std::ffi::OsString| Some(PathBuf::from(v)).filter(|p| p.is_absolute());
    let root = match set("STACKCRAFT_CACHE_DIR") {
        Some(dir) => absolute(dir)?,
        None => set("XDG_CACHE_HOME")
            .and_then(absolute)
            .map(|d| d.join("stackcraft"))
            .or_else(|| {
                set("HOME")
                    .and_then(absolute)
                    .map(|h| h.join(".cache/stackcraft"))
            })?,
    };
    stackcraft::synth::GateCache::for_executable(&root)
}

/// Runs the parsed command; `Err` is bad input or an I/O failure (exit 2),
/// while findings such as drift come back as exit code 1.
fn run(cli: Cli, registry: &Registry) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Synth(args) => synth::exec(args, registry),
        Command::Check(args) => check::exec(args, registry),
        Command::Graph(args) => graph::exec(args, registry),
        Command::List => list::exec(registry),
        Command::Settings(args) => settings::exec(args, registry),
        Command::Deploy(args) => deploy::exec(args, registry),
        Command::Diff(args) => diff::exec(args, registry),
        Command::Destroy(args) => destroy::exec(args, registry),
    }
}

/// The registered blueprint named `name`, or an error listing the known
/// ones and how to name a file instead.
pub(crate) fn blueprint<'r>(
    registry: &'r Registry,
    name: &str,
) -> anyhow::Result<&'r dyn AnyBlueprint> {
    match registry.get(name) {
        Some(b) => Ok(b),
        None => bail!(
            "invalid value '{name}': not a blueprint (known: {}); for a file of that name, write ./{name}",
            registry.names()
        ),
    }
}

/// The blueprints a command works on: the one named, or every registered
/// one for `--all`.
pub(crate) fn selected<'r>(
    registry: &'r Registry,
    name: Option<&str>,
) -> anyhow::Result<Vec<&'r dyn AnyBlueprint>> {
    match name {
        Some(n) => Ok(vec![blueprint(registry, n)?]),
        None => Ok(registry.iter().collect()),
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
