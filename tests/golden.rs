//! The one golden set of generated output is `out/`: `cargo test` fails when
//! a fresh synthesis of the defaults differs from it by one byte, or when it
//! holds a file synthesis no longer produces.

use std::path::Path;

use stackcraft::blueprints::BuiltIn;
use stackcraft::output::{self, Artifact};

#[test]
fn out_matches_a_fresh_synthesis_byte_for_byte() {
    let out = Path::new(env!("CARGO_MANIFEST_DIR")).join("out");
    let artifacts: Vec<Artifact> = BuiltIn::ALL
        .iter()
        .flat_map(|b| b.synth(None).expect("the defaults synthesize"))
        .collect();
    let drift = output::drift(&out, &artifacts).expect("out/ is readable");
    let stale = output::stale(&out, &artifacts).expect("out/ is readable");
    let report: Vec<String> = drift
        .iter()
        .map(|d| d.diff.clone())
        .chain(
            stale
                .iter()
                .map(|p| format!("out/{}: stale\n", p.display())),
        )
        .collect();
    assert!(
        report.is_empty(),
        "out/ differs from a fresh synthesis; run `cargo run --release -- synth --all` and commit out/:\n{}",
        report.concat()
    );
}
