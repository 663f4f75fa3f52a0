//! The command line as a user meets it: the real binary, its output and exit
//! codes, for what is common to every blueprint.

use std::process::{Command, Output};

fn stackcraft(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_stackcraft"))
        .args(args)
        .output()
        .expect("the binary runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn list_names_every_blueprint_with_a_description() {
    let out = stackcraft(&["list"]);
    assert!(out.status.success());
    let stdout = text(&out.stdout);
    insta::assert_snapshot!(stdout);
}

#[test]
fn settings_prints_the_embedded_defaults() {
    for name in ["todo", "blog", "micro"] {
        let out = stackcraft(&["settings", name]);
        assert!(out.status.success());
        let expected = std::fs::read_to_string(format!(
            "{}/blueprints/{name}.yaml",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap();
        assert_eq!(text(&out.stdout), expected);
    }
}

#[test]
fn unknown_blueprint_is_refused_with_the_known_ones() {
    let out = stackcraft(&["synth", "shop"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert!(stderr.contains("invalid value 'shop'"), "{stderr}");
    assert!(stderr.contains("todo, blog, micro"), "{stderr}");
}

#[test]
fn synth_needs_a_blueprint_or_all() {
    let out = stackcraft(&["synth"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("--all"), "{}", text(&out.stderr));
}

#[test]
fn config_cannot_apply_to_all_blueprints() {
    let out = stackcraft(&["synth", "--all", "--config", "x.yaml"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("cannot be used with"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn a_missing_settings_file_is_named() {
    let out = stackcraft(&["synth", "todo", "--config", "/nonexistent/settings.yaml"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("cannot read settings file /nonexistent/settings.yaml"),
        "{stderr}"
    );
}
