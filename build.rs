//! Links the binaries with packed relative relocations (`-z
//! pack-relative-relocs`, DT_RELR) on Linux with glibc: a position-
//! independent executable this size carries ~47,000 relative relocations,
//! and applying them one 24-byte entry at a time was a quarter of the CPU
//! time of `stackcraft synth todo` (perf). The packed form applies them from
//! a bitmap; the binary stays position-independent (ASLR is kept). Needs
//! GNU ld 2.38 or lld 15 and, at run time, glibc 2.36 or later.

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    let linux = std::env::var("CARGO_CFG_TARGET_OS").is_ok_and(|os| os == "linux");
    let glibc = std::env::var("CARGO_CFG_TARGET_ENV").is_ok_and(|env| env == "gnu");
    if linux && glibc {
        println!("cargo:rustc-link-arg-bins=-Wl,-z,pack-relative-relocs");
    }
}
