//! Synthesis speed of each blueprint from its embedded defaults.

use criterion::{Criterion, criterion_group, criterion_main};
use stackcraft::blueprints::BuiltIn;

fn synth(c: &mut Criterion) {
    for b in BuiltIn::ALL {
        c.bench_function(&format!("synth {}", b.name()), |bench| {
            bench.iter(|| b.synth(None).expect("defaults synthesize"))
        });
    }
}

criterion_group!(benches, synth);
criterion_main!(benches);
