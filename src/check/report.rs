//! Rendering reports for people (text), programs (JSON) and code scanning
//! (SARIF 2.1.0).

use serde_json::{Value, json};

use super::{RULES, Report, Severity};

/// One line per finding and per waiver, then a summary line.
pub fn human(report: &Report, files: usize) -> String {
    let mut out = String::new();
    for f in &report.findings {
        let path = if f.path.is_empty() {
            String::new()
        } else {
            format!(": {}", f.path)
        };
        let fix = super::rule(f.rule).map(|r| r.fix).unwrap_or("");
        out.push_str(&format!(
            "{}: {}{}: [{} {}] {} (fix: {})\n",
            f.file, f.resource, path, f.rule, f.severity, f.message, fix
        ));
    }
    for w in &report.waived {
        out.push_str(&format!(
            "{}: {}: [{} waived] {}\n",
            w.file, w.resource, w.rule, w.reason
        ));
    }
    let errors = report.errors();
    let warnings = report.findings.len() - errors;
    out.push_str(&format!(
        "{files} template(s) checked: {errors} error(s), {warnings} warning(s), {} waived\n",
        report.waived.len()
    ));
    out
}

/// The report as JSON: `{"findings": [...], "waived": [...], "summary": {...}}`.
pub fn json(report: &Report, files: usize) -> String {
    let errors = report.errors();
    let v = json!({
        "findings": report.findings,
        "waived": report.waived,
        "summary": {
            "templates": files,
            "errors": errors,
            "warnings": report.findings.len() - errors,
            "waived": report.waived.len()
        }
    });
    serde_json::to_string_pretty(&v).expect("reports serialize") + "\n"
}

/// The report as a SARIF 2.1.0 log, for code scanning tools.
pub fn sarif(report: &Report) -> String {
    let rules: Vec<Value> = RULES
        .iter()
        .map(|r| {
            json!({
                "id": r.id,
                "shortDescription": {"text": r.description},
                "help": {"text": r.fix},
                "defaultConfiguration": {"level": level(r.severity)}
            })
        })
        .collect();
    let results: Vec<Value> = report
        .findings
        .iter()
        .map(|f| {
            let index = RULES.iter().position(|r| r.id == f.rule).unwrap_or(0);
            let place = if f.path.is_empty() { f.resource.clone() } else { format!("{}.{}", f.resource, f.path) };
            json!({
                "ruleId": f.rule,
                "ruleIndex": index,
                "level": level(f.severity),
                "message": {"text": format!("{}: {}", place, f.message)},
                "locations": [{
                    "physicalLocation": {"artifactLocation": {"uri": f.file}},
                    "logicalLocations": [{"name": f.resource, "fullyQualifiedName": place, "kind": "resource"}]
                }]
            })
        })
        .collect();
    let log = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "stackcraft",
                "version": env!("CARGO_PKG_VERSION"),
                "informationUri": "https://github.com/stackcraft/stackcraft",
                "rules": rules
            }},
            "results": results
        }]
    });
    serde_json::to_string_pretty(&log).expect("reports serialize") + "\n"
}

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
    }
}
