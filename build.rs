//! Links the `stackcraft` binary as a position-dependent executable
//! (`-no-pie`) on Linux with glibc.
//!
//! Why: a position-independent executable this size carries ~47,000
//! relative relocations in 1.5 MB of `.data.rel.ro` (vtables, string
//! tables). The loader applies them before `main`, which writes to every
//! one of those pages: ~240 copy-on-write page faults, 0.7 ms of the 4 ms a
//! `stackcraft synth todo` takes, and far more right after another large
//! process has run (each fresh page costs the hypervisor a fault too; see
//! README, Speed). Linked at a fixed address the data needs no relocation
//! and its pages are read from the page cache only when touched. This is
//! the default of Go binaries such as AWS's `rain`; the stack, heap, shared
//! libraries and `mmap` regions stay randomized, only the executable image
//! is at a fixed address, which makes its code easier to reuse for an
//! attacker who already has a memory-safety bug to exploit (the binary is
//! Rust, but links C: mimalloc, ring); hardening scanners such as checksec
//! report "No PIE". Packagers who require PIE build with `STACKCRAFT_PIE=1`.
//!
//! It also links GCC's unwinder statically (`libgcc_eh.a`, as `gcc
//! -static-libgcc` does for C++ programs) instead of loading `libgcc_s.so`:
//! that library's constructor probes the CPU with a dozen `cpuid`
//! instructions, ~10 microseconds each on a virtual machine, and loading it
//! costs symbol lookups (0.12 ms of a 1.5 ms `stackcraft --version`). The
//! build does this only for a native build whose C compiler finds
//! `libgcc_eh.a`. Unlike `-no-pie`, it applies to everything this package
//! links (tests, examples, and programs built on the library, to which
//! cargo passes the search path).
//!
//! `STACKCRAFT_PIE=1 cargo build --release` keeps a position-independent
//! executable (ASLR for the image too), with the relocations packed
//! (`-z pack-relative-relocs`, DT_RELR: GNU ld 2.38 or lld 15 and glibc 2.36
//! at run time), which at least makes applying them cheap. `-no-pie` is
//! passed to this package's binaries only: tests, examples and programs
//! built on the library stay position-independent.

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-env-changed=STACKCRAFT_PIE");
    for var in ["CC", "TARGET_CC", "HOST", "TARGET"] {
        println!("cargo:rerun-if-env-changed={var}");
    }
    let linux = std::env::var("CARGO_CFG_TARGET_OS").is_ok_and(|os| os == "linux");
    let glibc = std::env::var("CARGO_CFG_TARGET_ENV").is_ok_and(|env| env == "gnu");
    if !(linux && glibc) {
        return;
    }
    static_unwinder();
    if std::env::var("STACKCRAFT_PIE").is_ok_and(|v| v == "1") {
        println!("cargo:rustc-link-arg-bins=-Wl,-z,pack-relative-relocs");
    } else {
        println!("cargo:rustc-link-arg-bins=-no-pie");
    }
}

/// Makes `-lgcc_s` (which Rust's standard library asks for) resolve to a
/// linker script naming GCC's static unwinder and runtime, found first on
/// the search path; nothing changes when `cc` does not know `libgcc_eh.a`.
fn static_unwinder() {
    // `cc` is the host's compiler: when cross-compiling it may not know the
    // target's libraries, so the default stays.
    if std::env::var("HOST").ok() != std::env::var("TARGET").ok() {
        return;
    }
    let cc = std::env::var("TARGET_CC")
        .or_else(|_| std::env::var("CC"))
        .unwrap_or_else(|_| "cc".to_owned());
    let found = std::process::Command::new(cc)
        .arg("-print-file-name=libgcc_eh.a")
        .output()
        .ok()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .is_some_and(|p| {
            std::path::Path::new(&p).is_absolute() && std::path::Path::new(&p).is_file()
        });
    let Ok(out) = std::env::var("OUT_DIR") else {
        return;
    };
    if found && std::fs::write(format!("{out}/libgcc_s.so"), "INPUT(-lgcc_eh -lgcc)\n").is_ok() {
        println!("cargo:rustc-link-search=native={out}");
    }
}
