//! `stackcraft synth`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::bail;
use stackcraft::blueprints::{Artifact, Registry};
use stackcraft::check::quotas::{Raised, Usage};
use stackcraft::output;

#[derive(Debug, clap::Args)]
#[command(group(clap::ArgGroup::new("which").required(true).args(["blueprint", "all"])))]
pub struct Args {
    /// The blueprint to synthesize (`stackcraft list` names them).
    #[arg(value_name = "BLUEPRINT")]
    blueprint: Option<String>,
    /// Synthesize every blueprint.
    #[arg(long)]
    all: bool,
    /// A settings file with the keys you change; the rest come from the
    /// blueprint's defaults (see `stackcraft settings`).
    #[arg(long, short, value_name = "FILE", conflicts_with = "all")]
    config: Option<PathBuf>,
    /// Override one setting for this run, e.g. `--set network.az_count=3` or
    /// `--set services[0].count=4` (repeatable; the value is YAML; checked like
    /// a settings file).
    #[arg(long = "set", value_name = "KEY.PATH=VALUE", conflicts_with = "all")]
    set: Vec<String>,
    /// Where to write the files [default: out].
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
    /// Print the files instead of writing them.
    #[arg(long, conflicts_with_all = ["check", "out"])]
    stdout: bool,
    /// Write nothing; exit 1 with a diff when the files in --out differ from a
    /// fresh synthesis or hold files it would not produce.
    #[arg(long)]
    check: bool,
}

pub fn exec(args: Args, registry: &Registry) -> anyhow::Result<ExitCode> {
    let blueprints = super::selected(registry, args.blueprint.as_deref())?;
    let config = super::read_config(args.config.as_deref())?;

    // Everything is synthesized (and checked) before anything is written.
    let mut artifacts: Vec<Artifact> = Vec::new();
    let mut raised = Raised::default();
    for b in blueprints {
        let mut layers = b.defaults();
        if let Some((file, text)) = &config {
            layers = layers.file(file, text);
        }
        for assignment in &args.set {
            layers = layers.set(assignment);
        }
        raised = layers.quotas()?;
        artifacts.extend(stackcraft::synth::synthesize(b, &layers)?.artifacts);
    }
    if artifacts.is_empty() {
        bail!("nothing was synthesized");
    }
    warn_quotas(&artifacts, &raised)?;

    if args.stdout {
        let many = artifacts.len() > 1;
        for a in &artifacts {
            if many {
                println!("==> {} <==", a.path.display());
            }
            print!("{}", a.contents());
        }
        return Ok(ExitCode::SUCCESS);
    }

    let out = args.out.clone().unwrap_or_else(|| PathBuf::from("out"));
    if args.check {
        return check(&args, &out, &artifacts);
    }
    let written = stackcraft::synth::write(&out, &artifacts)?;
    // One write to stderr for the list, not three per file.
    let mut listing = String::new();
    for p in &written.changed {
        listing.push_str(&format!("wrote {}\n", out.join(p).display()));
    }
    eprint!("{listing}");
    eprintln!(
        "{} file(s) written, {} unchanged in {}",
        written.written,
        written.unchanged,
        out.display()
    );
    let stale = output::stale(&out, &artifacts)?;
    for p in &stale {
        eprintln!(
            "warning: {} is not produced by this synthesis; delete it if it is no longer needed",
            out.join(p).display()
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// Warns (on stderr; the files are still written) when the stacks together
/// exceed an account quota of one Region (`check::quotas`).
fn warn_quotas(artifacts: &[Artifact], raised: &Raised) -> anyhow::Result<()> {
    let mut usage = Usage::default();
    for a in artifacts {
        if !a.is_template() {
            continue;
        }
        let file = a.path.display().to_string();
        match a.template_json() {
            Some(json) => usage.add(&file, json),
            None => usage.add_json(&file, a.contents())?,
        }
    }
    for f in usage.findings(raised) {
        let fix = stackcraft::check::rule(f.rule).map_or("", |r| r.fix);
        eprintln!(
            "warning: [{} {}] {} (fix: {fix})",
            f.rule, f.severity, f.message
        );
    }
    Ok(())
}

/// `--check`: diffs and stale files, and the command that fixes them.
fn check(args: &Args, out: &Path, artifacts: &[Artifact]) -> anyhow::Result<ExitCode> {
    let drift = output::drift(out, artifacts)?;
    let stale = output::stale(out, artifacts)?;
    if drift.is_empty() && stale.is_empty() {
        eprintln!(
            "{} file(s) in {} are up to date",
            artifacts.len(),
            out.display()
        );
        return Ok(ExitCode::SUCCESS);
    }
    for d in &drift {
        print!("{}", d.diff);
    }
    for p in &stale {
        println!(
            "{}: not produced by a fresh synthesis (stale)",
            out.join(p).display()
        );
    }
    eprintln!(
        "{} of {} file(s) in {} differ from a fresh synthesis and {} file(s) are stale; run `{}`, delete the stale files and commit the result",
        drift.len(),
        artifacts.len(),
        out.display(),
        stale.len(),
        fix_command(args)
    );
    Ok(ExitCode::from(1))
}

/// The `synth` command that rewrites what `--check` compared: the same
/// blueprint, settings file and output directory.
fn fix_command(args: &Args) -> String {
    let mut cmd = String::from("stackcraft synth");
    match &args.blueprint {
        Some(b) => cmd += &format!(" {}", quote(Path::new(b))),
        None => cmd += " --all",
    }
    if let Some(config) = &args.config {
        cmd += &format!(" --config {}", quote(config));
    }
    for assignment in &args.set {
        cmd += &format!(" --set {}", quote(Path::new(assignment)));
    }
    if let Some(out) = &args.out {
        cmd += &format!(" --out {}", quote(out));
    }
    cmd
}

/// A path as a shell word: single-quoted unless it is plain.
fn quote(path: &Path) -> String {
    let s = path.display().to_string();
    if !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "/._-+=:,@".contains(c))
    {
        s
    } else {
        format!("'{}'", s.replace('\'', r"'\''"))
    }
}
