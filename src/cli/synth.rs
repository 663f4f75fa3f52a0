//! `stackcraft synth`.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, bail};
use stackcraft::blueprints::Blueprint;
use stackcraft::output::{self, Artifact};

use super::BlueprintArg;

#[derive(Debug, clap::Args)]
#[command(group(clap::ArgGroup::new("which").required(true).args(["blueprint", "all"])))]
pub struct Args {
    /// The blueprint to synthesize.
    blueprint: Option<BlueprintArg>,
    /// Synthesize every blueprint.
    #[arg(long)]
    all: bool,
    /// A settings file replacing the blueprint's defaults (see `stackcraft settings`).
    #[arg(long, short, value_name = "FILE", conflicts_with = "all")]
    config: Option<PathBuf>,
    /// Where to write the files.
    #[arg(long, value_name = "DIR", default_value = "out")]
    out: PathBuf,
    /// Print the files instead of writing them.
    #[arg(long, conflicts_with = "check")]
    stdout: bool,
    /// Write nothing; exit 1 with a diff when the files in --out differ from a fresh synthesis.
    #[arg(long)]
    check: bool,
}

pub fn exec(args: Args) -> anyhow::Result<ExitCode> {
    let blueprints: Vec<Blueprint> = match args.blueprint {
        Some(b) => vec![b.into()],
        None => Blueprint::ALL.to_vec(),
    };
    let config = match &args.config {
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("cannot read settings file {}", path.display()))?;
            Some((path.display().to_string(), text))
        }
        None => None,
    };

    // Everything is synthesized (and checked) before anything is written.
    let mut artifacts: Vec<Artifact> = Vec::new();
    for b in &blueprints {
        let settings = config.as_ref().map(|(f, t)| (f.as_str(), t.as_str()));
        artifacts.extend(b.synth(settings)?);
    }

    if args.stdout {
        let many = artifacts.len() > 1;
        for a in &artifacts {
            if many {
                println!("==> {} <==", a.path.display());
            }
            print!("{}", a.contents);
        }
        return Ok(ExitCode::SUCCESS);
    }

    if args.check {
        let drift = output::drift(&args.out, &artifacts);
        if drift.is_empty() {
            eprintln!(
                "{} file(s) in {} are up to date",
                artifacts.len(),
                args.out.display()
            );
            return Ok(ExitCode::SUCCESS);
        }
        for d in &drift {
            print!("{}", d.diff);
        }
        eprintln!(
            "{} of {} file(s) in {} differ from a fresh synthesis; run `stackcraft synth {}` and commit the result",
            drift.len(),
            artifacts.len(),
            args.out.display(),
            match args.blueprint {
                Some(_) => blueprints[0].name(),
                None => "--all",
            }
        );
        return Ok(ExitCode::from(1));
    }

    if artifacts.is_empty() {
        bail!("nothing was synthesized");
    }
    output::write_all(&args.out, &artifacts)?;
    for a in &artifacts {
        eprintln!("wrote {}", args.out.join(&a.path).display());
    }
    Ok(ExitCode::SUCCESS)
}
