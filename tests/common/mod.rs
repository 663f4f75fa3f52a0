//! What the command-line test files share: running the real binary and
//! reading what it printed.
// Each test file is a crate of its own and uses only some of these.
#![allow(dead_code)]

use std::path::Path;
use std::process::{Command, Output};

/// Runs `stackcraft` with `args` from the package root (where `out/` and
/// `tests/` are), as a user in a checkout would.
pub fn stackcraft(args: &[&str]) -> Output {
    command()
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(args)
        .output()
        .expect("the binary runs")
}

/// The binary as a command whose gate cache is under cargo's temporary
/// directory for tests, not the user's home.
pub fn command() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_stackcraft"));
    c.env("STACKCRAFT_CACHE_DIR", cache_dir())
        .env_remove("STACKCRAFT_NO_CACHE");
    c
}

/// Where the tests' binaries keep their gate cache.
pub fn cache_dir() -> std::path::PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR")).join("gate-cache")
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

/// Runs cfn-lint (`STACKCRAFT_CFN_LINT`, or `cfn-lint` on the PATH, which
/// `scripts/test.sh` installs) over `files` and fails the test on any
/// finding: cfn-lint's exit code is a bit set (2 errors, 4 warnings, 8
/// informational), so only 0 with nothing printed passes.
pub fn assert_cfn_lint_clean(files: &[std::path::PathBuf]) {
    let cfn_lint = std::env::var("STACKCRAFT_CFN_LINT").unwrap_or_else(|_| "cfn-lint".into());
    let output = Command::new(&cfn_lint)
        .args(["--format", "parseable", "--"])
        .args(files)
        .output()
        .unwrap_or_else(|e| {
            panic!("cannot run {cfn_lint} ({e}); run scripts/test.sh, which installs it")
        });
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success() && stdout.trim().is_empty(),
        "cfn-lint found problems (exit {:?}) in {} file(s):\n{stdout}{stderr}",
        output.status.code(),
        files.len()
    );
}
