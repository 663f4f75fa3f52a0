//! Synthesis speed of each blueprint from its embedded defaults, and of a
//! generated `micro` with 10, 100 and 1000 services (in memory, and written
//! as `synth --stdout` writes it), to show synthesis grows linearly.
//! `scripts/growth.sh` prints the whole-process growth table.

use std::io::Write;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use stackcraft::blueprints::BuiltIn;

#[path = "support/micro_services.rs"]
mod micro_services;

fn synth(c: &mut Criterion) {
    for b in BuiltIn::ALL {
        c.bench_function(&format!("synth {}", b.name()), |bench| {
            bench.iter(|| b.synth(None).expect("defaults synthesize"))
        });
    }
}

/// The artifacts as `synth --stdout` prints them, into memory.
fn to_stdout_bytes(n: usize, settings: &str) -> Vec<u8> {
    let artifacts = BuiltIn::Micro
        .synth(Some(("big.yaml", settings)))
        .expect("generated settings synthesize");
    let mut out = Vec::with_capacity(n * 24 * 1024);
    for a in &artifacts {
        let _ = writeln!(out, "==> {} <==", a.path.display());
        out.extend_from_slice(a.contents().as_bytes());
    }
    out
}

fn services(c: &mut Criterion) {
    let mut group = c.benchmark_group("micro services");
    // A 1000-service synthesis takes a good part of a second: ten samples
    // keep the run short and still show the growth.
    group.sample_size(10);
    for n in [10, 100, 1000] {
        let settings = micro_services::settings(n);
        group.throughput(Throughput::Elements(n as u64));
        group.bench_with_input(BenchmarkId::new("synth", n), &settings, |b, s| {
            b.iter(|| {
                BuiltIn::Micro
                    .synth(Some(("big.yaml", s)))
                    .expect("generated settings synthesize")
            })
        });
        group.bench_with_input(BenchmarkId::new("stdout", n), &settings, |b, s| {
            b.iter(|| to_stdout_bytes(n, s))
        });
    }
    group.finish();
}

criterion_group!(benches, synth, services);
criterion_main!(benches);
