//! `stackcraft check` as a user runs it: formats, exit codes, bad input.

mod common;

use common::{stackcraft, synth_with, text};

const BROKEN: &str = "tests/check/broken/network_db.yaml";

#[test]
fn blueprints_pass_with_their_waivers_listed() {
    let out = stackcraft(&["check", "--all"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
    let stdout = text(&out.stdout);
    assert!(stdout.contains("0 error(s), 0 warning(s)"), "{stdout}");
    assert!(stdout.contains("[SC-LIM-005 waived]"), "{stdout}");
}

#[test]
fn human_output_names_file_resource_path_rule_and_fix() {
    let out = stackcraft(&["check", BROKEN]);
    assert_eq!(out.status.code(), Some(1));
    insta::assert_snapshot!(text(&out.stdout));
}

#[test]
fn json_output() {
    let out = stackcraft(&["check", "--format", "json", BROKEN]);
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["summary"]["errors"], 4);
    assert_eq!(v["findings"][0]["file"], BROKEN);
    insta::assert_snapshot!(text(&out.stdout));
}

#[test]
fn sarif_output() {
    let out = stackcraft(&["check", "--format", "sarif", BROKEN]);
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["version"], "2.1.0");
    let run = &v["runs"][0];
    assert!(run["tool"]["driver"]["rules"].as_array().unwrap().len() >= 30);
    let results = run["results"].as_array().unwrap();
    assert_eq!(results.len(), 4);
    assert_eq!(
        results[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        BROKEN
    );
    let index = results[0]["ruleIndex"].as_u64().unwrap() as usize;
    assert_eq!(
        run["tool"]["driver"]["rules"][index]["id"],
        results[0]["ruleId"]
    );
}

#[test]
fn warnings_alone_exit_0() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("t.json");
    std::fs::write(
        &file,
        r#"{"Parameters": {"Unused": {"Type": "String"}}, "Resources": {}}"#,
    )
    .unwrap();
    let out = stackcraft(&["check", file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0));
    assert!(text(&out.stdout).contains("[SC-INT-005 warning]"));
}

#[test]
fn unreadable_and_malformed_files_exit_2() {
    let out = stackcraft(&["check", "/nonexistent/template.json"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("cannot read template /nonexistent/template.json"));

    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("bad.yaml");
    std::fs::write(&file, "Resources:\n  A: [1, 2\n").unwrap();
    let out = stackcraft(&["check", file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("bad.yaml:"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn invalid_logical_id_renames_are_refused_before_writing() {
    let settings = text(&stackcraft(&["settings", "todo"]).stdout)
        .replace("logical_ids: {}", "logical_ids: {TodoTable: Todo-Table}");
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("s.yaml");
    std::fs::write(&config, settings).unwrap();
    let out_dir = dir.path().join("out");
    let out = synth_with("todo", &config, &out_dir);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("logical_ids: cannot rename \"TodoTable\" to \"Todo-Table\""),
        "{}",
        text(&out.stderr)
    );
    assert!(!out_dir.exists());
}

#[test]
fn what_is_not_a_template_exits_2_naming_the_problem() {
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        ("empty.yaml", "", "found nothing"),
        ("scalar.yaml", "hello\n", "found a string"),
        ("list.json", "[1, 2]", "found a list"),
        ("nores.yaml", "Parameters: {}\n", "no Resources section"),
        (
            "notype.yaml",
            "Resources:\n  A:\n    Properties: {}\n",
            "Resources.A: the resource has no Type",
        ),
        (
            "dup.json",
            "{\"Resources\": {\"A\": {\"Type\": \"X\"}, \"A\": {\"Type\": \"Y\"}}}",
            "duplicate key \"A\"",
        ),
        (
            "two.yaml",
            "Resources: {A: {Type: X}}\n---\nResources: {B: {Type: X}}\n",
            "second YAML document",
        ),
    ];
    for (name, body, want) in cases {
        let file = dir.path().join(name);
        std::fs::write(&file, body).unwrap();
        let out = stackcraft(&["check", file.to_str().unwrap()]);
        assert_eq!(out.status.code(), Some(2), "{name}: {}", text(&out.stdout));
        let stderr = text(&out.stderr);
        assert!(
            stderr.contains(name) && stderr.contains(want),
            "{name}: {stderr}"
        );
    }
}

#[test]
fn one_unreadable_file_does_not_hide_the_others() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.yaml");
    std::fs::write(&bad, "Resources: [\n").unwrap();
    let out = stackcraft(&[
        "check",
        bad.to_str().unwrap(),
        "/nonexistent/t.json",
        BROKEN,
    ]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert!(stderr.contains("bad.yaml:"), "{stderr}");
    assert!(
        stderr.contains("cannot read template /nonexistent/t.json"),
        "{stderr}"
    );
    assert!(stderr.contains("2 file(s) could not be read"), "{stderr}");
    let stdout = text(&out.stdout);
    assert!(stdout.contains("[SC-DB-001 error]"), "{stdout}");
    assert!(stdout.contains("1 template(s) checked"), "{stdout}");
}
