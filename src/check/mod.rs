//! Static checks over finished templates: integrity (every reference
//! resolves, no cycles), CloudFormation limits, and security rules. They run
//! on every synthesized template before anything is written, and on any
//! template a user hands to `stackcraft check`.
//!
//! A check works on the template as JSON, so it reads synthesized templates
//! and users' files (JSON or YAML) alike.

use std::collections::HashMap;
use std::sync::LazyLock;

use serde::Serialize;
use serde_json::{Map, Value};

use crate::registry::{Kind, classify};

mod elb_logs;
mod iam_actions;
mod integrity;
mod lifecycle;
mod limits;
mod names;
pub mod parse;
pub mod quotas;
pub mod report;
mod rules;
mod runtime;
pub(crate) mod schema;
mod security;
mod service;
mod stack_name;
mod transform;
mod values;
mod waivers;

#[cfg(test)]
mod class_tests;
#[cfg(test)]
mod tests;

pub use rules::{RULES, Rule, Severity, rule};

/// One problem found in a template.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// The rule broken.
    pub rule: &'static str,
    /// The rule's severity.
    pub severity: Severity,
    /// The template file.
    pub file: String,
    /// The logical id, or the section (`Template`, `Outputs.X`, `Parameters.X`).
    pub resource: String,
    /// Where inside it, e.g. `Properties.Policies[0].PolicyDocument.Statement[1].Action`.
    pub path: String,
    /// What is wrong.
    pub message: String,
}

/// A rule waived on a resource, with the reason given.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Waiver {
    /// The rule waived.
    pub rule: String,
    /// The template file.
    pub file: String,
    /// The resource (or `Template`).
    pub resource: String,
    /// Why.
    pub reason: String,
}

/// The outcome of checking one template.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Report {
    /// What remains after waivers.
    pub findings: Vec<Finding>,
    /// The waivers that applied.
    pub waived: Vec<Waiver>,
}

impl Report {
    /// Error-level findings.
    pub fn errors(&self) -> usize {
        self.findings
            .iter()
            .filter(|f| f.severity == Severity::Error)
            .count()
    }

    /// Adds another template's report.
    pub fn extend(&mut self, other: Report) {
        self.findings.extend(other.findings);
        self.waived.extend(other.waived);
    }
}

/// What every rule sees: the template and where it came from.
pub(crate) struct Ctx<'a> {
    pub file: &'a str,
    pub body_len: usize,
    pub template: &'a Value,
    pub resources: &'a Map<String, Value>,
    /// The resources of each type, in template order: built once, so that
    /// rules asking for one type do not scan the whole template each time.
    pub by_type: HashMap<&'a str, Vec<(&'a String, &'a Value)>>,
    /// What the registry says of each type the template uses, looked up
    /// once: rules ask per resource and per `Fn::GetAtt`, and each lookup
    /// is a binary search of the registry's index.
    pub kinds: HashMap<&'a str, Kind>,
    pub findings: Vec<Finding>,
}

impl Ctx<'_> {
    /// Records a finding of `rule`.
    pub fn report(&mut self, rule_id: &'static str, resource: &str, path: &str, message: String) {
        let r = rule(rule_id).expect("every reported rule is registered");
        self.findings.push(Finding {
            rule: r.id,
            severity: r.severity,
            file: self.file.to_owned(),
            resource: resource.to_owned(),
            path: path.to_owned(),
            message,
        });
    }

    /// What the registry says of a type (see [`classify`]).
    pub fn classify(&self, kind: &str) -> Kind {
        match self.kinds.get(kind) {
            Some(known) => *known,
            None => classify(kind),
        }
    }

    /// The resources of a type, in template order.
    pub fn of_type<'b>(&'b self, kind: &'b str) -> impl Iterator<Item = (&'b String, &'b Value)> {
        self.by_type
            .get(kind)
            .into_iter()
            .flatten()
            .map(|(id, r)| (*id, *r))
    }
}

/// The logical id a value refers to: `{"Ref": id}` or `{"Fn::GetAtt": [id, ...]}`.
pub(crate) fn target(v: &Value) -> Option<&str> {
    let obj = v.as_object()?;
    if obj.len() != 1 {
        return None;
    }
    if let Some(Value::String(id)) = obj.get("Ref") {
        return Some(id);
    }
    match obj.get("Fn::GetAtt") {
        Some(Value::Array(a)) => a.first().and_then(Value::as_str),
        Some(Value::String(s)) => s.split('.').next(),
        _ => None,
    }
}

/// Calls `f` on every value under `v` with its path.
pub(crate) fn walk<'a>(v: &'a Value, path: &mut String, f: &mut impl FnMut(&'a Value, &str)) {
    f(v, path);
    match v {
        Value::Object(m) => {
            for (k, child) in m {
                let len = path.len();
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(k);
                walk(child, path, f);
                path.truncate(len);
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                let len = path.len();
                path.push_str(&format!("[{i}]"));
                walk(child, path, f);
                path.truncate(len);
            }
        }
        _ => {}
    }
}

/// Checks a template. `body_len` is the size in bytes of the file as
/// CloudFormation receives it.
pub fn check_template(file: &str, body_len: usize, template: &Value) -> Report {
    let transforms = transform::declared(template);
    let expanded;
    let mut unexpanded = Vec::new();
    let template = if transforms
        .iter()
        .any(|t| t == transform::LANGUAGE_EXTENSIONS)
    {
        (expanded, unexpanded) = transform::expand_for_each(template);
        &expanded
    } else {
        template
    };
    static NONE: LazyLock<Map<String, Value>> = LazyLock::new(Map::new);
    let resources = template
        .get("Resources")
        .and_then(Value::as_object)
        .unwrap_or(&NONE);
    let mut by_type: HashMap<&str, Vec<(&String, &Value)>> = HashMap::new();
    for (id, r) in resources {
        if let Some(kind) = r.get("Type").and_then(Value::as_str) {
            by_type.entry(kind).or_default().push((id, r));
        }
    }
    let kinds = by_type.keys().map(|k| (*k, classify(k))).collect();
    let mut ctx = Ctx {
        file,
        body_len,
        template,
        resources,
        by_type,
        kinds,
        findings: Vec::new(),
    };
    integrity::check(&mut ctx);
    limits::check(&mut ctx);
    schema::check(&mut ctx);
    security::check(&mut ctx);
    before_transform(&mut ctx, &transforms, &unexpanded);
    service::check(&mut ctx);
    elb_logs::check(&mut ctx);
    elb_logs::https_to_generated_names(&mut ctx);
    lifecycle::check(&mut ctx);
    names::check(&mut ctx);
    runtime::check(&mut ctx);
    waivers::apply(&mut ctx)
}

/// Says that a template is checked before the transforms stackcraft does
/// not run, and drops the findings of the rules they would make wrong.
fn before_transform(ctx: &mut Ctx<'_>, transforms: &[String], unexpanded: &[String]) {
    let others: Vec<&str> = transforms
        .iter()
        .map(String::as_str)
        .filter(|t| *t != transform::LANGUAGE_EXTENSIONS)
        .collect();
    if others.is_empty() && unexpanded.is_empty() {
        return;
    }
    ctx.findings
        .retain(|f| !transform::SKIPPED_UNDER_TRANSFORM.contains(&f.rule));
    let mut what = Vec::new();
    if !others.is_empty() {
        what.push(format!(
            "checked before the transform {} (resources it generates are not seen; \
             its own resource types are not judged by the security rules)",
            others.join(", ")
        ));
    }
    if !unexpanded.is_empty() {
        what.push(format!(
            "Fn::ForEach loops over values known only at deployment not expanded: {}",
            unexpanded.join(", ")
        ));
    }
    let message = format!(
        "{}; rules skipped: {}",
        what.join("; "),
        transform::SKIPPED_UNDER_TRANSFORM.join(", ")
    );
    ctx.report("SC-TFM-001", "Template", "Transform", message);
}

/// Parses and checks a template file's text.
pub fn check_text(file: &str, text: &str) -> Result<Report, parse::ParseError> {
    let template = parse::parse_template(file, text)?;
    Ok(check_template(file, text.len(), &template))
}
