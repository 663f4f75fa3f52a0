//! Cost of loading the registry: indexing the embedded artifact (once per
//! process, on first use), finding a type in the index, and parsing one
//! type's schema (once per type used).

use criterion::{Criterion, criterion_group, criterion_main};
use stackcraft::registry::{Registry, artifact};

/// The types `synth todo` uses, a typical working set.
const TODO_TYPES: [&str; 8] = [
    "AWS::DynamoDB::Table",
    "AWS::Lambda::Function",
    "AWS::IAM::Role",
    "AWS::S3::Bucket",
    "AWS::ApiGateway::Method",
    "AWS::Cognito::UserPool",
    "AWS::EC2::SecurityGroup",
    "AWS::KMS::Key",
];

fn loading(c: &mut Criterion) {
    c.bench_function("registry: index all types", |b| {
        b.iter(|| Registry::index(artifact()))
    });
    // A fresh index each time, so the type is parsed every iteration; the
    // index's own cost is the benchmark above.
    for name in [
        "AWS::SQS::Queue",
        "AWS::S3::Bucket",
        "AWS::EC2::LaunchTemplate",
    ] {
        c.bench_function(&format!("registry: index + parse {name}"), |b| {
            b.iter(|| Registry::index(artifact()).get(name).is_some())
        });
    }
    // Lookups of types already parsed: the binary search alone.
    let registry = Registry::index(artifact());
    c.bench_function("registry: look up 8 parsed types", |b| {
        b.iter(|| TODO_TYPES.iter().all(|t| registry.get(t).is_some()))
    });
}

criterion_group!(benches, loading);
criterion_main!(benches);
