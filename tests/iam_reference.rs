//! The generated list of IAM actions that accept only `Resource: "*"`
//! (src/check/data/iam_star_only.txt) matches the AWS Service Authorization
//! Reference of the installed cfn-lint: regenerate it with
//! `python3 scripts/gen_iam_star_only.py` when this fails.
//!
//! Python comes from the test venv (`scripts/test.sh` sets
//! `STACKCRAFT_CFN_LINT`, whose directory holds it), else `python3`.

use std::path::Path;
use std::process::Command;

#[test]
fn generated_iam_action_list_has_not_drifted() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let python = std::env::var("STACKCRAFT_CFN_LINT")
        .ok()
        .and_then(|lint| Path::new(&lint).parent().map(|d| d.join("python")))
        .filter(|p| p.exists())
        .map_or_else(|| "python3".into(), |p| p.display().to_string());
    let out = Command::new(&python)
        .arg(root.join("scripts/gen_iam_star_only.py"))
        .arg("--check")
        .output()
        .unwrap_or_else(|e| panic!("cannot run {python} ({e}); run scripts/test.sh"));
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}
