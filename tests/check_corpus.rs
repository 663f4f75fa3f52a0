//! The checks over whole templates: our own output is clean, and each broken
//! template under tests/check/broken gives exactly the findings listed in
//! its `.expected` file (`RULE RESOURCE PATH` per line).

use std::path::Path;

use stackcraft::blueprints::BuiltIn;
use stackcraft::check::{check_text, rule};

#[test]
fn synthesized_templates_have_no_findings() {
    for b in BuiltIn::ALL {
        for a in b.synth(None).unwrap() {
            if !a.path.to_string_lossy().ends_with(".template.json") {
                continue;
            }
            let report = check_text(&a.path.display().to_string(), a.contents()).unwrap();
            assert!(
                report.findings.is_empty(),
                "{}: {:#?}",
                a.path.display(),
                report.findings
            );
            for w in &report.waived {
                assert!(!w.reason.is_empty());
                assert!(rule(&w.rule).is_some());
            }
        }
    }
}

#[test]
fn broken_templates_give_exactly_the_expected_findings() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/check/broken");
    let mut checked = 0;
    let mut entries: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for path in entries {
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
        if !matches!(ext, "json" | "yaml") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        let report = check_text(&path.display().to_string(), &text).unwrap();
        let mut got: Vec<String> = report
            .findings
            .iter()
            .map(|f| format!("{} {} {}", f.rule, f.resource, f.path))
            .collect();
        got.sort();
        let expected_file = path.with_extension("expected");
        let mut want: Vec<String> = std::fs::read_to_string(&expected_file)
            .unwrap_or_else(|_| panic!("{} is missing", expected_file.display()))
            .lines()
            .map(str::to_owned)
            .collect();
        want.sort();
        assert_eq!(got, want, "{}", path.display());
        checked += 1;
    }
    assert!(checked >= 5, "only {checked} broken templates");
}
