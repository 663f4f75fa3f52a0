//! Generated `micro` configurations of every shape: each pattern with each
//! datastore it allows, each set of triggers it consumes (stream, queue),
//! each set of streams and queues it owns, calling another service or not.
//! Every shape is a settings file of its own, synthesized like
//! `stackcraft synth micro --config FILE`; every template must have zero
//! findings from `stackcraft check` (warnings included) and from cfn-lint
//! (errors, warnings and informational), which runs once over all of them.
//!
//! The shapes come from `Pattern::ALL`, `Datastore::ALL` and
//! `Pattern::datastores`, so a new pattern or datastore is covered without
//! touching this file.

use std::collections::BTreeMap;
use std::path::Path;
mod common;

use stackcraft::blueprints::BuiltIn;
use stackcraft::blueprints::micro::settings::{Datastore, Pattern};
use stackcraft::check::check_text;

/// One shape of the service under test, `svc`.
#[derive(Debug, Clone)]
struct Shape {
    pattern: Pattern,
    datastore: Datastore,
    consumes_stream: bool,
    consumes_queue: bool,
    owns_stream: bool,
    owns_queue: bool,
    calls: bool,
}

fn lower(v: impl std::fmt::Debug) -> String {
    format!("{v:?}").to_lowercase()
}

impl Shape {
    fn name(&self) -> String {
        let flag = |b: bool, s: &str| if b { s.to_owned() } else { "-".to_owned() };
        format!(
            "{}-{}-c{}{}-o{}{}-{}",
            lower(self.pattern),
            lower(self.datastore),
            flag(self.consumes_stream, "s"),
            flag(self.consumes_queue, "q"),
            flag(self.owns_stream, "s"),
            flag(self.owns_queue, "q"),
            if self.calls { "calls" } else { "alone" }
        )
    }

    /// A settings file: `peer` (an ECS service that owns a stream and a
    /// queue and answers calls) and `svc` of this shape.
    fn settings(&self) -> String {
        let mut text = String::from(concat!(
            "app: shape\nenvironment: test\nlog_retention_days: 30\n",
            "network: {cidr: 10.0.0.0/16, az_count: 2, nat_gateways: 1}\n",
            "services:\n",
            "  - {name: peer, version: 1.0.0, pattern: ecs, datastore: none, ",
            "streams: [events], queues: [jobs]}\n",
        ));
        let mut consumes = Vec::new();
        if self.consumes_stream {
            consumes.push("{stream: peer/events}");
        }
        if self.consumes_queue {
            consumes.push("{queue: peer/jobs}");
        }
        let list = |items: &[&str]| format!("[{}]", items.join(", "));
        let owned = |own: bool, name: &'static str| if own { vec![name] } else { vec![] };
        text.push_str(&format!(
            "  - {{name: svc, version: 2.0.0, pattern: {}, datastore: {}, consumes: {}, \
             streams: {}, queues: {}, calls: {}}}\n",
            lower(self.pattern),
            lower(self.datastore),
            list(&consumes),
            list(&owned(self.owns_stream, "updates")),
            list(&owned(self.owns_queue, "tasks")),
            list(&owned(self.calls, "peer")),
        ));
        text
    }
}

/// Every shape micro accepts: a worker must consume something; every other
/// combination is allowed.
fn shapes() -> Vec<Shape> {
    let bools = [false, true];
    let mut out = Vec::new();
    for pattern in Pattern::ALL {
        for datastore in Datastore::ALL {
            if !pattern.datastores().contains(&datastore) {
                continue;
            }
            for consumes_stream in bools {
                for consumes_queue in bools {
                    if pattern == Pattern::Worker && !consumes_stream && !consumes_queue {
                        continue;
                    }
                    for owns_stream in bools {
                        for owns_queue in bools {
                            for calls in bools {
                                out.push(Shape {
                                    pattern,
                                    datastore,
                                    consumes_stream,
                                    consumes_queue,
                                    owns_stream,
                                    owns_queue,
                                    calls,
                                });
                            }
                        }
                    }
                }
            }
        }
    }
    out
}

/// The datastores a pattern refuses are refused with the key path: the
/// shapes above are all the shapes, not a hand-picked subset.
#[test]
fn shapes_outside_the_allowed_ones_are_refused() {
    for pattern in Pattern::ALL {
        for datastore in Datastore::ALL {
            let shape = Shape {
                pattern,
                datastore,
                consumes_stream: true,
                consumes_queue: false,
                owns_stream: false,
                owns_queue: false,
                calls: false,
            };
            let result = BuiltIn::Micro.synth(Some(("shape.yaml", &shape.settings())));
            match (pattern.datastores().contains(&datastore), result) {
                (true, Ok(_)) => {}
                (false, Err(e)) => {
                    let e = e.to_string();
                    assert!(e.contains("services[1].datastore"), "{}: {e}", shape.name());
                }
                (allowed, r) => panic!("{}: allowed {allowed}, got {:?}", shape.name(), r.err()),
            }
        }
    }
    let worker = Shape {
        pattern: Pattern::Worker,
        datastore: Datastore::Dynamodb,
        consumes_stream: false,
        consumes_queue: false,
        owns_stream: false,
        owns_queue: false,
        calls: false,
    };
    let e = BuiltIn::Micro
        .synth(Some(("shape.yaml", &worker.settings())))
        .unwrap_err()
        .to_string();
    assert!(e.contains("services[1].consumes"), "{e}");
}

#[test]
fn every_shape_passes_check_and_cfn_lint_with_zero_findings() {
    let shapes = shapes();
    // 8 pattern-datastore pairs; 4 trigger sets (3 for a worker) x 4 owned
    // sets x 2 (calls or not).
    assert_eq!(shapes.len(), (7 * 4 + 3) * 4 * 2);
    let dir = tempfile::tempdir().unwrap();
    // Identical templates (the network, `peer`) are linted once.
    let mut unique: BTreeMap<String, String> = BTreeMap::new();
    let mut findings = Vec::new();
    for shape in &shapes {
        let artifacts = BuiltIn::Micro
            .synth(Some(("shape.yaml", &shape.settings())))
            .unwrap_or_else(|e| panic!("{}: {e}", shape.name()));
        for a in &artifacts {
            let path = a.path.to_string_lossy();
            if !path.ends_with(".template.json") {
                continue;
            }
            let file = format!("{}-{}", shape.name(), path.trim_start_matches("micro/"));
            let report = check_text(&file, a.contents()).unwrap();
            if !report.findings.is_empty() {
                findings.push(format!("{file}: {:?}", report.findings));
            }
            unique.entry(a.contents().to_owned()).or_insert(file);
        }
    }
    assert!(findings.is_empty(), "check found:\n{}", findings.join("\n"));
    // Every shape's own stack differs; `peer` and the network are shared.
    assert_eq!(unique.len(), shapes.len() + 2);
    for (contents, file) in &unique {
        std::fs::write(dir.path().join(file), contents).unwrap();
    }
    cfn_lint(dir.path(), unique.len());
}

/// cfn-lint over every template in `dir`, as `tests/cfn_lint.rs` runs it.
fn cfn_lint(dir: &Path, count: usize) {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    assert_eq!(files.len(), count);
    common::assert_cfn_lint_clean(&files);
}
