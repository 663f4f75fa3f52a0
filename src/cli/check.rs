//! `stackcraft check`.

use std::process::ExitCode;

use anyhow::{Context, bail};
use stackcraft::blueprints::{AnyBlueprint, Registry};
use stackcraft::check::quotas::{Raised, Usage};
use stackcraft::check::{self, Report, report};

use super::is_file_target;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    /// One line per finding.
    Human,
    /// Findings, waivers and a summary as JSON.
    Json,
    /// SARIF 2.1.0, for code scanning.
    Sarif,
}

#[derive(Debug, clap::Args)]
#[command(group(clap::ArgGroup::new("what").required(true).args(["targets", "all"])))]
pub struct Args {
    /// Blueprints (todo, blog, micro) to synthesize and check, or template files (JSON or
    /// YAML). A target with a `.` or `/` in it is a file (`./todo` for a file named todo);
    /// any other is a blueprint's name.
    #[arg(value_name = "BLUEPRINT|FILE")]
    targets: Vec<String>,
    /// Check every blueprint.
    #[arg(long)]
    all: bool,
    /// Output format.
    #[arg(long, value_enum, default_value = "human")]
    format: Format,
    /// An account quota raised above AWS's default, by id or name, e.g.
    /// `--quota elasticloadbalancing/application-load-balancers=200`
    /// (repeatable): all templates checked together are held against it.
    #[arg(long = "quota", value_name = "QUOTA=VALUE")]
    quotas: Vec<String>,
}

pub fn exec(args: Args, registry: &Registry) -> anyhow::Result<ExitCode> {
    let raised = raised(&args.quotas)?;
    let mut usage = Usage::default();
    let mut report = Report::default();
    let mut files = 0;
    let mut blueprints: Vec<&dyn AnyBlueprint> = Vec::new();
    let mut paths: Vec<String> = Vec::new();
    if args.all {
        blueprints.extend(registry.iter());
    }
    for t in &args.targets {
        if is_file_target(t) {
            paths.push(t.clone());
            continue;
        }
        match registry.get(t) {
            Some(b) => blueprints.push(b),
            None => anyhow::bail!(
                "{t:?} is not a blueprint ({}); to check a file of that name, write ./{t}",
                registry.names()
            ),
        }
    }
    for b in blueprints {
        // Synthesis already refuses error-level findings; this reports all.
        for artifact in b.build_layers(&b.defaults())?.artifacts {
            if artifact.is_template() {
                let name = label(&artifact);
                let report_one = check::check_text(&name, artifact.contents())?;
                report.extend(report_one);
                usage.add_json(&name, artifact.contents())?;
                files += 1;
            }
        }
    }
    // One unreadable file does not hide the findings of the others: it is
    // reported on stderr, the rest are checked, and the exit code is 2.
    let mut unreadable = 0;
    for path in paths {
        match read_and_check(&path, &mut usage) {
            Ok(one) => {
                report.extend(one);
                files += 1;
            }
            Err(e) => {
                eprintln!("error: {e:#}");
                unreadable += 1;
            }
        }
    }
    // Quotas span stacks: every template of the run is one account's
    // Region.
    report.findings.extend(usage.findings(&raised));
    let out = match args.format {
        Format::Human => report::human(&report, files),
        Format::Json => report::json(&report, files),
        Format::Sarif => report::sarif(&report),
    };
    print!("{out}");
    if unreadable > 0 {
        eprintln!("error: {unreadable} file(s) could not be read as templates");
        return Ok(ExitCode::from(2));
    }
    Ok(if report.errors() > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// Reads and checks one template file, and adds what it asks for to `usage`.
fn read_and_check(path: &str, usage: &mut Usage) -> anyhow::Result<Report> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read template {path}"))?;
    let template = check::parse::parse_template(path, &text)?;
    usage.add(path, &template);
    Ok(check::check_template(path, text.len(), &template))
}

/// `--quota KEY=VALUE` flags as raised quotas.
fn raised(flags: &[String]) -> anyhow::Result<Raised> {
    let mut raised = Raised::default();
    for flag in flags {
        let parsed = flag
            .split_once('=')
            .and_then(|(k, v)| Some((k.trim(), v.trim().parse::<u64>().ok()?)));
        let Some((key, value)) = parsed else {
            bail!(
                "--quota {flag:?}: expected QUOTA=VALUE with a whole number, such as vpc/vpcs=20"
            );
        };
        raised
            .insert(key, value)
            .map_err(|m| anyhow::anyhow!("--quota {flag:?}: {m}"))?;
    }
    Ok(raised)
}

/// A synthesized template's name in reports: its path in the output
/// directory (`todo.template.json`, `micro/orders.template.json`).
fn label(artifact: &stackcraft::blueprints::Artifact) -> String {
    artifact.path.display().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_with_a_dot_or_slash_are_files() {
        assert!(is_file_target("./todo"));
        assert!(is_file_target("todo.yaml"));
        assert!(is_file_target("dir/todo"));
        assert!(!is_file_target("todo"));
    }

    #[test]
    fn synthesized_templates_are_labelled_as_in_the_output_directory() {
        let labels: Vec<String> = stackcraft::blueprints::BuiltIn::ALL
            .iter()
            .flat_map(|b| b.synth_unchecked(None).unwrap())
            .map(|a| label(&a))
            .collect();
        assert!(
            labels.contains(&"todo.template.json".to_owned()),
            "{labels:?}"
        );
        assert!(
            labels.contains(&"micro/orders.template.json".to_owned()),
            "{labels:?}"
        );
        assert!(
            labels
                .iter()
                .all(|l| !l.contains("micro/micro/") && !l.starts_with("todo/"))
        );
    }
}
