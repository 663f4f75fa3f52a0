//! The committed registry artifact (data/registry.jsonl) is exactly what the
//! generator writes from the pinned cfn-lint's schemas.
//!
//! The generator runs in the test venv (`scripts/test.sh` installs the pinned
//! cfn-lint into `.venv` and sets `STACKCRAFT_PYTHON`); without it this test
//! fails rather than skips, as the cfn-lint test does.

use std::path::Path;
use std::process::Command;

#[test]
fn registry_artifact_matches_the_generator() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let python = std::env::var("STACKCRAFT_PYTHON")
        .unwrap_or_else(|_| root.join(".venv/bin/python").to_string_lossy().into_owned());
    let dir = tempfile::tempdir().unwrap();
    let fresh = dir.path().join("registry.jsonl");
    let output = Command::new(&python)
        .arg(root.join("scripts/gen_registry.py"))
        .arg("--out")
        .arg(&fresh)
        .output()
        .unwrap_or_else(|e| {
            panic!("cannot run {python} ({e}); run scripts/test.sh, which makes .venv")
        });
    assert!(
        output.status.success(),
        "the generator failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let committed = std::fs::read(root.join("data/registry.jsonl")).unwrap();
    let generated = std::fs::read(&fresh).unwrap();
    assert!(
        committed == generated,
        "data/registry.jsonl is out of date: run .venv/bin/python scripts/gen_registry.py and commit the result"
    );
}
