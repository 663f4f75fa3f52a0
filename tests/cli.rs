//! The command line as a user meets it: the real binary, its output and exit
//! codes, for what is common to every blueprint.

mod common;

use common::{stackcraft, synth_with, text};

#[test]
fn list_names_every_blueprint_with_a_description() {
    let out = stackcraft(&["list"]);
    assert!(out.status.success());
    let stdout = text(&out.stdout);
    insta::assert_snapshot!(stdout);
}

#[test]
fn settings_prints_the_embedded_defaults() {
    // Each blueprint joins this list as its defaults land.
    let names: &[&str] = &["todo", "blog", "micro"];
    for name in names {
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

#[test]
fn synth_writes_the_template_and_check_then_passes() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().to_str().unwrap();
    let run = stackcraft(&["synth", "todo", "--out", out]);
    assert!(run.status.success(), "{}", text(&run.stderr));
    assert!(text(&run.stderr).contains("wrote"), "{}", text(&run.stderr));
    let written = std::fs::read_to_string(dir.path().join("todo.template.json")).unwrap();
    let printed = stackcraft(&["synth", "todo", "--stdout"]);
    assert_eq!(text(&printed.stdout), written);
    let check = stackcraft(&["synth", "todo", "--check", "--out", out]);
    assert!(check.status.success(), "{}", text(&check.stderr));
}

#[test]
fn check_reports_drift_as_a_diff_with_exit_1() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().to_str().unwrap();
    assert!(
        stackcraft(&["synth", "todo", "--out", out])
            .status
            .success()
    );
    let path = dir.path().join("todo.template.json");
    let edited = std::fs::read_to_string(&path).unwrap().replacen(
        "\"RetentionInDays\": 90",
        "\"RetentionInDays\": 7",
        1,
    );
    std::fs::write(&path, edited).unwrap();
    let check = stackcraft(&["synth", "todo", "--check", "--out", out]);
    assert_eq!(check.status.code(), Some(1));
    let diff = text(&check.stdout);
    assert!(
        diff.contains("-      \"Properties\": {\"RetentionInDays\": 7,"),
        "{diff}"
    );
    assert!(
        diff.contains("+      \"Properties\": {\"RetentionInDays\": 90,"),
        "{diff}"
    );
    assert!(text(&check.stderr).contains("differ from a fresh synthesis"));
}

#[test]
fn bad_settings_exit_2_and_write_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("bad.yaml");
    let text_in = stackcraft(&["settings", "todo"]).stdout;
    let bad = String::from_utf8(text_in)
        .unwrap()
        .replace("  az_count: 2", "  az_count: 9");
    std::fs::write(&config, bad).unwrap();
    let out = dir.path().join("out");
    let run = synth_with("todo", &config, &out);
    assert_eq!(run.status.code(), Some(2));
    let stderr = text(&run.stderr);
    assert!(stderr.contains("bad.yaml:"), "{stderr}");
    assert!(
        stderr.contains("network.az_count: expected an integer from 2 to 3, found 9"),
        "{stderr}"
    );
    assert!(!out.exists(), "nothing may be written");
}

#[test]
fn yaml_syntax_errors_give_the_position() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("broken.yaml");
    std::fs::write(&config, "name: x\ntable: [\n").unwrap();
    let run = stackcraft(&[
        "synth",
        "todo",
        "--config",
        config.to_str().unwrap(),
        "--stdout",
    ]);
    assert_eq!(run.status.code(), Some(2));
    let stderr = text(&run.stderr);
    assert!(stderr.contains("broken.yaml:2:"), "{stderr}");
}

#[test]
fn an_unwritable_output_directory_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let blocker = dir.path().join("file");
    std::fs::write(&blocker, "x").unwrap();
    let run = stackcraft(&["synth", "todo", "--out", blocker.to_str().unwrap()]);
    assert_eq!(run.status.code(), Some(2));
    let stderr = text(&run.stderr);
    assert!(
        stderr.contains(&format!(
            "error: cannot create directory {}: a file is in the way",
            blocker.display()
        )),
        "{stderr}"
    );
}
