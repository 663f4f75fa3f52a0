//! Every generated template in out/ passes cfn-lint with zero errors, zero
//! warnings and zero informational findings.
//!
//! cfn-lint comes from the test venv (`scripts/test.sh` sets
//! `STACKCRAFT_CFN_LINT`); without it this test fails rather than skips.

use std::path::{Path, PathBuf};
mod common;

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

    common::assert_cfn_lint_clean(&files);
}
