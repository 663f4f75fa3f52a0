//! Quotas that span stacks, from the command line: a generated `micro` whose
//! stacks are each fine alone but together exceed the account's default
//! Regional quotas warns in `synth` and `check`; a declared raised quota
//! silences it; the defaults do not warn.

use std::path::Path;
use std::process::{Command, Output};

#[path = "../benches/support/micro_services.rs"]
mod micro_services;

fn stackcraft(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_stackcraft"))
        .env(
            "STACKCRAFT_CACHE_DIR",
            concat!(env!("CARGO_TARGET_TMPDIR"), "/gate-cache"),
        )
        .args(args)
        .output()
        .expect("the binary runs")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// 120 services: 60 Application Load Balancers (default quota 50) and 30
/// RDS instances (default 40).
fn big(dir: &Path, extra: &str) -> String {
    let path = dir.join("big.yaml");
    std::fs::write(&path, micro_services::settings(120) + extra).unwrap();
    path.display().to_string()
}

#[test]
fn synth_warns_when_the_stacks_together_exceed_a_default_quota() {
    let dir = tempfile::tempdir().unwrap();
    let config = big(dir.path(), "");
    let o = stackcraft(&["synth", "micro", "--config", &config, "--stdout"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains("[SC-QUO-001 warning] 60 template(s) together ask for 60"),
        "{err}"
    );
    assert!(
        err.contains("\"Application Load Balancers per Region\" is 50"),
        "{err}"
    );
    // 30 RDS instances stay under their quota of 40.
    assert!(!err.contains("SC-QUO-002"), "{err}");
    // Written to disk too, with the same warning.
    let out = dir.path().join("out");
    let o = stackcraft(&[
        "synth",
        "micro",
        "--config",
        &config,
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(
        o.status.success() && stderr(&o).contains("SC-QUO-001"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn a_raised_quota_in_the_settings_silences_the_warning() {
    let dir = tempfile::tempdir().unwrap();
    let config = big(
        dir.path(),
        "quotas:\n  Application Load Balancers per Region: 200\n",
    );
    let o = stackcraft(&["synth", "micro", "--config", &config, "--stdout"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(!stderr(&o).contains("SC-QUO"), "{}", stderr(&o));
    // Lowered below what is asked for, it warns with the account's value.
    let config = big(
        dir.path(),
        "quotas:\n  elasticloadbalancing/application-load-balancers: 55\n",
    );
    let o = stackcraft(&["synth", "micro", "--config", &config, "--stdout"]);
    assert!(
        stderr(&o).contains("raised to 55 (default 50)"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn an_unknown_quota_is_an_error_at_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let config = big(dir.path(), "quotas:\n  load-balancers: 10\n");
    let o = stackcraft(&["synth", "micro", "--config", &config, "--stdout"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("big.yaml:"), "{err}");
    assert!(
        err.contains("quotas.load-balancers: expected a quota id or name"),
        "{err}"
    );
}

#[test]
fn the_defaults_do_not_warn() {
    let o = stackcraft(&[
        "synth",
        "--all",
        "--out",
        tempfile::tempdir().unwrap().path().to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(!stderr(&o).contains("SC-QUO"), "{}", stderr(&o));
    let o = stackcraft(&["check", "--all"]);
    assert!(!String::from_utf8_lossy(&o.stdout).contains("SC-QUO"));
}

#[test]
fn check_adds_up_every_file_it_is_given() {
    let dir = tempfile::tempdir().unwrap();
    let config = big(dir.path(), "");
    let out = dir.path().join("out");
    let o = stackcraft(&[
        "synth",
        "micro",
        "--config",
        &config,
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let mut files: Vec<String> = std::fs::read_dir(out.join("micro"))
        .unwrap()
        .map(|e| e.unwrap().path().display().to_string())
        .filter(|p| p.ends_with(".template.json"))
        .collect();
    files.sort();
    let mut args: Vec<&str> = vec!["check", "--format", "json"];
    args.extend(files.iter().map(String::as_str));
    let o = stackcraft(&args);
    let report: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let quota: Vec<&serde_json::Value> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "SC-QUO-001")
        .collect();
    assert_eq!(quota.len(), 1, "{report}");
    assert_eq!(quota[0]["severity"], "warning");
    assert_eq!(
        quota[0]["path"],
        "elasticloadbalancing/application-load-balancers"
    );
    // One file alone is fine; a raised quota silences the sum.
    let o = stackcraft(&["check", &files[0]]);
    assert!(!String::from_utf8_lossy(&o.stdout).contains("SC-QUO"));
    args.push("--quota");
    args.push("elasticloadbalancing/application-load-balancers=100");
    let o = stackcraft(&args);
    assert!(!String::from_utf8_lossy(&o.stdout).contains("SC-QUO"));
    let o = stackcraft(&["check", &files[0], "--quota", "nope=1"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("expected a quota id or name"),
        "{}",
        stderr(&o)
    );
}
