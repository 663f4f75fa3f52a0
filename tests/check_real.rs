//! `check` on real templates written by others (tests/corpus: AWS's example
//! templates and cfn-lint's valid fixtures, all accepted by cfn-lint; see
//! tests/corpus/README.md): every one is read, nothing panics, and the only
//! error-level findings are those in tests/corpus/TRUE_FINDINGS.txt, each
//! listed under its rule with the reason it is true. A finding that appears
//! or disappears fails the test: a new false finding, or a lost true one.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use stackcraft::check::{Severity, check_text, rule};

fn templates(dir: &Path, found: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("tests/corpus exists") {
        let path = entry.expect("a directory entry").path();
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
        if path.is_dir() {
            templates(&path, found);
        } else if matches!(ext, "yaml" | "yml" | "json" | "template") {
            found.push(path);
        }
    }
}

/// `RULE FILE RESOURCE [PATH]` lines of the allow-list, and the rules
/// whose section gives no reason.
fn allowed(text: &str) -> (BTreeSet<String>, Vec<String>) {
    let mut lines = BTreeSet::new();
    let mut unexplained = Vec::new();
    let mut current: Option<String> = None;
    for line in text.lines().map(str::trim) {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some(head) = line.strip_prefix('[') {
            let (id, reason) = head.split_once(']').unwrap_or((head, ""));
            if reason.trim().is_empty() || rule(id).is_none() {
                unexplained.push(id.to_owned());
            }
            current = Some(id.to_owned());
            continue;
        }
        let id = current.clone().unwrap_or_default();
        lines.insert(format!("{id} {line}"));
    }
    (lines, unexplained)
}

#[test]
fn real_templates_are_read_and_only_true_findings_remain() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus");
    let mut files = Vec::new();
    templates(&root, &mut files);
    files.sort();
    assert!(files.len() >= 300, "only {} templates", files.len());

    let mut unread = Vec::new();
    let mut got = BTreeSet::new();
    for path in &files {
        let name = path
            .strip_prefix(&root)
            .unwrap_or(path)
            .display()
            .to_string();
        let text = std::fs::read_to_string(path).expect("corpus files are UTF-8");
        match check_text(&name, &text) {
            Ok(report) => {
                for f in report
                    .findings
                    .iter()
                    .filter(|f| f.severity == Severity::Error)
                {
                    got.insert(
                        format!("{} {} {} {}", f.rule, f.file, f.resource, f.path)
                            .trim()
                            .to_owned(),
                    );
                }
            }
            Err(e) => unread.push(e.to_string()),
        }
    }
    assert!(
        unread.is_empty(),
        "templates cfn-lint reads but check refused:\n{}",
        unread.join("\n")
    );

    let list =
        std::fs::read_to_string(root.join("TRUE_FINDINGS.txt")).expect("the allow-list exists");
    let (want, unexplained) = allowed(&list);
    assert!(
        unexplained.is_empty(),
        "allow-list sections without a known rule and a reason: {unexplained:?}"
    );
    let new: Vec<&String> = got.difference(&want).collect();
    let gone: Vec<&String> = want.difference(&got).collect();
    assert!(
        new.is_empty() && gone.is_empty(),
        "error findings not in TRUE_FINDINGS.txt (false, or to be listed with a reason):\n{}\n\nlisted but no longer found:\n{}",
        new.iter()
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
            .join("\n"),
        gone.iter()
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
            .join("\n"),
    );
}
