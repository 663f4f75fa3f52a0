//! Every generated template in out/ passes cfn-lint with zero errors, zero
//! warnings and zero informational findings.
//!
//! cfn-lint comes from the test venv (`scripts/test.sh` sets
//! `STACKCRAFT_CFN_LINT`); without it this test fails rather than skips.

use std::path::{Path, PathBuf};
use std::process::Command;

fn templates(dir: &Path, found: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("out/ exists") {
        let path = entry.unwrap().path();
        if path.is_dir() {
            templates(&path, found);
        } else if path.to_string_lossy().ends_with(".template.json") {
            found.push(path);
        }
    }
}

#[test]
fn every_template_in_out_passes_cfn_lint() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    templates(&root.join("out"), &mut files);
    files.sort();
    assert!(!files.is_empty(), "no templates in out/");

    let cfn_lint = std::env::var("STACKCRAFT_CFN_LINT").unwrap_or_else(|_| "cfn-lint".into());
    let output = Command::new(&cfn_lint)
        .args(["--format", "parseable", "--"])
        .args(&files)
        .output()
        .unwrap_or_else(|e| {
            panic!("cannot run {cfn_lint} ({e}); run scripts/test.sh, which installs it")
        });
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    // cfn-lint's exit code is a bit set: 2 errors, 4 warnings, 8 informational.
    assert!(
        output.status.success() && stdout.trim().is_empty(),
        "cfn-lint found problems (exit {:?}) in {} file(s):\n{stdout}{stderr}",
        output.status.code(),
        files.len()
    );
}
