//! The command line under ordinary mistakes: stale output, unreadable files,
//! conflicting options, and hints that repeat what the user typed.

mod common;

use std::process::{Command, Output};

use common::{stackcraft, text};

#[test]
fn synth_check_reports_stale_files_synthesis_would_not_produce() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().to_str().unwrap();
    assert!(
        stackcraft(&["synth", "micro", "--out", out])
            .status
            .success()
    );
    let gone = dir.path().join("micro/billing.template.json");
    std::fs::write(&gone, "{}\n").unwrap();
    let check = stackcraft(&["synth", "micro", "--check", "--out", out]);
    assert_eq!(check.status.code(), Some(1), "{}", text(&check.stderr));
    let stdout = text(&check.stdout);
    assert!(
        stdout.contains("micro/billing.template.json: not produced by a fresh synthesis (stale)"),
        "{stdout}"
    );
    assert!(text(&check.stderr).contains("1 file(s) are stale"));
    // Writing warns about it too, and leaves it for the user to delete.
    let write = stackcraft(&["synth", "micro", "--out", out]);
    assert!(write.status.success());
    assert!(
        text(&write.stderr).contains("billing.template.json is not produced by this synthesis")
    );
}

#[test]
fn synth_check_surfaces_read_errors_instead_of_a_diff() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("todo.template.json")).unwrap();
    let out = dir.path().to_str().unwrap();
    let check = stackcraft(&["synth", "todo", "--check", "--out", out]);
    assert_eq!(check.status.code(), Some(2));
    let stderr = text(&check.stderr);
    assert!(stderr.contains("error: cannot read "), "{stderr}");
    assert!(text(&check.stdout).is_empty());
}

#[test]
fn a_directory_in_place_of_the_manifest_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().to_str().unwrap();
    std::fs::create_dir_all(dir.path().join("micro/manifest.json")).unwrap();
    let run = stackcraft(&["synth", "micro", "--out", out]);
    assert_eq!(run.status.code(), Some(2));
    assert!(
        text(&run.stderr).contains("manifest.json: it is a directory"),
        "{}",
        text(&run.stderr)
    );
    let left: Vec<_> = std::fs::read_dir(dir.path().join("micro"))
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(left, vec![std::ffi::OsString::from("manifest.json")]);
}

#[test]
fn the_check_hint_repeats_config_and_out() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("my settings.yaml");
    std::fs::write(&config, text(&stackcraft(&["settings", "todo"]).stdout)).unwrap();
    let out = dir.path().join("build");
    let check = stackcraft(&[
        "synth",
        "todo",
        "--check",
        "--config",
        config.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(check.status.code(), Some(1));
    let stderr = text(&check.stderr);
    let expected = format!(
        "run `stackcraft synth todo --config '{}' --out {}`",
        config.display(),
        out.display()
    );
    assert!(stderr.contains(&expected), "{stderr}");
}

#[test]
fn stdout_with_out_is_an_error() {
    let run = stackcraft(&["synth", "todo", "--stdout", "--out", "elsewhere"]);
    assert_eq!(run.status.code(), Some(2));
    assert!(
        text(&run.stderr).contains("cannot be used with"),
        "{}",
        text(&run.stderr)
    );
}

#[test]
fn check_todo_is_the_blueprint_even_beside_a_file_named_todo() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("todo"), "not: [a template").unwrap();
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_stackcraft"))
            .env(
                "STACKCRAFT_CACHE_DIR",
                concat!(env!("CARGO_TARGET_TMPDIR"), "/gate-cache"),
            )
            .args(args)
            .current_dir(dir.path())
            .output()
            .unwrap()
    };
    let blueprint = run(&["check", "todo"]);
    assert!(blueprint.status.success(), "{}", text(&blueprint.stderr));
    assert!(text(&blueprint.stdout).contains("1 template(s) checked"));
    let file = run(&["check", "./todo"]);
    assert_eq!(file.status.code(), Some(2));
    assert!(
        text(&file.stderr).contains("./todo:1:"),
        "{}",
        text(&file.stderr)
    );
    let unknown = run(&["check", "todoo"]);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(
        text(&unknown.stderr)
            .contains("\"todoo\" is not a blueprint (todo, blog, micro); to check a file of that name, write ./todoo"),
        "{}",
        text(&unknown.stderr)
    );
}

#[test]
fn io_errors_print_their_cause_once() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("todo.template.json")).unwrap();
    let out = dir.path().to_str().unwrap();
    let check = stackcraft(&["synth", "todo", "--check", "--out", out]);
    let stderr = text(&check.stderr);
    assert_eq!(stderr.matches("(os error").count(), 1, "{stderr}");
    let missing = stackcraft(&["synth", "todo", "--config", "/nonexistent/x.yaml"]);
    let stderr = text(&missing.stderr);
    assert_eq!(stderr.matches("(os error").count(), 1, "{stderr}");
}

#[test]
fn top_level_help_has_examples() {
    let help = stackcraft(&["--help"]);
    let stdout = text(&help.stdout);
    assert!(stdout.contains("Examples:"), "{stdout}");
    assert!(
        stdout.contains("stackcraft synth micro --config my.yaml"),
        "{stdout}"
    );
}

#[test]
fn a_three_line_settings_file_changes_one_value_and_keeps_the_defaults() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("mine.yaml");
    std::fs::write(
        &config,
        "# Three zones instead of two.\nnetwork:\n  az_count: 3\n",
    )
    .unwrap();
    let mine = stackcraft(&[
        "synth",
        "todo",
        "--stdout",
        "--config",
        config.to_str().unwrap(),
    ]);
    assert!(mine.status.success(), "{}", text(&mine.stderr));
    let set = stackcraft(&["synth", "todo", "--stdout", "--set", "network.az_count=3"]);
    assert!(set.status.success(), "{}", text(&set.stderr));
    let defaults = stackcraft(&["synth", "todo", "--stdout"]);
    assert_eq!(mine.stdout, set.stdout);
    assert_ne!(mine.stdout, defaults.stdout);
    let subnets = |o: &Output| text(&o.stdout).matches("\"AWS::EC2::Subnet\"").count();
    assert!(subnets(&defaults) > 0);
    assert_eq!(subnets(&defaults) * 3, subnets(&mine) * 2);
}

#[test]
fn set_errors_name_set_and_the_key() {
    let run = stackcraft(&["synth", "todo", "--stdout", "--set", "network.az_count=9"]);
    assert_eq!(run.status.code(), Some(2));
    let stderr = text(&run.stderr);
    assert!(
        stderr.contains(
            "error: --set:1:18: network.az_count: expected an integer from 2 to 3, found 9"
        ),
        "{stderr}"
    );
    let run = stackcraft(&["synth", "todo", "--stdout", "--set", "network.az_cnt=3"]);
    assert!(
        text(&run.stderr).contains("--set:1:"),
        "{}",
        text(&run.stderr)
    );
    assert!(
        text(&run.stderr).contains("unknown field `az_cnt`"),
        "{}",
        text(&run.stderr)
    );
}

#[test]
fn settings_errors_in_a_partial_file_point_at_the_users_line() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("mine.yaml");
    std::fs::write(&config, "network:\n  az_count: 2\n  az_count: 3\n").unwrap();
    let run = stackcraft(&["synth", "todo", "--config", config.to_str().unwrap()]);
    let stderr = text(&run.stderr);
    assert!(
        stderr.contains(&format!(
            "{}:3:3: key \"az_count\" appears twice (first at line 2); keep one",
            config.display()
        )),
        "{stderr}"
    );
    assert!(!stderr.contains("?:"), "{stderr}");
}

#[test]
fn graph_todo_is_the_blueprint_even_beside_a_file_named_todo() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("todo"), "not: [a template").unwrap();
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_stackcraft"))
            .env(
                "STACKCRAFT_CACHE_DIR",
                concat!(env!("CARGO_TARGET_TMPDIR"), "/gate-cache"),
            )
            .args(args)
            .current_dir(dir.path())
            .output()
            .unwrap()
    };
    let blueprint = run(&["graph", "todo"]);
    assert!(blueprint.status.success(), "{}", text(&blueprint.stderr));
    assert!(text(&blueprint.stdout).contains("TodoApi"));
    let file = run(&["graph", "./todo"]);
    assert_eq!(file.status.code(), Some(2), "{}", text(&file.stderr));
    let unknown = run(&["graph", "todoo"]);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(
        text(&unknown.stderr).contains("./todoo"),
        "{}",
        text(&unknown.stderr)
    );
}
