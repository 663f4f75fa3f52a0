//! A blueprint of your own, run by stackcraft's command line: an upload
//! pipeline (S3 -> SQS -> Lambda), written against the public API only.
//!
//! ```text
//! cargo run --example pipeline -- list
//! cargo run --example pipeline -- synth pipeline --out out-pipeline
//! cargo run --example pipeline -- check pipeline
//! cargo run --example pipeline -- deploy pipeline
//! ```

mod blueprint;

use stackcraft::blueprints::Registry;

fn main() -> std::process::ExitCode {
    // The built-in blueprints plus ours: `synth`, `check`, `graph`,
    // `settings`, `deploy` and `destroy` treat it like theirs.
    stackcraft::cli::run_with(Registry::builtin().with(blueprint::Pipeline))
}
