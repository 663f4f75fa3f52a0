//! `overrides:` from the command line: `synth` writes the overridden
//! template, `graph` draws from it, a bad override exits 2 with its location
//! and writes nothing.

mod common;

use common::{stackcraft, synth_with, text};

const GOOD: &str = "overrides:\n  todo:\n    TodoTable:\n      Properties.TableClass: STANDARD_INFREQUENT_ACCESS\n    UserFilesBucket:\n      Properties.Tags[1]: {Key: team, Value: files}\n";

#[test]
fn synth_writes_the_overridden_template_and_graph_reads_it() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("my.yaml");
    std::fs::write(&config, GOOD).unwrap();
    let out_dir = dir.path().join("out");
    let run = synth_with("todo", &config, &out_dir);
    assert!(run.status.success(), "{}", text(&run.stderr));
    let written = std::fs::read_to_string(out_dir.join("todo.template.json")).unwrap();
    assert!(written.contains("\"TableClass\": \"STANDARD_INFREQUENT_ACCESS\""));
    assert!(written.contains("{\"Key\": \"team\", \"Value\": \"files\"}"));
    let graph = stackcraft(&["graph", "todo", "--config", config.to_str().unwrap()]);
    assert!(graph.status.success(), "{}", text(&graph.stderr));
}

#[test]
fn a_bad_override_exits_2_with_its_place_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("my.yaml");
    let bad = GOOD.replace("TableClass", "TableKlass");
    std::fs::write(&config, bad).unwrap();
    let out_dir = dir.path().join("out");
    let run = synth_with("todo", &config, &out_dir);
    assert_eq!(run.status.code(), Some(2));
    let err = text(&run.stderr);
    assert!(
        err.contains("my.yaml:4:7: overrides.todo.TodoTable.Properties.TableKlass: AWS::DynamoDB::Table has no property \"TableKlass\""),
        "{err}"
    );
    assert!(!out_dir.exists());
    let graph = stackcraft(&["graph", "todo", "--config", config.to_str().unwrap()]);
    assert_eq!(graph.status.code(), Some(2));
}

/// `Snapshot` is refused where CloudFormation takes no snapshot (a DynamoDB
/// table), with the place and what the type takes, and accepted where it
/// does (micro's RDS instance).
#[test]
fn snapshot_is_refused_on_types_that_take_no_snapshot() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("snap.yaml");
    std::fs::write(
        &config,
        "overrides:\n  todo:\n    TodoTable:\n      DeletionPolicy: Snapshot\n",
    )
    .unwrap();
    let out_dir = dir.path().join("out");
    let run = synth_with("todo", &config, &out_dir);
    assert_eq!(run.status.code(), Some(2));
    let err = text(&run.stderr);
    assert!(
        err.contains("snap.yaml:4:23: overrides.todo.TodoTable.DeletionPolicy: AWS::DynamoDB::Table takes no final snapshot (Snapshot is valid only for AWS::DocDB::DBCluster, "),
        "{err}"
    );
    assert!(
        err.contains("): expected one of Delete, Retain, RetainExceptOnCreate"),
        "{err}"
    );
    assert!(!out_dir.exists());

    std::fs::write(
        &config,
        "overrides:\n  accounts:\n    Database:\n      UpdateReplacePolicy: Snapshot\n",
    )
    .unwrap();
    let ok = synth_with("micro", &config, &out_dir);
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
}
