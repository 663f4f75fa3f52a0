//! Prints a generated `micro` settings file with N services (default 1000):
//! `cargo run --release --example micro_services -- 1000 > big.yaml`, then
//! `stackcraft synth micro --config big.yaml`. `scripts/growth.sh` uses it.

#[path = "../benches/support/micro_services.rs"]
mod micro_services;

fn main() {
    let arg = std::env::args().nth(1);
    let n = match arg.as_deref().map(str::parse::<usize>) {
        None => 1000,
        Some(Ok(n)) if n > 0 => n,
        Some(_) => {
            eprintln!("usage: micro_services [N > 0]");
            std::process::exit(2);
        }
    };
    print!("{}", micro_services::settings(n));
}
