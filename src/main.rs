//! The `stackcraft` command: the library's command line with the built-in
//! blueprints (see `stackcraft::cli::run_with` to add your own).

/// mimalloc instead of the system allocator: synthesis builds and frees
/// millions of small JSON nodes (a 1,000-service `micro` holds ~100 MB of
/// them at once), and glibc's malloc spent more time consolidating and
/// unlinking free chunks than the synthesis did (1.17 s -> 0.50 s for that
/// run on one core; `synth micro --stdout` 11.5 -> 8.4 ms of CPU). Set
/// here, not in the library, so programs built on the library keep their
/// own choice.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    stackcraft::cli::main()
}
