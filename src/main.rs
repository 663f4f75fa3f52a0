//! The `stackcraft` command: the library's command line with the built-in
//! blueprints (see `stackcraft::cli::run_with` to add your own).

fn main() -> std::process::ExitCode {
    stackcraft::cli::main()
}
