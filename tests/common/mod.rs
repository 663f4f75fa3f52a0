//! What the command-line test files share: running the real binary and
//! reading what it printed.
// Each test file is a crate of its own and uses only some of these.
#![allow(dead_code)]

use std::path::Path;
use std::process::{Command, Output};

/// Runs `stackcraft` with `args` from the package root (where `out/` and
/// `tests/` are), as a user in a checkout would.
pub fn stackcraft(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_stackcraft"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(args)
        .output()
        .expect("the binary runs")
}

/// Output bytes as text.
pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// `stackcraft synth BLUEPRINT --config CONFIG --out OUT`.
pub fn synth_with(blueprint: &str, config: &Path, out: &Path) -> Output {
    stackcraft(&[
        "synth",
        blueprint,
        "--config",
        config.to_str().expect("UTF-8 path"),
        "--out",
        out.to_str().expect("UTF-8 path"),
    ])
}
