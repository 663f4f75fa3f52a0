//! `stackcraft graph`.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, bail};
use serde_json::Value;
use stackcraft::blueprints::{AnyBlueprint, Artifact, Registry};
use stackcraft::check::parse::parse_template;
use stackcraft::graph::{self, Detail};

use super::{is_file_target, read_config};

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    /// A Mermaid flowchart (renders on GitHub).
    Mermaid,
    /// Graphviz DOT.
    Dot,
    /// An SVG picture, laid out by stackcraft.
    Svg,
    /// Nodes and edges as JSON.
    Json,
}

impl Format {
    fn extension(self) -> &'static str {
        match self {
            Format::Mermaid => "mmd",
            Format::Dot => "dot",
            Format::Svg => "svg",
            Format::Json => "json",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum DetailArg {
    /// Components and how data and requests flow between them.
    Flows,
    /// Every resource and every reference.
    Resources,
}

#[derive(Debug, clap::Args)]
#[command(group(clap::ArgGroup::new("what").required(true).args(["targets", "all"])))]
pub struct Args {
    /// A blueprint (todo, blog, micro), or template files (JSON or YAML) drawn
    /// together as one picture, a stack per file. A target with a `.` or `/`
    /// in it is a file (`./todo` for a file named todo).
    #[arg(value_name = "BLUEPRINT|FILE")]
    targets: Vec<String>,
    /// Draw every blueprint, a picture each.
    #[arg(long, conflicts_with = "targets")]
    all: bool,
    /// A settings file replacing the blueprint's defaults.
    #[arg(long, short, value_name = "FILE", conflicts_with = "all")]
    config: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value = "mermaid")]
    format: Format,
    /// Write `<name>.<ext>` files into DIR instead of printing.
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
    /// What to draw.
    #[arg(long, value_enum, default_value = "flows")]
    detail: DetailArg,
}

/// One picture: its file name stem and its stacks.
type Picture = (String, Vec<(String, Value)>);

pub fn exec(args: Args, registry: &Registry) -> anyhow::Result<ExitCode> {
    let detail = match args.detail {
        DetailArg::Flows => Detail::Flows,
        DetailArg::Resources => Detail::Resources,
    };
    let pictures = pictures(&args, registry)?;
    let artifacts: Vec<Artifact> = pictures
        .iter()
        .map(|(name, stacks)| {
            let g = graph::build(stacks, detail);
            let text = match args.format {
                Format::Mermaid => graph::mermaid(&g),
                Format::Dot => graph::dot(&g),
                Format::Svg => graph::svg(&g),
                Format::Json => graph::json(&g),
            };
            Artifact::new(format!("{name}.{}", args.format.extension()), text)
        })
        .collect();
    match &args.out {
        Some(dir) => {
            let written = stackcraft::synth::write(dir, &artifacts)?;
            for p in &written.changed {
                eprintln!("wrote {}", dir.join(p).display());
            }
            if written.unchanged > 0 {
                eprintln!(
                    "{} file(s) unchanged in {}",
                    written.unchanged,
                    dir.display()
                );
            }
        }
        None => {
            let many = artifacts.len() > 1;
            for a in &artifacts {
                if many {
                    println!("==> {} <==", a.path.display());
                }
                print!("{}", a.contents());
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The pictures to draw: one per blueprint, and one for all the files.
fn pictures(args: &Args, registry: &Registry) -> anyhow::Result<Vec<Picture>> {
    let mut blueprints: Vec<&dyn AnyBlueprint> = Vec::new();
    let mut files: Vec<&String> = Vec::new();
    if args.all {
        blueprints.extend(registry.iter());
    }
    for t in &args.targets {
        if is_file_target(t) {
            files.push(t);
            continue;
        }
        match registry.get(t) {
            Some(b) => blueprints.push(b),
            None => bail!(
                "{t:?} is not a blueprint ({}); to draw a file of that name, write ./{t}",
                registry.names()
            ),
        }
    }
    if args.config.is_some() && (blueprints.len() != 1 || !files.is_empty()) {
        bail!("--config applies to exactly one blueprint");
    }
    let config = read_config(args.config.as_deref())?;
    let mut out = Vec::new();
    for b in blueprints {
        let mut layers = b.defaults();
        if let Some((file, text)) = &config {
            layers = layers.file(file, text);
        }
        let synthesis = stackcraft::synth::synthesize(b, &layers)?;
        let stacks = graph::stacks_of(&synthesis.artifacts)?;
        out.push((b.name().to_owned(), stacks));
    }
    if !files.is_empty() {
        let mut stacks = Vec::new();
        for f in &files {
            let text = std::fs::read_to_string(f).with_context(|| format!("cannot read {f}"))?;
            // Node ids are `stack.LogicalId`: two files with one stem
            // (a/app.yaml, b/app.yaml) get distinct stack names.
            let stem = graph::stack_name(f);
            let mut name = stem.clone();
            let mut n = 1;
            while stacks.iter().any(|(s, _)| *s == name) {
                n += 1;
                name = format!("{stem}-{n}");
            }
            stacks.push((name, parse_template(f, &text)?));
        }
        let name = match files.as_slice() {
            [one] => graph::stack_name(one),
            _ => "graph".to_owned(),
        };
        out.push((name, stacks));
    }
    Ok(out)
}
